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
