package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
	"deskbot/desk"
	"deskbot/protocol"
)

// testClock is a settable clock for the engine, desk and log-in limits.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func startBotWithClock(t testing.TB, clock *testClock, edit func(*config.Config)) *app.Local {
	t.Helper()
	cfg := config.Defaults(t.TempDir())
	if edit != nil {
		edit(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := app.StartLocal(context.Background(), cfg, app.Options{Getenv: testEnv, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func londonHours(c *config.Config) {
	c.BusinessHours.Enabled = true
	c.BusinessHours.Timezone = "Europe/London"
	c.BusinessHours.Mon, c.BusinessHours.Tue, c.BusinessHours.Wed, c.BusinessHours.Thu, c.BusinessHours.Fri = "09:00-17:30", "09:00-17:30", "09:00-17:30", "09:00-17:30", "09:00-17:30"
	c.BusinessHours.Sat, c.BusinessHours.Sun = "", ""
}

func TestBusinessHoursTimeZone(t *testing.T) {
	t.Parallel()
	var cfg config.Config
	londonHours(&cfg)
	h, err := desk.NewHours(cfg.BusinessHours)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at   string // UTC
		open bool
	}{
		{"2026-11-23T08:59:00Z", false}, // Monday, GMT = UTC
		{"2026-11-23T09:00:00Z", true},
		{"2026-11-23T17:29:59Z", true},
		{"2026-11-23T17:30:00Z", false},
		{"2026-11-28T12:00:00Z", false}, // Saturday
		{"2026-07-06T08:30:00Z", true},  // Monday 09:30 BST
		{"2026-07-06T16:45:00Z", false}, // Monday 17:45 BST
		{"2026-07-05T23:30:00Z", false}, // Monday 00:30 BST, Sunday in UTC
	}
	for _, c := range cases {
		at, _ := time.Parse(time.RFC3339, c.at)
		if got := h.Open(at); got != c.open {
			t.Errorf("Open(%s) = %v, want %v", c.at, got, c.open)
		}
	}
	if d := h.Describe(); !strings.Contains(d, "Mon 09:00-17:30") || !strings.Contains(d, "Europe/London") || strings.Contains(d, "Sat") {
		t.Errorf("Describe() = %q", d)
	}
	always, _ := desk.NewHours(config.BusinessHours{Timezone: "UTC"})
	if !always.Open(time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)) {
		t.Error("with business hours disabled the team must count as open")
	}
}

// HUM-2: inside hours with an agent online the customer is queued; after
// hours and at the weekend the bot says so and offers to leave a message.
func TestHandoverFollowsBusinessHours(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)} // Monday 10:00 London
	l := startBotWithClock(t, clock, londonHours)
	anna := agentAtDesk(t, l, "anna", "Anna")

	c, _ := openSession(t, l)
	if got := ask(t, c, "agent"); got[0].Type != protocol.TypeHandover || got[0].State != protocol.HandoverQueued {
		t.Fatalf("Monday 10:00 with an agent online: %+v, want queued", got[0])
	}
	for _, at := range []time.Time{
		time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC), // Monday evening
		time.Date(2026, 11, 28, 11, 0, 0, 0, time.UTC), // Saturday
	} {
		clock.Set(at)
		anna.login("anna") // online (a session lasts 12 hours)
		if q := anna.queue(); q.OpenHours {
			t.Fatalf("%s: console says open hours", at)
		}
		c2, _ := openSession(t, l)
		got := ask(t, c2, "can I speak to a real person please")
		if got[0].Type != protocol.TypeHandover || got[0].State != protocol.HandoverOffline || got[0].Why != protocol.OfflineClosed {
			t.Fatalf("%s: %+v, want offline because the team is closed (why=closed)", at, got[0])
		}
		m := lastMessage(got)
		if !strings.Contains(m.Text, "09:00-17:30") || !m.HasAction(protocol.ActionLeaveMessage) {
			t.Fatalf("%s: offline message %q should give the hours and offer leave_message", at, m.Text)
		}
	}
	// Back in hours, but the agent has not been seen for a while: offline.
	clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) // Tuesday after
	c3, _ := openSession(t, l)
	if got := ask(t, c3, "human please"); got[0].State != protocol.HandoverOffline || got[0].Why != protocol.OfflineNoAgent {
		t.Fatalf("agent silent for hours: %+v, want offline because nobody is online (why=no_agent)", got[0])
	}
	anna.login("anna")
	c4, _ := openSession(t, l)
	if got := ask(t, c4, "human please"); got[0].State != protocol.HandoverQueued {
		t.Fatalf("agent back: %+v, want queued", got[0])
	}
}
