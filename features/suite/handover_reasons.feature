@handover
Feature: Why a person was brought in
  The handover's reason is kept in the audit log (without the topic of a
  sensitive conversation); scenarios check it there.

  @HUM-2 @AUD-1
  Scenario: On request
    Given no agent is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the handover reason is "request"

  @HUM-2 @ACC-1 @AUD-1
  Scenario: After repeated misses
    Given no agent is online
    And a customer opens the chat
    When the customer says "zorblat quenfix trimble" 3 times
    Then the handover reason is "misses"
