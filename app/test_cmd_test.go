package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStepsCommandListsCanonicalPhrases(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Run([]string{"steps"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, p := range []string{
		`a customer opens the chat`, `a customer from "<region>" opens the chat`,
		`the knowledge base has an article "<title>" answering "<text>"`, `no agent is online`, `agent "<name>" is online`,
		`the time is "<RFC3339>"`, `<n> days pass`, `the customer says "<text>"`,
		`the customer accepts consent for "<purpose>"`, `the customer declines consent for "<purpose>"`,
		`the customer withdraws consent for "<purpose>"`, `agent "<name>" takes the conversation`, `agent "<name>" says "<text>"`,
		`the bot discloses that it is an automated assistant`, `the bot replies "<text>"`, `the reply contains "<text>"`,
		`the reply matches "<regex>"`, `the reply cites the article "<title>"`, `the bot offers a human`,
		`the bot asks for consent for "<purpose>"`, `the conversation is handed over to a human`,
		`the customer is told no agent is available and offered to leave a message`,
		`the stored data does not contain "<text>"`, `the consent ledger shows "<purpose>" as "<granted|declined|withdrawn>"`,
		`no data about the customer remains`, `the audit log records "<event>"`,
	} {
		if !strings.Contains(out.String(), "\n"+p+"\n") {
			t.Errorf("deskbot steps does not list %q", p)
		}
	}
}

func TestTestCommand(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	fail := filepath.Join(dir, "fail")
	for p, body := range map[string]string{
		pass: "Feature: ok\n  Scenario: a\n    Given a customer opens the chat\n    Then the bot discloses that it is an automated assistant\n  Scenario: b\n    Given a customer opens the chat\n    When the customer says \"How long does delivery take?\"\n    Then the reply cites the article \"Delivery times\"\n",
		fail: "Feature: human\n  Scenario: claims\n    Given a customer opens the chat\n    When the customer says \"are you human?\"\n    Then the bot replies \"I am a human employee.\"\n",
	} {
		os.MkdirAll(p, 0o700)
		if err := os.WriteFile(filepath.Join(p, "x.feature"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	junit := filepath.Join(dir, "report.xml")
	var out, errb bytes.Buffer
	if code := Run([]string{"test", pass, "--format", "junit", "--output", junit}, &out, &errb); code != 0 {
		t.Fatalf("passing suite: exit %d\n%s", code, errb.String())
	}
	b, err := os.ReadFile(junit)
	if err != nil || strings.Count(string(b), "<testcase ") != 2 {
		t.Errorf("junit report: %v\n%s", err, b)
	}
	out.Reset()
	errb.Reset()
	if code := Run([]string{"test", "--format", "progress", fail}, &out, &errb); code == 0 {
		t.Fatalf("a scenario expecting a human claim passed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "I am a human employee.") || !strings.Contains(errb.String(), "failed") {
		t.Errorf("failure not reported:\nstdout:\n%s\nstderr:\n%s", out.String(), errb.String())
	}
	if code := Run([]string{"test", "--format", "html", pass}, &out, &errb); code != 2 {
		t.Errorf("unknown format: exit %d; want 2", code)
	}
}

// A tag that matches nothing fails the run (no silent green in CI);
// --allow-empty opts out; Cucumber's syntax selects.
func TestTestCommandTags(t *testing.T) {
	dir := t.TempDir()
	body := "Feature: t\n  @consent\n  Scenario: a\n    Given a customer opens the chat\n    Then the bot discloses that it is an automated assistant\n  @consent @failing\n  Scenario: b\n    Given a customer opens the chat\n    Then the bot replies \"nothing like this\"\n"
	p := filepath.Join(dir, "x.feature")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Run([]string{"test", p, "--tags", "@consent and not @failing", "--format", "progress"}, &out, &errb); code != 0 {
		t.Fatalf("--tags \"@consent and not @failing\": exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "1 scenario(s)") {
		t.Errorf("want one scenario run:\n%s", errb.String())
	}
	errb.Reset()
	if code := Run([]string{"test", p, "--tags", "@consnet"}, &out, &errb); code == 0 || !strings.Contains(errb.String(), `no scenario matched --tags "@consnet"`) {
		t.Errorf("a misspelled tag: exit %d\n%s", code, errb.String())
	}
	errb.Reset()
	if code := Run([]string{"test", p, "--tags", "@consnet", "--allow-empty"}, &out, &errb); code != 0 {
		t.Errorf("--allow-empty: exit %d\n%s", code, errb.String())
	}
	errb.Reset()
	if code := Run([]string{"test", dir + ":3"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "is a folder") {
		t.Errorf("folder:LINE: exit %d\n%s", code, errb.String())
	}
	errb.Reset()
	if code := Run([]string{"test", p, "--tags", "(@consent"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "could not be parsed") {
		t.Errorf("a broken expression: exit %d\n%s", code, errb.String())
	}
}
