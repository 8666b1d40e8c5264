@languages
Feature: The customer is served in their own language
  The bot speaks the language the page names, else the one the browser asks
  for, else the configured one; the customer can switch at any time. The
  disclosure is always in the customer's language (DISC-1).

  @DISC-1
  Scenario: A browser that asks for German gets the German disclosure first
    Given a customer whose browser asks for "de-DE,de;q=0.9,en;q=0.5" opens the chat
    Then the customer's language is "de"
    And the bot's 1st message is a disclosure
    And the disclosure is in "de"
    And the bot discloses that it is an automated assistant

  @DISC-1
  Scenario: The page's language wins over the browser's
    Given a customer opens the chat in "fr"
    Then the customer's language is "fr"
    And the disclosure is in "fr"

  @DISC-1
  Scenario: A language the bot lacks falls back to the configured one
    Given a customer whose browser asks for "ja-JP,ja" opens the chat
    Then the customer's language is "en"
    And the disclosure is in "en"

  @DISC-1
  Scenario: The customer switches language and is told again what the bot is
    Given a customer opens the chat
    When the customer switches the language to "es"
    Then the customer's language is "es"
    And the disclosure is in "es"
    When the customer reconnects
    Then the customer's language is "es"
    And the bot discloses that it is an automated assistant

  Scenario: Articles in the customer's language answer them
    Given the knowledge base has these articles:
      | title              | answer                                                     | questions                           | lang |
      | Returning an item  | You can return unused items within 30 days.                | How do I return an item?            | en   |
      | Artikel zurückgeben | Sie können unbenutzte Artikel innerhalb von 30 Tagen zurückgeben. | Wie kann ich etwas zurückschicken? | de   |
    And a customer whose browser asks for "de" opens the chat
    When the customer says "Wie kann ich etwas zurückschicken?"
    Then the reply cites the article "Artikel zurückgeben"
    And the reply contains "30 Tagen"

  Scenario: An answer only in another language comes with a line saying so
    Given the knowledge base has these articles:
      | title             | answer                                      | questions                | lang |
      | Returning an item | You can return unused items within 30 days. | How do I return an item? | en   |
    And a customer whose browser asks for "de" opens the chat
    When the customer says "How do I return an item?"
    Then the reply cites the article "Returning an item"
    And the customer is told the answer is in another language

  Scenario Outline: Small talk and a yes in the customer's language are understood
    Given agent "Anna" is online
    And a customer opens the chat in "<lang>"
    When the customer says "<thanks>"
    Then the bot does not say it cannot confirm
    And the conversation has not been handed over
    When the customer says "xyzzy frobnicate"
    Then the bot offers a human
    When the customer says "<yes>"
    Then the conversation is handed over to a human

    Examples:
      | lang | thanks         | yes                  |
      | de   | Vielen Dank!   | Ja, bitte            |
      | fr   | merci beaucoup | Oui, s'il vous plaît |
      | es   | muchas gracias | Sí, por favor        |
