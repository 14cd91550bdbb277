Feature: Decisions of the Conference of the Parties on the review process
  Under resolution 5/5 the review of implementation is under the authority of the
  Conference of the Parties, which establishes the phases and cycles of the review,
  their duration and thematic scope and the number of States parties reviewed each
  year (terms of reference, paragraphs 9, 10, 12 and 45; paragraph 8 (d) of the
  resolution; annex II). Its recorded decisions drive the mechanism. The States below
  are fictional.

  @AX2
  Rule: Annex II distributes the thematic areas over a first and a second cycle of five years each

    Example: The first cycle reviews criminalization, preventive measures and international cooperation
      Given the Conference has established no review phase
      When the Conference records the default thematic distribution of annex II, starting on 1 January 2026
      Then the first cycle lasts five years and covers:
        | Criminalization and other criminal measures |
        | Preventive measures                         |
        | International cooperation                   |

    Example: The second cycle reviews victim and witness protection, cooperation and technical assistance
      Given the Conference has established no review phase
      When the Conference records the default thematic distribution of annex II, starting on 1 January 2026
      Then the second cycle lasts five years and covers:
        | Victim and witness protection        |
        | Cooperation and technical assistance |

    Example: The second cycle begins when the first ends
      Given the Conference has established no review phase
      When the Conference records the default thematic distribution of annex II, starting on 1 January 2026
      Then the first cycle runs from 1 January 2026 to 31 December 2030
      And the second cycle runs from 1 January 2031 to 31 December 2035

  @ToR-9
  Rule: The review is a progressive process, organised in review phases divided into review cycles

    Background:
      Given the Conference defined the thematic cluster "Criminalization" grouping UNTOC 5 and UNTOC 6
      And the Conference established review phase 1

    Example: A review phase is divided into review cycles
      Given the Conference established cycle 1 of phase 1, lasting 5 years from 1 January 2026, on the cluster "Criminalization"
      When the Conference establishes cycle 2 of phase 1, lasting 5 years from 1 January 2031, on the cluster "Criminalization"
      Then review phase 1 is divided into cycles 1 and 2

    @ToR-45
    Example: A review cycle belongs to a review phase the Conference has established
      When the Conference establishes cycle 1 of phase 2, lasting 5 years from 1 January 2026, on the cluster "Criminalization"
      Then the decision is refused citing ToR-45
      And the Conference's record holds no review cycle

  @ToR-10
  Rule: The mechanism is under the authority of the Conference: its recorded decisions drive the review

    Example: The articles under review in a cycle are those of the Conference's decision
      Given the Conference defined the thematic cluster "Trafficking offences" grouping UNTOC 5 and TIP 5
      And the Conference defined the thematic cluster "Victims of trafficking" grouping TIP 6 and TIP 7
      And the Conference established review phase 1
      When the Conference establishes cycle 1 of phase 1, lasting 3 years from 1 January 2026, on the cluster "Victims of trafficking"
      Then the articles under review in cycle 1 are TIP 6 and TIP 7

    Example: A review phase rests on the decision of the Conference that established it
      Given the Conference established review phase 1
      When the Conference establishes review phase 2 by its decision "resolution 15/1" of 17 October 2030
      Then review phase 2 is recorded as resting on decision "resolution 15/1" of 17 October 2030

  @RES-8d
  Rule: Thematic review cycles group related articles of the Convention and the Protocols

    Example: A cycle on two clusters reviews the articles of both
      Given the Conference defined the thematic cluster "Trafficking offences" grouping UNTOC 5 and TIP 5
      And the Conference defined the thematic cluster "Smuggling offences" grouping UNTOC 5 and SOM 6
      And the Conference established review phase 1
      When the Conference establishes cycle 1 of phase 1, lasting 5 years from 1 January 2026, on the clusters "Trafficking offences" and "Smuggling offences"
      Then the articles under review in cycle 1 are UNTOC 5, TIP 5 and SOM 6

    Scenario Outline: A cluster that does not group existing articles, each once, is refused
      Given the Conference defined the thematic cluster "Trafficking offences" grouping UNTOC 5 and TIP 5
      When the Conference defines the thematic cluster "<title>" grouping <articles>
      Then the decision is refused citing RES-8d
      And the Conference's record holds only the thematic cluster "Trafficking offences"

      Examples:
        | title                | articles                   |
        | Cybercrime           | UNTOC 5 and UNTOC 99       |
        | Firearms offences    | FIREARMS 5 and FIREARMS 40 |
        | Firearms offences    | FIREARMS 5 and FIREARMS 5  |
        | Trafficking offences | TIP 9                      |

  @ToR-12
  Rule: The mechanism applies to all States that are parties to the Convention at the start of a review cycle

    Background:
      Given Arcadia and Borduria are States parties to the Convention, and Elbonia a signatory
      And the Conference recorded the default thematic distribution of annex II, starting on 1 January 2026

    Scenario Outline: The States parties at the start of a cycle are those for which the Convention is in force on its first day
      Given Dystopia became a State party to the Convention on <deposit>
      When the secretariat lists the States parties at the start of cycle <cycle>
      Then the list names <States parties>

      Examples:
        | deposit         | cycle | States parties                 |
        | 1 March 2026    | 1     | Arcadia and Borduria           |
        | 3 December 2025 | 1     | Arcadia and Borduria           |
        | 2 December 2025 | 1     | Arcadia, Borduria and Dystopia |
        | 1 March 2026    | 2     | Arcadia, Borduria and Dystopia |

  @ToR-45
  Rule: A review phase is finalized when all articles have been reviewed in all States parties

    Background:
      Given Arcadia is a State party to the Convention and to the Trafficking in Persons Protocol, and Borduria to the Convention only
      And the Conference recorded the default thematic distribution of annex II, starting on 1 January 2026

    Example: The phase is complete once every article has been reviewed in every State party
      Given the reviews of Arcadia and Borduria were completed in cycles 1 and 2
      When the secretariat checks whether review phase 1 is complete
      Then review phase 1 is complete

    Example: A State party still to be reviewed on a cycle's articles keeps the phase open
      Given the reviews of Arcadia were completed in cycles 1 and 2, and that of Borduria in cycle 1
      When the secretariat checks whether review phase 1 is complete
      Then only Borduria still has to be reviewed, on the articles of cycle 2 that apply to it

  @ToR-45
  Rule: The Conference determines the duration of each cycle and the number of States parties reviewed each year

    Example: The number of States parties for each year of the cycle is recorded
      Given the Conference recorded the default thematic distribution of annex II, starting on 1 January 2026
      When the Conference establishes cycle 3 of phase 1, lasting 3 years from 1 January 2036, on the cluster "Preventive measures", reviewing 40, 40 and 45 States parties in its successive years
      Then cycle 3 reviews 40, 40 and 45 States parties in its successive years

    Scenario Outline: A cycle decision with inconsistent numbers is refused
      Given the Conference recorded the default thematic distribution of annex II, starting on 1 January 2026
      When the Conference establishes cycle <cycle> of phase 1, lasting <years> years from <start>, on the cluster "Preventive measures"
      Then the decision is refused citing ToR-45
      And the Conference's record still holds 2 review cycles

      Examples: a cycle of no year, out of order, established twice or starting before the last
        | cycle | years | start          |
        | 3     | 0     | 1 January 2036 |
        | 4     | 5     | 1 January 2036 |
        | 2     | 5     | 1 January 2036 |
        | 3     | 5     | 1 January 2030 |

    Scenario Outline: Numbers of States parties that do not fit the years of the cycle are refused
      Given the Conference recorded the default thematic distribution of annex II, starting on 1 January 2026
      When the Conference establishes cycle 3 of phase 1, lasting <years> years from 1 January 2036, on the cluster "Preventive measures", reviewing <numbers> States parties in its successive years
      Then the decision is refused citing ToR-45
      And the Conference's record still holds 2 review cycles

      Examples:
        | years | numbers       |
        | 3     | 40 and 40     |
        | 2     | 40, 40 and 40 |
        | 2     | 40 and -1     |

  @ToR-13a
  Rule: A new review cycle begins after the previous one, unless the Conference decides otherwise

    Background:
      Given the Conference recorded the default thematic distribution of annex II, starting on 1 January 2026

    Example: A cycle that would begin while the previous one runs is refused
      When the Conference establishes cycle 3 of phase 1, lasting 3 years from 1 January 2035, on the cluster "Preventive measures"
      Then the decision is refused citing ToR-13a
      And the Conference's record still holds 2 review cycles

    Example: The Conference may decide to launch a new cycle early
      Given the Conference granted an exception for cycle 3 to begin before cycle 2 ends
      When the Conference establishes cycle 3 of phase 1, lasting 3 years from 1 January 2035, on the cluster "Preventive measures"
      Then the Conference's record holds 3 review cycles
