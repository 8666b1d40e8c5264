package features_test

import (
	"strings"
	"testing"

	"deskbot/features"
)

// JUnit test cases name an outline's example values (not "#1") and carry
// the feature file and the line of the scenario or example row.
func TestJUnitNamesAndLocations(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: junit
  Scenario: plain
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant

  Scenario Outline: asking about <topic>
    Given a customer opens the chat
    When the customer says "<question>"
    Then the reply cites the article "<article>"

    Examples:
      | topic    | question                     | article        |
      | returns  | How do I return an item?     | returns-policy |
      | delivery | How long does delivery take? | Delivery times |
      | refunds  | How do I return an item?     | refunds        |
`, "junit")
	if code == features.ExitOK {
		t.Fatalf("the failing row passed:\n%s", out)
	}
	r := parseJUnit(t, out)
	if len(r.Suites) != 1 || len(r.Suites[0].Cases) != 4 || r.Tests != 4 || r.Failures != 1 {
		t.Fatalf("want 1 suite, 4 cases, 1 failure:\n%s", out)
	}
	want := []struct {
		name   string
		line   int
		status string
	}{
		{"plain", 2, "passed"},
		{"asking about returns (topic: returns, question: How do I return an item?, article: returns-policy)", 13, "passed"},
		{"asking about delivery (topic: delivery, question: How long does delivery take?, article: Delivery times)", 14, "passed"},
		{"asking about refunds (topic: refunds, question: How do I return an item?, article: refunds)", 15, "failed"},
	}
	for i, c := range r.Suites[0].Cases {
		if c.Name != want[i].name || c.Line != want[i].line || c.Status != want[i].status {
			t.Errorf("case %d: %q line %d %s; want %q line %d %s", i, c.Name, c.Line, c.Status, want[i].name, want[i].line, want[i].status)
		}
		if !strings.HasSuffix(c.File, "t.feature") || c.Classname != "junit" {
			t.Errorf("case %d: file %q classname %q", i, c.File, c.Classname)
		}
	}
	if f := r.Suites[0].Cases[3].Failure; f == nil || !strings.Contains(f.Message, `expected the reply to cite the article "refunds"`) {
		t.Errorf("the failing row's message: %+v", f)
	}
}

// A test case's time is how long its scenario ran (its bot, steps and
// checks), not the moment between godog's reports of it.
func TestJUnitCaseTimeIsTheScenarios(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: junit times
  Scenario: a few turns
    Given a customer opens the chat
    When the customer says "hello" 3 times
    Then the bot discloses that it is an automated assistant
`, "junit")
	if code != features.ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	r := parseJUnit(t, out)
	if len(r.Suites) != 1 || len(r.Suites[0].Cases) != 1 {
		t.Fatalf("want one case:\n%s", out)
	}
	// A scenario starts a bot and makes four turns: well over 5 ms.
	if c := r.Suites[0].Cases[0]; c.Time < 0.005 {
		t.Errorf("%q: time %gs, want the scenario's own time:\n%s", c.Name, c.Time, out)
	}
}
