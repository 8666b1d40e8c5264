package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"deskbot/compliance"
	"deskbot/intent"
	"deskbot/protocol"
	"deskbot/store"
)

// HandoverStore is the persistence the human side needs besides Store.
type HandoverStore interface {
	Transcript(ctx context.Context, subject, session string) ([]store.Entry, error)
	LeaveMessage(ctx context.Context, m store.OfflineMessage) (int64, error)
	OfflineMessages(ctx context.Context) ([]store.OfflineMessage, error)
	CountOfflineMessages(ctx context.Context) (int, error)
	MarkOfflineHandled(ctx context.Context, id int64, agent string, at time.Time) error
	Contacts(ctx context.Context, subject string) ([]string, error)
	Audit(ctx context.Context, recs ...compliance.AuditRecord) error
}

// ErrNoHandoverStore means the engine's store cannot hold handover data.
var ErrNoHandoverStore = errors.New("store does not support the agent console")

// Desk returns the live agent desk (presence, queue, events).
func (e *Engine) Desk() *Desk { return e.desk }

// AttachHub makes the engine push agent and handover frames to customers'
// open sockets (or keep them for HTTP clients).
func (e *Engine) AttachHub(h *Hub) {
	e.mu.Lock()
	e.hub = h
	e.mu.Unlock()
}

func (e *Engine) deliver(session string, frames ...protocol.Outbound) {
	e.mu.Lock()
	h := e.hub
	e.mu.Unlock()
	if h == nil || len(frames) == 0 {
		return
	}
	h.Deliver(session, frames...)
}

// handover brings in a person when one is available, otherwise says so
// honestly and offers to leave a message (HUM-2).
func (e *Engine) handover(ctx context.Context, t *turn, reason string) {
	s := t.s
	if s.st.Handover == protocol.HandoverJoined {
		return
	}
	if s.st.Handover == protocol.HandoverQueued {
		if pos := e.desk.Position(s.ID); pos > 0 {
			t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos},
				e.botMessage(fmt.Sprintf("You're still in line for a person from our team (number %d). They will see this conversation so far.", pos), false))
			return
		}
	}
	if e.desk.Available() {
		pos := e.desk.enqueue(s, reason)
		s.st.Handover = protocol.HandoverQueued
		t.audit(compliance.EventHandover, "bot", "reason="+reason+" state=queued")
		t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos},
			e.botMessage(strings.TrimSpace(fmt.Sprintf("%s I'm bringing in a person from our team; you are number %d in line. They will see this conversation so far. Until they join, I'm still %s, an automated assistant.", leadIn(reason), pos, e.cfg.BotName)), false))
		return
	}
	s.st.Handover = protocol.HandoverOffline
	t.audit(compliance.EventHandover, "bot", "reason="+reason+" state=offline")
	why := "No one from our team is available right now."
	if !e.desk.Open() {
		why = "Our team is not available right now: we are there " + e.desk.Hours().Describe() + "."
	}
	m := e.botMessage(strings.TrimSpace(leadIn(reason)+" "+why+" You can leave a message and we will get back to you, or keep asking me."), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionLeaveMessage, Label: "Leave a message"}}
	t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverOffline}, m)
}

// leadIn acknowledges why a person is brought in.
func leadIn(reason string) string {
	switch {
	case reason == ReasonMisses:
		return "I still can't find a confirmed answer to that in our help articles, so a person from our team should help."
	case reason == ReasonFrustration:
		return "I'm sorry this has been frustrating."
	case strings.HasPrefix(reason, reasonSensitive):
		return "This is something a person from our team should handle."
	}
	return ""
}

// autoEscalate runs the configured triggers on a customer message.
func (e *Engine) autoEscalate(ctx context.Context, t *turn, in intent.Message) bool {
	reason, ok := e.escalator.Reason(in)
	if !ok {
		return false
	}
	// Automatic triggers do not repeat an offer already made; an explicit
	// request always gets an answer.
	if reason != ReasonRequest && (t.s.st.Handover == protocol.HandoverQueued || t.s.st.Handover == protocol.HandoverOffline) {
		return false
	}
	e.handover(ctx, t, reason)
	return true
}

// forwardToAgent passes a customer line to the agent holding the
// conversation; the bot stays silent (DISC-6).
func (e *Engine) forwardToAgent(t *turn, stored string) {
	c, ok := e.desk.conv(t.s.ID)
	if !ok || c.state != protocol.HandoverJoined {
		return
	}
	e.desk.publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: t.s.ID, Message: &protocol.ConsoleLine{At: t.now, From: "customer", Text: compliance.MaskCards(stored)}}, c.agent.Name)
}

// leaveMessage stores the customer's message for the team, sealed, and
// asks for consent before any contact details (CONS-1, MIN-1).
func (e *Engine) leaveMessage(ctx context.Context, t *turn, stored string) {
	s := t.s
	s.st.Leaving = false
	if e.hstore == nil {
		t.send(e.botMessage("Sorry, messages cannot be left here right now. Please try again later.", false))
		return
	}
	if _, err := e.hstore.LeaveMessage(ctx, store.OfflineMessage{Subject: s.Subject, Session: s.ID, At: t.now, Text: stored}); err != nil {
		e.log.Error("storing an offline message failed", "session", s.ID, "err", err)
		t.send(e.botMessage("Sorry, I could not save your message. Please try again.", false))
		return
	}
	t.audit(compliance.EventHandover, "bot", "state=offline message=left")
	e.desk.publish(protocol.DeskEvent{Kind: protocol.DeskEventOfflineMessage}, "")
	if e.notifier != nil {
		go e.notify(context.WithoutCancel(ctx), t.now)
	}
	if s.st.Consent.Granted(compliance.PurposeContact) {
		t.send(e.botMessage("Thank you, your message is saved for our team. If you'd like a reply and haven't given your contact details yet, type your e-mail address or phone number.", false))
		return
	}
	t.send(e.botMessage("Thank you, your message is saved for our team. If you'd like a reply, we need your consent to keep your contact details first: if you accept, type your e-mail address or phone number next.", false),
		e.consentRequest(s))
}

func (e *Engine) notify(ctx context.Context, at time.Time) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := e.notifier.Notify(ctx, OfflineNotice{At: at}); err != nil {
		e.log.Warn("offline message notification failed", "err", err)
	}
}

// resumeGreeting is the disclosure for a returning connection plus the
// handover state, so a reconnecting customer learns who they talk to.
// Call with s.mu held.
func (e *Engine) resumeGreeting(s *Session) (protocol.Message, []protocol.Outbound) {
	bot := "Welcome back. You are still talking to " + e.cfg.BotName + ", an automated assistant, not a human."
	switch {
	case s.st.Handover == protocol.HandoverJoined:
		if c, ok := e.desk.conv(s.ID); ok && c.state == protocol.HandoverJoined {
			return e.botMessage("Welcome back. "+e.cfg.BotName+" is an automated assistant, but right now you are talking to "+c.agent.Display+", a person from our team.", true),
				[]protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverJoined, Agent: c.agent.Display}}
		}
		s.st.Handover = ""
		return e.botMessage(bot, true), []protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
			e.systemMessage("The person from our team is no longer connected. You are talking to the automated assistant again; ask for a person at any time.")}
	case s.st.Handover == protocol.HandoverQueued:
		if pos := e.desk.Position(s.ID); pos > 0 {
			return e.botMessage(bot, true), []protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos}}
		}
		s.st.Handover = ""
	case s.lostHandover:
		s.lostHandover = false
		return e.botMessage(bot, true), []protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
			e.systemMessage("We had to restart, so the person from our team is no longer connected. You are talking to the automated assistant again; ask for a person at any time.")}
	}
	return e.botMessage(bot, true), nil
}

// agentPresent reports whether the agent holding s is still connected.
func (e *Engine) agentPresent(s *Session) bool {
	c, ok := e.desk.conv(s.ID)
	return ok && c.state == protocol.HandoverJoined && e.desk.Presence(c.agent.Name) != protocol.PresenceOffline
}

// agentGone ends a hold whose agent disappeared without handing back, and
// says so (DISC-6): the bot answers again from this message on.
func (e *Engine) agentGone(t *turn) {
	moved := e.desk.release(t.s.ID)
	t.s.st.Handover = ""
	t.audit(compliance.EventHandover, "bot", "state=left reason=agent_offline")
	t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
		e.systemMessage("The person from our team is no longer connected. You are talking to "+e.cfg.BotName+", the automated assistant, again; ask for a person at any time."))
	e.tellPositions(moved)
}

// agentTurn runs fn as one stored turn of the session and delivers what it
// sends to the customer.
func (e *Engine) agentTurn(ctx context.Context, s *Session, fn func(t *turn)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.erased.Load() {
		return ErrNotQueued
	}
	t := e.newTurn(s)
	fn(t)
	out := t.commit(ctx)
	if len(out) == 1 {
		if f, ok := out[0].(protocol.Error); ok && f.Code == protocol.ErrInternal {
			return fmt.Errorf("storing the agent's turn failed")
		}
	}
	e.deliver(s.ID, out...)
	return nil
}

// TakeConversation lets an agent join a waiting conversation: the customer
// gets a "joined" frame and a system line naming the agent (DISC-6), and
// the bot stops replying.
func (e *Engine) TakeConversation(ctx context.Context, id string, a AgentRef) error {
	s, moved, err := e.desk.take(id, a)
	if err != nil {
		return err
	}
	err = e.agentTurn(ctx, s, func(t *turn) {
		if s.st.Handover == protocol.HandoverJoined {
			return
		}
		s.st.Handover = protocol.HandoverJoined
		t.audit(compliance.EventHandover, a.Name, "state=joined")
		t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverJoined, Agent: a.Display},
			e.systemMessage(fmt.Sprintf("You are now talking to %s, a person from our team (a human, not the automated assistant).", a.Display)))
	})
	if err != nil {
		e.desk.release(id)
		return err
	}
	e.tellPositions(moved)
	return nil
}

// AgentSay sends an agent's message to the customer and stores it.
func (e *Engine) AgentSay(ctx context.Context, id string, a AgentRef, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || !utf8.ValidString(text) || len(text) > 4*e.cfg.Limits.MaxMessageBytes {
		return "", fmt.Errorf("%w: empty, invalid or too long", ErrBadAgentInput)
	}
	s, err := e.desk.holder(id, a)
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
func (e *Engine) HandBack(ctx context.Context, id string, a AgentRef, closing bool) error {
	s, err := e.desk.holder(id, a)
	if err != nil {
		return err
	}
	moved := e.desk.release(id)
	err = e.agentTurn(ctx, s, func(t *turn) {
		s.st.Handover = ""
		s.st.Misses = 0
		detail := "state=left"
		text := fmt.Sprintf("%s has handed you back to %s, the automated assistant (a bot, not a human). Ask me anything, or ask for a person again at any time.", a.Display, e.cfg.BotName)
		if closing {
			detail += " closed=true"
			text = fmt.Sprintf("%s has closed this conversation. You are talking to %s, the automated assistant (a bot, not a human), again.", a.Display, e.cfg.BotName)
		}
		t.audit(compliance.EventHandover, a.Name, detail)
		t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft}, e.systemMessage(text))
	})
	e.tellPositions(moved)
	return err
}

// tellPositions updates waiting customers' place in line.
func (e *Engine) tellPositions(moved map[*Session]int) {
	for s, pos := range moved {
		e.deliver(s.ID, protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos})
	}
}

func (e *Engine) systemMessage(text string) protocol.Message {
	return protocol.Message{Type: protocol.TypeMessage, ID: "m_" + store.NewID(8), From: protocol.FromSystem, Text: text,
		Sources: []protocol.Source{}, Actions: []protocol.Action{}}
}

// ViewConversation returns the transcript so far with card numbers masked,
// and writes an agent_access audit event (SEC-2).
func (e *Engine) ViewConversation(ctx context.Context, id string, a AgentRef) (protocol.ConversationView, error) {
	if e.hstore == nil {
		return protocol.ConversationView{}, ErrNoHandoverStore
	}
	c, ok := e.desk.conv(id)
	if !ok {
		return protocol.ConversationView{}, ErrNotQueued
	}
	entries, err := e.hstore.Transcript(ctx, c.s.Subject, c.s.ID)
	if err != nil {
		return protocol.ConversationView{}, fmt.Errorf("transcript: %w", err)
	}
	// SEC-2: who opened which transcript, when.
	if err := e.hstore.Audit(ctx, compliance.AuditRecord{At: e.now(), Event: compliance.EventAgentAccess, Subject: c.s.Subject, Actor: a.Name, Detail: "view=transcript session=" + c.s.ID}); err != nil {
		return protocol.ConversationView{}, fmt.Errorf("audit: %w", err)
	}
	v := protocol.ConversationView{ID: id, State: c.state, Agent: c.agent.Name, Reason: c.reason, Messages: []protocol.ConsoleLine{}}
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
func (e *Engine) OfflineInbox(ctx context.Context, a AgentRef) ([]protocol.OfflineView, error) {
	if e.hstore == nil {
		return nil, ErrNoHandoverStore
	}
	msgs, err := e.hstore.OfflineMessages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.OfflineView, 0, len(msgs))
	var audit []compliance.AuditRecord
	for _, m := range msgs {
		contacts, err := e.hstore.Contacts(ctx, m.Subject)
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
		if err := e.hstore.Audit(ctx, audit...); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
	}
	return out, nil
}

// OfflineDone marks a left message handled.
func (e *Engine) OfflineDone(ctx context.Context, id int64, a AgentRef) error {
	if e.hstore == nil {
		return ErrNoHandoverStore
	}
	return e.hstore.MarkOfflineHandled(ctx, id, a.Name, e.now())
}

// OfflineCount counts open offline messages.
func (e *Engine) OfflineCount(ctx context.Context) int {
	if e.hstore == nil {
		return 0
	}
	n, err := e.hstore.CountOfflineMessages(ctx)
	if err != nil {
		e.log.Error("counting offline messages failed", "err", err)
	}
	return n
}
