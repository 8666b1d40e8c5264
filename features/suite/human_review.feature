@HUM-1 @agent-console
Feature: Decisions with significant effect are never final in the chat
  GDPR Art. 22: a customer may have a person review an automated decision
  with legal or similarly significant effect. Articles marked
  `human_review: true` are answered with their source, followed by the
  offer of a person who can review the decision.

  Scenario: An article describing a refused refund offers a person to review it
    Given the knowledge base has these articles:
      | title                             | answer                                                                | human_review |
      | Why was my refund refused         | Refunds are refused for items used beyond testing or returned late.   | true         |
      | How long does delivery take       | Delivery takes 2 to 4 working days.                                   |              |
    And agent "Anna" is online
    And a customer opens the chat
    When the customer says "Why was my refund refused"
    Then one of the bot's replies contains "Refunds are refused for items used beyond testing"
    And the reply contains "a person from our team can review it"
    And the bot offers a human
    And the audit log records "human_review_offered"
    When the customer says "yes"
    Then the conversation is handed over to a human
    When the customer says "How long does delivery take"
    Then the reply cites the article "How long does delivery take"
    And the reply does not offer "human"
