package features_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
	"deskbot/features"
)

// startHoursTarget starts a live server whose configuration edit sets its
// business hours, on a fixed clock.
func startHoursTarget(t *testing.T, at time.Time, edit func(*config.Config)) *app.Local {
	t.Helper()
	return startLocal(t, func() time.Time { return at }, edit)
}

// recordAgainst records the customer's lines against a live server.
func recordAgainst(t *testing.T, url, lines string) string {
	t.Helper()
	s := &features.Suite{Target: url}
	defer s.Close()
	var out bytes.Buffer
	if err := s.Record(context.Background(), bufio.NewReader(strings.NewReader(lines)), &out, features.RecordOptions{Name: "Asking for a person"}); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// A conversation recorded against a live server outside its business
// hours writes that state (the offline frame says why=closed), with the
// step that turns business hours on, so the in-process replay reaches the
// same closed team even with a configuration whose hours are off.
func TestRecordTargetClosedWritesOutsideHours(t *testing.T) {
	saturday := time.Date(2026, 11, 28, 11, 0, 0, 0, time.UTC)
	l := startHoursTarget(t, saturday, func(c *config.Config) { c.BusinessHours.Enabled = true })
	got := recordAgainst(t, l.URL, "I want to talk to a human\n")
	for _, want := range []string{
		"Given the bot is configured with:\n      | business_hours.enabled | true |\n    And the time is \"",
		"\"\n    And it is outside business hours\n    And a customer opens the chat\n",
		"Then the customer is told no agent is available and offered to leave a message",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("recorded feature lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "inside business hours") {
		t.Errorf("a closed team was recorded as inside hours:\n%s", got)
	}
	if code, report := run(t, newSuite(), got, "progress"); code != features.ExitOK { // hours off in the replay's configuration
		t.Fatalf("the recorded feature does not replay with business hours off:\n%s\n%s", got, report)
	}
}

// Inside business hours with nobody online the offline frame says
// why=no_agent: the recording writes inside hours and no agent online,
// and replays with a configuration whose hours differ from the server's.
func TestRecordTargetNoAgentWritesInsideHours(t *testing.T) {
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	l := startHoursTarget(t, monday, func(c *config.Config) { c.BusinessHours.Enabled = true })
	got := recordAgainst(t, l.URL, "I want to talk to a human\n")
	for _, want := range []string{
		"Given the bot is configured with:\n      | business_hours.enabled | true |\n    And the time is \"",
		"\"\n    And it is inside business hours\n    And no agent is online\n    And a customer opens the chat\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("recorded feature lacks %q:\n%s", want, got)
		}
	}
	// The replay's team works only on Saturday morning: the recorded time
	// is most likely closed there, so the replay has to move its clock
	// into its own hours.
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "deskbot.yaml")
	if err := os.WriteFile(cfgFile, []byte("business_hours:\n  mon: \"\"\n  tue: \"\"\n  wed: \"\"\n  thu: \"\"\n  fri: \"\"\n  sat: \"10:00-12:00\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := newSuite()
	s.ConfigFile = cfgFile
	if code, report := run(t, s, got, "progress"); code != features.ExitOK {
		t.Fatalf("the recorded feature does not replay with other business hours:\n%s\n%s", got, report)
	}
}
