@protocol
Feature: The chat protocol stays usable under bad input

  Scenario: A message that is too long is refused, the chat stays open
    Given a customer opens the chat
    When the customer says a message of 2500 characters
    Then the customer receives an error "too_large"
    When the customer says "Do you ship internationally?"
    Then the reply cites the article "Shipping outside the UK"

  Scenario: A malformed frame gets an error, not a disconnect
    Given a customer opens the chat
    When the customer sends the frame:
      """
      {"type":"say","text":
      """
    Then the customer receives an error "bad_request"
    When the customer says "Do you repair gear?"
    Then the reply cites the article "Repair workshop"

  Scenario: A multi-line question is answered
    Given a customer opens the chat
    When the customer says:
      """
      Hi there,
      how much does shipping cost?
      """
    Then the reply cites the article "Shipping costs"

  Scenario: Sending too fast is rate limited
    Given a customer opens the chat
    When the customer says "Do you sell gift cards?" 11 times
    Then the customer receives an error "rate_limited"

  @widget
  Scenario: The widget works on the shop's own site and nowhere else
    Given the bot is configured with:
      | allowed_origins | https://shop.example |
    When a customer on the page "https://shop.example" opens the chat
    Then the bot discloses that it is an automated assistant
    And a customer on the page "https://evil.example" is refused the chat
