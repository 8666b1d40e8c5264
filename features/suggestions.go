package features

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"deskbot/protocol"
)

// Steps for "did you mean …?" suggestions and small talk.

// suggestion finds an article button in frames by title or id.
func suggestion(fs []protocol.Frame, name string) (protocol.Frame, protocol.Action, bool) {
	for i := len(fs) - 1; i >= 0; i-- {
		for _, a := range fs[i].Actions {
			if a.Name == protocol.ActionArticle && (strings.EqualFold(a.Label, name) || a.ID == name) {
				return fs[i], a, true
			}
		}
	}
	return protocol.Frame{}, protocol.Action{}, false
}

// suggested lists the article buttons in frames, for failure messages.
func suggested(fs []protocol.Frame) string {
	var b []string
	for _, f := range fs {
		for _, a := range f.Actions {
			if a.Name == protocol.ActionArticle {
				b = append(b, fmt.Sprintf("%q (%s)", a.Label, a.ID))
			}
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return strings.Join(b, ", ")
}

func (w *World) suggests(name string) error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	m, a, ok := suggestion(t.Messages(), name)
	if !ok {
		return fmt.Errorf("expected the bot to suggest %q, but it suggested %s; the latest turn was:\n%s", name, suggested(t.Messages()), describeTurn(t))
	}
	// ACC-1: a suggestion is not an answer, so it cites nothing.
	if len(m.Sources) > 0 {
		return fmt.Errorf("ACC-1: the message suggesting %q also cites %s: only answers cite", name, fmtSources(m.Sources))
	}
	if a.ID == "" || a.Label == "" {
		return fmt.Errorf("the suggestion button %+v lacks the article's id or title", a)
	}
	return nil
}

func (w *World) suggestsNothing() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	if s := suggested(t.Messages()); s != "none" {
		return fmt.Errorf("expected no suggestion, but the bot suggested %s", s)
	}
	return nil
}

func (w *World) picks(ctx context.Context, name string) error {
	var received []protocol.Frame
	for _, l := range w.transcript {
		if !l.Outbound && l.Frame.Type == protocol.TypeMessage {
			received = append(received, l.Frame)
		}
	}
	_, a, ok := suggestion(received, name)
	if !ok {
		return fmt.Errorf("the bot has not suggested %q in this scenario; it suggested %s", name, suggested(received))
	}
	_, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionArticle, ID: a.ID})
	return err
}

var reCannotConfirm = regexp.MustCompile(`(?i)\b(can(?:no|')t|cannot|unable to) confirm\b`)

func (w *World) notCannotConfirm() error {
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	for _, m := range t.Messages() {
		if reCannotConfirm.MatchString(m.Text) {
			return fmt.Errorf("expected the bot not to say it cannot confirm, but it said:\n  %q", m.Text)
		}
	}
	return nil
}

func (w *World) notHandedOver() error {
	if !w.chatOpen() {
		return ErrNoChat
	}
	for _, l := range w.transcript {
		if !l.Outbound && l.Frame.Type == protocol.TypeHandover {
			return fmt.Errorf("expected no handover, but the bot sent handover %q; the conversation was:\n%s", l.Frame.State, describeFrames(w.received()))
		}
	}
	return nil
}

// received is every frame the customer received in the scenario.
func (w *World) received() []protocol.Frame {
	var out []protocol.Frame
	for _, l := range w.transcript {
		if !l.Outbound {
			out = append(out, l.Frame)
		}
	}
	return out
}
