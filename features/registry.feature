Feature: Registry of States parties and signatories
  The mechanism for the review of implementation of the Convention and its Protocols,
  in the terms of reference annexed to resolution 5/5 of the Conference of the Parties,
  works from a registry of States: each one's standing towards the Convention and the
  Protocols, its regional group and legal traditions, its focal point and its
  governmental experts. The States below are fictional.

  @ToR-8
  Rule: Each State party carries its legal traditions, so that the diversity of legal systems is taken into account

    Example: A change in a State party's legal traditions is recorded and the earlier entry kept
      Given Borduria is a State party whose legal system is common law
      When the secretariat imports a registry file giving Borduria's legal system as mixed, of common law and customary law
      Then the registry shows Borduria's legal traditions as common law and customary law
      And the registry as it stood before the import shows Borduria's legal traditions as common law

    Example: A legal tradition the registry does not know is refused
      Given Borduria is a State party whose legal system is common law
      When the secretariat imports a registry file giving Borduria's legal system as maritime law
      Then the file is refused, naming row 2 and column "legal_tags_derived"
      And the registry still shows Borduria's legal traditions as common law

  @ToR-13c
  Rule: The review of a State party covers the Convention and all the Protocols to which it is a party

    Scenario Outline: A State party is reviewed on the Convention and on its Protocols
      Given <State> is a State party to the Convention and to <Protocols>
      When the secretariat determines what a review of <State> covers
      Then the review covers <instruments>

      Examples:
        | State     | Protocols                                         | instruments                                                                                                       |
        | Arcadia   | the Trafficking in Persons Protocol               | the Convention and the Trafficking in Persons Protocol                                                            |
        | Borduria  | the Trafficking in Persons and Firearms Protocols | the Convention, the Trafficking in Persons Protocol and the Firearms Protocol                                     |
        | Carpathia | all three Protocols                               | the Convention, the Trafficking in Persons Protocol, the Smuggling of Migrants Protocol and the Firearms Protocol |
        | Dystopia  | no Protocol                                       | the Convention only                                                                                               |

  @ToR-57
  Rule: A signatory may be reviewed on a voluntary basis, only regarding the Convention, and does not serve as a reviewing State party

    Example: A signatory of the Convention and of a Protocol is reviewed on the Convention only
      Given Elbonia is a signatory of the Convention and of the Trafficking in Persons Protocol
      When the secretariat determines what a review of Elbonia covers
      Then the review covers the Convention only

    Example: A signatory does not serve as a reviewing State party
      Given Elbonia is a signatory of the Convention
      When Elbonia is proposed as a reviewing State party
      Then the proposal is refused citing ToR-57
      And Elbonia is not among the States that may serve as reviewing States parties

    Example: A signatory appoints no governmental experts
      Given Elbonia is a signatory of the Convention
      When Elbonia appoints a governmental expert
      Then the appointment is refused citing ToR-57
      And the roster lists no governmental expert of Elbonia

    @ToR-17
    Example: A signatory that volunteers for review appoints a focal point
      Given Elbonia is a signatory of the Convention
      When Elbonia appoints Lin Wei as its focal point, with expertise in the Convention
      Then the registry shows Lin Wei as the focal point of Elbonia, with expertise in the Convention

  @ToR-17
  Rule: Each State party appoints a focal point to coordinate its participation in the review

    Example: The focal point a State party appoints is recorded and shown
      Given Arcadia is a State party to the Convention
      When Arcadia appoints Amara Okafor as its focal point, with expertise in the Convention and the Trafficking in Persons Protocol
      Then the registry shows Amara Okafor as the focal point of Arcadia, with expertise in the Convention and the Trafficking in Persons Protocol

    Example: A new focal point replaces the one shown and the earlier appointment stays on record
      Given Arcadia is a State party to the Convention
      And Arcadia appointed Amara Okafor as its focal point
      When Arcadia appoints Kofi Mensah as its focal point, with expertise in mutual legal assistance
      Then the registry shows Kofi Mensah as the focal point of Arcadia, with expertise in mutual legal assistance
      And the registry as it stood before that appointment shows Amara Okafor as the focal point of Arcadia

  @ToR-21
  Rule: Each State party appoints up to 20 governmental experts

    Example: The twentieth governmental expert is added to the roster
      Given Borduria is a State party to the Convention
      And Borduria has appointed 19 governmental experts
      When Borduria appoints a governmental expert
      Then the roster lists 20 governmental experts of Borduria

    Example: A twenty-first governmental expert is refused
      Given Borduria is a State party to the Convention
      And Borduria has appointed 20 governmental experts
      When Borduria appoints a governmental expert
      Then the appointment is refused citing ToR-21
      And the roster still lists 20 governmental experts of Borduria

    Example: A withdrawn governmental expert frees a place on the roster
      Given Borduria is a State party to the Convention
      And Borduria has appointed 20 governmental experts
      And Borduria has withdrawn one of its governmental experts
      When Borduria appoints a governmental expert
      Then the roster lists 20 governmental experts of Borduria

  @ToR-21
  Rule: The secretariat compiles and circulates the list of governmental experts before the drawing of lots

    Example: The circulation of the list is recorded with the governmental experts on it
      Given Arcadia and Borduria are States parties to the Convention
      And Arcadia has appointed 2 governmental experts
      And Borduria has appointed 3 governmental experts
      When the secretariat circulates the list of governmental experts on 15 January 2026
      Then the list circulated on 15 January 2026 names the 5 governmental experts of Arcadia and Borduria

    Example: The circulated list gives each expert's background, position, offices and expertise
      Given Arcadia is a State party to the Convention
      And Arcadia has appointed the governmental expert:
        | name                    | Amara Okafor                                                 |
        | professional background | public prosecutor, organized crime division                  |
        | current position        | Deputy Prosecutor-General                                    |
        | offices held            | head of the central authority for mutual legal assistance    |
        | areas of expertise      | mutual legal assistance; extradition; trafficking in persons |
      When the secretariat circulates the list of governmental experts on 15 January 2026
      Then the list circulated on 15 January 2026 gives the professional background, current position, offices held and areas of expertise of Amara Okafor

  @RES-8e
  Rule: The roster of governmental experts can be searched by expertise, instrument and regional group

    Background:
      Given Arcadia is a State party in the group of African States
      And Borduria is a State party in the group of Eastern European States
      And Arcadia and Borduria have appointed these governmental experts:
        | State    | name          | areas of expertise                     | instruments                                            |
        | Arcadia  | Amara Okafor  | mutual legal assistance; extradition   | the Convention                                         |
        | Arcadia  | Kofi Mensah   | trafficking in persons; victim support | the Convention and the Trafficking in Persons Protocol |
        | Borduria | Ivana Petrova | firearms tracing                       | the Firearms Protocol                                  |
        | Borduria | Pavel Novak   | Extradition                            | the Convention                                         |

    Scenario Outline: The secretariat searches the roster of governmental experts
      When the secretariat searches the roster for governmental experts <criteria>
      Then the roster shows <experts>

      Examples:
        | criteria                                                       | experts                       |
        | with expertise in extradition                                  | Amara Okafor and Pavel Novak  |
        | on the Trafficking in Persons Protocol                         | Kofi Mensah                   |
        | from the group of Eastern European States                      | Ivana Petrova and Pavel Novak |
        | with expertise in extradition from the group of African States | Amara Okafor                  |
        | on the Convention from the group of Eastern European States    | Pavel Novak                   |
        | with expertise in cybercrime                                   | no governmental expert        |
