package features_test

import (
	"bufio"
	"bytes"
	"context"
	"strings"
	"testing"

	"deskbot/compliance"
	"deskbot/features"
)

// A recorded conversation becomes a feature file without the personal
// data typed, and that file passes when run (MIN-1: no real data in QA files).
func TestRecordReplays(t *testing.T) {
	s := newSuite()
	defer s.Close()
	in := "hello\nWhere is my order?\nplease email me at jane.real@personal.example.org\n/accept\nMy card 4111-1111-1111-1111 was declined\nCan you recommend a good pizza place nearby?\n/click human\n"
	var out bytes.Buffer
	if err := s.Record(context.Background(), bufio.NewReader(strings.NewReader(in)), &out, features.RecordOptions{Name: "Order question"}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, bad := range []string{"jane.real", "personal.example.org", "4111-1111-1111-1111"} {
		if strings.Contains(got, bad) {
			t.Errorf("recorded feature holds personal data %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		`When the customer says "please email me at customer@example.com"`,
		`Then the bot asks for consent for "contact"`,
		`Then the reply cites the article "order-tracking"`,
		`Then the bot offers a human`,
		`When the customer accepts consent for "contact"`,
		`When the customer clicks "human"`,
		`Then the customer is told no agent is available and offered to leave a message`,
		"When the customer says \"hello\"\n    Then the bot makes small talk\n",
		"Given the time is \"2026-12-02T10:00:00Z\"\n    And no agent is online\n    And a customer opens the chat\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("recorded feature lacks %q:\n%s", want, got)
		}
	}
	code, report := run(t, newSuite(), got, "progress")
	if code != features.ExitOK {
		t.Fatalf("the recorded feature does not pass on replay:\n%s\n%s", got, report)
	}
}

// "Leave a message" and the message typed after it are recorded as one
// step, which checks on replay that the message was saved (HUM-2); the
// message's personal data is scrubbed like any line's.
func TestRecordLeaveMessage(t *testing.T) {
	s := newSuite()
	defer s.Close()
	in := "I want to talk to a human\n/click leave_message\nPlease call me back at jane.real@personal.example.org\n/accept\n"
	var out bytes.Buffer
	if err := s.Record(context.Background(), bufio.NewReader(strings.NewReader(in)), &out, features.RecordOptions{}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	want := "Then the customer is told no agent is available and offered to leave a message\n" +
		"    When the customer leaves the message \"Please call me back at customer@example.com\"\n" +
		"    Then the bot asks for consent for \"contact\"\n"
	if !strings.Contains(got, want) || strings.Contains(got, `clicks "leave_message"`) || strings.Contains(got, "jane.real") {
		t.Errorf("recorded feature:\n%s\nwant one leave-a-message step:\n%s", got, want)
	}
	code, report := run(t, newSuite(), got, "progress")
	if code != features.ExitOK {
		t.Fatalf("the recorded feature does not pass on replay:\n%s\n%s", got, report)
	}
}

func TestScrub(t *testing.T) {
	d := compliance.NewDetector(nil)
	for _, c := range []struct{ in, want string }{
		{"mail a.b@c.example now", "mail customer@example.com now"},
		{"card 5500 0000 0000 0004", "card 4111 1111 1111 1111"},
		{"no personal data", "no personal data"},
	} {
		if got := features.Scrub(d, c.in); got != c.want {
			t.Errorf("Scrub(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// The leave-a-message step recognises the confirmation in every shipped
// language, not only in English (HUM-2).
func TestLeaveMessageStepInGerman(t *testing.T) {
	feature := `Feature: Nachricht hinterlassen
  Scenario: a German customer leaves a message while nobody is there
    Given no agent is online
    And a customer opens the chat in "de"
    When the customer says "Ich möchte mit einem Menschen sprechen"
    Then the customer is told no agent is available and offered to leave a message
    When the customer leaves the message "Bitte rufen Sie mich wegen meiner Bestellung zurück"
    Then the bot asks for consent for "contact"
`
	if code, report := run(t, newSuite(), feature, "progress"); code != features.ExitOK {
		t.Fatalf("exit %d:\n%s", code, report)
	}
}
