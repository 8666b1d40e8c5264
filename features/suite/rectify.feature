@rights @DSR-5
Feature: Customers correct the contact details kept for them, in the chat
  GDPR Art. 16; CCPA 1798.106. Consent for contact details is still
  required (CONS-1); the old value is removed everywhere it was kept.

  Scenario: "I want to correct my email" then the new address replaces the old one
    Given a customer opens the chat
    And the customer says "please reply to old.robin@example.com"
    And the customer accepts consent for "contact"
    When the customer says "I want to correct my email"
    Then the reply contains "type your correct e-mail address"
    When the customer says "robin@example.org"
    Then the reply contains "now the one you just typed"
    And the audit log records "rectification"
    And the bot keeps 1 contact detail for the customer
    And the stored transcript does not contain "old.robin@example.com"
    When the customer downloads their data
    Then the export contains "robin@example.org"
    And the export does not contain "old.robin@example.com"

  Scenario: The corrected number can come in the same message
    Given a customer opens the chat
    And the customer says "call me on 020 7946 0018"
    And the customer accepts consent for "contact"
    When the customer says "my phone number is wrong, it is 020 7946 0999"
    Then the reply contains "phone number we keep for you is now"
    And the audit log records "rectification"
    And the stored transcript does not contain "7946 0018"

  @CONS-1
  Scenario: Without consent a correction keeps nothing until consent is given
    Given a customer opens the chat
    When the customer says "I need to change my email address"
    Then the reply contains "only with your consent"
    When the customer says "robin@example.org"
    Then the bot asks for consent for "contact"
    And the bot keeps 0 contact details for the customer
    And the audit log does not record "rectification"
