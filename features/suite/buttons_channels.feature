@http @buttons
Feature: Every button works the same over the socket and the HTTP mirror
  The chat page's buttons send client frames ({"type":"consent",…},
  {"type":"action",…}). An integration without a socket sends the same frame
  to POST /api/v1/chat as {"session":…,"frame":{…}}, or uses the older
  {"text"}, {"action"} and {"consent"} shapes; each gets what the socket gets.

  @CONS-1 @CONS-5
  Scenario Outline: Consent is granted and then withdrawn over the <channel> channel
    Given a customer opens the chat over the "<channel>" channel
    When the customer says "please write to frames@example.com"
    Then the bot asks for consent for "contact"
    When the customer accepts consent for "contact"
    Then the consent ledger shows "contact" as "granted"
    When the customer says "my address is frames@example.com"
    Then the stored transcript contains "frames@example.com"
    When the customer withdraws consent for "contact"
    Then the consent ledger shows "contact" as "withdrawn"
    And the reply contains "removed from this conversation"
    And the bot keeps 0 contact details for the customer
    And the stored transcript does not contain "frames@example.com"

    Examples:
      | channel     |
      | socket      |
      | HTTP        |
      | HTTP frames |

  @HUM-2 @agent-console
  Scenario Outline: A message is left over the <channel> channel
    Given no agent is online
    And a customer opens the chat over the "<channel>" channel
    When the customer clicks "Talk to a person"
    Then the customer is told no agent is available and offered to leave a message
    When the customer clicks "Leave a message"
    And the customer says "Please check why order 1234 is late"
    Then the bot does not hand over
    Given agent "Anna" is online
    Then agent "Anna" sees 1 message left

    Examples:
      | channel     |
      | socket      |
      | HTTP        |
      | HTTP frames |
