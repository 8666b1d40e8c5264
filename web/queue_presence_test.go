package web_test

import (
	"context"
	"testing"
	"time"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// Issue 11 (D7): the queue shows whether a waiting customer still has the
// chat open; one gone longer than handover.queue_drop_after leaves the
// queue, the agents get a queue_dropped event, and the customer is told on
// return. A customer who keeps the chat open is never dropped.
func TestGoneCustomerLeavesQueue(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	l := startBotWithClock(t, clock, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	anna.events(0)

	human := func() (*chatclient.Client, string, string) {
		c, tok := openSession(t, l)
		exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}, "human")
		return c, tok, sessionID(t, l, tok)
	}
	gone, goneTok, goneID := human()
	_, _, stayID := human()
	item := func(id string) protocol.QueueItem {
		t.Helper()
		for _, it := range anna.queue().Queue {
			if it.ID == id {
				return it
			}
		}
		return protocol.QueueItem{}
	}
	if it := item(goneID); it.Customer != protocol.CustomerOnline || it.GoneSince != nil {
		t.Fatalf("queue item with the chat open: %+v, want online", it)
	}
	gone.Close()
	deadline := time.Now().Add(5 * time.Second)
	for item(goneID).Customer != protocol.CustomerLeft && time.Now().Before(deadline) {
		clock.Set(clock.Now().Add(2 * time.Minute)) // past the HTTP grace; the socket's close takes a moment
		time.Sleep(20 * time.Millisecond)
	}
	if it := item(goneID); it.Customer != protocol.CustomerLeft || it.GoneSince == nil {
		t.Fatalf("queue item after the customer closed the chat: %+v, want left with gone_since", it)
	}
	if n := l.App.Engine.DropGone(context.Background(), 10*time.Minute); n != 0 {
		t.Fatalf("dropped %d before queue_drop_after", n)
	}
	clock.Set(clock.Now().Add(11 * time.Minute))
	if n := l.App.Engine.DropGone(context.Background(), l.App.Config.Handover.QueueDropAfter); n != 1 {
		t.Fatalf("dropped %d, want the one customer gone 11 minutes (the other has the chat open)", n)
	}
	if it := item(goneID); it.ID != "" {
		t.Errorf("the gone customer is still in the queue: %+v", it)
	}
	if it := item(stayID); it.ID == "" || it.Position != 1 {
		t.Errorf("the customer with the chat open: %+v, want first in line", it)
	}
	var notice bool
	for i := 0; i < 10 && !notice; i++ {
		for _, ev := range anna.events(1) {
			notice = notice || (ev.Kind == protocol.DeskEventQueueDropped && ev.ID == goneID)
		}
	}
	if !notice {
		t.Error("no queue_dropped event for the agent")
	}

	// The customer comes back: told they left the line, talking to the bot.
	back := dial(t, l, chatclient.Options{Session: goneTok})
	ctx := ctxT(t)
	var left, told bool
	for !(left && told) {
		f, err := back.Next(ctx)
		if err != nil {
			t.Fatalf("resume: left %v, told %v: %v", left, told, err)
		}
		left = left || (f.Type == protocol.TypeHandover && f.State == protocol.HandoverLeft)
		told = told || (f.Type == protocol.TypeMessage && f.From == protocol.FromSystem && contains(f.Text, "out of the line"))
	}
}
