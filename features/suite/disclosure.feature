@disclosure
Feature: The bot says it is an automated assistant and never claims to be human
  Customers must know they talk to a machine, from the very first message
  (AI Act Art. 50, Cal. B&P 17941).

  @DISC-1 @DISC-2
  Scenario: The disclosure is the first message, before the customer types anything
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant
    And the bot's 1st message is a disclosure
    And the bot's 1st message contains "not a human"

  @DISC-1
  Scenario: The disclosure comes before the first answer
    Given a customer opens the chat
    When the customer says "How long does delivery take?"
    Then the reply cites the article "Delivery times"
    And the bot's 1st message is a disclosure
    And the bot's 2nd message contains "business days"

  @DISC-1
  Scenario: A returning customer is told again on every connection
    Given a customer opens the chat
    And the customer says "Do you sell gift cards?"
    When the customer reconnects
    Then the bot discloses that it is an automated assistant
    And the reply contains "automated assistant"

  @DISC-1 @JUR-1
  Scenario: Customers in California get the disclosure too
    Given a customer from "California" opens the chat
    Then the bot discloses that it is an automated assistant
    And the session profile is "us-ca"
    And the audit log records "disclosure"

  @DISC-4
  Scenario: Asked whether it is a real person, the bot tells the truth
    Given a customer opens the chat
    When the customer says "are you a real person?"
    Then the reply contains "automated assistant"
    And the reply contains "not a human"
    And the bot offers a human

  @DISC-4
  Scenario Outline: Every way of asking gets an honest answer
    Given a customer opens the chat
    When the customer says "<question>"
    Then the reply matches "(?i)automated assistant|\bbot\b"
    And the reply does not contain "I am a human"

    Examples:
      | question                           |
      | Am I talking to a bot?             |
      | Is this a human or a machine?      |
      | r u a robot                        |
      | Bist du ein Mensch?                |

  @DISC-3
  Scenario: The disclosure cannot be switched off under the EU profile
    Given the bot is configured with:
      | disclosure.enabled | false |
    Then the configuration is rejected mentioning "disclosure"

  @DISC-1
  Scenario: A custom disclosure text still says it is automated
    Given the bot is configured with:
      | bot_name        | Sunny                                                              |
      | disclosure.text | Hello! I'm {bot}, the automated helper of {business}, not a person. |
    And a customer opens the chat
    Then the bot discloses that it is an automated assistant
    And the reply contains "Sunny"

  @DISC-6 @agent-console
  Scenario: The agent's lines are labelled as coming from a person
    Given agent "Anna" is online
    And a customer opens the chat
    And the customer says "talk to a person"
    When agent "Anna" takes the conversation
    Then the reply comes from "system"
    And the reply contains "Anna"
    When agent "Anna" says "Hi, Anna here."
    Then the reply comes from "agent"
