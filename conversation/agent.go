package conversation

import (
	"context"
	"deskbot/compliance"
	"deskbot/desk"
	"deskbot/locale"
	"deskbot/protocol"
	"deskbot/store"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// What agents do to a conversation through the console: take it, write,
// hand it back, read its transcript and the messages left offline. Each
// change is one stored turn of the customer's session, delivered to the
// customer's connections (DISC-6, SEC-2).

// agentTurn runs fn as one stored turn of the session and delivers what it
// sends to the customer.
func (e *Engine) agentTurn(ctx context.Context, s *Session, fn func(t *turn)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.erased.Load() {
		return desk.ErrNotQueued
	}
	t := e.newTurn(s)
	fn(t)
	out, err := t.commit(ctx)
	if err != nil {
		return fmt.Errorf("agent's turn: %w", err)
	}
	e.deliver(s.ID, out...)
	return nil
}

// TakeConversation lets an agent join a waiting conversation: the customer
// gets a "joined" frame and a system line naming the agent (DISC-6), and
// the bot stops replying.
func (e *Engine) TakeConversation(ctx context.Context, id string, a desk.AgentRef) error {
	moved, err := e.desk.Take(id, a)
	if err != nil {
		return err
	}
	s, ok := e.held(id)
	if !ok {
		e.desk.Release(id)
		return desk.ErrNotQueued
	}
	err = e.agentTurn(ctx, s, func(t *turn) {
		if s.st.Handover == protocol.HandoverJoined {
			return
		}
		s.st.Handover = protocol.HandoverJoined
		t.audit(compliance.EventHandover, a.Name, "state=joined")
		t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverJoined, Agent: a.Display},
			e.systemMessage(e.text(s, locale.AgentJoined, "agent", a.Display)))
	})
	if err != nil {
		e.desk.Release(id)
		return err
	}
	e.tellPositions(moved)
	return nil
}

// AgentSay sends an agent's message to the customer and stores it.
func (e *Engine) AgentSay(ctx context.Context, id string, a desk.AgentRef, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || !utf8.ValidString(text) || len(text) > 4*e.cfg.Limits.MaxMessageBytes {
		return "", fmt.Errorf("%w: empty, invalid or too long", ErrBadAgentInput)
	}
	s, err := e.holder(id, a)
	if err != nil {
		return "", err
	}
	m := protocol.Message{Type: protocol.TypeMessage, ID: "m_" + store.NewID(8), From: protocol.FromAgent, Name: a.Display,
		Text: compliance.MaskCards(text), Sources: []protocol.Source{}, Actions: []protocol.Action{}} // PCI-1: never a full card number
	return m.ID, e.agentTurn(ctx, s, func(t *turn) { t.send(m) })
}

// ErrBadAgentInput rejects an empty or oversized agent message.
var ErrBadAgentInput = errors.New("bad agent input")

// HandBack returns the conversation to the bot (or closes it): the customer
// gets a "left" frame and a system line that the automated assistant is back.
func (e *Engine) HandBack(ctx context.Context, id string, a desk.AgentRef, closing bool) error {
	s, err := e.holder(id, a)
	if err != nil {
		return err
	}
	moved := e.desk.Release(id)
	err = e.agentTurn(ctx, s, func(t *turn) {
		s.st.Handover = ""
		s.st.Misses = 0
		detail := "state=left"
		text := e.text(s, locale.AgentHandedBack, "agent", a.Display)
		if closing {
			detail += " closed=true"
			text = e.text(s, locale.AgentClosed, "agent", a.Display)
		}
		t.audit(compliance.EventHandover, a.Name, detail)
		t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft}, e.systemMessage(text))
	})
	e.tellPositions(moved)
	return err
}

// holder returns the session an agent holds.
func (e *Engine) holder(id string, a desk.AgentRef) (*Session, error) {
	if err := e.desk.Holder(id, a); err != nil {
		return nil, err
	}
	s, ok := e.held(id)
	if !ok {
		return nil, desk.ErrNotQueued
	}
	return s, nil
}

// ViewConversation returns the transcript so far with card numbers masked,
// and writes an agent_access audit event (SEC-2).
func (e *Engine) ViewConversation(ctx context.Context, id string, a desk.AgentRef) (protocol.ConversationView, error) {
	c, ok := e.desk.Conv(id)
	s, live := e.held(id)
	if !ok || !live {
		return protocol.ConversationView{}, desk.ErrNotQueued
	}
	entries, err := e.store.Transcript(ctx, s.Subject, s.ID)
	if err != nil {
		return protocol.ConversationView{}, fmt.Errorf("transcript: %w", err)
	}
	// SEC-2: who opened which transcript, when.
	if err := e.store.Audit(ctx, compliance.AuditRecord{At: e.now(), Event: compliance.EventAgentAccess, Subject: s.Subject, Actor: a.Name, Detail: "view=transcript session=" + s.ID}); err != nil {
		return protocol.ConversationView{}, fmt.Errorf("audit: %w", err)
	}
	v := protocol.ConversationView{ID: id, State: c.State, Agent: c.Agent.Name, Reason: c.Reason, Messages: []protocol.ConsoleLine{}}
	for _, en := range entries {
		if l, ok := consoleLine(en); ok {
			v.Messages = append(v.Messages, l)
		}
	}
	return v, nil
}

// consoleLine renders one stored entry; text is already redacted and card
// numbers are masked again (PCI-1).
func consoleLine(en store.Entry) (protocol.ConsoleLine, bool) {
	l, ok := consoleEntry(en)
	l.Kind = protocol.LineMessage
	if ok && en.Sender == "customer" {
		var b map[string]string
		if json.Unmarshal(en.Body, &b) == nil && b["text"] == "" {
			l.Kind = protocol.LineEvent // a button or a consent decision
		}
	} else if ok {
		var f protocol.Frame
		if json.Unmarshal(en.Body, &f) == nil && f.Type != protocol.TypeMessage {
			l.Kind = protocol.LineEvent // a handover or a consent request
		}
	}
	return l, ok
}

// consoleEntry is the line's sender and text.
func consoleEntry(en store.Entry) (protocol.ConsoleLine, bool) {
	l := protocol.ConsoleLine{At: en.At, From: en.Sender}
	if en.Sender == "customer" {
		var b map[string]string
		if json.Unmarshal(en.Body, &b) != nil {
			return l, false
		}
		switch {
		case b["text"] != "":
			l.Text = b["text"]
		case b["action"] != "":
			l.Text = "[pressed: " + b["action"] + "]"
			if b["id"] != "" {
				l.Text = "[pressed: " + b["action"] + " " + b["id"] + "]" // the suggested article picked
			}
		case b["consent"] != "":
			l.Text = "[consent " + b["consent"] + ": " + b["decision"] + "]"
		default:
			return l, false
		}
		l.Text = compliance.MaskCards(l.Text)
		return l, true
	}
	var f protocol.Frame
	if json.Unmarshal(en.Body, &f) != nil {
		return l, false
	}
	switch f.Type {
	case protocol.TypeMessage:
		l.From, l.Name, l.Text = f.From, f.Name, compliance.MaskCards(f.Text)
	case protocol.TypeHandover:
		l.From, l.Text = protocol.FromSystem, "[handover: "+f.State+"]"
	case protocol.TypeConsentRequest:
		l.From, l.Text = protocol.FromSystem, "[consent requested: "+f.Purpose+"]"
	default:
		return l, false
	}
	return l, true
}

// OfflineInbox returns open offline messages with the contact details the
// customer consented to, auditing each one shown (SEC-2).
func (e *Engine) OfflineInbox(ctx context.Context, a desk.AgentRef) ([]protocol.OfflineView, error) {
	msgs, err := e.store.OfflineMessages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.OfflineView, 0, len(msgs))
	var audit []compliance.AuditRecord
	lane := e.desk.AgentTestRun(a.Name) // a test run's agents see its messages only (test_runs.go)
	for _, m := range msgs {
		if m.TestRun != lane {
			continue
		}
		contacts, err := e.store.Contacts(ctx, m.Subject)
		if errors.Is(err, store.ErrErased) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if contacts == nil {
			contacts = []string{}
		}
		out = append(out, protocol.OfflineView{ID: m.ID, At: m.At, Text: compliance.MaskCards(m.Text), Contacts: contacts})
		audit = append(audit, compliance.AuditRecord{At: e.now(), Event: compliance.EventAgentAccess, Subject: m.Subject, Actor: a.Name, Detail: fmt.Sprintf("view=offline_message id=%d", m.ID)})
	}
	if len(audit) > 0 {
		if err := e.store.Audit(ctx, audit...); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
	}
	return out, nil
}

// OfflineDone marks a left message handled.
func (e *Engine) OfflineDone(ctx context.Context, id int64, a desk.AgentRef) error {
	return e.store.MarkOfflineHandled(ctx, id, a.Name, e.now())
}

// OfflineCount counts open offline messages.
func (e *Engine) OfflineCount(ctx context.Context) int {
	n, err := e.store.CountOfflineMessages(ctx)
	if err != nil {
		e.log.Error("counting offline messages failed", "err", err)
	}
	return n
}
