@retention
Feature: Health details are never kept, and left messages go with the transcript
  GDPR Art. 9 and 5(1)(e): where someone was treated is health data, and a message
  left for the team is kept no longer than the conversation it belongs to.

  @MIN-2
  Scenario: Hospital and injury words are stored as placeholders
    Given a customer opens the chat
    When the customer says "I had an allergic reaction and went to hospital"
    Then the stored transcript contains "[health]"
    And the stored transcript does not contain "hospital"
    And the stored transcript does not contain "allergic"

  @MIN-2
  Scenario: Hospitality is not health data
    Given a customer opens the chat
    When the customer says "do you sell hospital corners sheets to the hospitality trade?"
    Then the stored transcript contains "hospitality trade"

  @RET-1
  Scenario: A left message is purged by age even when the customer keeps coming back
    Given the time is "2026-03-02T10:00:00Z"
    And no agent is online
    And a customer opens the chat
    And the customer says "agent please"
    And the customer clicks "Leave a message"
    And the customer says "my tent pole snapped on the first night"
    When 20 days pass
    And the customer says "What is your warranty?"
    And 15 days pass
    And the customer downloads their data
    Then the export does not contain "tent pole"
    And the export contains "What is your warranty?"
