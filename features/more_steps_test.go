package features_test

import (
	"strings"
	"testing"

	"deskbot/features"
)

// The finer checks fail when the bot does otherwise, saying what it did.
func TestMoreStepsFail(t *testing.T) {
	s := newSuite()
	code, out := run(t, s, `Feature: negative
  Scenario: an answer is not a refusal
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the bot says it cannot confirm

  Scenario: wrong version
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the reply cites the article "returns-policy" version "9"

  Scenario: cites what it should not
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the reply does not cite the article "Returning an item"

  Scenario: offers what it should not
    Given the knowledge base has an article "Warranty" answering "Every item has a two-year warranty."
    And a customer opens the chat
    When the customer says "Can you recommend a good pizza place nearby?"
    Then the reply does not offer "Talk to a person"

  Scenario: no article cited
    Given the knowledge base has an article "Warranty" answering "Every item has a two-year warranty."
    And a customer opens the chat
    When the customer says "Can you recommend a good pizza place nearby?"
    Then the reply cites an article

  Scenario: an answer is not small talk
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the bot makes small talk

  Scenario: hands over
    Given no agent is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the bot does not hand over
`, "progress")
	if code == features.ExitOK {
		t.Fatalf("passed:\n%s", out)
	}
	for _, want := range []string{
		`expected the bot to say it cannot confirm, but it answered citing`,
		`ACC-2: expected the reply to cite "returns-policy" version "9", but it cites version "3"`,
		`expected the reply not to cite the article "Returning an item"`,
		`expected the button "Talk to a person" not to be offered`,
		`ACC-1: expected the reply to cite an article, but it cites none`,
		`expected the bot not to hand over, but the latest turn sent handover "offline"`,
		`expected small talk, but the bot answered citing`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	failed := 0
	for _, ts := range s.Timings() {
		if ts.Failed {
			failed++
		}
	}
	if failed != 7 {
		t.Errorf("%d of 7 scenarios failed:\n%s", failed, out)
	}
}

// The count of messages left is exact and a wrong count lists them (HUM-2).
func TestAgentSeesMessagesLeftFails(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: left
  Scenario: two expected, one left
    Given no agent is online
    And a customer opens the chat
    And the customer says "I want to talk to a person"
    When the customer leaves the message "Where is parcel 77?"
    Given agent "Anna" is online
    Then agent "Anna" sees 2 messages left
`, "progress")
	if code == features.ExitOK || !strings.Contains(out, `expected agent "Anna" to see 2 message(s) left, but the console lists 1:`) || !strings.Contains(out, `"Where is parcel 77?"`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// A handover for another reason fails, naming the reason found.
func TestHandoverReasonFails(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: reason
  Scenario: asked, not missed
    Given no agent is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the handover reason is "misses"
`, "progress")
	if code == features.ExitOK || !strings.Contains(out, `expected the handover reason "misses", but the latest handover was for "request"`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
