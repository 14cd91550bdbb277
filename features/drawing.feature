Feature: Drawing of lots for the years of review
  At the beginning of each review cycle, the year in which each State party is
  reviewed is drawn by lot, with each regional group's share of each year
  proportionate to its size (terms of reference, paragraphs 12-14). A draw runs only
  on the seed that its ceremony fixed after announcing the draw's inputs, so anyone
  can replay it (paragraphs 3 (a) and 5). A signatory may volunteer to be reviewed
  (paragraph 57). The States below are fictional.

  @ToR-12 @ToR-14b
  Rule: Every State party at the start of a cycle is drawn a year of review, by lot, at the beginning of the cycle

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |

    Example: Each State party is scheduled for review in one year of the cycle
      When the secretariat draws the review years of cycle 1
      Then each of these States parties is scheduled for review in exactly one year of cycle 1

    Example: A State that becomes a party after the cycle has started is reviewed in a later cycle
      Given Qumar became a State party to the Convention on 1 March 2026
      When the secretariat draws the review years of cycle 1
      Then Qumar is not scheduled for review in cycle 1

    @ToR-13b
    Example: The review years of a cycle are drawn only once
      Given the review years of cycle 1 have been drawn
      When the secretariat draws the review years of cycle 1 again
      Then the draw is refused citing ToR-13b
      And the review years of cycle 1 are as first drawn

  @ToR-5 @ToR-3a
  Rule: The review years are drawn only from the seed fixed for the announced inputs, and anyone can replay them

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |

    Example: An observer replays the draw of the review years from its published seed
      Given the review years of cycle 1 have been drawn
      When an observer replays the draws of cycle 1 from their published seeds and inputs
      Then the replay gives every review year and every lot recorded

    Example: The review years are not drawn before the seed of the draw is fixed
      When the secretariat draws the review years of cycle 1 before the seed of that draw is fixed
      Then the draw is refused citing ToR-5

    Example: A draw is not announced with the hash of other inputs than its own
      When the secretariat announces the draw of the review years of cycle 1 with the hash of other inputs
      Then the announcement is refused citing ToR-5
      And no seed ceremony has begun for the review years of cycle 1

    @ToR-57
    Example: Once the draw is announced, no one joins its inputs
      Given Wadiya is a signatory of the Convention
      And the draw of the review years of cycle 1 has been announced
      When Wadiya volunteers to be reviewed in cycle 1
      Then the volunteering is refused citing ToR-5

  @ToR-14a
  Rule: The number of States parties of each regional group reviewed in a year is proportionate to the size of the group

    Example: Each year reviews half of each group, as near as can be
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania                               |
      When the secretariat draws the review years of cycle 1
      Then the States parties under review in each year of cycle 1 are, by regional group:
        | year | African States | Eastern European States |
        | 1    | 3              | 1 or 2                  |
        | 2    | 3              | 1 or 2                  |

    @ToR-45
    Example: The numbers the Conference set for each year are shared among the groups in proportion
      Given a review cycle of two years from 1 January 2026, reviewing 4 and 8 States parties in its successive years, for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      When the secretariat draws the review years of cycle 1
      Then the States parties under review in each year of cycle 1 are, by regional group:
        | year | African States | Eastern European States |
        | 1    | 2              | 2                       |
        | 2    | 4              | 4                       |

  @ToR-14c
  Rule: A State party drawn for a year may, with a reasonable justification, defer to the following year of the cycle

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      And the review years of cycle 1 have been drawn

    @ToR-13b
    Example: A State party defers its review to the following year and is still reviewed once
      When a State party drawn for year 1 defers its review to the following year, giving as justification "general elections"
      Then that State party is scheduled for review in year 2 only
      And the deferral is recorded with its justification "general elections"

    Example: A State party drawn for the last year cannot defer beyond the cycle
      When a State party drawn for year 2 defers its review to the following year, giving as justification "general elections"
      Then the deferral is refused citing ToR-14c

    Example: A deferral needs a justification
      When a State party drawn for year 1 defers its review to the following year, giving no justification
      Then the deferral is refused citing ToR-14c

    Example: A State party cannot defer once the reviewers of its year are drawn
      Given the reviewers of year 1 of cycle 1 have been drawn
      When a State party drawn for year 1 defers its review to the following year, giving as justification "general elections"
      Then the deferral is refused citing ToR-14c

  @ToR-57
  Rule: A signatory may volunteer to be reviewed, on the Convention only, and does not serve as a reviewer

    Background:
      Given a review cycle of two years from 1 January 2026 for these States parties, each with a governmental expert on the circulated list:
        | African States          | Arcadia, Borduria, Carpathia, Dystopia, Elbonia, Freedonia |
        | Eastern European States | Genovia, Latveria, Ruritania, Syldavia, Vulgaria, Zenda    |
      And Wadiya is a signatory of the Convention

    @ToR-13c
    Example: A signatory that volunteered is drawn a year and reviewed on the Convention only
      Given Wadiya volunteered to be reviewed in cycle 1
      When the secretariat draws the review years of cycle 1
      Then Wadiya is scheduled for review in cycle 1, on the Convention only

    Example: A signatory that volunteered never serves as a reviewer
      Given Wadiya volunteered to be reviewed in cycle 1
      When the reviewers of every year of cycle 1 are drawn
      Then Wadiya has two reviewing States parties and reviews no State in cycle 1

    Example: A signatory that does not volunteer is not reviewed
      When the secretariat draws the review years of cycle 1
      Then Wadiya is not scheduled for review in cycle 1

    Example: A State party does not volunteer, since it is reviewed anyway
      When Arcadia volunteers to be reviewed in cycle 1
      Then the volunteering is refused citing ToR-57

  @ToR-8 @ToR-18bis
  Rule: A draw on reference data known to be out of date is refused unless the secretariat accepts it, and then the acceptance is recorded

    Example: A draw on the shipped registry snapshot, stale in parts, is refused
      Given the registry is the reference snapshot shipped with untoc
      And the Conference established cycle 1 of five years from 1 January 2027
      When the secretariat draws the review years of cycle 1
      Then the draw is refused, naming the stale parts of the registry

    Example: A draw on the shipped registry snapshot records that its stale parts were accepted
      Given the registry is the reference snapshot shipped with untoc
      And the Conference established cycle 1 of five years from 1 January 2027
      When the secretariat draws the review years of cycle 1, accepting the stale registry
      Then the draw records that the stale parts of the registry were accepted
