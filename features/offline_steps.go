package features

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"deskbot/locale"
	"deskbot/protocol"
)

// Messages left for the team while nobody is available (HUM-2).

func offlineStepDefs() []stepDef {
	return []stepDef{
		def(`the customer leaves the message `+qAny, `the customer leaves the message "<text>"`, `When the customer leaves the message "Please call me back about order 1234"`,
			"Presses \"Leave a message\" (offered when nobody is available) and sends the text; the bot must confirm it was saved for the team (HUM-2).",
			func(w *World) any { return w.leavesMessage }),
		def(`agent `+q+` sees (\d+) messages? left`, `agent "<name>" sees <n> messages left`, `Then agent "Anna" sees 1 message left`,
			"The agent console's list of messages left while nobody was available (GET /agent/api/offline) holds exactly n; the failure lists them.",
			func(w *World) any { return w.agentSeesLeft }),
	}
}

func (w *World) leavesMessage(ctx context.Context, text string) error {
	if _, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLeaveMessage}); err != nil {
		return err
	}
	t, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeSay, Text: text})
	if err != nil {
		return err
	}
	if messageSaved(t) {
		return nil
	}
	return fmt.Errorf("HUM-2: expected the bot to confirm the message was saved for the team, but the turn was:\n%s", describeTurn(t))
}

// messageSaved reports whether the bot confirmed in t that a left message
// was saved for the team (HUM-2): in any shipped language, by the first
// sentence the confirmations share ("Thank you, your message is saved for
// our team."), or in an owner's own wording that says "saved".
func messageSaved(t *Turn) bool {
	for _, m := range t.Messages() {
		if m.From != protocol.FromBot {
			continue
		}
		if strings.Contains(strings.ToLower(m.Text), "saved") {
			return true
		}
		for _, c := range savedConfirmations() {
			if strings.HasPrefix(m.Text, c) {
				return true
			}
		}
	}
	return false
}

// savedConfirmations are the first sentences of the shipped "message
// saved" replies, one per language.
var savedConfirmations = sync.OnceValue(func() []string {
	shipped, _, err := locale.New(locale.Options{})
	if err != nil {
		return nil
	}
	var out []string
	for _, lang := range shipped.Languages() {
		text := shipped.Text(lang, locale.LeaveMessageSaved)
		if i := strings.Index(text, ". "); i > 0 {
			out = append(out, text[:i+1])
		}
	}
	return out
})

func (w *World) agentSeesLeft(ctx context.Context, name, n string) error {
	a, err := w.agent(name)
	if err != nil {
		return err
	}
	want, _ := strconv.Atoi(n)
	var r protocol.OfflineInbox
	code, err := a.call(ctx, http.MethodGet, "/agent/api/offline", nil, &r)
	if err != nil {
		return fmt.Errorf("agent %q reading the messages left (HTTP %d): %w", name, code, err)
	}
	if len(r.Messages) != want {
		var ts []string
		for _, m := range r.Messages {
			ts = append(ts, fmt.Sprintf("  %q", m.Text))
		}
		return fmt.Errorf("expected agent %q to see %d message(s) left, but the console lists %d:\n%s", name, want, len(r.Messages), strings.Join(ts, "\n"))
	}
	return nil
}
