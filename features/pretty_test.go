package features_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"deskbot/features"
)

// With scenarios running at once, each is printed whole under its own
// feature's heading, and steps carry no reflection noise.
func TestPrettyGroupsScenariosUnderTheirFeature(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"alpha", "beta"} {
		var b strings.Builder
		b.WriteString("Feature: " + name + "\n")
		for i := 0; i < 4; i++ {
			b.WriteString("  Scenario: " + name + " scenario\n    Given a customer opens the chat\n    When the customer says \"" + name + "\"\n    Then the bot discloses that it is an automated assistant\n")
		}
		if err := os.WriteFile(filepath.Join(dir, name+".feature"), []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	code := newSuite().Run(features.RunOptions{Paths: []string{dir}, Format: "pretty", Output: &out, NoColors: true, Concurrency: 4})
	if code != features.ExitOK {
		t.Fatalf("exit %d\n%s", code, out.String())
	}
	report := out.String()
	if strings.Contains(report, "reflect") || strings.Contains(report, "suite.go") {
		t.Errorf("reflection noise in the report:\n%s", report)
	}
	feature := ""
	blocks := 0
	reFeature := regexp.MustCompile(`^Feature: (\w+)`)
	reScenario := regexp.MustCompile(`^  Scenario: (\w+) scenario # .*(alpha|beta)\.feature:\d+$`)
	for _, l := range strings.Split(report, "\n") {
		if m := reFeature.FindStringSubmatch(l); m != nil {
			feature = m[1]
		}
		if m := reScenario.FindStringSubmatch(l); m != nil {
			blocks++
			if m[1] != feature || m[2] != feature {
				t.Errorf("scenario of %s printed under feature %q", m[1], feature)
			}
		}
		if strings.HasPrefix(l, `    When the customer says "`) && !strings.Contains(l, feature) {
			t.Errorf("step %q printed under feature %q", l, feature)
		}
	}
	if blocks != 8 || !strings.Contains(report, "8 scenarios (8 passed)") || !strings.Contains(report, "24 steps (24 passed)") {
		t.Errorf("want 8 scenarios, 24 steps:\n%s", report)
	}
}

// A built-in check that fails after the scenario is reported as such, not
// as a failure of the last step (which passed); failed steps say so in
// words, not only in colour; and the failed scenarios are listed at the end.
func TestPrettyReportsChecksAfterTheScenario(t *testing.T) {
	dir := t.TempDir()
	feature := `Feature: claims
  Scenario: an article claims a refund was made
    Given the knowledge base has an article "Refunds" answering "We have refunded you in full."
    And a customer opens the chat
    When the customer says "Refunds"
    Then the reply cites the article "Refunds"

  Scenario: a step fails
    Given a customer opens the chat
    When the customer says "hello"
    Then the reply contains "no such words"

  Scenario Outline: a row fails
    Given a customer opens the chat
    When the customer says "<text>"
    Then the reply contains "Hello"

    Examples:
      | text  |
      | hello |
      | bye   |
`
	if err := os.WriteFile(filepath.Join(dir, "claims.feature"), []byte(feature), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := newSuite().Run(features.RunOptions{Paths: []string{dir}, Format: "pretty", Output: &out, NoColors: true}); code == features.ExitOK {
		t.Fatalf("a run with failures passed:\n%s", out.String())
	}
	report := out.String()
	for _, want := range []string{
		`    Then the reply cites the article "Refunds"` + "\n    checks after the scenario  # failed\n",
		"ACC-3",
		`    Then the reply contains "no such words"  # failed`,
		"Failed scenarios:\n  " + filepath.Join(dir, "claims.feature") + ":2  an article claims a refund was made\n  " + filepath.Join(dir, "claims.feature") + ":8  a step fails\n  " +
			filepath.Join(dir, "claims.feature") + ":13  a row fails (text: bye) (example row at line 21)\n",
		"4 scenarios (1 passed, 3 failed)",
		"13 steps (11 passed, 2 failed)",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

// JUnit and cucumber JSON say the same: the checks after the scenario
// failed, not its last step (which passed). Cucumber reports them as a
// failed "after" hook of the scenario, as it does a failed After hook.
func TestMachineReportsChecksAfterTheScenario(t *testing.T) {
	feature := `Feature: claims
  Scenario: an article claims a refund was made
    Given the knowledge base has an article "Refunds" answering "We have refunded you in full."
    And a customer opens the chat
    When the customer says "Refunds"
    Then the reply cites the article "Refunds"
`
	code, out := run(t, newSuite(), feature, "junit")
	if code == features.ExitOK {
		t.Fatalf("the ACC-3 check did not fail the run:\n%s", out)
	}
	if !strings.Contains(out, `message="Checks after the scenario: `) || !strings.Contains(out, "ACC-3") || strings.Contains(out, "Step the reply cites") {
		t.Errorf("junit blames the last step or loses the check:\n%s", out)
	}
	code, out = run(t, newSuite(), feature, "cucumber")
	if code == features.ExitOK {
		t.Fatalf("the ACC-3 check did not fail the run:\n%s", out)
	}
	var doc []struct {
		Elements []struct {
			Steps []struct {
				Name   string `json:"name"`
				Result struct {
					Status string `json:"status"`
				} `json:"result"`
			} `json:"steps"`
			After []struct {
				Result struct {
					Status       string `json:"status"`
					ErrorMessage string `json:"error_message"`
				} `json:"result"`
			} `json:"after"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc) != 1 || len(doc[0].Elements) != 1 {
		t.Fatalf("cucumber JSON: %v\n%s", err, out)
	}
	el := doc[0].Elements[0]
	for _, st := range el.Steps {
		if st.Result.Status != "passed" {
			t.Errorf("step %q is %s; every step passed", st.Name, st.Result.Status)
		}
	}
	if len(el.After) != 1 || el.After[0].Result.Status != "failed" || !strings.Contains(el.After[0].Result.ErrorMessage, "ACC-3") {
		t.Errorf("no failed after hook with the ACC-3 check: %+v", el.After)
	}
}
