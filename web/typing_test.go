package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"deskbot/protocol"
)

// Issue 11: while the agent holding a conversation types, the customer gets
// a "typing" frame naming the agent, at most one every 2 s; an agent who
// does not hold the conversation cannot send one.
func TestAgentTypingRelayed(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	addAgent(t, l, "ben", "Ben")
	anna := newAgentSim(t, l)
	anna.login("anna")
	ben := newAgentSim(t, l)
	ben.login("ben")
	c, tok := openSession(t, l)
	ask(t, c, "agent")
	id := sessionID(t, l, tok)
	typing := func(a *agentSim) int {
		return a.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/typing", map[string]any{}, nil)
	}
	if code := typing(anna); code != http.StatusConflict {
		t.Errorf("typing in a conversation nobody holds: HTTP %d, want 409", code)
	}
	if code := anna.take(id); code != http.StatusOK {
		t.Fatalf("take: HTTP %d", code)
	}
	nextMessageFrom(t, c, protocol.FromSystem)
	if code := typing(ben); code != http.StatusConflict {
		t.Errorf("typing in Anna's conversation by Ben: HTTP %d, want 409", code)
	}
	if code := typing(anna); code != http.StatusNoContent {
		t.Fatalf("typing: HTTP %d, want 204", code)
	}
	f, err := c.NextOf(ctxT(t), protocol.TypeTyping)
	if err != nil || f.From != protocol.FromAgent || f.Name != "Anna" {
		t.Fatalf("typing frame %+v, %v; want from agent, name Anna", f, err)
	}
	if code := typing(anna); code != http.StatusNoContent {
		t.Fatalf("second typing: HTTP %d, want 204", code)
	}
	// The hub queues frames in order, so a second typing frame would come
	// before the answer to this turn.
	for _, f := range exchange(t, c, protocol.Inbound{Type: protocol.TypeSay, Text: "hello?"}, "hello?") {
		if f.Type == protocol.TypeTyping {
			t.Errorf("a second typing frame within 2 s: %+v", f)
		}
	}
}
