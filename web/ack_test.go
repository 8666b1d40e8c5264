package web_test

import (
	"net/http"
	"strings"
	"testing"

	"deskbot/protocol"
)

// Issue 11: a frame with a "ref" is acknowledged by that ref: "delivered"
// before the reply once it is stored, or the error that refused it; while a
// person holds the chat (the bot silent) "delivered" is the answer. The
// HTTP mirror does the same for a frame it carries.
func TestSayRefAcknowledged(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	anna := agentAtDesk(t, l, "anna", "Anna")
	c, tok := openSession(t, l)

	got := exchange(t, c, protocol.Inbound{Type: protocol.TypeSay, Text: "How do I return an item?", Ref: "r1"}, "r1")
	if len(got) < 2 || got[0].Type != protocol.TypeDelivered || got[0].Ref != "r1" || lastMessage(got).Type != protocol.TypeMessage {
		t.Fatalf("reply to r1: %+v, want delivered r1 then the answer", got)
	}

	big := strings.Repeat("ж", l.App.Config.Limits.MaxMessageBytes/2+1) // fewer characters than the limit, more bytes
	got = exchange(t, c, protocol.Inbound{Type: protocol.TypeSay, Text: big, Ref: "r2"}, "r2")
	if len(got) != 1 || got[0].Type != protocol.TypeError || got[0].Code != protocol.ErrTooLarge || got[0].Ref != "r2" {
		t.Fatalf("reply to r2: %+v, want only too_large with ref r2", got)
	}

	got = exchange(t, c, protocol.Inbound{Type: protocol.TypeSay, Text: "no ref here"}, "no ref")
	for _, f := range got {
		if f.Type == protocol.TypeDelivered || f.Ref != "" {
			t.Errorf("a frame without ref was acknowledged: %+v", f)
		}
	}

	ask(t, c, "agent")
	if code := anna.take(sessionID(t, l, tok)); code != http.StatusOK {
		t.Fatalf("take: HTTP %d", code)
	}
	nextMessageFrom(t, c, protocol.FromSystem)
	got = exchange(t, c, protocol.Inbound{Type: protocol.TypeSay, Text: "are you there?", Ref: "r3"}, "r3")
	if len(got) != 1 || got[0].Type != protocol.TypeDelivered || got[0].Ref != "r3" {
		t.Fatalf("reply to r3 while Anna holds the chat: %+v, want delivered r3 only", got)
	}

	// HTTP mirror: the frame shape carries the ref too.
	_, r, _ := postChat(t, l, protocol.ChatRequest{})
	status, r, _ := postChat(t, l, protocol.ChatRequest{Session: r.Session, Frame: &protocol.Inbound{Type: protocol.TypeSay, Text: "How do I return an item?", Ref: "h1"}})
	if status != http.StatusOK || len(r.Messages) < 2 || r.Messages[0].Type != protocol.TypeDelivered || r.Messages[0].Ref != "h1" {
		t.Fatalf("HTTP reply to h1: %d %+v", status, r.Messages)
	}
}
