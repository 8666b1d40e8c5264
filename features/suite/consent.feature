@consent
Feature: Contact details are kept only with opt-in consent
  Consent is per purpose, off by default, an explicit act, recorded with the
  text version and hash, and withdrawn in one step (GDPR Art. 4(11), 7).

  @CONS-1 @CONS-2
  Scenario: Typing an e-mail address makes the bot ask, with a versioned text and a policy link
    Given a customer opens the chat
    When the customer says "Please email me at jane.doe@example.com about my order"
    Then the bot asks for consent for "contact"

  @CONS-1 @MIN-1
  Scenario: Silence is not consent
    Given a customer opens the chat
    And the customer says "My email is jane.doe@example.com"
    When the customer says "How long does delivery take?"
    Then the reply cites the article "Delivery times"
    And the consent ledger has no record for "contact"
    And the bot keeps 0 contact details for the customer
    And the stored transcript contains "[email]"
    And the stored transcript does not contain "jane.doe@example.com"

  @CONS-3
  Scenario: Declining consent does not stop the bot from answering
    Given a customer opens the chat
    And the customer says "Call me on +44 20 7946 0958 please"
    When the customer declines consent for "contact"
    Then the consent ledger shows "contact" as "declined"
    When the customer says "What payment methods do you accept?"
    Then the reply cites the article "Ways to pay"

  @CONS-4
  Scenario: Granting consent is recorded with the text version and hash
    Given a customer opens the chat
    And the customer says "You can reach me at sam@example.org"
    When the customer accepts consent for "contact"
    Then the consent ledger shows "contact" as "granted"
    And the bot keeps 1 contact detail for the customer
    And the audit log records "consent"
    And the reply offers "withdraw"

  @CONS-4 @MIN-1
  Scenario: Details typed before the decision stay redacted in the transcript
    Given a customer opens the chat
    And the customer says "my address for replies is lee@example.net"
    When the customer accepts consent for "contact"
    Then the stored transcript contains "[email]"
    And the bot keeps 1 contact detail for the customer

  @CONS-5
  Scenario: Withdrawing consent takes one step and deletes the kept details
    Given a customer opens the chat
    And the customer says "Email me at kim@example.com"
    And the customer accepts consent for "contact"
    When the customer withdraws consent for "contact"
    Then the consent ledger shows "contact" as "withdrawn"
    And the bot keeps 0 contact details for the customer
    And the reply contains "withdrawn"

  @CONS-5
  Scenario: Typing "withdraw consent" works as well as the button
    Given a customer opens the chat
    And the customer says "Email me at kim@example.com"
    And the customer accepts consent for "contact"
    When the customer says "withdraw consent"
    Then the consent ledger shows "contact" as "withdrawn"
    And the bot keeps 0 contact details for the customer

  @CONS-5
  Scenario: Withdrawing without consent changes nothing
    Given a customer opens the chat
    When the customer says "withdraw consent"
    Then the reply contains "no consent to withdraw"
    And the consent ledger has no record for "contact"

  @CONS-1
  Scenario: The consent buttons work like the consent frame
    Given a customer opens the chat
    And the customer says "text me on 07700 900123"
    When the customer clicks "consent.accept"
    Then the consent ledger shows "contact" as "granted"

  @MIN-1
  Scenario: A phone number typed without consent is stored as a placeholder
    Given a customer opens the chat
    When the customer says "my number is 07700 900456, where is my order?"
    Then the stored transcript contains "[phone]"
    And the stored transcript does not contain "07700 900456"
    And the stored data does not contain "07700 900456"

  @CONS-2
  Scenario: Being asked is not consenting
    Given a customer opens the chat
    When the customer says "email me at asked@example.com"
    Then the bot asks for consent for "contact"
    And the consent ledger has no record for "contact"
    And the bot keeps 0 contact details for the customer

  @CONS-1
  Scenario: A consent frame for an unknown purpose is refused
    Given a customer opens the chat
    When the customer accepts consent for "marketing"
    Then the customer receives an error "bad_request"
    And the consent ledger has no record for "marketing"
