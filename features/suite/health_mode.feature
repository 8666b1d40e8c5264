@MIN-3 @DPIA-1
Feature: Health information is kept only in health mode, after a DPIA, with its own consent
  GDPR Art. 9 and 35; HIPAA 164.502(b). By default health information is
  redacted before storage (MIN-2). health_mode keeps it for a clinic or a
  pharmacy, but only with dpia_reference set.

  Scenario: Health mode without a DPIA reference is refused, naming both keys
    Given the bot is configured with:
      | health_mode | true |
    Then the configuration is rejected mentioning "health_mode: keeping health information needs a data protection impact assessment first: set dpia_reference"

  Scenario: Without health mode a diagnosis is redacted whatever the customer consented to
    Given a customer opens the chat
    When the customer says "I have diabetes, can I return the insulin cooler?"
    Then the stored transcript does not contain "diabetes"

  @CONS-2 @CONS-5
  Scenario: In health mode health information is kept only after consent for "health", separate from contact
    Given the bot is configured with:
      | health_mode    | true                        |
      | dpia_reference | DPIA-2026-04, signed by the DPO |
    And a customer opens the chat
    When the customer says "I have diabetes, which cool bag keeps insulin cold?"
    Then the bot asks for consent for "health"
    And the stored transcript does not contain "diabetes"
    When the customer accepts consent for "health"
    And the customer says "my diabetes medicine must stay below 8 degrees"
    Then the stored transcript contains "my diabetes medicine"
    And the consent ledger shows "health" as "granted"
    And the consent ledger has no record for "contact"
    When the customer says "withdraw consent"
    Then the consent ledger shows "health" as "withdrawn"
    And the stored transcript does not contain "diabetes"
