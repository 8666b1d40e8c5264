package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"deskbot/compliance"
	"deskbot/locale"
	"deskbot/protocol"
	"deskbot/store"
)

func (e *Engine) sessionFrame(s *Session) protocol.Session {
	f := protocol.Session{Type: protocol.TypeSession, Session: s.Token, Profile: s.Profile, MaxMessageBytes: e.cfg.Limits.MaxMessageBytes}
	f.Storage, f.ExpiresIn = tokenStorage(s.Profile, e.cfg.Limits.IdleSessionMinutes)
	e.languageFrame(&f, s) // language.go
	return f
}

func (e *Engine) botMessage(text string, disclosure bool) protocol.Message {
	return protocol.Message{
		Type: protocol.TypeMessage, ID: "m_" + store.NewID(8), From: protocol.FromBot, Name: e.cfg.BotName,
		Text: text, Disclosure: disclosure, Sources: []protocol.Source{}, Actions: []protocol.Action{},
	}
}

func errorFrame(code, msg string) protocol.Error {
	return protocol.Error{Type: protocol.TypeError, Code: code, Message: msg}
}

func entry(at time.Time, sender string, frame protocol.Outbound) store.Entry {
	b, _ := json.Marshal(frame)
	return store.Entry{At: at, Sender: sender, Body: b}
}

// turn collects what one step sends and stores; commit writes it at once.
type turn struct {
	e   *Engine
	s   *Session
	now time.Time
	rec store.Turn
	out []protocol.Outbound
	// stored is the customer's text as stored (redacted), for the agent.
	stored string
	// The session as it was before the turn: a turn that cannot be stored
	// must not leave its changes (e.g. a consent) in memory either.
	savedState   sessionState
	savedPending []string
}

func (e *Engine) newTurn(s *Session) *turn {
	now := e.now()
	saved := s.st
	saved.Consent = maps.Clone(s.st.Consent)
	return &turn{e: e, s: s, now: now, rec: store.Turn{Subject: s.Subject, Session: s.ID, At: now},
		savedState: saved, savedPending: slices.Clone(s.pendingContact)}
}

// customer records what the customer sent (already redacted as needed).
func (t *turn) customer(body map[string]string) {
	t.rec.Entries = append(t.rec.Entries, store.Entry{At: t.now, Sender: "customer", Body: mustJSON(body)})
}

// send queues frames for the customer and the transcript. A message
// carries the turn's time as its "at".
func (t *turn) send(frames ...protocol.Outbound) {
	for _, f := range frames {
		if m, ok := f.(protocol.Message); ok && m.At == "" {
			m.At = protocol.Timestamp(t.now)
			f = m
		}
		switch f := f.(type) {
		case protocol.ConsentRequest:
			t.s.st.AskedConsent = t.s.st.AskedConsent || f.Purpose == purposeContact
		case protocol.Message:
			t.s.st.OfferedMessage = t.s.st.OfferedMessage || slices.ContainsFunc(f.Actions, func(a protocol.Action) bool { return a.Name == protocol.ActionLeaveMessage })
		}
		t.out = append(t.out, f)
		t.rec.Entries = append(t.rec.Entries, entry(t.now, senderOf(f), f))
	}
}

func (t *turn) audit(event, actor, detail string) {
	t.rec.Audit = append(t.rec.Audit, compliance.AuditRecord{At: t.now, Event: event, Subject: t.s.Subject, Actor: actor, Detail: detail})
}

// finish commits a customer's turn and returns what to send.
func (t *turn) finish(ctx context.Context) []protocol.Outbound {
	out, _ := t.commit(ctx)
	return out
}

// commit stores the turn durably and returns what to send. Nothing is sent
// for a turn that could not be stored: the frames are an apology instead,
// and err says why (an agent's turn reports it to the console).
func (t *turn) commit(ctx context.Context) ([]protocol.Outbound, error) {
	t.s.st.Turns++
	state, err := json.Marshal(t.s.st)
	if err == nil {
		t.rec.State = state
		err = t.e.store.Commit(ctx, t.rec)
	}
	if errors.Is(err, store.ErrErased) {
		// The retention purge removed this conversation meanwhile.
		t.s.erased.Store(true)
		return []protocol.Outbound{t.e.botMessage(t.e.text(t.s, locale.SessionErased), false)}, nil
	}
	if err != nil {
		t.e.log.Error("storing turn failed", "session", t.s.ID, "err", err)
		t.s.st, t.s.pendingContact = t.savedState, t.savedPending
		return []protocol.Outbound{t.e.errorText(t.s, protocol.ErrInternal, locale.ErrorNotSaved)}, fmt.Errorf("storing the turn: %w", err)
	}
	t.e.publishWaiting(t) // queue_events.go: the agents see a waiting customer's line
	return t.out, nil
}

func senderOf(f protocol.Outbound) string {
	switch m := f.(type) {
	case protocol.Message:
		return m.From
	default:
		return "bot"
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
