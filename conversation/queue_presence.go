package conversation

import (
	"context"
	"time"

	"deskbot/compliance"
	"deskbot/desk"
	"deskbot/locale"
	"deskbot/protocol"
)

// httpPresence is how long after its last call a customer of the HTTP
// mirror (no socket) still counts as there.
const httpPresence = time.Minute

// Seen records that the customer of s is there (an HTTP mirror call): its
// presence, like a socket's, keeps a queued conversation alive.
func (e *Engine) Seen(s *Session) { e.touch(s) }

// AgentTyping tells the customer of conversation id that agent a, who
// holds it, is typing: to open sockets only, nothing stored.
func (e *Engine) AgentTyping(_ context.Context, id string, a desk.AgentRef) error {
	conv, ok := e.desk.Conv(id)
	if !ok || conv.State != protocol.HandoverJoined || conv.Agent.Name != a.Name {
		return desk.ErrHeldByOther
	}
	e.delivery.Signal(id, protocol.Typing{Type: protocol.TypeTyping, From: protocol.FromAgent, Name: a.Display})
	return nil
}

// CustomerPresence says whether the customer of conversation id has a chat
// open, or when they were last there.
func (e *Engine) CustomerPresence(id string) (online bool, goneSince time.Time, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.byID[id]
	if !ok {
		return false, time.Time{}, false
	}
	if s.attached > 0 || e.now().Sub(s.lastActive) < httpPresence {
		return true, time.Time{}, true
	}
	return false, s.lastActive, true
}

// DropGone takes out of the queue every waiting conversation whose customer
// has had no chat open for longer than after (handover.queue_drop_after),
// so agents do not take conversations nobody is in (issue 11, D7). Each
// is a stored turn: a "left" handover frame and a line telling the
// customer, kept for when they come back, and an audit record; the agents'
// consoles get a queue_dropped event. It returns how many were dropped.
func (e *Engine) DropGone(ctx context.Context, after time.Duration) int {
	if after <= 0 {
		return 0
	}
	cutoff := e.now().Add(-after)
	e.mu.Lock()
	var gone []*Session
	for id, s := range e.byID {
		if s.attached > 0 || s.lastActive.After(cutoff) {
			continue
		}
		if c, ok := e.desk.Conv(id); ok && c.State == protocol.HandoverQueued {
			gone = append(gone, s)
		}
	}
	e.mu.Unlock()
	n := 0
	for _, s := range gone {
		dropped := false
		err := e.agentTurn(ctx, s, func(t *turn) {
			if c, ok := e.desk.Conv(s.ID); !ok || c.State != protocol.HandoverQueued || s.st.Handover != protocol.HandoverQueued {
				return // taken or left meanwhile
			}
			moved := e.desk.Release(s.ID)
			s.st.Handover = ""
			t.audit(compliance.EventHandover, "bot", "state=left reason=customer_gone")
			t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
				e.systemMessage(e.text(s, locale.HandoverQueueDropped)))
			e.tellPositions(moved)
			dropped = true
		})
		if err != nil {
			e.log.Error("dropping a gone customer from the queue failed", "session", s.ID, "err", err)
			continue
		}
		if dropped {
			e.desk.Publish(protocol.DeskEvent{Kind: protocol.DeskEventQueueDropped, ID: s.ID}, "")
			n++
		}
	}
	return n
}
