@confidence
Feature: The knowledge base's confidence in a reply
  Every answer, suggestion and "cannot confirm" carries the knowledge
  base's calibrated confidence that its best article is the right one, so
  a scenario can check that a well-covered question is answered with
  confidence and an unclear one is not.

  @ACC-1
  Scenario: A question the knowledge base covers is answered with high confidence
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the reply cites the article "returns-policy"
    And the reply's confidence is at least 0.8

  @ACC-1
  Scenario: An unclear question gets suggestions, not an answer, at low confidence
    Given a customer opens the chat
    When the customer says "can I send it back?"
    Then the bot suggests "Returning an item"
    And the reply's confidence is at most 0.5
