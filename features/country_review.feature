Feature: Following a country review
  Each step of a country review is recorded with the date it happened (guidelines,
  paragraphs 12 to 34). A step out of order is refused, naming the paragraph that
  orders it, and nothing is recorded. The deadlines are indicative (guidelines,
  paragraph 9): a late step is never refused, its lateness is reported. A month is
  a calendar month, clamped to the month's end. The States below are fictional.

  @ToR-22
  Rule: The desk review works from the checklist response

    Example: A desk review before any checklist response is refused
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When Borduria submits the outcome of the desk review on 2027-02-01
      Then the step is refused citing ToR-22

  @ToR-28 @GL-24
  Rule: A country visit or joint meeting needs the agreement of the party under review, which plans it

    Example: A country visit without the agreement of the party under review is refused
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When Arcadia holds a country visit from 2027-03-08 to 2027-03-10
      Then the step is refused citing ToR-28

    Example: A reviewer does not organise the visit the party under review agreed to
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia agreed to a country visit
      When Borduria holds a country visit from 2027-03-08 to 2027-03-10
      Then the step is refused citing GL-24

  @GL-18
  Rule: Every communication with the party under review is visible to the secretariat

    Example: A question sent by a reviewer straight to the party under review is refused
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And the outcome of the desk review on Arcadia was submitted on 2027-04-01
      When Borduria records a supplementary question to Arcadia sent by e-mail on 2027-04-05
      Then the step is refused citing GL-18

  @ToR-33
  Rule: The report is final only when the three States agreed to the same draft

    Example: The report is not final while a reviewing State has not agreed
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And a draft report was sent to Arcadia on 2027-06-01
      And Arcadia and Borduria agreed to that draft
      When the secretariat makes the report final
      Then the step is refused citing ToR-33

    Example: A new draft voids the agreements given to the earlier one
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia, Borduria and Carpathia agreed to a draft report sent on 2027-06-01
      And a new draft report was sent to Arcadia on 2027-06-15
      When the secretariat makes the report final
      Then the step is refused citing ToR-33

  @GL-34
  Rule: The executive summary is prepared once the report is final, then agreed

    Example: An executive summary before the final report is refused
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And a draft report was sent to Arcadia on 2027-06-01
      When the secretariat prepares the executive summary
      Then the step is refused citing GL-34

  Rule: Each indicative deadline counts from the step it follows

    @GL-12
    Example: The official notification is due a month after the reviewers are drawn
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-31
      When the secretariat reads the timeline of Arcadia's review
      Then the official notification of Arcadia's review is due on 2027-02-28

    @GL-13
    Example: The focal point is due three weeks after the official notification
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-31
      When the secretariat reads the timeline of Arcadia's review
      Then the focal point appointed of Arcadia's review is due on 2027-02-21

    @GL-15a
    Example: The checklist response is due two months after the official notification
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-31
      When the secretariat reads the timeline of Arcadia's review
      Then the checklist response submitted of Arcadia's review is due on 2027-03-31

    @GL-16
    Example: The orientation call is due a month after the official notification
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-31
      When the secretariat reads the timeline of Arcadia's review
      Then the orientation call of Arcadia's review is due on 2027-02-28

    @GL-15b
    Example: The circulation is due a month after the checklist response
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia submitted its checklist response on 2027-03-31
      When the secretariat reads the timeline of Arcadia's review
      Then the checklist response circulated of Arcadia's review is due on 2027-04-30

    @GL-21
    Example: The desk review outcome is due a month after the checklist response
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia submitted its checklist response on 2027-03-15
      When the secretariat reads the timeline of Arcadia's review
      Then the desk review outcome submitted of Arcadia's review is due on 2027-04-15

    @GL-23
    Example: The constructive dialogue should ideally close two months after it opens
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And the constructive dialogue on Arcadia opened on 2027-04-30
      When the secretariat reads the timeline of Arcadia's review
      Then the dialogue closed of Arcadia's review is due on 2027-06-30

    @GL-29
    Example: Preliminary findings are due two weeks after the country visit
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia agreed to a country visit
      And Arcadia held a country visit from 2027-05-10 to 2027-05-12
      When the secretariat reads the timeline of Arcadia's review
      Then the preliminary findings shared of Arcadia's review is due on 2027-05-26

    @GL-30
    Example: The draft report is preferably due five months after the start of the review
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-20, for a start on 2027-01-31
      When the secretariat reads the timeline of Arcadia's review
      Then the draft report sent of Arcadia's review is due on 2027-06-30

    @ToR-24
    Example: A late review is reported overdue, never refused
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-20, for a start on 2027-01-31
      When the secretariat reads the timeline of Arcadia's review
      Then the review completed of Arcadia's review is due on 2027-07-31
      And on 2027-08-10 it is overdue by 10 days
