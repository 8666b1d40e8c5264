package web

import (
	"net/http"
	"sync"
	"time"

	"deskbot/desk"
	"deskbot/protocol"
)

// typingEvery is the least time between two "typing" frames of one
// conversation: the console sends while the agent types, the customer's
// page shows the indicator a few seconds longer than this.
const typingEvery = 2 * time.Second

// typingThrottle remembers when each conversation last got a typing frame.
type typingThrottle struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// allow reports whether conversation id may get a typing frame now.
func (t *typingThrottle) allow(id string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = make(map[string]time.Time)
	}
	if now.Sub(t.last[id]) < typingEvery {
		return false
	}
	for k, at := range t.last { // bounded by the conversations typed in lately
		if now.Sub(at) > time.Minute {
			delete(t.last, k)
		}
	}
	t.last[id] = now
	return true
}

var typingLimit typingThrottle

// typing relays "the agent is typing" to the customer of a conversation the
// agent holds: POST /agent/api/conversations/{id}/typing answers 204. The
// frame goes only to the customer's open sockets (it is never stored or
// kept for the HTTP mirror: it is stale by the next call), at most once
// every typingEvery per conversation.
func (c *console) typing(w http.ResponseWriter, r *http.Request, a agentReq) {
	id := r.PathValue("id")
	conv, ok := c.desk.Conv(id)
	if !ok || conv.State != protocol.HandoverJoined || conv.Agent.Name != a.agent.Name {
		apiError(w, http.StatusConflict, "not your conversation")
		return
	}
	if typingLimit.allow(id, time.Now()) {
		// With several instances the customer may be on another one.
		if r, ok := c.e.(typingRelay); !ok || !r.RelayTyping(id, desk.AgentRef{Name: a.agent.Name, Display: a.agent.DisplayName}) {
			c.s.hub.signal(id, protocol.Typing{Type: protocol.TypeTyping, From: protocol.FromAgent, Name: a.agent.DisplayName})
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// typingRelay is the cluster's way to another instance's customer
// (cluster.Conversations).
type typingRelay interface {
	RelayTyping(id string, a desk.AgentRef) bool
}

// Signal sends frames to a session's open sockets only (for the cluster,
// which relays the typing of an agent on another instance).
func (h *Hub) Signal(session string, frames ...protocol.Outbound) { h.signal(session, frames...) }

// signal sends frames to a session's open sockets only; nothing is kept
// for a later call.
func (h *Hub) signal(session string, frames ...protocol.Outbound) {
	h.mu.Lock()
	conns := make([]*conn, 0, len(h.conns[session]))
	for c := range h.conns[session] {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.enqueue(frames...)
	}
}
