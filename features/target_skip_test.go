package features_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/features"
)

// Against a --target, steps that arrange the bot itself (time, articles,
// configuration, agents offline) skip their scenario with the reason, in
// every format, instead of failing it; the other scenarios still run.
func TestInProcessOnlyStepsSkipUnderTarget(t *testing.T) {
	l := startTarget(t, "target-admin-token-0123456789")
	feature := `Feature: target
  Scenario: needs the clock
    Given the time is "2026-03-02T10:00:00Z"
    And a customer opens the chat
    Then the bot discloses that it is an automated assistant

  Scenario: needs its own article
    Given the knowledge base has an article "Warranty" answering "Two years."
    And a customer opens the chat
    When the customer says "Warranty"
    Then the reply cites the article "Warranty"

  Scenario: runs anywhere
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant
`
	dir := t.TempDir()
	p := filepath.Join(dir, "t.feature")
	if err := os.WriteFile(p, []byte(feature), 0o600); err != nil {
		t.Fatal(err)
	}
	var notes, out bytes.Buffer
	s := &features.Suite{Target: l.URL, AdminToken: "target-admin-token-0123456789", Notices: &notes}
	if code := s.Run(features.RunOptions{Paths: []string{p}, Format: "junit", Output: &out}); code != features.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), notes.String())
	}
	var r struct {
		Skipped int `xml:"skipped,attr"`
		Suites  []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Status  string `xml:"status,attr"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Skipped != 2 || len(r.Suites) != 1 || len(r.Suites[0].Cases) != 3 {
		t.Fatalf("want 2 of 3 skipped:\n%s", out.String())
	}
	for _, c := range r.Suites[0].Cases {
		want := "skipped"
		if c.Name == "runs anywhere" {
			want = "passed"
		}
		if c.Status != want {
			t.Errorf("%q: %s; want %s", c.Name, c.Status, want)
		}
		if c.Name == "needs the clock" && (c.Skipped == nil || !strings.Contains(c.Skipped.Message, "the clock of a --target bot cannot be set")) {
			t.Errorf("%q: the JUnit <skipped> message does not give the reason: %+v", c.Name, c.Skipped)
		}
	}
	// The note gives the step as written, and where it stands.
	for _, want := range []string{`skipped "needs the clock": step "the time is \"2026-03-02T10:00:00Z\"" at ` + p + `:3 is in-process only`, `the clock of a --target bot cannot be set`, `articles cannot be added to a --target bot`} {
		if !strings.Contains(notes.String(), want) {
			t.Errorf("notices lack %q:\n%s", want, notes.String())
		}
	}
	out.Reset()
	if code := (&features.Suite{Target: l.URL, AdminToken: "target-admin-token-0123456789"}).Run(features.RunOptions{Paths: []string{p}, Format: "progress", Output: &out, NoColors: true}); code != features.ExitOK ||
		!strings.Contains(out.String(), "9 steps (2 passed, 7 skipped)") ||
		!strings.Contains(out.String(), "3 scenarios (1 passed, 2 skipped)") {
		t.Errorf("progress: exit %d\n%s", code, out.String())
	}
	// Pretty output read without colours (a CI log) shows which scenario
	// was skipped and why, under the step that skipped it.
	out.Reset()
	if code := (&features.Suite{Target: l.URL, AdminToken: "target-admin-token-0123456789"}).Run(features.RunOptions{Paths: []string{p}, Format: "pretty", Output: &out, NoColors: true}); code != features.ExitOK ||
		!strings.Contains(out.String(), "3 scenarios (1 passed, 2 skipped)") ||
		!strings.Contains(out.String(), "Given the time is \"2026-03-02T10:00:00Z\"  # skipped\n      skipped: in-process only, skipped against --target") ||
		!strings.Contains(out.String(), "the clock of a --target bot cannot be set") {
		t.Errorf("pretty: exit %d\n%s", code, out.String())
	}
}

// Every phrase declared in-process only exists.
func TestInProcessOnlyPhrasesExist(t *testing.T) {
	n := 0
	for _, s := range features.Steps() {
		if features.InProcessOnly(s.Phrase) {
			n++
		}
	}
	if n != 10 { // 9 in target_skip.go, "the operator runs" in operator_steps.go
		t.Errorf("%d in-process-only phrases found among the steps; want 10", n)
	}
}
