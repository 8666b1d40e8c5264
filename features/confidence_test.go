package features_test

import (
	"strings"
	"testing"

	"deskbot/features"
)

// The confidence step passes when the reply's confidence reaches the
// threshold and fails above it, giving the confidence, the question and
// what the bot cited; "at most" is the other way round.
func TestConfidenceStep(t *testing.T) {
	scenario := func(then string) string {
		return `Feature: confidence
  Scenario: returns
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the reply cites the article "returns-policy"
    And ` + then + `
`
	}
	for _, step := range []string{
		"the reply's confidence is at least 0.8",
		"the reply's confidence is at least 0",
		"the reply's confidence is at most 1",
	} {
		if code, out := run(t, newSuite(), scenario(step), "pretty"); code != features.ExitOK {
			t.Errorf("%q failed:\n%s", step, out)
		}
	}
	code, out := run(t, newSuite(), scenario("the reply's confidence is at least 0.999"), "pretty")
	if code == features.ExitOK {
		t.Fatalf("a threshold above the reply's confidence passed:\n%s", out)
	}
	for _, want := range []string{
		`expected the reply's confidence to be at least 0.999, but it is 0.9`,
		`for "How do I return an item?"; it answered`,
		`it answered citing "Returning an item" (id returns-policy, v3)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the failure lacks %q:\n%s", want, excerpt(out, "expected"))
		}
	}
	code, out = run(t, newSuite(), scenario("the reply's confidence is at most 0.5"), "pretty")
	if code == features.ExitOK || !strings.Contains(out, `expected the reply's confidence to be at most 0.5, but it is 0.9`) {
		t.Errorf("at most 0.5 of a confident answer: exit %d\n%s", code, excerpt(out, "expected"))
	}
	if code, out := run(t, newSuite(), scenario("the reply's confidence is at least 1.5"), "pretty"); code == features.ExitOK ||
		!strings.Contains(out, `"1.5" is not a confidence`) {
		t.Errorf("a threshold above 1: exit %d\n%s", code, excerpt(out, `"1.5"`))
	}
}

// A suggestion carries its confidence too, and small talk carries none:
// the step fails saying so rather than passing on an earlier reply.
func TestConfidenceStepSuggestionAndSmallTalk(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: confidence
  Scenario: unsure
    Given a customer opens the chat
    When the customer says "can I send it back?"
    Then the bot suggests "Returning an item"
    And the reply's confidence is at most 0.5
    And the reply's confidence is at least 0.01

  Scenario: small talk
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    And the customer says "thank you"
    Then the reply's confidence is at least 0.1
`, "pretty")
	if code == features.ExitOK {
		t.Fatalf("small talk passed a confidence step:\n%s", out)
	}
	if !strings.Contains(out, "1 passed") {
		t.Errorf("the suggestion scenario did not pass:\n%s", out)
	}
	if !strings.Contains(out, `expected the reply's confidence to be at least 0.1, but no message of the latest turn ("thank you") carries one`) {
		t.Errorf("the small-talk failure does not say why:\n%s", excerpt(out, "expected"))
	}
}

// Against a --target that sends "confidence" the step checks it like
// in-process.
func TestConfidenceStepUnderTarget(t *testing.T) {
	l := startTarget(t, "target-admin-token-0123456789")
	s := &features.Suite{Target: l.URL, AdminToken: "target-admin-token-0123456789"}
	code, out := run(t, s, `Feature: confidence
  Scenario: returns
    Given a customer opens the chat
    When the customer says "How do I return an item?"
    Then the reply's confidence is at least 0.8
`, "pretty")
	if code != features.ExitOK || !strings.Contains(out, "1 passed") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
