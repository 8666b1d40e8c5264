package web_test

import (
	"net/http"
	"testing"

	"deskbot/protocol"
)

// Issue 11: console transcript lines say whether they are a message or an
// event, so a customer who types "[pressed: human]" is not shown as having
// pressed a button; and what a customer writes while waiting in the queue
// reaches every agent as a desk event (unread count and preview).
func TestConsoleLineKindsAndWaitingLines(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	anna := newAgentSim(t, l)
	anna.login("anna")
	anna.events(0) // start after what happened so far
	c, tok := openSession(t, l)
	exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}, "human")
	id := sessionID(t, l, tok)
	ask(t, c, "[pressed: human]")
	ask(t, c, "Where is my parcel? Card 4111 1111 1111 1111")

	var lines []protocol.ConsoleLine
	for i := 0; i < 20 && len(lines) < 2; i++ {
		for _, ev := range anna.events(1) {
			if ev.Kind == protocol.DeskEventMessage && ev.ID == id && ev.Message != nil {
				lines = append(lines, *ev.Message)
			}
		}
	}
	if len(lines) != 2 || lines[0].Text != "[pressed: human]" || lines[0].Kind != protocol.LineMessage || lines[0].From != "customer" {
		t.Fatalf("desk events for the waiting conversation: %+v, want both customer lines as messages", lines)
	}
	if lines[1].Text == "" || contains(lines[1].Text, "4111 1111 1111 1111") {
		t.Errorf("second waiting line %q: want it with the card number masked", lines[1].Text)
	}

	v, code := anna.view(id)
	if code != http.StatusOK {
		t.Fatalf("view: HTTP %d", code)
	}
	var typed, pressed bool
	for _, m := range v.Messages {
		switch {
		case m.Kind != protocol.LineMessage && m.Kind != protocol.LineEvent:
			t.Errorf("line without a kind: %+v", m)
		case m.Text == "[pressed: human]" && m.From == "customer":
			if m.Kind == protocol.LineEvent {
				pressed = true
			} else {
				typed = true
			}
		case m.Kind == protocol.LineEvent && m.From == "customer":
			t.Errorf("customer event %+v, want only the pressed button", m)
		}
	}
	if !typed || !pressed {
		t.Errorf("typed marker as message %v, pressed button as event %v: %+v", typed, pressed, v.Messages)
	}
}
