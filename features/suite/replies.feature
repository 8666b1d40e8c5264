@replies
Feature: What a reply cites, offers and does
  Checks by the kind of reply (its sources, buttons and handover frames)
  rather than its wording, so rewording an article does not break them.

  @ACC-1 @ACC-2
  Scenario: An answer cites its article in the current version
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the reply cites an article
    And the reply cites the article "returns-policy" version "3"
    And the reply does not cite the article "Refunds"
    And the bot does not hand over

  @ACC-1 @HUM-2
  Scenario: Without an article the bot says it cannot confirm and offers a person
    Given the knowledge base has an article "Warranty" answering "Every item has a two-year warranty."
    And no agent is online
    And a customer opens the chat
    When the customer says "Can you recommend a good pizza place nearby?"
    Then the bot says it cannot confirm
    And the reply cites no article
    And the reply offers "Talk to a person"
    And the bot does not hand over

  @ACC-1
  Scenario: A suggestion is not a refusal and brings no person in
    Given a customer opens the chat
    When the customer says "I want to return a product"
    Then the bot suggests "returns-policy"
    And the bot does not hand over
    And the reply does not offer "Leave a message"

  @ACC-2
  Scenario: A scenario's own article is cited in its version
    Given the knowledge base has these articles:
      | id       | title       | answer                                  | questions                  | version |
      | warranty | Warranty    | Every item has a two-year warranty.     | How long is the warranty?  | 7       |
    And a customer opens the chat
    When the customer says "How long is the warranty?"
    Then the reply cites the article "Warranty" version "7"
    And the reply does not offer "Talk to a person"

  Scenario: A greeting is small talk, not a miss
    Given a customer opens the chat
    When the customer says "hi there"
    Then the bot makes small talk
    And the bot does not hand over
