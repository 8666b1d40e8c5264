package features_test

import (
	"bytes"
	"strings"
	"testing"

	"deskbot/features"
)

// An undefined step names the three closest phrases, not Go snippets.
func TestUndefinedStepSuggestsPhrases(t *testing.T) {
	for _, format := range []string{"pretty", "progress"} {
		code, out := run(t, newSuite(), `Feature: typo
  Scenario: undefined
    Given a customer opens the chat
    When the customer click "Talk to a person"
    Then the reply cite the article "Returns"
`, format)
		if code == features.ExitOK {
			t.Fatalf("%s: passed", format)
		}
		if strings.Contains(out, "func ") || strings.Contains(out, "snippets") {
			t.Errorf("%s: Go snippets printed:\n%s", format, out)
		}
		for _, want := range []string{
			`"the customer click \"Talk to a person\"" at `, `t.feature:4`,
			"    the customer clicks \"<action name or button label>\"\n        e.g. When the customer clicks \"Talk to a person\"",
			`"the reply cite the article \"Returns\"" at `, `    the reply cites the article "<title>"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", format, want, out)
			}
		}
	}
	// junit: the report stays XML; the phrases go to the notices.
	var notes bytes.Buffer
	s := newSuite()
	s.Notices = &notes
	code, out := run(t, s, "Feature: typo\n  Scenario: u\n    Given a customer opens the chat\n    Then the bot dances\n", "junit")
	if code == features.ExitOK || !strings.HasPrefix(out, "<?xml") || !strings.Contains(notes.String(), `"the bot dances"`) {
		t.Errorf("junit: exit %d\n%s\nnotices:\n%s", code, out, notes.String())
	}
}

func TestClosestPhrases(t *testing.T) {
	for text, want := range map[string]string{
		`the bot offer a human`:                 `the bot offers a human`,
		`the reply doesn't contain "x"`:         `the reply does not contain "<text>"`,
		`the customer say "hello"`:              `the customer says "<text>"`,
		`3 day pass`:                            `<n> days pass`,
		`the conversation is handed to a human`: `the conversation is handed over to a human`,
		`at least 80% answered from "returns"`:  `at least <n>% are answered from the article "<id or title>"`,
	} {
		got := features.ClosestPhrases(text, 3)
		found := false
		for _, g := range got {
			found = found || g.Phrase == want
		}
		if !found {
			t.Errorf("%q: closest %v; want %q among them", text, got, want)
		}
	}
}
