@jurisdiction
Feature: The customer's jurisdiction selects the privacy profile
  EU opt-in by default; California honours Global Privacy Control; unknown
  means the strictest.

  @JUR-1
  Scenario: The default profile is the EU one
    Given a customer opens the chat
    Then the session profile is "eu"

  @JUR-1
  Scenario: An unknown region gets the strictest profile
    Given a customer from "Atlantis" opens the chat
    Then the session profile is "strict"
    And the bot discloses that it is an automated assistant

  @JUR-1
  Scenario: A Global Privacy Control signal from California is honoured and recorded
    Given a customer from "California" opens the chat with Global Privacy Control
    Then the session profile is "us-ca"
    And the audit log records "consent"
    And the consent ledger has no record for "contact"

  @JUR-1 @CONS-1
  Scenario: Californian customers are still asked before contact details are kept
    Given a customer from "California" opens the chat
    When the customer says "email me at cali@example.com"
    Then the bot asks for consent for "contact"
    And the bot keeps 0 contact details for the customer

  @NOTC-2 @JUR-1
  Scenario: Californian customers see the notice at collection when asked for consent
    Given the bot is configured with:
      | notice_at_collection_url | /articles/notice-at-collection |
    And a customer from "California" opens the chat
    When the customer says "text me at 07700 900999"
    Then the consent request links "/articles/notice-at-collection"

  @NOTC-1
  Scenario: EU customers get the privacy policy link with the consent request
    Given the bot is configured with:
      | notice_at_collection_url | /articles/notice-at-collection |
    And a customer opens the chat
    When the customer says "text me at 07700 900999"
    Then the consent request links "/articles/privacy-policy"
