@answers @small-talk
Feature: Small talk gets a courteous reply and is never a miss
  A greeting, thanks or a goodbye is not a question the help articles failed
  to answer: no "can't confirm", no count towards a person, no handover.

  @ACC-1 @HUM-2
  Scenario Outline: Small talk is answered courteously, not refused
    Given a customer opens the chat
    When the customer says "<message>"
    Then the bot does not say it cannot confirm
    And the reply cites no article
    And the bot does not suggest anything

    Examples:
      | message          |
      | hi               |
      | hello there      |
      | good morning     |
      | hey!             |
      | thanks!          |
      | thank you so much |
      | cheers           |
      | ok               |
      | got it           |
      | lol              |
      | 😂               |
      | bye              |
      | that's all       |

  Scenario: The replies to small talk are the shop's own
    Given the bot is configured with:
      | answer.small_talk.greeting | Hi! Ask me about orders, returns or gift cards. |
      | answer.small_talk.goodbye  | Bye for now, and thanks for shopping with us.  |
    And a customer opens the chat
    When the customer says "hello there"
    Then the bot replies "Hi! Ask me about orders, returns or gift cards."
    When the customer says "ok thanks, bye"
    Then the bot replies "Bye for now, and thanks for shopping with us."

  @HUM-2 @ACC-1
  Scenario: A greeting, one question nobody covers and a goodbye bring no handover
    Given the bot is configured with:
      | answer.misses_before_handover | 2 |
    And the knowledge base has these articles:
      | title             | answer                                                                                          |
      | Returning an item | You can return unused items within 30 days of delivery for a full refund.                       |
      | Gift cards        | Gift cards are valid for three years and can be used online and in our shop.                    |
    And a customer opens the chat
    When the customer says "hi"
    Then the bot does not say it cannot confirm
    When the customer says "do you sell kayaks?"
    Then the reply contains "can't confirm"
    And the reply cites no article
    When the customer says "ok thanks, bye"
    Then the reply contains "goodbye"
    And the conversation has not been handed over

  @HUM-2
  Scenario: Thanking many times never brings a person
    Given the bot is configured with:
      | answer.misses_before_handover | 1 |
    And a customer opens the chat
    When the customer says "thanks" 3 times
    Then the bot does not say it cannot confirm
    And the conversation has not been handed over

  @ACC-1
  Scenario: A greeting with a question is answered as the question
    Given a customer opens the chat
    When the customer says "hi, how do I return an item?"
    Then the reply cites the article "Returning an item"

  @HUM-2
  Scenario: "No" with a complaint after an answer is not small talk
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    And the customer says "no it still doesn't work"
    Then the reply does not contain "If there's anything else, just ask"
    And the bot offers a human
