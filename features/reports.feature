Feature: Reports of the mechanism
  Every country review ends in a report that follows the blueprint (appendix II),
  confidential to the review, and in an executive summary published in all six
  official languages. The secretariat compiles a thematic implementation report
  with regional addenda, and the group of experts a report each year; neither names
  a State or ranks one. In these scenarios, Borduria and Carpathia reviewed
  Arcadia; Dystopia, Elbonia and Freedonia reviewed each other. All are fictional.

  @ToR-25 @BP-title
  Rule: The title names the States, the articles and the cycle

    Example: The title of Arcadia's report
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in English
      Then its title names the States Borduria, Carpathia and Arcadia
      And its title names articles 5, 6 and 9 of the Convention, article 5 of the Trafficking in Persons Protocol and the cycle

  @ToR-25 @BP-I @BP-II @BP-III @BP-IVA @BP-IVB @BP-IVC @BP-IVD
  Rule: The report's headings are the blueprint's, in order

    Scenario Outline: A Word report in <language> has the blueprint's headings
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in <language> as a Word document
      Then its headings are, in order, sections I, II, III and IV, then IV.A, IV.B, IV.C and IV.D
      And each article under review has the parts (a) to (e)

      Examples:
        | language |
        | Arabic   |
        | Chinese  |
        | English  |
        | French   |
        | Russian  |
        | Spanish  |

  @BP-II
  Rule: Section II gives the means of dialogue and the visit with its dates

    Example: A country visit is reported with its dates
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in English
      Then section II names videoconferences and a country visit from 4 May 2026 to 6 May 2026

  @BP-III @ToR-32 @ToR-3c @ToR-11d
  Rule: The report identifies good practices, challenges, observations and needs

    Example: The executive summary section lists the findings of each kind
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in English
      Then section III lists its good practices, challenges, observations and technical assistance needs
      And each article lists its good practices and technical assistance needs under (c) and (e)

  @BP-IVA @BP-IVB
  Rule: Sections IV.A and IV.B come from the registry and the checklist

    Example: Ratification, legislation and legal system
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in English
      Then section IV.A gives Arcadia's deposit date and its implementing legislation as answered
      And section IV.B says whether treaties apply directly, as answered

  @BP-IVC @BP-IVD @GL-31
  Rule: Each article has its title and text, and observations on the law and in practice

    Example: An article of the Convention and one of a Protocol
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in French
      Then article 5 of the Convention comes with its title and its text, marked as held in English only
      And its observations are given on the law and in practice
      And article 5 of the Trafficking in Persons Protocol is in section IV.D

  @ToR-35
  Rule: An executive summary is published only in all six languages, once agreed

    Example: A summary missing a language is refused, naming it
      Given the review of Arcadia by Borduria and Carpathia is complete
      And its executive summary was delivered and checked in every language but Chinese
      When the secretariat publishes it
      Then the publication is refused citing ToR-35
      And the refusal names zh

    Example: A summary in all six languages is published, signed
      Given the review of Arcadia by Borduria and Carpathia is complete
      And its executive summary was delivered and checked in the six languages
      When the secretariat publishes it
      Then the publication records the six versions, signed by the secretariat

  @ToR-51
  Rule: The thematic and expert group reports are published in all six languages

    Example: A thematic report without its Arabic version is refused
      Given the thematic report of cycle 1 was delivered and checked in every language but Arabic
      When the secretariat publishes it
      Then the publication is refused citing ToR-51

  @GL-22
  Rule: Abbreviations are defined at first use

    Example: A summary using an abbreviation before defining it is refused
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat delivers an English summary saying "MLA requests rose."
      Then the delivery is refused citing GL-22
      And the refusal names the abbreviation MLA

  @ToR-34 @ToR-3b
  Rule: The thematic report and its addenda compile findings and name no State

    Example: The thematic report lists the findings common to several reviews
      Given the reviews of Arcadia, Borduria, Dystopia and Elbonia are complete
      When the secretariat renders the thematic report of cycle 1 in English
      Then it lists the good practice recorded in 4 reviews
      And it names no State in any language, nor any State's code

    Example: A regional addendum compiles only its region's reviews
      Given the reviews of Arcadia, Borduria, Dystopia and Elbonia are complete
      When the secretariat renders the Eastern European States addendum of cycle 1 in English
      Then it lists the good practice recorded in 2 reviews
      And it names no State in any language, nor any State's code

  @ToR-37bis @ToR-37sexies @ToR-3b
  Rule: The group of experts reports each year on general and regional trends

    Example: The expert group report of year 1
      Given the reviews of Arcadia, Borduria, Dystopia and Elbonia are complete
      When the group of experts renders its report of cycle 1, year 1, in English
      Then it gives general trends and trends for the African States and the Eastern European States
      And it names no State in any language, nor any State's code

  @ToR-37quinquies
  Rule: The group of experts never assesses a specific country

    Example: Information naming a State is refused
      Given the reviews of Arcadia, Borduria, Dystopia and Elbonia are complete
      When the group of experts records information saying "Elbonia lacks a witness protection law."
      Then the recording is refused citing ToR-37quinquies

  @ToR-37septies @ToR-40 @ToR-44
  Rule: The expert group report goes to the oversight group, whose recommendations the Conference considers

    Example: From the expert group report to the Conference's decision
      Given the group of experts submitted its report of cycle 1, year 1, to the Implementation Oversight Group
      When the Implementation Oversight Group sends recommendations based on the thematic and expert group reports
      And the Conference considers them by decision 9/1
      Then the oversight of cycle 1 records the submission, the recommendations and the decision

    Example: Recommendations based on a country review report are refused
      Given the group of experts submitted its report of cycle 1, year 1, to the Implementation Oversight Group
      When the Implementation Oversight Group sends recommendations based on the report of Arcadia
      Then the recommendations are refused

  @ToR-46 @ToR-3b
  Rule: The performance report is for the mechanism as a whole

    Example: The performance report names no State
      Given the reviews of Arcadia, Borduria, Dystopia and Elbonia are complete
      When the secretariat renders the performance report of cycle 1 in English
      Then it gives stage figures for the mechanism as a whole
      And it names no State in any language, nor any State's code

  @ToR-48
  Rule: Documents are produced in the six working languages only

    Example: A report in German is refused
      Given the review of Arcadia by Borduria and Carpathia is complete
      When the secretariat renders Arcadia's country review report in German
      Then the rendering is refused citing ToR-48
