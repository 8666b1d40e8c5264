@rights
Feature: Requests received outside the chat have deadlines; breaches are recorded
  CCPA 1798.130 and 11 CCR 7021 (acknowledge within 10 business days,
  answer within 45 days); GDPR Art. 12(3) (one month), Art. 16
  (rectification), Art. 33 and 34 (breach records, 72 hours). The scenario
  clock starts on Wednesday 2 December 2026, 10:00 UTC.

  @DSR-3
  Scenario: A request received by e-mail stays open with the profile's deadline
    Given a customer opens the chat
    And the customer says "please write to ana@example.com"
    And the customer accepts consent for "contact"
    When the operator runs "deskbot privacy request add --kind erase --email ana@example.com"
    Then the operator's output contains "erasure, received 2026-12-02 10:00 UTC, answer by 2027-01-02 (31 days left)"
    When 26 days pass
    And the operator runs "deskbot privacy request list"
    Then the operator's output contains "erasure"
    And the operator's output contains "5 days left"
    And the operator's output contains "warning: deadline near"

  @DSR-3 @JUR-1
  Scenario: Under the California profile the request must be acknowledged within 10 business days
    Given the bot is configured with:
      | profile | us-ca |
    And a customer opens the chat
    When the operator runs "deskbot privacy request add --kind opt-out --subject {subject} --channel phone"
    Then the operator's output contains "acknowledge by 2026-12-16 (14 days left), answer by 2027-01-16 (45 days left)"
    When the operator runs "deskbot privacy request ack 1"
    And the operator runs "deskbot privacy request close 1"
    And the operator runs "deskbot privacy request list"
    Then the operator's output contains "no open data-subject requests"

  @DSR-3 @DSR-1
  Scenario: A request answered in the chat is closed at once
    Given a customer opens the chat
    And the customer says "Do you price match?"
    When the customer downloads their data
    And the operator runs "deskbot privacy request list"
    Then the operator's output contains "no open data-subject requests"
    When the operator runs "deskbot privacy request list --all"
    Then the operator's output contains "export"
    And the operator's output contains "closed 2026-12-02"

  @DSR-5 @CONS-1
  Scenario: The operator corrects a customer's e-mail address; the export shows only the new one
    Given a customer opens the chat
    And the customer says "my email is old.ana@example.com"
    And the customer accepts consent for "contact"
    When the operator runs "deskbot privacy rectify --subject {subject} --set email=ana@example.org"
    Then the operator's output contains "email rectified"
    And the audit log records "rectification"
    And the bot keeps 1 contact detail for the customer
    When the customer downloads their data
    Then the export contains "ana@example.org"
    And the export does not contain "old.ana@example.com"

  @BRCH-1
  Scenario: A breach over a time window counts the customers affected and shows the 72-hour deadline
    Given a customer opens the chat
    And the customer says "Do you price match?"
    When the operator runs "deskbot incident add --what 'a backup was copied to a public bucket' --from 2026-12-01 --to 2026-12-03"
    Then the operator's output contains "1 subjects affected"
    And the operator's output contains "encrypted: yes"
    And the operator's output contains "notify the supervisory authority by 2026-12-05 10:00 UTC (72 hours after discovery"
    When the operator runs "deskbot incident export 1"
    Then the operator's output contains "subjects_affected"
