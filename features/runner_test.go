package features_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
	"deskbot/desk"
	"deskbot/features"
)

func newSuite() *features.Suite {
	return &features.Suite{StartBot: app.StartScenarioBot, HashPassword: desk.HashPassword}
}

// run writes feature text to a temp file and runs it, returning the exit
// code and the report.
func run(t *testing.T, s *features.Suite, feature, format string) (int, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "t.feature")
	if err := os.WriteFile(p, []byte(feature), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := s.Run(features.RunOptions{Paths: []string{p}, Format: format, Output: &out, NoColors: true, Concurrency: 2})
	return code, out.String()
}

// DISC-4: a scenario expecting the bot to claim to be human fails the run,
// with expected vs actual, the step's file:line and the conversation.
func TestExpectingHumanClaimFails(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: honesty
  Scenario: the bot pretends
    Given a customer opens the chat
    When the customer says "are you human?"
    Then the bot replies "I am a human employee."
`, "pretty")
	if code == features.ExitOK {
		t.Fatalf("run passed; want failure:\n%s", out)
	}
	for _, want := range []string{
		`expected the bot to reply:`, `"I am a human employee."`, `but the latest message (from bot) was:`,
		`t.feature:5`, `conversation so far:`, `> customer: "are you human?"`, `(disclosure)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	t.Logf("failure message:\n%s", excerpt(out, "expected the bot to reply"))
}

// DISC-4 built-in check: even a scenario that asserts nothing about it
// fails when the bot says it is human (here through a bad article).
func TestLegalCheckCatchesHumanClaim(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: a bad article
  Scenario: the article claims to be a person
    Given the knowledge base has an article "Who answers" answering "I am a human employee. Ask me anything."
    And a customer opens the chat
    When the customer says "Who answers"
    Then the reply cites the article "Who answers"
`, "pretty")
	if code == features.ExitOK {
		t.Fatalf("run passed; want a DISC-4 failure:\n%s", out)
	}
	if !strings.Contains(out, "DISC-4 violated") || !strings.Contains(out, `"I am a human employee. Ask me anything."`) {
		t.Errorf("report lacks the DISC-4 violation and its evidence:\n%s", out)
	}
	t.Logf("failure message:\n%s", excerpt(out, "DISC-4 violated"))
}

// The legal checks cannot be switched off from a feature file: tags and
// steps have no say over them.
func TestLegalChecksIgnoreTags(t *testing.T) {
	code, out := run(t, newSuite(), `@no-legal-checks @skip-DISC-4
Feature: trying to opt out
  Scenario: still checked
    Given the knowledge base has an article "Who answers" answering "I'm a real person, honestly."
    And a customer opens the chat
    When the customer says "Who answers"
`, "progress")
	if code == features.ExitOK || !strings.Contains(out, "DISC-4 violated") {
		t.Fatalf("code %d; want a DISC-4 failure:\n%s", code, out)
	}
}

// A held-out suite written only from the documented phrases passes under
// the junit format, one test case per scenario.
func TestDocumentedPhrasesJUnit(t *testing.T) {
	feature := `Feature: held out
  Scenario: disclosure
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant

  Scenario: own article
    Given the knowledge base has an article "Gift wrapping" answering "We gift wrap for 2 pounds."
    And a customer opens the chat
    When the customer says "Gift wrapping"
    Then the bot replies "We gift wrap for 2 pounds."
    And the reply contains "2 pounds"
    And the reply matches "\d+ pounds"
    And the reply cites the article "Gift wrapping"

  Scenario: consent granted then withdrawn
    Given a customer opens the chat
    When the customer says "email me at held@example.com"
    Then the bot asks for consent for "contact"
    When the customer accepts consent for "contact"
    Then the consent ledger shows "contact" as "granted"
    When the customer withdraws consent for "contact"
    Then the consent ledger shows "contact" as "withdrawn"
    And the stored data does not contain "held@example.com"
    And the audit log records "consent"

  Scenario: declined
    Given a customer opens the chat
    When the customer says "call me on 07700 900321"
    And the customer declines consent for "contact"
    Then the consent ledger shows "contact" as "declined"

  Scenario: nobody online
    Given no agent is online
    And a customer opens the chat
    When the customer says "Can you recommend a good pizza place nearby?"
    Then the bot offers a human
    When the customer says "I want to talk to a human"
    Then the customer is told no agent is available and offered to leave a message

  Scenario: agent
    Given agent "Bea" is online
    And a customer opens the chat
    When the customer says "I want to talk to a person"
    Then the conversation is handed over to a human
    When agent "Bea" takes the conversation
    And agent "Bea" says "Hi, Bea here."
    Then the reply contains "Bea here"

  Scenario: erasure
    Given a customer opens the chat
    When the customer says "delete my data"
    Then no data about the customer remains
    And the audit log records "erasure"

  Scenario: retention
    Given the time is "2026-01-05T09:00:00Z"
    And a customer opens the chat
    And the customer says "Do you sell gift cards?"
    When 40 days pass
    Then no data about the customer remains
    And the audit log records "purge"

  Scenario: California
    Given a customer from "California" opens the chat
    Then the bot discloses that it is an automated assistant
`
	code, out := run(t, newSuite(), feature, "junit")
	if code != features.ExitOK {
		t.Fatalf("held-out suite failed (%d):\n%s", code, out)
	}
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatalf("junit output is not XML: %v\n%s", err, out)
	}
	want := strings.Count(feature, "  Scenario:")
	cases := 0
	for _, s := range suites.Suites {
		cases += len(s.Cases)
		if s.Failures != 0 {
			t.Errorf("suite reports %d failures", s.Failures)
		}
	}
	if cases != want {
		t.Errorf("junit has %d test cases; want %d (one per scenario)\n%s", cases, want, out)
	}
}

// Undefined and pending steps fail the run (strict).
func TestUndefinedStepFails(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: typo
  Scenario: undefined
    Given a customer opens the chat
    Then the bot dances
`, "progress")
	if code == features.ExitOK {
		t.Fatalf("run with an undefined step passed:\n%s", out)
	}
}

// Against a --target without an admin token, storage steps fail and say
// why instead of passing silently.
func TestTargetWithoutAdminToken(t *testing.T) {
	l := startTarget(t, "")
	s := &features.Suite{Target: l.URL}
	code, out := run(t, s, `Feature: remote
  Scenario: storage step without a token
    Given a customer opens the chat
    When the customer says "my email is remote@example.com"
    Then the stored data does not contain "remote@example.com"
`, "pretty")
	if code == features.ExitOK {
		t.Fatalf("storage step passed without an admin token:\n%s", out)
	}
	if !strings.Contains(out, "unavailable in this run") || !strings.Contains(out, "--admin-token") {
		t.Errorf("report does not say the step is unavailable and why:\n%s", out)
	}
	t.Logf("failure message:\n%s", excerpt(out, "unavailable in this run"))
}

// SEC-1 built-in check: customer text found in plain text on disk fails
// the scenario with the file and offset.
func TestLegalCheckFindsPlaintextOnDisk(t *testing.T) {
	l := startTarget(t, "sekrit-admin-token-0123456789")
	// A careless log line next to the data, as a misconfigured proxy might write.
	if err := os.WriteFile(filepath.Join(l.App.Config.DataDir, "debug.log"), []byte("2026-11-24 msg=My email is leak@example.com please\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &features.Suite{Target: l.URL, AdminToken: "sekrit-admin-token-0123456789"}
	code, out := run(t, s, `Feature: leak
  Scenario: plaintext on disk
    Given a customer opens the chat
    When the customer says "My email is leak@example.com please"
`, "pretty")
	if code == features.ExitOK {
		t.Fatalf("a plaintext copy on disk went unnoticed:\n%s", out)
	}
	if !regexp.MustCompile(`SEC-1 violated: personal data the customer typed \("leak@example.com"\) is stored in plain text: file debug.log at offset \d+`).MatchString(out) {
		t.Errorf("report lacks the SEC-1 evidence (file and offset):\n%s", out)
	}
	t.Logf("failure message:\n%s", excerpt(out, "SEC-1 violated"))
}

// Every canonical phrase (README.md, "Canonical phrases") matches exactly one step.
func TestCanonicalPhrases(t *testing.T) {
	canonical := []string{
		`a customer opens the chat`,
		`a customer from "California" opens the chat`,
		`the knowledge base has an article "Returns" answering "Within 30 days."`,
		`no agent is online`,
		`agent "Anna" is online`,
		`the time is "2026-03-02T10:00:00Z"`,
		`31 days pass`,
		`1 day passes`,
		`the customer says "Where is my order?"`,
		`the customer accepts consent for "contact"`,
		`the customer declines consent for "contact"`,
		`the customer withdraws consent for "contact"`,
		`agent "Anna" takes the conversation`,
		`agent "Anna" says "Hello"`,
		`the bot discloses that it is an automated assistant`,
		`the bot replies "Hello."`,
		`the reply contains "30 days"`,
		`the reply matches "\d+ days"`,
		`the reply cites the article "Returns"`,
		`the bot offers a human`,
		`the bot asks for consent for "contact"`,
		`the conversation is handed over to a human`,
		`the customer is told no agent is available and offered to leave a message`,
		`the stored data does not contain "jane@example.com"`,
		`the consent ledger shows "contact" as "granted"`,
		`no data about the customer remains`,
		`the audit log records "erasure"`,
	}
	steps := features.Steps()
	for _, c := range canonical {
		n := 0
		for _, s := range steps {
			if regexp.MustCompile(s.Pattern).MatchString(c) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q matches %d steps; want exactly 1", c, n)
		}
	}
	// Every documented example runs against exactly one step too.
	kw := regexp.MustCompile(`^(Given|When|Then|And|But) `)
	for _, s := range steps {
		ex := kw.ReplaceAllString(s.Example, "")
		if i := strings.Index(ex, "  ("); i > 0 {
			ex = ex[:i] // "(then a doc string)" notes
		}
		n := 0
		for _, o := range steps {
			if regexp.MustCompile(o.Pattern).MatchString(ex) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("example %q matches %d steps; want exactly 1", s.Example, n)
		}
	}
}

func startTarget(t *testing.T, adminToken string) *app.Local {
	t.Helper()
	return startLocal(t, nil, func(c *config.Config) { c.AdminToken = config.Secret(adminToken) })
}

// startLocal starts a served bot with the defaults changed by edit, on the
// clock now (nil: the real one), with a fixed master key.
func startLocal(t *testing.T, now func() time.Time, edit func(*config.Config)) *app.Local {
	t.Helper()
	cfg := config.Defaults(t.TempDir())
	edit(&cfg)
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	l, err := app.StartLocal(context.Background(), cfg, app.Options{Now: now, Getenv: func(k string) string {
		if k == "DESKBOT_MASTER_KEY" {
			return key
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func excerpt(out, from string) string {
	i := strings.Index(out, from)
	if i < 0 {
		return out
	}
	out = out[i:]
	if len(out) > 1500 {
		out = out[:1500]
	}
	return out
}

// The README documents every phrase the registry has.
func TestREADMEListsEveryPhrase(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range features.Steps() {
		if !strings.Contains(string(b), "| `"+s.Phrase+"` |") {
			t.Errorf("README.md does not document %q", s.Phrase)
		}
	}
}

// The same scenarios pass in-process and against a running bot (--target
// with its admin token): steps use only the protocol and public APIs.
func TestSameScenariosAgainstTarget(t *testing.T) {
	feature := `Feature: both ways
  Scenario: consent and storage
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant
    When the customer says "email me at both@example.com"
    Then the bot asks for consent for "contact"
    When the customer accepts consent for "contact"
    Then the consent ledger shows "contact" as "granted"
    And the stored data does not contain "both@example.com"
    And the audit log records "consent"

  Scenario: answer and handover
    Given a customer opens the chat
    When the customer says "How long does delivery take?"
    Then the reply cites the article "Delivery times"
    When the customer says "I want to talk to a human"
    Then the customer is told no agent is available and offered to leave a message

  Scenario: erasure
    Given a customer opens the chat
    And the customer says "Do you sell gift cards?"
    When the customer says "delete my data"
    Then no data about the customer remains
`
	if code, out := run(t, newSuite(), feature, "progress"); code != features.ExitOK {
		t.Fatalf("in-process run failed:\n%s", out)
	}
	l := startTarget(t, "target-admin-token-0123456789")
	s := &features.Suite{Target: l.URL, AdminToken: "target-admin-token-0123456789"}
	if code, out := run(t, s, feature, "progress"); code != features.ExitOK {
		t.Fatalf("run against --target failed:\n%s", out)
	}
}

// The cucumber format is valid JSON with one element per scenario.
func TestCucumberFormat(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: json
  Scenario: one
    Given a customer opens the chat
  Scenario: two
    Given a customer opens the chat
    When the customer says "Do you sell gift cards?"
    Then the reply cites the article "Gift cards"
`, "cucumber")
	if code != features.ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var doc []struct {
		Elements []struct {
			Name string `json:"name"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(doc) != 1 || len(doc[0].Elements) != 2 {
		t.Fatalf("want 1 feature with 2 scenarios, got %+v", doc)
	}
}

// Scenarios tagged @known-issue document product bugs; they are left out
// of the default run. With DESKBOT_KNOWN_ISSUES=1 this runs them and fails
// for each one that passes now, so that its tag is removed and the default
// run guards the fix.
func TestKnownIssues(t *testing.T) {
	if os.Getenv("DESKBOT_KNOWN_ISSUES") == "" {
		t.Skip("set DESKBOT_KNOWN_ISSUES=1 to run the @known-issue scenarios")
	}
	s := newSuite()
	var out bytes.Buffer
	s.Run(features.RunOptions{Paths: []string{"suite"}, Tags: "@known-issue", Format: "progress", Output: &out, NoColors: true})
	for _, ts := range s.Timings() {
		if ts.Failed {
			t.Logf("%s: %s (still failing)", ts.Location, ts.Name)
			continue
		}
		t.Errorf("%s: %s passes now: remove its @known-issue tag", ts.Location, ts.Name)
	}
	if len(s.Timings()) == 0 {
		t.Log("no scenario is tagged @known-issue")
	}
}

// Failure locations are right for backgrounds, rules and outline examples.
func TestFailureLocations(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: locations

  Background:
    Given a customer opens the chat

  Rule: outlines

    Scenario Outline: asks
      When the customer says "<q>"
      Then the reply contains "<want>"

      Examples:
        | q                        | want          |
        | Do you sell gift cards?  | gift card     |
        | Do you rent out tents?   | no-such-words |
`, "progress")
	if code == features.ExitOK {
		t.Fatalf("run passed:\n%s", out)
	}
	if !strings.Contains(out, `step: "the reply contains \"no-such-words\"" at `) || !strings.Contains(out, "t.feature:10 (example row at line 15)") {
		t.Errorf("failure does not point at the outline step, t.feature:10:\n%s", out)
	}
}

// ACC-3 built-in check: a scenario in which the bot says "I've cancelled
// your order" fails with ACC-3, although no step asks about it: deskbot has
// no order backend, so nothing can confirm the claim.
func TestLegalCheckCatchesUnconfirmedAction(t *testing.T) {
	code, out := run(t, newSuite(), `Feature: a bad article
  Scenario: the article claims an action
    Given the knowledge base has an article "Cancel my order" answering "I've cancelled your order. You will get an e-mail."
    And a customer opens the chat
    When the customer says "Cancel my order"
    Then the reply cites the article "Cancel my order"
`, "pretty")
	if code == features.ExitOK {
		t.Fatalf("run passed; want an ACC-3 failure:\n%s", out)
	}
	if !strings.Contains(out, "ACC-3 violated") || !strings.Contains(out, `"I've cancelled"`) {
		t.Errorf("report lacks the ACC-3 violation and its evidence:\n%s", out)
	}
	t.Logf("failure message:\n%s", excerpt(out, "ACC-3 violated"))
}
