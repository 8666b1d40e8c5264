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
// every typingEvery per conversation; with several instances, through the
// one holding the chat.
func (c *console) typing(w http.ResponseWriter, r *http.Request, a agentReq) {
	id := r.PathValue("id")
	conv, ok := c.desk.Conv(id)
	if !ok || conv.State != protocol.HandoverJoined || conv.Agent.Name != a.agent.Name {
		apiError(w, http.StatusConflict, errNotYours, "not your conversation")
		return
	}
	if typingLimit.allow(id, time.Now()) {
		if err := c.e.AgentTyping(r.Context(), id, desk.AgentRef{Name: a.agent.Name, Display: a.agent.DisplayName}); err != nil {
			c.s.log.Debug("agent typing not relayed", "err", err)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// Signal sends frames to a session's open sockets only; nothing is kept
// for a later call (conversation.Delivery).
func (h *Hub) Signal(session string, frames ...protocol.Outbound) {
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
