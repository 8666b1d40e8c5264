@handover
Feature: A person is brought in whenever the customer asks
  FTC guidance; customers can always reach a human, or are told honestly
  that nobody is available and may leave a message.

  @HUM-2
  Scenario: Asking for a person when nobody is online
    Given no agent is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the customer is told no agent is available and offered to leave a message
    And the audit log records "handover"

  @HUM-2
  Scenario: The "talk to a person" button after an unconfirmed answer
    Given no agent is online
    And a customer opens the chat
    And the customer says "Can you recommend a good pizza place nearby?"
    And the bot offers a human
    When the customer clicks "Talk to a person"
    Then the customer is told no agent is available and offered to leave a message

  @HUM-2
  Scenario: Leaving a message after the offline notice
    Given no agent is online
    And a customer opens the chat
    And the customer says "agent please"
    When the customer clicks "Leave a message"
    Then the reply contains "type your message"

  @HUM-2 @ACC-1
  Scenario: After repeated misses the bot brings in a person unprompted
    Given no agent is online
    And a customer opens the chat
    When the customer says "zorblat quenfix trimble" 3 times
    Then the reply offers "leave_message"
    And one of the bot's replies contains "a person from our team"

  @HUM-2 @DISC-6 @agent-console
  Scenario: An agent takes over and is labelled as a person
    Given agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to speak to a person"
    Then the conversation is handed over to a human
    When agent "Anna" takes the conversation
    Then the reply contains "Anna"
    When agent "Anna" says "Hello, I'm Anna from the team. How can I help?"
    Then the reply comes from "agent"
    And the bot replies "Hello, I'm Anna from the team. How can I help?"
    And the audit log records "handover"

  @HUM-2 @agent-console
  Scenario: The agent hands back to the bot
    Given agent "Anna" is online
    And a customer opens the chat
    And the customer says "human please"
    And agent "Anna" takes the conversation
    When agent "Anna" hands the conversation back
    And the customer says "How much does shipping cost?"
    Then the reply cites the article "Shipping costs"

  @HUM-2 @SEC-2 @AUD-1 @agent-console
  Scenario: An agent reading the transcript is audited
    Given agent "Anna" is online
    And a customer opens the chat
    And the customer says "Can I speak to someone please?"
    When agent "Anna" opens the conversation
    Then the audit log records "agent_access"

  @HUM-2
  Scenario: A legal threat goes to a person
    Given no agent is online
    And a customer opens the chat
    When the customer says "If this is not sorted I will take legal action"
    Then the customer is told no agent is available and offered to leave a message

  @HUM-2
  Scenario: A frustrated customer is offered a person
    Given no agent is online
    And a customer opens the chat
    When the customer says "this is useless, you are not helping me at all"
    Then the customer is told no agent is available and offered to leave a message

  @HUM-2
  Scenario: Outside business hours nobody is reachable, even with an agent logged in
    Given the bot is configured with:
      | business_hours.enabled  | true          |
      | business_hours.timezone | Europe/London |
    And the time is "2026-03-07T12:00:00Z"
    And agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the customer is told no agent is available and offered to leave a message

  @HUM-2 @agent-console
  Scenario: Inside business hours the agent is reached
    Given the bot is configured with:
      | business_hours.enabled  | true          |
      | business_hours.timezone | Europe/London |
    And the time is "2026-03-04T11:00:00Z"
    And agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human

  @HUM-2 @agent-console
  Scenario: Asking again while waiting keeps the customer informed
    Given agent "Anna" is online
    And a customer opens the chat
    And the customer says "human please"
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human

  @HUM-2 @DSR-4 @agent-console
  Scenario: Erasure while waiting for an agent removes everything
    Given agent "Anna" is online
    And a customer opens the chat
    And the customer says "human please"
    When the customer says "delete my data"
    Then no data about the customer remains

  @HUM-2 @agent-console
  Scenario: The queued notice is tidy text
    Given agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the reply matches "^\S"

  @HUM-2 @ACC-1
  Scenario: A good answer resets the count of misses
    Given no agent is online
    And a customer opens the chat
    And the customer says "zorblat quenfix trimble"
    And the customer says "zorblat quenfix trimble"
    And the customer says "How long does delivery take?"
    When the customer says "zorblat quenfix trimble"
    Then the reply contains "can't confirm"
    And the bot offers a human

  @HUM-2 @PCI-1
  Scenario: A request for a person with a card number in it
    Given no agent is online
    And a customer opens the chat
    When the customer says "I want to talk to a human, my card 4111 1111 1111 1111 was charged twice"
    Then the customer is told no agent is available and offered to leave a message
    And one of the bot's replies contains "card numbers"
    And the stored data does not contain "4111 1111 1111 1111"

  @HUM-2 @CONS-1
  Scenario: A message left for the team keeps contact details only with consent
    Given no agent is online
    And a customer opens the chat
    And the customer says "agent please"
    And the customer clicks "Leave a message"
    When the customer says "Please call me back on 07700 900777 about order 1234"
    Then the bot asks for consent for "contact"
    When the customer accepts consent for "contact"
    Then the bot keeps 1 contact detail for the customer
    And the stored data does not contain "07700 900777"
