package desk

import (
	"errors"
	"testing"
	"time"

	"deskbot/protocol"
)

// A test run is a lane of its own: its sessions wait for and are seen by
// its test agents only, a test agent does not make the desk available to
// real customers, places in line are counted per lane, and ending the run
// leaves nothing of it on the desk.
func TestTestRunLanes(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d := New(func() time.Time { return now }, Hours{})
	tester := AgentRef{Name: "Maria (test r1)", Display: "Maria"}
	d.MarkTestAgent(tester.Name, "r1")
	d.MarkTestSession("t1", "r1")
	d.SetPresence(tester, protocol.PresenceOnline)
	if d.Available() || d.AvailableFor("real1") {
		t.Fatal("a test agent made the desk available to real customers")
	}
	if !d.AvailableFor("t1") {
		t.Fatal("the run's test agent does not serve its test session")
	}
	if len(d.Agents()) != 0 {
		t.Fatalf("the test agent is listed among the team: %+v", d.Agents())
	}
	d.SetPresence(anna, protocol.PresenceOnline)
	if d.AvailableFor("t1") != true || !d.AvailableFor("real1") {
		t.Fatal("availability per lane")
	}
	if pos := d.Enqueue("t1", "request"); pos != 1 {
		t.Fatalf("test session at %d", pos)
	}
	if pos := d.Enqueue("real1", "request"); pos != 1 {
		t.Fatalf("a real customer behind a test session: at %d", pos)
	}
	if w, _ := d.Queue(anna.Name); len(w) != 1 || w[0].ID != "real1" {
		t.Fatalf("the real agent's queue: %+v", w)
	}
	if w, _ := d.Queue(tester.Name); len(w) != 1 || w[0].ID != "t1" {
		t.Fatalf("the test agent's queue: %+v", w)
	}
	if _, err := d.Take("t1", anna); !errors.Is(err, ErrNotQueued) {
		t.Fatalf("a real agent took a test session: %v", err)
	}
	if _, err := d.Take("real1", tester); !errors.Is(err, ErrNotQueued) {
		t.Fatalf("a test agent took a real customer: %v", err)
	}
	evs, _, _ := d.Events(anna.Name, 0)
	for _, ev := range evs {
		if ev.ID == "t1" {
			t.Fatalf("the real agent sees the test session's event %+v", ev)
		}
	}
	if _, err := d.Take("t1", tester); err != nil {
		t.Fatal(err)
	}
	d.EndTestRun("r1")
	if _, ok := d.Conv("t1"); ok {
		t.Fatal("the test session stayed on the desk")
	}
	if d.Presence(tester.Name) != protocol.PresenceOffline {
		t.Fatal("the test agent stayed present")
	}
	if w, _ := d.Queue(anna.Name); len(w) != 1 || w[0].ID != "real1" || w[0].Position != 1 {
		t.Fatalf("the real queue after the run: %+v", w)
	}
}
