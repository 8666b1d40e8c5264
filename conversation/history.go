package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"deskbot/compliance"
	"deskbot/protocol"
	"deskbot/store"
)

// HistoryLimit bounds the transcript replayed to a resumed connection.
const HistoryLimit = 100

// FromCustomer marks a replayed line the customer wrote.
const FromCustomer = "customer"

// History returns the last HistoryLimit lines of the conversation, oldest
// first, as message frames marked "history", for a connection that resumes
// it (issue 11): what the customer typed (as stored, so redacted as the law
// requires), and what the bot, agents and the system said, each with its id
// and time. The conversation's opening disclosure always comes first (DISC-1:
// no answer, not even a replayed one, before it); later greetings ("welcome
// back") are left out, and so are the frames in skip (the greeting a resume
// just sent): the resumed connection gets one greeting of its own. Buttons
// are not replayed; they belonged to their moment. An erased or unreadable
// conversation has no history.
func (e *Engine) History(ctx context.Context, s *Session, skip []protocol.Outbound) []protocol.Outbound {
	if s == nil || s.erased.Load() {
		return nil
	}
	entries, err := e.store.Transcript(ctx, s.Subject, s.ID)
	if err != nil {
		if !errors.Is(err, store.ErrErased) && !errors.Is(err, store.ErrNotFound) {
			e.log.Error("reading history failed", "session", s.ID, "err", err)
		}
		return nil
	}
	skipped := map[string]bool{}
	for _, f := range skip {
		if m, ok := f.(protocol.Message); ok {
			skipped[m.ID] = true
		}
	}
	var opening []protocol.Outbound
	var out []protocol.Outbound
	for _, en := range entries {
		m, ok := historyLine(en)
		switch {
		case !ok || skipped[m.ID]:
		case m.Disclosure:
			if opening == nil {
				opening = []protocol.Outbound{m}
			}
		default:
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil // nothing said yet: the greeting is enough
	}
	if max := HistoryLimit - len(opening); len(out) > max {
		out = out[len(out)-max:]
	}
	return append(opening, out...)
}

// historyLine turns one stored transcript line into a replayed message.
func historyLine(en store.Entry) (protocol.Message, bool) {
	at := protocol.Timestamp(en.At)
	if en.Sender == FromCustomer {
		var body struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(en.Body, &body) != nil || body.Text == "" {
			return protocol.Message{}, false // a button press: its reply tells what it did
		}
		return protocol.Message{Type: protocol.TypeMessage, ID: customerLineID(en.ID), From: FromCustomer, Text: body.Text,
			Sources: []protocol.Source{}, Actions: []protocol.Action{}, At: at, History: true}, true
	}
	var f protocol.Frame
	if json.Unmarshal(en.Body, &f) != nil || f.Type != protocol.TypeMessage || f.ID == "" {
		return protocol.Message{}, false
	}
	m := protocol.Message{Type: protocol.TypeMessage, ID: f.ID, From: f.From, Name: f.Name, Text: f.Text,
		Disclosure: f.Disclosure, Sources: f.Sources, Actions: []protocol.Action{}, At: f.At, History: true, Confidence: f.Confidence}
	if m.Sources == nil {
		m.Sources = []protocol.Source{}
	}
	if m.At == "" {
		m.At = at
	}
	return m, true
}

// customerLineID names a customer's stored line by its row, so a client
// that sees it twice draws it once.
func customerLineID(row int64) string {
	return "c_" + strconv.FormatInt(row, 10)
}

// tokenStorage says where a browser keeps a session's token. Under the
// strict profile it stays in sessionStorage (this tab only, gone when the
// tab closes): on a shared computer nobody who opens the shop later can read
// the conversation. Elsewhere localStorage, expiring after the idle time,
// lets tabs and the widget across page navigations share one conversation;
// the token is strictly necessary for the chat the customer asked for.
func tokenStorage(profile string, idleMinutes int) (storage string, expiresIn int) {
	if profile == compliance.ProfileStrict || idleMinutes <= 0 {
		return "session", 0
	}
	return "local", idleMinutes * 60
}
