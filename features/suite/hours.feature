@handover @agent-console
Feature: Business hours decide whether a person can be reached
  Scenarios say "inside" or "outside" business hours rather than a date,
  so they keep their meaning when the opening hours change.

  Background:
    Given the bot is configured with:
      | business_hours.enabled  | true          |
      | business_hours.timezone | Europe/London |

  @HUM-2
  Scenario: Outside business hours the customer is told when the team is there
    Given it is outside business hours
    And agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the customer is told no agent is available and offered to leave a message
    And the reply contains "we are there"

  @HUM-2
  Scenario: Inside business hours an online agent is reached
    Given it is inside business hours
    And agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human
