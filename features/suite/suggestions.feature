@answers @suggestions
Feature: "Did you mean …?" between a confident answer and none
  When a question fits articles but not confidently, the bot names up to
  three of them as buttons, quotes none, and answers the one picked.

  Background:
    Given the knowledge base has these articles:
      | id             | title                | answer                                                                                                         |
      | returns        | Returning an item    | You can return unused items within 30 days of delivery for a full refund. Start the return from your order page. |
      | gift-cards     | Gift cards           | Gift cards are valid for three years and can be used online and in our shop. They cannot be exchanged for cash. |
      | warranty       | Warranty on products | Every product comes with a two-year warranty against manufacturing defects. Keep your receipt as proof of purchase. |
      | delivery-times | Delivery times       | Orders usually arrive within 3 to 5 working days. Express delivery arrives the next working day.               |

  @ACC-1 @HUM-2
  Scenario: A one-word topic is suggested, not refused
    Given a customer opens the chat
    When the customer says "returns"
    Then the bot suggests "Returning an item"
    And the reply cites no article
    And the reply does not contain "30 days"
    And the bot offers a human
    And the bot does not say it cannot confirm

  @ACC-2
  Scenario: A suggestion picked by its button is answered with the article and its source
    Given a customer opens the chat
    When the customer says "returns"
    And the customer picks the suggestion "Returning an item"
    Then the bot replies "You can return unused items within 30 days of delivery for a full refund. Start the return from your order page."
    And the reply cites the article "returns"

  @ACC-2
  Scenario: Typing "the first one" picks the first suggestion
    Given a customer opens the chat
    When the customer says "warranty"
    Then the bot suggests "Warranty on products"
    When the customer says "the first one"
    Then the reply cites the article "Warranty on products"

  @ACC-2
  Scenario: A suggestion can be clicked by its label
    Given a customer opens the chat
    When the customer says "gift"
    And the customer clicks "Gift cards"
    Then the reply cites the article "Gift cards"

  @ACC-2
  Scenario: A suggestion can still be picked after reconnecting
    Given a customer opens the chat
    When the customer says "returns"
    And the customer reconnects
    And the customer says "first"
    Then the reply cites the article "Returning an item"

  @HUM-2
  Scenario: Two suggestion rounds in a row without a pick are one miss
    Given the bot is configured with:
      | answer.misses_before_handover | 1 |
    And no agent is online
    And a customer opens the chat
    When the customer says "returns"
    Then the conversation has not been handed over
    When the customer says "delivery"
    Then the customer is told no agent is available and offered to leave a message

  Scenario: An unknown article id is refused and the chat goes on
    Given a customer opens the chat
    When the customer sends the frame:
      """
      {"type":"action","name":"article","id":"no-such-article"}
      """
    Then the customer receives an error "bad_request"
    When the customer says "How long is a gift card valid?"
    Then the reply cites the article "Gift cards"

  @ACC-2
  Scenario: Over HTTP a suggestion is picked the same way
    Given a customer opens the chat over HTTP
    When the customer says "returns"
    Then the bot suggests "Returning an item"
    When the customer picks the suggestion "Returning an item"
    Then the reply cites the article "Returning an item"
