Feature: Answering the self-assessment checklist
  Each party under review answers the comprehensive self-assessment checklist (terms
  of reference, paragraph 15), in any of the six official languages (resolution 5/5,
  paragraph 6), often offline in a workbook shared among ministries. The checklist
  asks about the articles of the cycle in every instrument the party is bound by,
  and in a later cycle it follows up the previous review. Arcadia is party to the
  Convention and the Trafficking in Persons Protocol; Wadiya is a signatory. The
  States are fictional.

  @RES-6
  Rule: The checklist is available in the six official languages

    Scenario Outline: The workbook is worded in <language>
      Given Arcadia's checklist of cycle 1 is issued
      When Arcadia's focal point exports the checklist in <language>
      Then every question of the workbook is worded in <language>

      Examples:
        | language |
        | Arabic   |
        | Chinese  |
        | English  |
        | French   |
        | Russian  |
        | Spanish  |

  @ToR-13c @ToR-57
  Rule: The checklist covers the cycle's articles in every instrument the party is bound by

    Example: A party to one Protocol is asked about it and about no other Protocol
      Given the thematic scope of cycle 1 holds UNTOC 5, UNTOC 6, UNTOC 9, TIP 5 and SOM 6
      When the secretariat issues Arcadia's checklist of cycle 1
      Then the checklist asks about UNTOC 5, UNTOC 6, UNTOC 9 and TIP 5

    Example: A signatory is asked about the Convention only
      Given the thematic scope of cycle 1 holds UNTOC 5, UNTOC 6, UNTOC 9, TIP 5 and SOM 6
      When the secretariat issues Wadiya's checklist of cycle 1
      Then the checklist asks about UNTOC 5, UNTOC 6 and UNTOC 9

  @ToR-3h @ToR-11d
  Rule: Challenges and technical assistance needs are asked article by article

    Example: Every article has its challenges and its assistance needs, with a priority
      When the secretariat issues Arcadia's checklist of cycle 1
      Then for every article the checklist asks for its challenges
      And for every article it asks for the technical assistance needed and its priority

  @ToR-15
  Rule: A response is submitted only when every required question is answered

    Example: A response with an unanswered question is refused, listing it in the checklist's language
      Given Arcadia answered its checklist in French, all but the legislation of UNTOC 6
      When Arcadia submits its response on 2026-03-20
      Then the submission is refused citing ToR-15
      And the refusal lists the legislation question of UNTOC 6, worded in French

    Example: A complete response is submitted
      Given Arcadia answered its checklist in English
      When Arcadia submits its response on 2026-03-20
      Then Arcadia's review records its checklist response submitted on 2026-03-20

    Example: A workbook whose question was edited is refused, and nothing is recorded
      Given Arcadia's focal point exported the checklist in Spanish
      And someone edited the legislation question of UNTOC 5 in the workbook
      When Arcadia's focal point imports the workbook
      Then the import is refused, naming the sheet and cell of that question
      And no draft of Arcadia's answers is recorded

  @ToR-27
  Rule: The response names the national stakeholders consulted and their relevance

    Example: The stakeholders a workbook lists are recorded with the response
      Given Arcadia's focal point exported the checklist in English
      And the workbook lists the Ministry of Justice as consulted on legislation
      When Arcadia imports the workbook and submits its response on 2026-03-20
      Then Arcadia's review records the Ministry of Justice as consulted on legislation

  @ToR-41
  Rule: In the next cycle the checklist follows up every observation and assistance need

    Example: The follow-up lists exactly the previous review's observations and needs
      Given Arcadia's review in cycle 1 recorded an observation on UNTOC 5, a technical assistance need under TIP 5 and a good practice on UNTOC 6
      When the secretariat issues Arcadia's checklist of cycle 2
      Then its follow-up asks about the observation on UNTOC 5 and the need under TIP 5

    Example: A response without progress on a previous observation is refused
      Given Arcadia's review in cycle 1 recorded an observation on UNTOC 5
      And Arcadia answered its checklist of cycle 2 in Russian, all but the follow-up
      When Arcadia submits its response of cycle 2 on 2028-03-01
      Then the submission is refused citing ToR-41
