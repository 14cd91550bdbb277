Feature: Access to review information
  Reviewing States parties and the secretariat keep all review information
  confidential (terms of reference, paragraph 30). The country review report stays
  confidential unless the State party under review publishes it, in full or in part
  (paragraph 36); another State gets it only on request (paragraph 37); the group of
  experts works from executive summaries and the secretariat's compilations only
  (paragraph 37 quater); a suspected
  breach can be reported (guidelines, paragraph 5). Every access asked for is
  decided and logged, so that the rules are clear and can be checked (paragraph
  3 (g)). A principal denied learns only that access is denied. The States below
  are fictional.

  @ToR-30
  Rule: Only the party under review, its two reviewers and the secretariat read a review's dossier

    @ToR-3g
    Example: A reviewer of one review is denied another review's dossier
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Elbonia and Freedonia review Dystopia, whose review is open
      When Borduria asks to read the dossier of Dystopia's review
      Then Borduria is told only that access is denied, citing ToR-30
      And the access log of Dystopia's review shows Borduria denied

    Example: A reviewer reads the dossier of the review it takes part in
      Given Borduria and Carpathia review Arcadia, whose review is open
      When Carpathia asks to read the dossier of Arcadia's review
      Then Carpathia may read it
      And the access log of Arcadia's review shows Carpathia allowed

    Example: A reviewer replaced after a deferral cannot read the review's new material
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Elbonia replaced Carpathia as a reviewer of Arcadia
      When Carpathia asks to read the dossier of Arcadia's review
      Then Carpathia is told only that access is denied, citing ToR-30

    Example: The reviewer who replaced another reads the dossier filed since
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Elbonia replaced Carpathia as a reviewer of Arcadia
      When Elbonia asks to read the dossier of Arcadia's review
      Then Elbonia may read it

    @ToR-3g
    Example: An auditor reads the access log but not the dossier
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Carpathia read the dossier of Arcadia's review
      When the auditor asks to read the dossier of Arcadia's review
      Then the auditor is told only that access is denied, citing ToR-30
      And the access log of Arcadia's review shows Carpathia allowed

  @ToR-36
  Rule: The party under review may publish its report, in full or in part

    Example: The party under review publishes one section only
      Given Borduria and Carpathia review Arcadia, whose review is open
      When Arcadia publishes section "III" of its report
      Then anyone may read section "III" of Arcadia's report
      And section "IV" of Arcadia's report stays confidential

    Example: A reviewer cannot publish the report of the review it took part in
      Given Borduria and Carpathia review Arcadia, whose review is open
      When Borduria publishes section "III" of Arcadia's report
      Then the publication is refused citing ToR-36

  @ToR-37
  Rule: Another State gets the final report on request, with the consent of the party under review

    Example: A consented requester reads the final report but not the dossier
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Genovia asked for Arcadia's report, and Arcadia consented
      When Genovia asks to read the final report of Arcadia's review
      Then Genovia may read it
      And Genovia is denied the dossier of Arcadia's review

    @ToR-30
    Example: A requester is denied the final report until the party under review consents
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Genovia asked for Arcadia's report
      When Genovia asks to read the final report of Arcadia's review
      Then Genovia is told only that access is denied, citing ToR-30

    Example: Only the party under review consents to a request for its report
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Genovia asked for Arcadia's report
      When Borduria consents to Genovia's request for Arcadia's report
      Then the consent is refused citing ToR-37

    Example: A consent must carry the signature of the party under review
      Given Borduria and Carpathia review Arcadia, whose review is open
      And Genovia asked for Arcadia's report
      When a consent to Genovia's request is given in Arcadia's name with a signature not made with Arcadia's key
      Then the consent is refused citing ToR-37

  @ToR-37quater
  Rule: The group of experts works only from executive summaries and compilations, never from full reports

    Example: The group of experts reads the secretariat's compilation but no dossier
      Given Borduria and Carpathia review Arcadia, whose review is open
      And the secretariat compiled the most common challenges of cycle 1 for the group of experts
      When the group of experts asks to read the compilation of cycle 1
      Then the group of experts may read it
      And the group of experts is denied the dossier of Arcadia's review

    Example: The group of experts reads an executive summary but not the report
      Given Borduria and Carpathia review Arcadia, whose review is open
      When the group of experts asks to read the executive summary of Arcadia's review
      Then the group of experts may read it
      And the group of experts is denied the final report of Arcadia's review

  @GL-5
  Rule: A suspected breach of confidentiality is recorded and referred

    Example: A breach report is referred to the Implementation Oversight Group
      Given Borduria and Carpathia review Arcadia, whose review is open
      When Arcadia reports a suspected breach of the confidentiality of its review
      Then the secretariat sees Arcadia's breach report referred to the Implementation Oversight Group
