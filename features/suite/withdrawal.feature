@consent
Feature: Withdrawing consent removes the contact details typed while it was granted
  Withdrawal is as easy as giving consent and takes effect at once (GDPR Art. 7(3)):
  the kept contact details are deleted, and the e-mail addresses and phone numbers
  typed while consent was granted are redacted again in the stored conversation and
  in messages left for the team, as if they had been typed without consent (Art. 5(1)(c)).

  @CONS-5 @MIN-1
  Scenario: After withdrawal the transcript holds placeholders instead of the details
    Given a customer opens the chat
    And the customer accepts consent for "contact"
    And the customer says "reply to a@b.example or +44 20 7946 0958"
    And the stored transcript contains "a@b.example"
    When the customer withdraws consent for "contact"
    Then the consent ledger shows "contact" as "withdrawn"
    And the reply contains "removed from this conversation"
    And the bot keeps 0 contact details for the customer
    And the stored transcript does not contain "a@b.example"
    And the stored transcript does not contain "7946 0958"
    And the stored transcript contains "reply to [email] or [phone]"

  @CONS-5 @MIN-1 @DSR-2
  Scenario: A left message loses the details too, and the export says so
    Given no agent is online
    And a customer opens the chat
    And the customer accepts consent for "contact"
    And the customer says "agent please"
    And the customer clicks "Leave a message"
    And the customer says "my tent pole snapped, write to a@b.example"
    When the customer says "withdraw consent"
    And the customer downloads their data
    Then the export does not contain "a@b.example"
    And the export contains "write to [email]"
    And the export contains "removed from the stored conversations and left messages"
