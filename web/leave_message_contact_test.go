package web_test

import (
	"context"
	"strings"
	"testing"

	"deskbot/app"
	"deskbot/protocol"
)

// leaveChat drives one customer over the HTTP mirror (a real store, index
// and server) with nobody online, so a request for a person is answered by
// the offer to leave a message.
type leaveChat struct {
	t   *testing.T
	l   *app.Local
	tok string
}

func newLeaveChat(t *testing.T, l *app.Local) *leaveChat {
	t.Helper()
	_, r, _ := postChat(t, l, protocol.ChatRequest{})
	if r.Session == "" {
		t.Fatalf("no session: %+v", r)
	}
	return &leaveChat{t: t, l: l, tok: r.Session}
}

func (c *leaveChat) call(req protocol.ChatRequest) []protocol.Frame {
	c.t.Helper()
	req.Session = c.tok
	code, r, f := postChat(c.t, c.l, req)
	if code != 200 {
		c.t.Fatalf("%+v: HTTP %d %+v", req, code, f)
	}
	return r.Messages
}

func (c *leaveChat) say(text string) []protocol.Frame {
	c.t.Helper()
	return c.call(protocol.ChatRequest{Text: text})
}

func (c *leaveChat) consent(granted bool) []protocol.Frame {
	c.t.Helper()
	return c.call(protocol.ChatRequest{Consent: &protocol.ConsentChoice{Purpose: "contact", Granted: &granted}})
}

// leave asks for a person, presses "Leave a message" and leaves text.
func (c *leaveChat) leave(text string) []protocol.Frame {
	c.t.Helper()
	if got := c.say("I want to talk to a person"); !lastMessage(got).HasAction(protocol.ActionLeaveMessage) {
		c.t.Fatalf("no offer to leave a message: %+v", got)
	}
	c.call(protocol.ChatRequest{Action: protocol.ActionLeaveMessage})
	return c.say(text)
}

// contacts are the contact details kept (sealed) for the customer.
func (c *leaveChat) contacts() []string {
	c.t.Helper()
	ctx := context.Background()
	s, err := c.l.App.Engine.Lookup(ctx, c.tok)
	if err != nil {
		c.t.Fatal(err)
	}
	kept, err := c.l.App.Store.Contacts(ctx, s.Subject)
	if err != nil {
		c.t.Fatal(err)
	}
	return kept
}

// transcript is everything stored for the customer's conversation, decrypted.
func (c *leaveChat) transcript() string {
	c.t.Helper()
	ctx := context.Background()
	s, err := c.l.App.Engine.Lookup(ctx, c.tok)
	if err != nil {
		c.t.Fatal(err)
	}
	es, err := c.l.App.Store.Transcript(ctx, s.Subject, s.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range es {
		b.Write(e.Body)
		b.WriteByte('\n')
	}
	return b.String()
}

func asksConsent(fs []protocol.Frame) bool {
	for _, f := range fs {
		if f.Type == protocol.TypeConsentRequest && f.Purpose == "contact" {
			return true
		}
	}
	return false
}

// asksToType reports a bot line asking the customer to type an address.
func asksToType(fs []protocol.Frame) bool {
	for _, f := range fs {
		if f.Type == protocol.TypeMessage && contains(f.Text, "type your e-mail address") {
			return true
		}
	}
	return false
}

// notUnderstood reports the "couldn't find a sure answer" reply of a miss.
func notUnderstood(fs []protocol.Frame) bool {
	for _, f := range fs {
		if f.Type == protocol.TypeMessage && (contains(f.Text, "couldn't find a sure answer") || contains(f.Text, "can't confirm")) {
			return true
		}
	}
	return false
}

// HUM-2, CONS-1, MIN-1: an e-mail address the customer already gave in
// the chat is not asked for again when they leave a message for the team,
// and an address typed in answer to the bot's request for one is taken as
// the answer, not as a question the knowledge base cannot answer.
func TestLeaveMessageUsesContactGivenInChat(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)

	t.Run("given with consent: offered for confirmation, not asked again", func(t *testing.T) {
		c := newLeaveChat(t, l)
		c.say("My order 1234 is late, my email is jane.doe@example.com")
		c.consent(true)
		got := c.leave("Please check why order 1234 is late")
		if asksToType(got) || asksConsent(got) {
			t.Fatalf("asked again for an address already kept under consent: %+v", got)
		}
		if m := lastMessage(got); !contains(m.Text, "saved") || !contains(m.Text, "jane.doe@example.com") {
			t.Fatalf("confirmation = %q; want the kept address offered for confirmation", m.Text)
		}
		// Another address in reply is taken as the answer and kept (CONS-1: granted).
		got = c.say("it's jane@work.example.org")
		if notUnderstood(got) || asksConsent(got) || !contains(lastMessage(got).Text, "reply to the contact details") {
			t.Fatalf("reply to a new address = %+v", got)
		}
		if kept := c.contacts(); len(kept) != 2 || kept[1] != "jane@work.example.org" {
			t.Fatalf("kept contacts = %v", kept)
		}
	})

	t.Run("given without consent: consent asked, the address not asked again", func(t *testing.T) {
		c := newLeaveChat(t, l)
		c.say("My order 1234 is late, you can reach me at sam.roe@example.com")
		got := c.leave("Please check why order 1234 is late")
		if !asksConsent(got) {
			t.Fatalf("CONS-1: consent must be asked before keeping the address: %+v", got)
		}
		if asksToType(got) || contains(lastMessage(got).Text, "sam.roe@example.com") {
			t.Fatalf("asked to type the address again, or echoed it before consent: %+v", got)
		}
		if tr := c.transcript(); strings.Contains(tr, "sam.roe@example.com") {
			t.Fatalf("MIN-1: address stored before consent: %s", tr)
		}
		if kept := c.contacts(); len(kept) != 0 {
			t.Fatalf("CONS-1: kept before consent: %v", kept)
		}
		c.consent(true)
		if kept := c.contacts(); len(kept) != 1 || kept[0] != "sam.roe@example.com" {
			t.Fatalf("kept after the grant = %v, want the address typed before", kept)
		}
	})

	t.Run("bare address after the bot asks, consent granted first", func(t *testing.T) {
		c := newLeaveChat(t, l)
		got := c.leave("Please check why order 1234 is late")
		if !asksConsent(got) {
			t.Fatalf("no consent request: %+v", got)
		}
		c.consent(true)
		got = c.say("alex.poe@example.com")
		if notUnderstood(got) || asksConsent(got) {
			t.Fatalf("a bare address in answer = %+v; want it taken as the contact address", got)
		}
		if m := lastMessage(got); !contains(m.Text, "reply to the contact details") {
			t.Fatalf("reply = %q", m.Text)
		}
		if kept := c.contacts(); len(kept) != 1 || kept[0] != "alex.poe@example.com" {
			t.Fatalf("kept = %v", kept)
		}
	})

	t.Run("bare address after the bot asks, no consent yet", func(t *testing.T) {
		c := newLeaveChat(t, l)
		c.leave("Please check why order 1234 is late")
		got := c.say("it's kim.doe@example.com")
		if notUnderstood(got) || !asksConsent(got) {
			t.Fatalf("reply = %+v; want the consent request, not a miss", got)
		}
		if tr := c.transcript(); strings.Contains(tr, "kim.doe@example.com") || !strings.Contains(tr, "[email]") {
			t.Fatalf("MIN-1: stored before consent: %s", tr)
		}
		c.consent(true)
		if kept := c.contacts(); len(kept) != 1 || kept[0] != "kim.doe@example.com" {
			t.Fatalf("kept after the grant = %v", kept)
		}
	})
}
