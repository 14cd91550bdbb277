Feature: Drawing of lots for the reviewing States parties
  Each State party under review is reviewed by two other States parties, one of them
  from its regional group and, if possible, with a similar legal system, both parties
  to every Protocol it is a party to; they are drawn by lot at the beginning of each
  year, with no mutual reviews, and by the end of the cycle each State party has
  performed one to three reviews (terms of reference, paragraphs 8, 13, 18-20). The
  secretariat circulates the list of governmental experts before the draw
  (paragraph 21). The State under review may ask twice for the draw to be repeated,
  more only in exceptional circumstances; a State may defer serving as a reviewer
  in a year. The States below are fictional.

  @ToR-18 @ToR-19b
  Rule: Each State party under review is reviewed by two other States parties, drawn by lot at the beginning of each year

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      And the review years of cycle 1 have been drawn

    Example: The reviewers of the first year are drawn for the States parties under review that year
      When the secretariat draws the reviewers of year 1 of cycle 1
      Then each State party under review in year 1 has two reviewing States parties, neither of them itself
      And no State party under review in year 2 has reviewers yet

    Example: The reviewers of the second year are not drawn before those of the first
      When the secretariat draws the reviewers of year 2 of cycle 1
      Then the draw is refused citing ToR-19b

    Example: The reviewers of a year are drawn only once
      Given the reviewers of year 1 of cycle 1 have been drawn
      When the secretariat draws the reviewers of year 1 of cycle 1 again
      Then the draw is refused citing ToR-19b

    @ToR-19a
    Example: One of the two reviewers is from the regional group of the State party under review
      When the secretariat draws the reviewers of year 1 of cycle 1
      Then each State party under review in year 1 has a reviewer from its own regional group

    @ToR-19c @ToR-20b
    Example: Over the cycle no two States parties review each other, and each performs one to three reviews
      When the reviewers of every year of cycle 1 are drawn
      Then no two States parties review each other in cycle 1
      And each State party reviews between one and three States parties in cycle 1

    @ToR-5
    Example: The reviewers are not drawn before the seed of their draw is fixed
      When the secretariat draws the reviewers of year 1 of cycle 1 before the seed of that draw is fixed
      Then the draw is refused citing ToR-5

    @ToR-20a
    Example: A State party under review defers serving in its year, before the draw of that year
      Given the first State party under review in year 1 deferred serving as a reviewer in year 1
      When the secretariat draws the reviewers of year 1 of cycle 1
      Then that State party reviews no State party in year 1

    @ToR-3a
    Example: An observer replays every draw of the cycle from its published seed
      Given the reviewers of year 1 of cycle 1 have been drawn
      When an observer replays the draws of cycle 1 from their published seeds and inputs
      Then the replay gives every review year, every reviewer and every lot recorded

  @ToR-20a
  Rule: A State party under review may defer serving as a reviewer that same year, and so may a drawn reviewer

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      And the reviewers of year 1 of cycle 1 have been drawn

    Example: A drawn reviewer defers serving, and its places are drawn again by lot
      When a State party drawn to review in year 1 defers serving that year
      Then that State party reviews no State party in year 1
      And each State party it was to review has two reviewers again, drawn by lot

    Example: A State party neither under review nor drawn to review in a year cannot defer serving that year
      When the first State party under review in year 1 defers serving as a reviewer in year 2
      Then the deferral is refused citing ToR-20a

  @ToR-20b
  Rule: By the end of a cycle each State party has performed at least one review and at most three

    Example: In a cycle of one year a State party cannot defer serving, for it would then review no one
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia |
        | Eastern European States | Genovia, Latveria, Ruritania |
      And the review years of cycle 1 have been drawn
      When Arcadia defers serving as a reviewer in year 1
      Then the deferral is refused citing ToR-20b

    @ToR-18bis
    Example: A cycle in which a State party could review no one is refused
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | State party | regional group          | Protocols              |
        | Arcadia     | African States          | Trafficking in Persons |
        | Borduria    | African States          | Trafficking in Persons |
        | Carpathia   | African States          | Trafficking in Persons |
        | Dystopia    | African States          | Trafficking in Persons |
        | Elbonia     | African States          | -                      |
      When the secretariat draws the review years of cycle 1
      Then the draw is refused citing ToR-20b

  @ToR-18bis @ToR-13c
  Rule: The reviewing States parties are parties to every Protocol to which the State party under review is a party

    Example: The reviewers of a State party to a Protocol are parties to that Protocol
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | State party | regional group          | Protocols              |
        | Arcadia     | African States          | Trafficking in Persons |
        | Borduria    | African States          | Trafficking in Persons |
        | Carpathia   | African States          | Trafficking in Persons |
        | Dystopia    | African States          | Trafficking in Persons |
        | Elbonia     | African States          | Trafficking in Persons |
        | Freedonia   | African States          | Trafficking in Persons |
        | Genovia     | Eastern European States | -                      |
        | Latveria    | Eastern European States | -                      |
        | Ruritania   | Eastern European States | -                      |
      When the reviewers of every year of cycle 1 are drawn
      Then the review of Arcadia covers the Convention and the Trafficking in Persons Protocol
      And both reviewers of Arcadia are parties to the Trafficking in Persons Protocol

    Example: A State party to a Protocol to which only one other State party is a party is refused
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | State party | regional group          | Protocols              |
        | Arcadia     | African States          | Smuggling of Migrants  |
        | Borduria    | African States          | -                      |
        | Carpathia   | African States          | -                      |
        | Genovia     | Eastern European States | Smuggling of Migrants  |
        | Latveria    | Eastern European States | -                      |
        | Ruritania   | Eastern European States | -                      |
      When the secretariat draws the review years of cycle 1
      Then the draw is refused citing ToR-18bis

  @ToR-18
  Rule: A State party under review needs two other States parties to review it

    Example: A cycle with too few States parties is refused
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States | Arcadia, Borduria |
      When the secretariat draws the review years of cycle 1
      Then the draw is refused citing ToR-18

  @ToR-19a @ToR-8
  Rule: One reviewer is from the same regional group and, if possible, has a similar legal system

    Example: Of two States parties of a group with similar legal systems, one is the same-region reviewer of the other
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | State party | regional group          | legal system |
        | Arcadia     | African States          | common law   |
        | Borduria    | African States          | common law   |
        | Carpathia   | African States          | civil law    |
        | Dystopia    | African States          | civil law    |
        | Elbonia     | African States          | civil law    |
        | Genovia     | Eastern European States | civil law    |
        | Latveria    | Eastern European States | civil law    |
        | Ruritania   | Eastern European States | civil law    |
      When the reviewers of every year of cycle 1 are drawn
      Then Arcadia or Borduria, whose legal systems are similar, has the other as its same-region reviewer

    Example: A State party alone in its regional group is refused
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia |
        | Eastern European States | Genovia                      |
      When the secretariat draws the review years of cycle 1
      Then the draw is refused citing ToR-19a

  @ToR-19c
  Rule: States parties do not undertake mutual reviews

    Example: Two States parties alone in their group would have to review each other, so the cycle is refused
      Given a review cycle of one year from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria            |
        | Eastern European States | Genovia, Latveria, Ruritania |
      When the secretariat draws the review years of cycle 1
      Then the draw is refused citing ToR-19c

  @ToR-21
  Rule: The secretariat circulates the list of governmental experts before the reviewers are drawn

    Example: A State party with no governmental expert on the circulated list does not serve that year
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      And Carpathia's governmental expert was withdrawn and the list circulated again
      When the reviewers of year 1 of cycle 1 are drawn
      Then Carpathia reviews no State party in year 1
      And the draw records that Carpathia did not serve in year 1 for lack of a governmental expert on the list

    Example: The reviewers are not drawn before the list is circulated
      Given a review cycle of two years from 1 January 2026 for these States parties, with no list of governmental experts circulated yet:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      And the review years of cycle 1 have been drawn
      When the secretariat draws the reviewers of year 1 of cycle 1
      Then the draw is refused citing ToR-21

  @ToR-19d
  Rule: The State party under review may ask twice for the drawing of lots to be repeated, more only in exceptional circumstances

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia, Vulgaria, Zenda |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Qumar, Wadiya                       |
      And the reviewers of year 1 of cycle 1 have been drawn

    Example: A State party under review has its reviewers drawn again twice, never getting back those it had
      When the first State party under review in year 1 asks twice for the drawing of its reviewers to be repeated
      Then each repeat gave it reviewers it had not had before
      And the drawing of its reviewers has been repeated twice

    Example: A third repeat without exceptional circumstances is refused
      Given the first State party under review in year 1 had the drawing of its reviewers repeated twice
      When it asks for the drawing of its reviewers to be repeated a third time
      Then the request is refused citing ToR-19d

    Example: In exceptional circumstances the drawing of lots is repeated a third time
      Given the first State party under review in year 1 had the drawing of its reviewers repeated twice, and a third repeat was authorised as exceptional by "decision 12/1 of the Conference"
      When it asks for the drawing of its reviewers to be repeated a third time
      Then it has reviewers it had not had before, and the repeat records the decision "decision 12/1 of the Conference"
