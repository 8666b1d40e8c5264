package conversation

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"deskbot/compliance"
	"deskbot/desk"
	"deskbot/intent"
	"deskbot/locale"
	"deskbot/protocol"
	"deskbot/store"
)

// deliver sends frames produced outside the customer's turn.
func (e *Engine) deliver(session string, frames ...protocol.Outbound) {
	if len(frames) > 0 {
		e.delivery.Deliver(session, frames...)
	}
}

// handover brings in a person when one is available, otherwise says so
// honestly and offers to leave a message (HUM-2).
func (e *Engine) handover(ctx context.Context, t *turn, reason string) {
	s := t.s
	if s.st.Handover == protocol.HandoverJoined {
		return
	}
	e.unpicked(t) // the suggestions did not help: a person is asked for
	if s.st.Handover == protocol.HandoverQueued {
		if pos := e.desk.Position(s.ID); pos > 0 {
			t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos},
				e.botMessage(e.text(s, locale.HandoverStillQueued, "position", strconv.Itoa(pos)), false))
			return
		}
	}
	if e.desk.AvailableFor(s.ID) { // a test run's session waits for its own test agents
		pos := e.desk.Enqueue(s.ID, reason)
		s.st.Handover = protocol.HandoverQueued
		e.obs.Handover(reason)
		t.audit(compliance.EventHandover, "bot", "reason="+reason+" state=queued")
		t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos},
			e.botMessage(strings.TrimSpace(e.leadIn(s, reason)+" "+e.text(s, locale.HandoverQueued, "position", strconv.Itoa(pos))), false))
		return
	}
	s.st.Handover = protocol.HandoverOffline
	e.obs.Handover(reason)
	t.audit(compliance.EventHandover, "bot", "reason="+reason+" state=offline")
	why, text := protocol.OfflineNoAgent, e.text(s, locale.HandoverNobody)
	if !e.desk.Open() {
		why, text = protocol.OfflineClosed, e.text(s, locale.HandoverClosed, "hours", e.desk.Hours().DescribeWith(e.weekdays(s)))
	}
	m := e.botMessage(strings.TrimSpace(e.leadIn(s, reason)+" "+text+" "+e.text(s, locale.HandoverLeaveMessage)), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionLeaveMessage, Label: e.text(s, locale.ActionLeaveMessage)}}
	t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverOffline, Why: why}, m)
}

// stillWaiting tells a frustrated customer, once a person was asked for,
// where they stand: their place in line, or that they can leave a message.
func (e *Engine) stillWaiting(t *turn) {
	s := t.s
	lead := e.text(s, locale.HandoverReasonFrustration)
	if s.st.Handover == protocol.HandoverQueued {
		if pos := e.desk.Position(s.ID); pos > 0 {
			t.send(e.botMessage(lead+" "+e.text(s, locale.HandoverStillQueued, "position", strconv.Itoa(pos)), false))
			return
		}
	}
	m := e.botMessage(lead+" "+e.text(s, locale.HandoverLeaveMessage), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionLeaveMessage, Label: e.text(s, locale.ActionLeaveMessage)}}
	t.send(m)
}

// leadIn acknowledges why a person is brought in.
func (e *Engine) leadIn(s *Session, reason string) string {
	switch {
	case reason == ReasonMisses:
		return e.text(s, locale.HandoverReasonMisses)
	case reason == ReasonFrustration:
		return e.text(s, locale.HandoverReasonFrustration)
	case strings.HasPrefix(reason, reasonSensitive):
		return e.text(s, locale.HandoverReasonSensitive)
	}
	return ""
}

// callback answers "can someone call me back" (HUM-2): with a person
// available the customer is put in line, as asked for; otherwise the
// message itself is left for the team, so the request is not lost in the
// transcript, and consent is asked for any contact details in it.
func (e *Engine) callback(ctx context.Context, t *turn) {
	if t.s.st.Handover == protocol.HandoverQueued || e.desk.AvailableFor(t.s.ID) {
		e.handover(ctx, t, ReasonRequest)
		return
	}
	e.unpicked(t)
	e.leaveMessage(ctx, t, t.stored)
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
		if reason != ReasonFrustration {
			return false
		}
		// Frustration after a person was already asked for is not a
		// question: it is acknowledged with where the customer stands, not
		// answered from the articles and listed as missed.
		e.stillWaiting(t)
		return true
	}
	e.handover(ctx, t, reason)
	return true
}

// forwardToAgent passes a customer line to the agent holding the
// conversation; the bot stays silent (DISC-6).
func (e *Engine) forwardToAgent(t *turn, stored string) {
	c, ok := e.desk.Conv(t.s.ID)
	if !ok || c.State != protocol.HandoverJoined {
		return
	}
	e.desk.Publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: t.s.ID, Message: &protocol.ConsoleLine{At: t.now, From: "customer", Text: compliance.MaskCards(stored), Kind: protocol.LineMessage}}, c.Agent.Name)
}

// startLeaving asks for the message to leave; the customer's next message
// is kept for the team (leaveMessage).
func (e *Engine) startLeaving(t *turn) {
	t.s.st.Leaving = true
	t.send(e.botMessage(e.text(t.s, locale.LeaveMessagePrompt), false))
}

// leaveMessage stores the customer's message for the team, sealed, and
// asks for consent before any contact details (CONS-1, MIN-1).
func (e *Engine) leaveMessage(ctx context.Context, t *turn, stored string) {
	s := t.s
	s.st.Leaving = false
	if _, err := e.store.LeaveMessage(ctx, store.OfflineMessage{Subject: s.Subject, Session: s.ID, At: t.now, Text: stored}); err != nil {
		e.log.Error("storing an offline message failed", "session", s.ID, "err", err)
		t.send(e.botMessage(e.text(t.s, locale.LeaveMessageFailed), false))
		return
	}
	t.audit(compliance.EventHandover, "bot", "state=offline message=left")
	e.desk.Publish(protocol.DeskEvent{Kind: protocol.DeskEventOfflineMessage}, "")
	if e.desk.TestRunOf(s.ID) == "" { // a test run notifies nobody (test_runs.go)
		go e.notify(context.WithoutCancel(ctx), t.now)
	}
	switch {
	case s.st.Consent.Granted(compliance.PurposeContact):
		// Contact details already kept under consent in this chat are
		// offered for confirmation, not asked for again; another address
		// typed next is taken as the answer (and kept: consent is granted).
		s.st.AwaitingContact = true
		if kept := e.keptContacts(ctx, t); len(kept) > 0 {
			t.send(e.botMessage(e.text(s, locale.LeaveMessageSavedKnown, "contact", strings.Join(kept, ", ")), false))
			return
		}
		t.send(e.botMessage(e.text(s, locale.LeaveMessageSaved), false))
	case len(s.pendingContact) > 0:
		// Typed in this chat without consent: asked for consent to keep
		// them (CONS-1), not asked to type them again; never echoed, as
		// they may not be stored unredacted (MIN-1).
		t.send(e.botMessage(e.text(s, locale.LeaveMessageSavedConsentKnown), false), e.consentRequest(s))
	default:
		s.st.AwaitingContact = true
		t.send(e.botMessage(e.text(s, locale.LeaveMessageSavedConsent), false), e.consentRequest(s))
	}
}

// keptContacts are the contact details kept under consent for the
// customer: those stored in earlier turns and those this turn keeps.
func (e *Engine) keptContacts(ctx context.Context, t *turn) []string {
	kept, err := e.store.Contacts(ctx, t.s.Subject)
	if err != nil && !errors.Is(err, store.ErrErased) {
		e.log.Error("reading kept contact details failed", "session", t.s.ID, "err", err)
	}
	for _, c := range t.rec.Contacts {
		kept = append(kept, string(c))
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range kept {
		if k := NormaliseEmail(c); !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

// contactGiven answers contact details typed when the bot asked for them
// after a left message. Under consent say kept them already; without it
// they wait in memory for the consent request (CONS-1, MIN-1). Either way
// it is not a question the knowledge base missed.
func (e *Engine) contactGiven(t *turn) {
	s := t.s
	if s.st.Consent.Granted(compliance.PurposeContact) {
		t.send(e.botMessage(e.text(s, locale.LeaveMessageContactKept), false))
		return
	}
	t.send(e.botMessage(e.text(s, locale.LeaveMessageContactConsent), false), e.consentRequest(s))
}

// contactReply reports whether text is contact details and nothing else
// but a few words around them ("jane@example.com", "it's
// jane@example.com", "my number is +44 20 7946 0958").
func contactReply(fs []compliance.Finding, text string) bool {
	var rest strings.Builder
	last, n := 0, 0
	for _, f := range fs {
		if !isContact(f.Kind) || f.Start < last || f.End > len(text) {
			return false // other personal data (a card number, health) is more than an address
		}
		rest.WriteString(text[last:f.Start])
		rest.WriteByte(' ')
		last = f.End
		n++
	}
	rest.WriteString(text[last:])
	return n > 0 && intent.Read(rest.String()).OnlyContact()
}

func (e *Engine) notify(ctx context.Context, at time.Time) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := e.notifier.Notify(ctx, desk.OfflineNotice{At: at}); err != nil {
		e.log.Warn("offline message notification failed", "err", err)
	}
}

// resumeGreeting is the disclosure for a returning connection plus the
// handover state, so a reconnecting customer learns who they talk to.
// Call with s.mu held.
func (e *Engine) resumeGreeting(s *Session) (protocol.Message, []protocol.Outbound) {
	bot := e.text(s, locale.WelcomeBack)
	switch {
	case s.st.Handover == protocol.HandoverJoined:
		if c, ok := e.desk.Conv(s.ID); ok && c.State == protocol.HandoverJoined {
			return e.botMessage(e.text(s, locale.WelcomeBackAgent, "agent", c.Agent.Display), true),
				[]protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverJoined, Agent: c.Agent.Display}}
		}
		s.st.Handover = ""
		return e.botMessage(bot, true), []protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
			e.systemMessage(e.text(s, locale.AgentLeft))}
	case s.st.Handover == protocol.HandoverQueued:
		if pos := e.desk.Position(s.ID); pos > 0 {
			return e.botMessage(bot, true), []protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos}}
		}
		s.st.Handover = ""
	case s.lostHandover:
		s.lostHandover = false
		return e.botMessage(bot, true), []protocol.Outbound{protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
			e.systemMessage(e.text(s, locale.AgentLeftRestart))}
	}
	return e.botMessage(bot, true), nil
}

// agentPresent reports whether the agent holding s is still connected.
func (e *Engine) agentPresent(s *Session) bool {
	c, ok := e.desk.Conv(s.ID)
	return ok && c.State == protocol.HandoverJoined && e.desk.Presence(c.Agent.Name) != protocol.PresenceOffline
}

// agentGone ends a hold whose agent disappeared without handing back, and
// says so (DISC-6): the bot answers again from this message on.
func (e *Engine) agentGone(t *turn) {
	moved := e.desk.Release(t.s.ID)
	t.s.st.Handover = ""
	t.audit(compliance.EventHandover, "bot", "state=left reason=agent_offline")
	t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverLeft},
		e.systemMessage(e.text(t.s, locale.AgentLeft)))
	e.tellPositions(moved)
}

// tellPositions updates waiting customers' place in line.
func (e *Engine) tellPositions(moved map[string]int) {
	for id, pos := range moved {
		if _, ok := e.held(id); !ok {
			continue // another instance's customer (several instances): it tells them
		}
		e.deliver(id, protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverQueued, Position: pos})
	}
}

// TellPositions tells this instance's waiting customers their new places
// in line after another instance's change moved the queue.
func (e *Engine) TellPositions(moved map[string]int) { e.tellPositions(moved) }

func (e *Engine) systemMessage(text string) protocol.Message {
	return protocol.Message{Type: protocol.TypeMessage, ID: "m_" + store.NewID(8), From: protocol.FromSystem, Text: text,
		Sources: []protocol.Source{}, Actions: []protocol.Action{}}
}
