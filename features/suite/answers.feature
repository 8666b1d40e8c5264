@answers
Feature: Answers come only from vetted articles and name their source
  Moffatt v. Air Canada: the business is liable for what its bot says.

  @ACC-1 @ACC-2
  Scenario: An answer is the article's own text and cites it
    Given the knowledge base has an article "Gift wrapping" answering "We gift wrap any order for 2 pounds."
    And a customer opens the chat
    When the customer says "Gift wrapping"
    Then the bot replies "We gift wrap any order for 2 pounds."
    And the reply cites the article "Gift wrapping"

  @ACC-1
  Scenario: Nothing covers the question: no claim, a person offered
    Given a customer opens the chat
    When the customer says "What is the airspeed velocity of an unladen swallow?"
    Then the reply contains "can't confirm"
    And the reply cites no article
    And the bot offers a human

  @ACC-1
  Scenario: Several articles, each question answered by its own
    Given the knowledge base has these articles:
      | title           | answer                                         | questions                                              |
      | Bike servicing  | A full bike service costs 45 pounds.           | How much is a bike service?; Do you service bicycles?  |
      | Ski waxing      | We wax skis while you wait, for 15 pounds.     | Can you wax my skis?; How much is ski waxing?          |
    And a customer opens the chat
    When the customer says "How much is a bike service?"
    Then the reply cites the article "Bike servicing"
    When the customer says "Can you wax my skis?"
    Then the reply cites the article "Ski waxing"
    And the reply contains "15 pounds"

  @ACC-2
  Scenario: A multi-line article is answered whole
    Given the knowledge base has an article "Opening times" answering:
      """
      Monday to Friday: 9:00 to 18:00.
      Saturday: 10:00 to 16:00.
      """
    And a customer opens the chat
    When the customer says "Opening times"
    Then the reply is:
      """
      Monday to Friday: 9:00 to 18:00.
      Saturday: 10:00 to 16:00.
      """

  @ACC-1
  Scenario: The demo shop answers a delivery question from its article
    Given a customer opens the chat
    When the customer says "How long does delivery take?"
    Then the reply cites the article "Delivery times"
    And the reply arrives within 2000 ms

  @ACC-1
  Scenario Outline: Small talk around a known question still gets the answer
    Given a customer opens the chat
    When the customer says "<question>"
    Then the reply cites the article "Delivery times"

    Examples:
      | question                                      |
      | Hi, how long does delivery take?              |
      | How long does delivery take please?           |
      | Hi there, how long does delivery take? Thanks |
