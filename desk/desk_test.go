package desk

import (
	"errors"
	"testing"
	"time"

	"deskbot/config"
	"deskbot/protocol"
)

var (
	anna = AgentRef{Name: "anna", Display: "Anna"}
	ben  = AgentRef{Name: "ben", Display: "Ben"}
)

// HUM-2: customers wait in order; taking one moves everyone behind it up,
// and only the agent holding a conversation may act on it.
func TestQueueOrderTakeAndRelease(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d := New(func() time.Time { return now }, Hours{})
	for i, id := range []string{"a", "b", "c"} {
		if pos := d.Enqueue(id, "request"); pos != i+1 {
			t.Fatalf("%s queued at %d, want %d", id, pos, i+1)
		}
	}
	if pos := d.Enqueue("b", "request"); pos != 2 {
		t.Fatalf("queuing b again moved it to %d", pos)
	}
	moved, err := d.Take("a", anna)
	if err != nil {
		t.Fatal(err)
	}
	if len(moved) != 2 || moved["b"] != 1 || moved["c"] != 2 {
		t.Fatalf("positions after a was taken: %v, want b 1 and c 2", moved)
	}
	if c, ok := d.Conv("a"); !ok || c.State != protocol.HandoverJoined || c.Agent != anna {
		t.Fatalf("a after take: %+v", c)
	}
	if _, err := d.Take("a", ben); !errors.Is(err, ErrHeldByOther) {
		t.Fatalf("ben takes anna's conversation: %v", err)
	}
	if err := d.Holder("a", ben); !errors.Is(err, ErrHeldByOther) {
		t.Fatalf("ben as holder of a: %v", err)
	}
	if err := d.Holder("b", anna); !errors.Is(err, ErrNotQueued) {
		t.Fatalf("anna as holder of waiting b: %v", err)
	}
	waiting, mine := d.Queue(anna.Name)
	if len(waiting) != 2 || waiting[0].ID != "b" || len(mine) != 1 || mine[0].ID != "a" {
		t.Fatalf("queue for anna: waiting %+v, mine %+v", waiting, mine)
	}
	if moved := d.Release("b"); len(moved) != 1 || moved["c"] != 1 {
		t.Fatalf("positions after b left: %v, want c 1", moved)
	}
	if d.Release("b") != nil {
		t.Fatal("releasing a conversation twice reported positions")
	}
}

// DSR-4: forgetting a conversation also drops its lines from the feed.
func TestForgetDropsEvents(t *testing.T) {
	t.Parallel()
	d := New(nil, Hours{})
	d.Enqueue("a", "request")
	d.Publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: "a", Message: &protocol.ConsoleLine{Text: "my parcel"}}, anna.Name)
	d.Forget("a")
	evs, _, _ := d.Events(anna.Name, 0)
	for _, ev := range evs {
		if ev.ID == "a" {
			t.Fatalf("event of a forgotten conversation still in the feed: %+v", ev)
		}
	}
}

// Events for one agent are not shown to another.
func TestEventsPerAgent(t *testing.T) {
	t.Parallel()
	d := New(nil, Hours{})
	d.Publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: "a"}, anna.Name)
	if evs, _, _ := d.Events(ben.Name, 0); len(evs) != 0 {
		t.Fatalf("ben sees anna's events: %+v", evs)
	}
	if evs, next, _ := d.Events(anna.Name, 0); len(evs) != 1 || next != 1 {
		t.Fatalf("anna's events = %+v next %d", evs, next)
	}
}

// An agent counts as present until presenceTTL passes without a call, and
// a customer is put through only with someone online within hours.
func TestPresenceAndAvailability(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // a Monday
	hours, err := NewHours(config.BusinessHours{Enabled: true, Timezone: "UTC", Mon: "09:00-17:00"})
	if err != nil {
		t.Fatal(err)
	}
	d := New(func() time.Time { return now }, hours)
	if d.Available() {
		t.Fatal("available with nobody online")
	}
	d.SetPresence(anna, protocol.PresenceAway)
	if d.Available() {
		t.Fatal("available with the only agent away")
	}
	d.SetPresence(anna, protocol.PresenceOnline)
	if !d.Available() {
		t.Fatal("not available within hours with anna online")
	}
	now = now.Add(presenceTTL + time.Second)
	if p := d.Presence(anna.Name); p != protocol.PresenceOffline {
		t.Fatalf("presence after %v without a call: %s", presenceTTL, p)
	}
	d.SetPresence(anna, protocol.PresenceOnline)
	now = time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	d.Seen(anna.Name)
	if d.Open() || d.Available() {
		t.Fatal("available outside business hours")
	}
}
