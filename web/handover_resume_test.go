package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// DISC-6: a reconnecting customer is told who they are talking to.
func TestResumeWhileAgentHolds(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	ask(t, c, "agent")
	if code := anna.take(sessionID(t, l, tok)); code != http.StatusOK {
		t.Fatalf("take: HTTP %d", code)
	}
	nextMessageFrom(t, c, protocol.FromSystem)
	c.Close()

	c2 := dial(t, l, chatclient.Options{Session: tok})
	if f, _ := c2.Next(ctxT(t)); f.Type != protocol.TypeSession {
		t.Fatalf("first frame %+v", f)
	}
	d, _ := c2.Next(ctxT(t))
	if !d.Disclosure || !contains(d.Text, "automated assistant") || !contains(d.Text, "Anna") {
		t.Fatalf("resume greeting %q must disclose the bot and name the agent now talking", d.Text)
	}
	if h := nextHandover(t, c2); h.State != protocol.HandoverJoined || h.Agent != "Anna" {
		t.Fatalf("resume frame %+v, want joined by Anna", h)
	}
}

// An agent who logs out hands back; one who vanishes (presence expires)
// is reported gone at the customer's next message and the bot answers.
func TestAgentLeavingHandsBack(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	l := startBotWithClock(t, clock, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")

	c1, tok1 := openSession(t, l)
	ask(t, c1, "agent")
	anna.take(sessionID(t, l, tok1))
	nextMessageFrom(t, c1, protocol.FromSystem)
	if code := anna.do("POST", "/agent/api/logout", map[string]any{}, nil); code != 200 {
		t.Fatalf("logout: HTTP %d", code)
	}
	if h := nextHandover(t, c1); h.State != protocol.HandoverLeft {
		t.Fatalf("after the agent logged out: %+v, want left", h)
	}

	anna.login("anna")
	c2, tok2 := openSession(t, l)
	ask(t, c2, "agent")
	anna.take(sessionID(t, l, tok2))
	nextMessageFrom(t, c2, protocol.FromSystem)
	clock.Set(clock.Now().Add(10 * time.Minute)) // the console stopped polling
	got := ask(t, c2, "How do I return an item?")
	h, ok := handoverIn(got)
	if !ok || h.State != protocol.HandoverLeft {
		t.Fatalf("agent gone: frames %+v, want a left frame", got)
	}
	answered := false
	for _, f := range got { // ask returns the whole reply
		answered = answered || f.Type == protocol.TypeMessage && f.From == protocol.FromBot && f.Text != ""
	}
	if !answered {
		t.Fatalf("the bot should answer again: frames %+v", got)
	}
}

// DSR-4: erasing the conversation takes it off the desk.
func TestErasureRemovesFromQueue(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	c, _ := openSession(t, l)
	ask(t, c, "agent")
	if q := anna.queue(); len(q.Queue) != 1 {
		t.Fatalf("queue = %+v", q.Queue)
	}
	ask(t, c, "delete my data")
	if q := anna.queue(); len(q.Queue) != 0 {
		t.Fatalf("after erasure the queue still holds %+v", q.Queue)
	}
}

// After a restart the in-memory desk is empty; a customer who was with an
// agent is told the person is gone and the bot answers again.
func TestRestartEndsHandoverHonestly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := func() *app.Local {
		l, err := app.StartLocal(context.Background(), config.Defaults(dir), app.Options{Getenv: testEnv})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	l := start()
	anna := agentAtDesk(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	ask(t, c, "agent")
	anna.take(sessionID(t, l, tok))
	nextMessageFrom(t, c, protocol.FromSystem)
	c.Close()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = start()
	defer l.Close()
	c2 := dial(t, l, chatclient.Options{Session: tok})
	if h := nextHandover(t, c2); h.State != protocol.HandoverLeft {
		t.Fatalf("after restart: %+v, want left", h)
	}
	if m := nextMessageFrom(t, c2, protocol.FromSystem); !contains(m.Text, "automated assistant") {
		t.Fatalf("system line %q", m.Text)
	}
	got := ask(t, c2, "How do I return an item?")
	if m := lastMessage(got); m.From != protocol.FromBot {
		t.Fatalf("the bot should answer after the restart: %+v", got)
	}
}

// Closing a conversation tells the customer and frees the agent's list.
func TestAgentClosesConversation(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	ask(t, c, "agent")
	id := sessionID(t, l, tok)
	anna.take(id)
	nextMessageFrom(t, c, protocol.FromSystem)
	if q := anna.queue(); len(q.Mine) != 1 || q.Mine[0].ID != id {
		t.Fatalf("mine = %+v", q.Mine)
	}
	if code := anna.do("POST", "/agent/api/conversations/"+id+"/close", map[string]any{}, nil); code != http.StatusOK {
		t.Fatalf("close: HTTP %d", code)
	}
	if h := nextHandover(t, c); h.State != protocol.HandoverLeft {
		t.Fatalf("after close: %+v, want left", h)
	}
	if m := nextMessageFrom(t, c, protocol.FromSystem); !contains(m.Text, "closed") || !contains(m.Text, "automated assistant") {
		t.Fatalf("close notice %q", m.Text)
	}
	if q := anna.queue(); len(q.Mine) != 0 || len(q.Queue) != 0 {
		t.Fatalf("after close: mine %+v, queue %+v", q.Mine, q.Queue)
	}
	if code := anna.say(id, "still there?"); code != http.StatusNotFound {
		t.Fatalf("say after close: HTTP %d, want 404", code)
	}
}
