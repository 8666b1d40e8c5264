package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"deskbot/chatclient"
	"deskbot/compliance"
	"deskbot/protocol"
)

// HUM-2, DISC-6: several customers queue, two agents take them; frames are
// exactly protocol v1 and the bot is silent while a person holds the
// conversation.
func TestHandoverQueueSeveralCustomersTwoAgents(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	addAgent(t, l, "ben", "Ben")

	// Nobody logged in: the bot says so honestly and offers a message.
	c0, _ := openSession(t, l)
	got := ask(t, c0, "agent")
	if h := got[0]; h.Type != protocol.TypeHandover || h.State != protocol.HandoverOffline {
		t.Fatalf("with no agent online: first frame %+v, want handover offline", h)
	}
	if m := lastMessage(got); !m.HasAction(protocol.ActionLeaveMessage) {
		t.Fatalf("offline reply %+v offers no leave_message", m)
	}

	anna, ben := newAgentSim(t, l), newAgentSim(t, l)
	anna.login("anna")
	ben.login("ben")

	c1, tok1 := openSession(t, l)
	c2, tok2 := openSession(t, l)
	c3, tok3 := openSession(t, l)
	id1, id2, id3 := sessionID(t, l, tok1), sessionID(t, l, tok2), sessionID(t, l, tok3)

	for i, step := range []struct {
		send func()
		c    *chatclient.Client
	}{
		{func() { c1.Say(ctxT(t), "can I speak to a real person please") }, c1},
		{func() { c2.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}) }, c2},
		{func() { c3.Say(ctxT(t), "Ich möchte mit einem Menschen sprechen") }, c3},
	} {
		step.send()
		f, err := step.c.Next(ctxT(t))
		if err != nil || f.Type != protocol.TypeHandover || f.State != protocol.HandoverQueued || f.Position != i+1 {
			t.Fatalf("customer %d: frame %+v, %v; want handover queued position %d", i+1, f, err, i+1)
		}
	}
	q := anna.queue()
	if len(q.Queue) != 3 || q.Queue[0].ID != id1 || q.Queue[1].ID != id2 || q.Queue[2].ID != id3 {
		t.Fatalf("queue = %+v, want customers 1, 2, 3 in order", q.Queue)
	}

	// Anna takes customer 1: joined frame with her name, then a system line.
	if code := anna.take(id1); code != http.StatusOK {
		t.Fatalf("take: HTTP %d", code)
	}
	j := nextHandover(t, c1)
	if j.State != protocol.HandoverJoined || j.Agent != "Anna" {
		t.Fatalf("joined frame = %+v", j)
	}
	sys := nextMessageFrom(t, c1, protocol.FromSystem)
	if !contains(sys.Text, "Anna") || !contains(sys.Text, "human") {
		t.Fatalf("system line %q must name Anna and say she is a human (DISC-6)", sys.Text)
	}
	// The others move up.
	if f := nextHandover(t, c2); f.State != protocol.HandoverQueued || f.Position != 1 {
		t.Fatalf("customer 2 after take: %+v, want queued position 1", f)
	}
	if f := nextHandover(t, c3); f.State != protocol.HandoverQueued || f.Position != 2 {
		t.Fatalf("customer 3 after take: %+v, want queued position 2", f)
	}
	// Ben cannot take or speak in Anna's conversation; he takes customer 2.
	if code := ben.take(id1); code != http.StatusConflict {
		t.Fatalf("second agent taking a held conversation: HTTP %d, want 409", code)
	}
	if code := ben.say(id1, "hi"); code != http.StatusConflict {
		t.Fatalf("second agent speaking in a held conversation: HTTP %d, want 409", code)
	}
	if code := ben.take(id2); code != http.StatusOK {
		t.Fatalf("ben take: HTTP %d", code)
	}
	if f := nextHandover(t, c2); f.State != protocol.HandoverJoined || f.Agent != "Ben" {
		t.Fatalf("customer 2 joined frame = %+v", f)
	}

	// Agent messages carry from=agent and the display name.
	if code := anna.say(id1, "Hello, I'm Anna. How can I help?"); code != http.StatusOK {
		t.Fatalf("agent say: HTTP %d", code)
	}
	am := nextMessageFrom(t, c1, protocol.FromAgent)
	if am.Name != "Anna" || am.Text != "Hello, I'm Anna. How can I help?" {
		t.Fatalf("agent message = %+v", am)
	}

	// The customer's reply reaches Anna (card masked, PCI-1) and the bot stays silent.
	anna.events(0) // skip the backlog
	if err := c1.Say(ctxT(t), "my card 4111 1111 1111 1111 was charged twice"); err != nil {
		t.Fatal(err)
	}
	var line *struct{ text string }
	for range 5 {
		for _, ev := range anna.events(5) {
			if ev.Kind == "message" && ev.ID == id1 && ev.Message != nil {
				line = &struct{ text string }{ev.Message.Text}
			}
		}
		if line != nil {
			break
		}
	}
	if line == nil || strings.Contains(line.text, "4111 1111 1111 1111") || !strings.Contains(line.text, "1111]") {
		t.Fatalf("agent saw %+v; want the customer's line with the card masked", line)
	}
	if code := ben.say(id1, "x"); code != http.StatusConflict {
		t.Fatalf("events for one agent's conversation must not let others in: HTTP %d", code)
	}
	// SEC-2: viewing the transcript writes an agent_access audit row.
	v, code := anna.view(id1)
	if code != http.StatusOK || len(v.Messages) == 0 {
		t.Fatalf("view: HTTP %d, %+v", code, v)
	}
	for _, m := range v.Messages {
		if strings.Contains(m.Text, "4111 1111 1111 1111") {
			t.Fatalf("transcript shows a full card number: %q (PCI-1)", m.Text)
		}
	}
	recs, err := l.App.Store.AuditRecords(context.Background(), compliance.EventAgentAccess)
	if err != nil || len(recs) == 0 || recs[len(recs)-1].Actor != "anna" {
		t.Fatalf("agent_access audit = %+v, %v; want a row with actor anna", recs, err)
	}

	// Hand back: left frame, system line, and the bot answers again.
	if code := anna.handBack(id1); code != http.StatusOK {
		t.Fatalf("hand back: HTTP %d", code)
	}
	if f := nextHandover(t, c1); f.State != protocol.HandoverLeft {
		t.Fatalf("after hand-back: %+v, want handover left", f)
	}
	back := nextMessageFrom(t, c1, protocol.FromSystem)
	if !contains(back.Text, "automated assistant") {
		t.Fatalf("hand-back line %q must say the automated assistant is back", back.Text)
	}
	got = ask(t, c1, "How do I return an item?")
	if m := lastMessage(got); m.From != protocol.FromBot {
		t.Fatalf("after hand-back the bot should answer; got %+v", got)
	}

	// Every agent and system line is in the sealed transcript.
	s1, err := l.App.Engine.Lookup(context.Background(), tok1)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := l.App.Store.Transcript(context.Background(), s1.Subject, s1.ID)
	if err != nil {
		t.Fatal(err)
	}
	senders := map[string]int{}
	for _, e := range entries {
		senders[e.Sender]++
	}
	if senders["agent"] != 1 || senders["system"] != 2 {
		t.Fatalf("transcript senders = %v, want 1 agent line and 2 system lines", senders)
	}
}

// DISC-6: no bot reply at all while an agent holds the conversation.
func TestBotSilentWhileAgentHolds(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	c, tok := openSession(t, l)
	ask(t, c, "human please")
	id := sessionID(t, l, tok)
	if code := anna.take(id); code != http.StatusOK {
		t.Fatalf("take: HTTP %d", code)
	}
	nextMessageFrom(t, c, protocol.FromSystem)
	c.Say(ctxT(t), "How do I return an item?")
	c.Say(ctxT(t), "are you a bot?")
	anna.say(id, "marker")
	for {
		f, err := c.NextOf(ctxT(t), protocol.TypeMessage)
		if err != nil {
			t.Fatal(err)
		}
		if f.From == protocol.FromBot {
			t.Fatalf("bot replied while an agent holds the conversation: %q", f.Text)
		}
		if f.From == protocol.FromAgent && f.Text == "marker" {
			break
		}
	}
}
