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

    @GL-21
    Example: Supplementary information given before the desk review moves its due date
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia submitted its checklist response on 2027-03-15, and more information on 2027-03-25
      When the secretariat reads the timeline of Arcadia's review
      Then the desk review outcome submitted of Arcadia's review is due on 2027-04-25

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

  Rule: Each step is recorded with who took it and when

    @ToR-15 @ToR-27
    Example: The checklist response names the national stakeholders consulted
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-31
      When Arcadia submits its checklist response on 2027-03-20, naming the national police and the bar association as consulted
      Then Arcadia's review shows a checklist response of 2027-03-20 naming 2 stakeholders consulted

    @ToR-16
    Example: The secretariat assists with the checklist only when asked
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-31
      When the secretariat records its assistance to Arcadia with the checklist on 2027-02-10
      Then the step is refused citing ToR-16

    @ToR-17 @GL-13
    Example: The party under review appoints its focal point and the secretariat a staff member
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia was officially notified on 2027-01-31
      When Arcadia appoints its focal point and the secretariat assigns a staff member on 2027-02-15
      Then Arcadia's review shows its focal point and staff member appointed on 2027-02-15

    @ToR-13b
    Example: The party under review provides new information after the desk review
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And the outcome of the desk review on Arcadia was submitted on 2027-04-01
      When Arcadia provides supplementary information on 2027-05-03
      Then Arcadia's review shows new information provided on 2027-05-03

    @ToR-23
    Example: Each exchange of the dialogue is recorded with its channel
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And the outcome of the desk review on Arcadia was submitted on 2027-04-01
      When the secretariat records Borduria's request for clarification to Arcadia by video on 2027-04-05
      Then Arcadia's review shows one exchange: a request for clarification by video from Borduria

    @ToR-26 @GL-6
    Example: Information from an organisation the party belongs to is recorded as a source
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When Borduria records that the experts considered information from the Council of Europe on 2027-03-01
      Then Arcadia's review lists the Council of Europe as a source of information

    @ToR-29
    Example: The party under review proposes the stakeholders to meet before a visit
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      And Arcadia agreed to a country visit
      When Arcadia proposes to meet the prosecution service and a victims' association on 2027-03-01
      Then Arcadia's review lists 2 stakeholders proposed for the visit

    @ToR-49 @GL-14
    Example: The review is conducted in the working languages agreed for it
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When the secretariat records en and fr as the working languages on 2027-02-01
      Then Arcadia's review is conducted in en and fr

    @ToR-50
    Example: The party under review asks for a language beyond the six
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When Arcadia asks for translation into Portuguese on 2027-02-01
      Then Arcadia's review shows a request for translation into Portuguese

    @ToR-53
    Example: A voluntary contribution with conditions is refused
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When the secretariat records a contribution from Utopia to the country visit, on condition that Utopia joins the visit
      Then the step is refused citing ToR-53

    @GL-17
    Example: The reviewing States' experts divide the tasks among themselves
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When Borduria records that Borduria takes articles 5 and 6 and Carpathia article 23, on 2027-03-01
      Then Arcadia's review shows the tasks of Borduria and of Carpathia

    @GL-33
    Example: Explanations of how to address challenges follow a request
      Given Borduria and Carpathia review Arcadia, drawn on 2027-01-04
      When Borduria gives Arcadia explanations of how to address its challenges on 2027-06-01
      Then the step is refused citing GL-33

    @ToR-31 @GL-11
    Example: A training course for governmental experts is recorded with who attended
      Given Borduria has a governmental expert on the roster
      When the secretariat records a training course held on 2027-02-01 attended by Borduria's expert
      Then the training courses show one course with one participant

  @ToR-13a
  Rule: A new cycle begins when every review of the last one is completed, unless the Conference decides otherwise

    Example: A review of the next cycle waits for the open reviews of the last one
      Given the reviewers of the first year of cycle 1 were drawn
      And the first review drawn was opened
      When the secretariat opens a review of cycle 2
      Then the step is refused citing ToR-13a

  @ToR-46
  Rule: The mechanism's performance is reported for the mechanism as a whole, never as a ranking of States

    Example: Stage durations are given for the cycle and a group of fewer than five reviews is withheld
      Given six reviews of cycle 1 in two regional groups, notified on 2027-01-04, sent their draft reports after 120 to 170 days
      When the secretariat computes the performance of cycle 1
      Then the median time from the start of a review to its draft report is 145 days
      And the figures of the group with fewer than five reviews are withheld, and no State is named
