@pii
Feature: Card numbers, health data and typed text never reach the disk in clear
  PCI DSS 4.2.2 / 3.3.1, GDPR Art. 9 and Art. 32.

  @PCI-1
  Scenario: A card number is masked, never echoed, never stored
    Given a customer opens the chat
    When the customer says "My card 4111 1111 1111 1111 was declined"
    Then one of the bot's replies contains "card numbers"
    And the reply does not contain "4111 1111 1111 1111"
    And the stored transcript contains "[card ****1111]"
    And the stored data does not contain "4111111111111111"
    And the stored data does not contain "4111 1111 1111 1111"

  @PCI-1
  Scenario: Consent to keep contact details does not cover card numbers
    Given a customer opens the chat
    And the customer says "email me at pat@example.com"
    And the customer accepts consent for "contact"
    When the customer says "charge 5500-0000-0000-0004 instead"
    Then the stored transcript does not contain "5500-0000-0000-0004"
    And the stored transcript contains "[card ****0004]"
    And the stored data does not contain "5500000000000004"

  @PCI-1 @PCI-2
  Scenario: A security code is not kept either
    Given a customer opens the chat
    When the customer says "the cvv is 737 on card 4000 0566 5566 5556"
    Then the stored transcript does not contain "4000 0566 5566 5556"
    And the stored transcript contains "[cvv]"

  @MIN-2
  Scenario: Health details are redacted before storage
    Given a customer opens the chat
    When the customer says "I have diabetes, can I return the insoles?"
    Then the stored transcript contains "[health]"
    And the stored transcript does not contain "diabetes"

  @SEC-1
  Scenario: What the customer types is encrypted at rest
    Given a customer opens the chat
    When the customer says "Could my parcel to Sheffield be delivered on Saturday?"
    Then the stored data does not contain "parcel to Sheffield"
    And the stored data does not contain "Could my parcel to Sheffield be delivered on Saturday?"

  @SEC-1 @CONS-4
  Scenario: Consented contact details are stored, but sealed
    Given a customer opens the chat
    And the customer says "reply to robin@example.com"
    When the customer accepts consent for "contact"
    Then the bot keeps 1 contact detail for the customer
    And the stored data does not contain "robin@example.com"

  @SEC-1
  Scenario: Questions the bot could not answer are not kept in clear either
    Given a customer opens the chat
    When the customer says "Can you recommend a good pizza place nearby?"
    Then the reply cites no article
    And the stored data does not contain "recommend a good pizza place"

  @PCI-1 @AUD-1
  Scenario: A redaction is recorded in the audit log, without the data
    Given a customer opens the chat
    When the customer says "card 4111 1111 1111 1111"
    Then the audit log records "redaction"
    And the stored data does not contain "4111 1111 1111 1111"

  @PCI-2 @agent-console
  Scenario: A card number an agent types is masked for the customer and on disk
    Given agent "Anna" is online
    And a customer opens the chat
    And the customer says "human please"
    And agent "Anna" takes the conversation
    When agent "Anna" says "Is your card 4111 1111 1111 1111 still valid?"
    Then the reply does not contain "4111 1111 1111 1111"
    And the stored data does not contain "4111 1111 1111 1111"
