@handover @agent-console
Feature: Messages left while nobody is available reach the team
  When no agent is online the customer may leave a message; the team sees
  it in the console once someone logs in.

  @HUM-2
  Scenario: A message left offline is listed for the agent
    Given no agent is online
    And a customer opens the chat
    And the customer says "I want to talk to a person"
    And the customer is told no agent is available and offered to leave a message
    When the customer leaves the message "Please check why order 1234 is late"
    Then the bot asks for consent for "contact"
    And the bot does not hand over
    Given agent "Anna" is online
    Then agent "Anna" sees 1 message left
