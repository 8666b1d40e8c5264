package desk

import (
	"sync"
	"testing"
	"time"

	"deskbot/protocol"
)

// pipe delivers one desk's changes to others in order, off the caller's
// goroutine (as the PostgreSQL bus does).
type pipe struct {
	ch     chan Op
	to     []*Desk
	marked chan struct{}
}

func newPipe() *pipe {
	p := &pipe{ch: make(chan Op, 100), marked: make(chan struct{})}
	go func() {
		for op := range p.ch {
			if op.Kind == "mark" {
				p.marked <- struct{}{}
				continue
			}
			for _, d := range p.to {
				d.ApplyRemote(op)
			}
		}
	}()
	return p
}

func (p *pipe) Broadcast(op Op) { p.ch <- op }

// settle waits until every change sent so far has been applied.
func settle(ps ...*pipe) {
	for _, p := range ps {
		p.ch <- Op{Kind: "mark"}
		<-p.marked
	}
}

func TestReplicasShareQueuePresenceAndEvents(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }
	a, b := New(now, Hours{}), New(now, Hours{})
	pa, pb := newPipe(), newPipe()
	pa.to, pb.to = []*Desk{b}, []*Desk{a}
	var movedMu sync.Mutex
	movedOnB := map[string]int{}
	a.Replicate("a", pa, nil)
	b.Replicate("b", pb, func(m map[string]int) {
		movedMu.Lock()
		defer movedMu.Unlock()
		for k, v := range m {
			movedOnB[k] = v
		}
	})

	// An agent logged in to b makes the desk available to a's customers.
	if a.Available() {
		t.Fatal("available with nobody online")
	}
	b.SetPresence(AgentRef{Name: "maria", Display: "Maria"}, protocol.PresenceOnline)
	settle(pb)
	if !a.Available() || a.Presence("maria") != protocol.PresenceOnline {
		t.Fatalf("a does not see maria online on b: %v %q", a.Available(), a.Presence("maria"))
	}

	// Customers queued on a and on b are one line, seen alike on both.
	a.Enqueue("conv-a", "request")
	settle(pa)
	b.Enqueue("conv-b", "request")
	settle(pb)
	for name, d := range map[string]*Desk{"a": a, "b": b} {
		waiting, _ := d.Queue("maria")
		if len(waiting) != 2 || waiting[0].ID != "conv-a" || waiting[1].ID != "conv-b" {
			t.Fatalf("queue on %s = %+v, want conv-a then conv-b", name, waiting)
		}
	}
	if c, _ := b.Conv("conv-a"); c.Owner != "a" {
		t.Fatalf("conv-a owner on b = %q, want a", c.Owner)
	}

	// a's conversation is taken (on a, its owner): b sees it held and its
	// own customer moves up to first.
	if _, err := a.Take("conv-a", AgentRef{Name: "maria", Display: "Maria"}); err != nil {
		t.Fatal(err)
	}
	settle(pa)
	if err := b.Holder("conv-a", AgentRef{Name: "maria"}); err != nil {
		t.Fatalf("b does not see maria holding conv-a: %v", err)
	}
	movedMu.Lock()
	if movedOnB["conv-b"] != 1 {
		t.Fatalf("b was not told conv-b moved to first: %v", movedOnB)
	}
	movedMu.Unlock()

	// An event published on a reaches b's consoles.
	_, seq, _ := b.Events("maria", 0)
	a.Publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: "conv-a", Message: &protocol.ConsoleLine{Text: "hello"}}, "maria")
	settle(pa)
	evs, _, _ := b.Events("maria", seq)
	if len(evs) != 1 || evs[0].Message == nil || evs[0].Message.Text != "hello" {
		t.Fatalf("events on b after a's publish: %+v", evs)
	}

	// A new instance learns the desk from the others' snapshots.
	c := New(now, Hours{})
	for _, d := range []*Desk{a, b} {
		for _, op := range d.Snapshot() {
			c.ApplyRemote(op)
		}
	}
	waiting, _ := c.Queue("maria")
	if len(waiting) != 1 || waiting[0].ID != "conv-b" || c.Presence("maria") != protocol.PresenceOnline {
		t.Fatalf("joiner's queue %+v, maria %q", waiting, c.Presence("maria"))
	}
	if err := c.Holder("conv-a", AgentRef{Name: "maria"}); err != nil {
		t.Fatalf("joiner does not know maria holds conv-a: %v", err)
	}

	// Released on its owner: gone everywhere.
	a.Release("conv-a")
	settle(pa)
	if _, ok := b.Conv("conv-a"); ok {
		t.Fatal("conv-a still on b's desk after release")
	}
	// b claims a conversation whose customer came back to b.
	b.Claim("conv-b")
	settle(pb)
	if c, _ := a.Conv("conv-b"); c.Owner != "b" {
		t.Fatalf("owner of conv-b on a = %q", c.Owner)
	}
}
