@rights
Feature: Customers get a copy of their data or have it erased, from the chat
  GDPR Art. 15, 17, 20; CCPA 1798.105, 1798.130.

  @DSR-1
  Scenario: "Send me my data" gives a summary and a download
    Given a customer opens the chat
    And the customer says "Do you price match?"
    When the customer says "send me my data"
    Then the reply contains "what we hold about you"
    And the reply offers "download_export"
    And the audit log records "export"

  @DSR-2
  Scenario: The download is versioned, machine-readable JSON of the conversation
    Given a customer opens the chat
    And the customer says "Do you rent out tents?"
    When the customer downloads their data
    Then the export has schema "deskbot.export/v1"
    And the export contains "Do you rent out tents?"

  @DSR-2 @MIN-1
  Scenario: The export holds what was stored, redacted
    Given a customer opens the chat
    And the customer says "my mail is ana@example.com"
    When the customer downloads their data
    Then the export contains "[email]"

  @DSR-4 @AUD-1
  Scenario: "Delete my data" erases everything at once
    Given a customer opens the chat
    And the customer says "How do I return an item?"
    When the customer says "delete my data"
    Then the reply contains "deleted"
    And no data about the customer remains
    And the audit log records "erasure"
    And the audit log chain verifies

  @DSR-4
  Scenario: Erasure removes consented contact details too
    Given a customer opens the chat
    And the customer says "contact me at drew@example.com"
    And the customer accepts consent for "contact"
    When the customer clicks "erase"
    Then no data about the customer remains
    And the stored data does not contain "drew@example.com"

  @DSR-4 @DISC-1
  Scenario: After erasure the next message starts a new conversation, disclosure first
    Given a customer opens the chat
    And the customer says "delete my data"
    When the customer says "Where is my order?"
    Then a new conversation starts
    And the bot discloses that it is an automated assistant
    And the reply cites the article "Tracking your order"

  @AUD-1
  Scenario: Compliance events are in a verifiable audit log
    Given a customer opens the chat
    And the customer says "write to me at max@example.com"
    And the customer accepts consent for "contact"
    And the customer says "send me my data"
    Then the audit log records "disclosure"
    And the audit log records "consent"
    And the audit log records "redaction"
    And the audit log records "export"
    And the audit log chain verifies

  @DSR-4 @DISC-1
  Scenario: Reloading the page after erasure starts a new conversation
    Given a customer opens the chat
    And the customer says "delete my data"
    When the customer reconnects
    Then the bot discloses that it is an automated assistant
    And no data about the customer remains

  @DSR-1 @DSR-2 @CONS-4
  Scenario: The export holds the consented contact detail and the consent record
    Given a customer opens the chat
    And the customer says "email me at mine@example.com"
    And the customer accepts consent for "contact"
    When the customer downloads their data
    Then the export contains "mine@example.com"
    And the export contains "granted"

  @DSR-2 @PCI-1
  Scenario: The export shows a card number only masked
    Given a customer opens the chat
    And the customer says "card 4111 1111 1111 1111"
    When the customer downloads their data
    Then the export contains "****1111"
    And the export does not contain "4111 1111 1111 1111"
