package features_test

import (
	"strings"
	"testing"
	"time"

	"deskbot/features"
)

// In-process scenarios start on a fixed clock (DefaultStartTime, inside
// business hours), so a handover scenario gives the same result at any
// time of day; Suite.StartTime moves it (HUM-2: outside the hours the
// customer is told nobody is available).
func TestScenarioClockIsFixed(t *testing.T) {
	feature := func(then string) string {
		return `Feature: clock
  Scenario: business hours
    Given the bot is configured with:
      | business_hours.enabled  | true          |
      | business_hours.timezone | Europe/London |
    And agent "Anna" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then ` + then + `
`
	}
	if code, out := run(t, newSuite(), feature("the conversation is handed over to a human"), "progress"); code != features.ExitOK {
		t.Fatalf("on the default clock (%v) the agent was not reached:\n%s", features.DefaultStartTime, out)
	}
	s := newSuite()
	s.StartTime = time.Date(2026, time.December, 5, 23, 0, 0, 0, time.UTC) // a Saturday night
	if code, out := run(t, s, feature("the customer is told no agent is available and offered to leave a message"), "progress"); code != features.ExitOK {
		t.Fatalf("outside business hours:\n%s", out)
	}
}

// "it is outside business hours" needs business hours to be enabled.
func TestBusinessHoursStepNeedsHours(t *testing.T) {
	code, out := run(t, newSuite(), "Feature: h\n  Scenario: off\n    Given it is outside business hours\n    And a customer opens the chat\n", "progress")
	if code == features.ExitOK || !strings.Contains(out, "business hours are off in this configuration") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
