@http
Feature: The HTTP mirror behaves like the chat socket
  Integrations and third-party test tools use POST /api/v1/chat; the law
  applies to every channel.

  @DISC-1 @ACC-1
  Scenario: Disclosure first and cited answers over HTTP
    Given a customer opens the chat over HTTP
    Then the bot discloses that it is an automated assistant
    When the customer says "How long does delivery take?"
    Then the reply cites the article "Delivery times"

  @CONS-1 @MIN-1
  Scenario: Contact details over HTTP need consent too
    Given a customer opens the chat over HTTP
    When the customer says "email me at http@example.com"
    Then the bot asks for consent for "contact"
    And the stored transcript contains "[email]"
    And the stored data does not contain "http@example.com"

  @HUM-2 @DISC-6 @agent-console
  Scenario: An agent reaches a customer who uses the HTTP mirror
    Given agent "Anna" is online
    And a customer opens the chat over HTTP
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human
    When agent "Anna" takes the conversation
    And agent "Anna" says "Hello from Anna."
    Then the reply comes from "agent"

  @DSR-4
  Scenario: Erasure over HTTP
    Given a customer opens the chat over HTTP
    And the customer says "Do you sell gift cards?"
    When the customer says "delete my data"
    Then no data about the customer remains
