package conversation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"deskbot/compliance"
	"deskbot/desk"
	"deskbot/protocol"
	"deskbot/store"
)

// MaxNoteBytes bounds an agent's private note on a conversation.
const MaxNoteBytes = 8000

// noteSession is the session of conversation id when agent a may see it:
// on the desk, in the agent's own lane (a test run's agents see only its
// test sessions), and waiting or held by a. A conversation another agent
// holds is theirs (ErrHeldByOther).
func (e *Engine) noteSession(id string, a desk.AgentRef) (*Session, error) {
	c, ok := e.desk.Conv(id)
	s, live := e.held(id)
	if !ok || !live || e.desk.TestRunOf(id) != e.desk.AgentTestRun(a.Name) {
		return nil, desk.ErrNotQueued
	}
	if c.State == protocol.HandoverJoined && c.Agent.Name != a.Name {
		return nil, desk.ErrHeldByOther
	}
	return s, nil
}

// ConversationNote returns the agents' private note on a conversation
// (empty text when there is none). Reading it is an agent_access audit
// event like reading the transcript (SEC-2).
func (e *Engine) ConversationNote(ctx context.Context, id string, a desk.AgentRef) (protocol.ConversationNote, error) {
	s, err := e.noteSession(id, a)
	if err != nil {
		return protocol.ConversationNote{}, err
	}
	out := protocol.ConversationNote{ID: id}
	n, err := e.store.Note(ctx, s.Subject, s.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return protocol.ConversationNote{}, fmt.Errorf("note: %w", err)
	default:
		at := n.UpdatedAt
		out.Text, out.UpdatedAt, out.UpdatedBy = n.Text, &at, n.UpdatedBy
	}
	if err := e.store.Audit(ctx, compliance.AuditRecord{At: e.now(), Event: compliance.EventAgentAccess, Subject: s.Subject, Actor: a.Name, Detail: "view=note session=" + s.ID}); err != nil {
		return protocol.ConversationNote{}, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}

// SetConversationNote saves (or, with empty text, clears) the private note
// on a conversation. It is never sent to the customer; it is stored sealed
// with the customer's data key, exported and erased with their data
// (DSR-1, DSR-4), and audited as agent_note without its text.
func (e *Engine) SetConversationNote(ctx context.Context, id string, a desk.AgentRef, text string) (protocol.ConversationNote, error) {
	text = strings.TrimSpace(text)
	if !utf8.ValidString(text) || len(text) > MaxNoteBytes {
		return protocol.ConversationNote{}, fmt.Errorf("%w: note invalid or longer than %d bytes", ErrBadAgentInput, MaxNoteBytes)
	}
	text = compliance.MaskCards(text) // PCI-1: never a full card number
	s, err := e.noteSession(id, a)
	if err != nil {
		return protocol.ConversationNote{}, err
	}
	now := e.now()
	if err := e.store.SetNote(ctx, s.Subject, s.ID, text, a.Name, now); err != nil {
		return protocol.ConversationNote{}, fmt.Errorf("note: %w", err)
	}
	out := protocol.ConversationNote{ID: id, Text: text}
	if text != "" {
		out.UpdatedAt, out.UpdatedBy = &now, a.Name
	}
	return out, nil
}
