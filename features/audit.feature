Feature: Auditing confidentiality
  An auditor checks that the recorded history was not changed and that every access
  to review information had a basis in the rules (terms of reference, paragraphs
  3 (a), 3 (g) and 30; guidelines, paragraph 5), holding no decryption key. The
  States below are fictional.

  @ToR-3a @ToR-30 @GL-5
  Rule: An auditor verifies the history and the access to it without any decryption key

    Example: An auditor verifies a period of the history without any decryption key
      Given Borduria and Carpathia read the desk review filed on Arcadia's review
      And the history was logged and its checkpoint signed
      When the auditor, holding no decryption key, verifies the history and runs the control tests
      Then the history verifies and every control test passes

    @ToR-30
    Example: A grant written straight into the store shows up as an exception
      Given Borduria and Carpathia read the desk review filed on Arcadia's review
      And someone wrote a grant of Arcadia's dossier to Dystopia straight into the store
      When the auditor, holding no decryption key, verifies the history and runs the control tests
      Then the grant to Dystopia is an exception of the control that grants are authorised

    @ToR-3a
    Example: A row changed after it was logged is named by its position
      Given Borduria and Carpathia read the desk review filed on Arcadia's review
      And the history was logged and its checkpoint signed
      And someone changed one byte of a stored row
      When the auditor, holding no decryption key, verifies the history and runs the control tests
      Then the history does not verify, and the changed row's position is named
