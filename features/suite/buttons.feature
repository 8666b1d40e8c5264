@buttons
Feature: The chat page's own buttons work from the first message
  The page always shows "Talk to a person", "Get my data" and "Delete my
  data"; a customer may press them before the bot has offered anything.

  @HUM-2
  Scenario: "Talk to a person" in a fresh chat
    Given no agent is online
    And a customer opens the chat
    When the customer clicks "Talk to a person"
    Then the customer is told no agent is available and offered to leave a message
    And the audit log records "handover"

  @HUM-2 @agent-console
  Scenario: "Talk to a person" in a fresh chat with an agent online
    Given agent "Anna" is online
    And a customer opens the chat
    When the customer clicks "Talk to a person"
    Then the conversation is handed over to a human

  @DSR-4
  Scenario: "Delete my data" in a fresh chat
    Given a customer opens the chat
    And the customer says "How do I return an item?"
    When the customer clicks "Delete my data"
    Then no data about the customer remains
