@retention
Feature: Data is kept no longer than the configured periods
  GDPR Art. 5(1)(e); default retention: transcripts 30 days.

  @RET-1
  Scenario: A conversation is purged after the retention period
    Given the time is "2026-03-02T10:00:00Z"
    And a customer opens the chat
    And the customer says "What is your warranty?"
    When 31 days pass
    Then no data about the customer remains
    And the audit log records "purge"

  @RET-1
  Scenario: A conversation inside the retention period is kept
    Given the time is "2026-03-02T10:00:00Z"
    And a customer opens the chat
    And the customer says "my email is kept@example.com"
    When 29 days pass
    Then the stored transcript contains "[email]"

  @RET-1 @DISC-1
  Scenario: Coming back after the purge starts a new conversation
    Given the time is "2026-03-02T10:00:00Z"
    And a customer opens the chat
    And the customer says "What is your warranty?"
    When 31 days pass
    And the customer reconnects
    Then the bot discloses that it is an automated assistant
    And no data about the customer remains

  @RET-1 @CONS-4
  Scenario: Contact details go after their own period, the consent record stays
    Given the time is "2026-01-05T09:00:00Z"
    And a customer opens the chat
    And the customer says "email me at mine@example.com"
    And the customer accepts consent for "contact"
    When 31 days pass
    Then the bot keeps 1 contact detail for the customer
    When 60 days pass
    Then the bot keeps 0 contact details for the customer
    And the consent ledger shows "contact" as "granted"
