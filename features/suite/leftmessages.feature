@handover @agent-console
Feature: Messages left while nobody is available reach the team
  When no agent is online the customer may leave a message; the team sees
  it in the console once someone logs in.

  @HUM-2
  Scenario: A message left offline is listed for the agent
    Given no agent is online
    And a customer opens the chat
    And the customer says "I want to talk to a person"
    And the customer is told no agent is available and offered to leave a message
    When the customer leaves the message "Please check why order 1234 is late"
    Then the bot asks for consent for "contact"
    And the bot does not hand over
    Given agent "Anna" is online
    Then agent "Anna" sees 1 message left

  # CONS-1, CONS-4: an address kept under consent earlier in the chat is
  # offered for confirmation when the customer leaves a message, not asked
  # for again. CONS-5, MIN-1: the confirmation quotes it, so withdrawing
  # consent must take it out of the bot's line as well.
  @HUM-2 @CONS-1 @CONS-5 @MIN-1
  Scenario: An address given with consent earlier is offered, not asked for again
    Given no agent is online
    And a customer opens the chat
    And the customer says "My order 1234 is late, my email is jane.doe@example.com"
    And the customer accepts consent for "contact"
    And the customer says "I want to talk to a person"
    And the customer is told no agent is available and offered to leave a message
    When the customer leaves the message "Please check why order 1234 is late"
    Then the reply contains "jane.doe@example.com"
    And the reply does not contain "type your e-mail address"
    And the bot does not ask for consent
    And the bot keeps 1 contact detail for the customer
    When the customer withdraws consent for "contact"
    Then the stored transcript does not contain "jane.doe@example.com"

  # CONS-1, MIN-1: typed without consent, the address is neither kept nor
  # echoed; consent is asked first and the customer need not type it again.
  @HUM-2 @CONS-1 @MIN-1
  Scenario: An address typed earlier without consent waits for consent, not for retyping
    Given no agent is online
    And a customer opens the chat
    And the customer says "My order 1234 is late, reach me at sam.roe@example.com"
    And the customer says "I want to talk to a person"
    When the customer leaves the message "Please check why order 1234 is late"
    Then the bot asks for consent for "contact"
    And the reply does not contain "type your e-mail address"
    And the reply does not contain "sam.roe@example.com"
    And the bot keeps 0 contact details for the customer
    And the stored transcript does not contain "sam.roe@example.com"
    When the customer accepts consent for "contact"
    Then the bot keeps 1 contact detail for the customer

  # CONS-1: after the bot asks for an address (consent granted), a bare
  # address is the answer and is kept; it is not a question the knowledge
  # base failed to answer.
  @HUM-2 @CONS-1
  Scenario: A bare address typed when the bot asks for one is taken as the answer
    Given no agent is online
    And a customer opens the chat
    And the customer says "I want to talk to a person"
    And the customer leaves the message "Please check why order 1234 is late"
    And the customer accepts consent for "contact"
    When the customer says "alex.poe@example.com"
    Then the reply contains "reply to the contact details you just gave"
    And the reply does not contain "find a sure answer"
    And the bot keeps 1 contact detail for the customer

  # CONS-1, MIN-1: without consent the answer gets the consent request, the
  # address is stored redacted and kept only once consent is granted.
  @HUM-2 @CONS-1 @MIN-1
  Scenario: "it's" and an address before consent gets the consent request
    Given no agent is online
    And a customer opens the chat
    And the customer says "I want to talk to a person"
    And the customer leaves the message "Please check why order 1234 is late"
    When the customer says "it's kim.doe@example.com"
    Then the bot asks for consent for "contact"
    And the reply does not contain "find a sure answer"
    And the stored transcript contains "it's [email]"
    And the bot keeps 0 contact details for the customer
    When the customer accepts consent for "contact"
    Then the bot keeps 1 contact detail for the customer
