package conversation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/desk"
	"deskbot/kb"
	"deskbot/protocol"
)

// The engine's own behaviour, against in-memory fakes: no database, index,
// socket or HTTP server (web's tests cover the same through the wire).

var maria = desk.AgentRef{Name: "maria", Display: "Maria"}

// DISC-1: a session starts with the session frame, then the disclosure,
// both stored before anything is answered.
func TestStartSendsSessionThenDisclosure(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, out := r.start(t)
	if len(out) != 2 {
		t.Fatalf("first frames = %+v, want the session frame and the disclosure", out)
	}
	if f, ok := out[0].(protocol.Session); !ok || f.Session != s.Token || f.Session == "" {
		t.Fatalf("first frame = %+v, want the session frame with the token", out[0])
	}
	if m, ok := out[1].(protocol.Message); !ok || !m.Disclosure || m.From != protocol.FromBot {
		t.Fatalf("second frame = %+v, want the bot's disclosure", out[1])
	}
	if got := r.store.auditEvents(compliance.EventDisclosure); len(got) != 1 || got[0].Subject != s.Subject {
		t.Fatalf("disclosure audit records = %+v, want one for the subject", got)
	}
}

// MIN-1, CONS-1: contact details typed before consent are not stored; the
// customer is asked, and only a grant keeps them.
func TestContactDetailsKeptOnlyAfterConsent(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	out := r.say(s, "my email is robin@example.com, where is my parcel?")
	var asked bool
	for _, f := range out {
		if c, ok := f.(protocol.ConsentRequest); ok && c.Purpose == string(compliance.PurposeContact) {
			asked = true
		}
	}
	if !asked {
		t.Fatalf("no consent request for typed contact details: %+v", out)
	}
	for _, text := range r.store.storedTexts() {
		if strings.Contains(text, "robin@example.com") {
			t.Fatalf("address stored without consent: %q", text)
		}
	}
	if c, _ := r.store.Contacts(context.Background(), s.Subject); len(c) != 0 {
		t.Fatalf("contacts kept before consent: %v", c)
	}
	yes := true
	r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeConsent, Purpose: string(compliance.PurposeContact), Granted: &yes})
	if c, _ := r.store.Contacts(context.Background(), s.Subject); len(c) != 1 || c[0] != "robin@example.com" {
		t.Fatalf("contacts after the grant = %v, want the address typed before it", c)
	}
}

// CONS-1: a question typed with contact details is answered first and the
// consent request comes last, as the one decision left on screen; nothing
// is kept until it is granted (TestContactDetailsKeptOnlyAfterConsent).
func TestConsentRequestFollowsTheAnswer(t *testing.T) {
	t.Parallel()
	a := &kb.Article{ID: "delivery", Title: "Delivery times", Version: "1", Body: "Parcels arrive in 3 days."}
	r := newRig(t, fixedKB{decision: kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: a}}}}, nil)
	s, _ := r.start(t)
	out := r.say(s, "my email is robin@example.com, where is my parcel?")
	if len(out) < 2 {
		t.Fatalf("frames = %+v, want the answer and then the consent request", out)
	}
	if m, ok := out[0].(protocol.Message); !ok || m.Text != a.Body {
		t.Fatalf("first frame = %+v, want the answer", out[0])
	}
	if c, ok := out[len(out)-1].(protocol.ConsentRequest); !ok || c.Purpose != string(compliance.PurposeContact) {
		t.Fatalf("last frame = %+v, want the consent request for contact details", out[len(out)-1])
	}
}

// PCI-1: a card number is never echoed nor stored, and the customer is told.
func TestCardNumberMaskedAndWarned(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	ms := messages(r.say(s, "my card is 4111 1111 1111 1111"))
	if len(ms) == 0 || !strings.Contains(ms[0].Text, "don't share card numbers") {
		t.Fatalf("replies = %+v, want the card warning first", ms)
	}
	for _, m := range ms {
		if strings.Contains(m.Text, "4111 1111 1111 1111") {
			t.Fatalf("card number echoed: %q", m.Text)
		}
	}
	for _, text := range r.store.storedTexts() {
		if strings.Contains(text, "4111") {
			t.Fatalf("card number stored: %q", text)
		}
	}
}

// ACC-1, ACC-2: an answer is the article's own text with its source.
func TestAnswerCitesArticle(t *testing.T) {
	t.Parallel()
	a := &kb.Article{ID: "returns", Title: "Returning an item", Version: "3", Body: "Send it back within 30 days."}
	r := newRig(t, fixedKB{decision: kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: a}}}}, nil)
	s, _ := r.start(t)
	ms := messages(r.say(s, "how do I return something?"))
	if len(ms) != 1 || ms[0].Text != a.Body || len(ms[0].Sources) != 1 || ms[0].Sources[0].ID != "returns" || ms[0].Sources[0].Version != "3" {
		t.Fatalf("answer = %+v, want the article's text citing it", ms)
	}
}

// HUM-2, DISC-6: a customer who asks for a person is queued; the agent
// who takes the conversation is named to the customer through Delivery,
// the bot stays silent while the agent holds it, and a hand-back says the
// assistant is back.
func TestHandoverToAgentAndBack(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	r.desk.SetPresence(maria, protocol.PresenceOnline)
	s, _ := r.start(t)
	out := r.press(s, protocol.ActionHuman)
	if h, ok := handoverFrame(out); !ok || h.State != protocol.HandoverQueued || h.Position != 1 {
		t.Fatalf("asking for a person: %+v, want queued at position 1", out)
	}
	ctx := context.Background()
	if err := r.e.TakeConversation(ctx, s.ID, maria); err != nil {
		t.Fatal(err)
	}
	got := r.delivery.take(s.ID)
	if h, ok := handoverFrame(got); !ok || h.State != protocol.HandoverJoined || h.Agent != "Maria" {
		t.Fatalf("delivered on take: %+v, want joined by Maria", got)
	}
	if ms := messages(got); len(ms) != 1 || ms[0].From != protocol.FromSystem || !strings.Contains(ms[0].Text, "Maria") {
		t.Fatalf("delivered on take: %+v, want a system line naming Maria", got)
	}
	if out := r.say(s, "hello Maria, my parcel is late"); len(messages(out)) != 0 {
		t.Fatalf("the bot answered while an agent holds the conversation: %+v", out)
	}
	evs, _, _ := r.desk.Events(maria.Name, 0)
	var forwarded bool
	for _, ev := range evs {
		forwarded = forwarded || ev.Kind == protocol.DeskEventMessage && ev.Message != nil && strings.Contains(ev.Message.Text, "parcel is late")
	}
	if !forwarded {
		t.Fatalf("customer line not forwarded to the agent: %+v", evs)
	}
	if _, err := r.e.AgentSay(ctx, s.ID, maria, "Let me check."); err != nil {
		t.Fatal(err)
	}
	if ms := messages(r.delivery.take(s.ID)); len(ms) != 1 || ms[0].From != protocol.FromAgent || ms[0].Name != "Maria" {
		t.Fatalf("agent line delivered as %+v", ms)
	}
	if err := r.e.HandBack(ctx, s.ID, maria, false); err != nil {
		t.Fatal(err)
	}
	if h, ok := handoverFrame(r.delivery.take(s.ID)); !ok || h.State != protocol.HandoverLeft {
		t.Fatal("hand-back did not tell the customer the agent left")
	}
	if _, ok := r.desk.Conv(s.ID); ok {
		t.Fatal("conversation still on the desk after hand-back")
	}
}

// A second agent cannot write into a conversation another one holds.
func TestAgentCannotWriteIntoAnothersConversation(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	r.desk.SetPresence(maria, protocol.PresenceOnline)
	s, _ := r.start(t)
	r.press(s, protocol.ActionHuman)
	ctx := context.Background()
	if err := r.e.TakeConversation(ctx, s.ID, maria); err != nil {
		t.Fatal(err)
	}
	tom := desk.AgentRef{Name: "tom", Display: "Tom"}
	if _, err := r.e.AgentSay(ctx, s.ID, tom, "hi"); !errors.Is(err, desk.ErrHeldByOther) {
		t.Fatalf("another agent's message: %v, want ErrHeldByOther", err)
	}
	if _, err := r.e.AgentSay(ctx, s.ID, maria, "  "); !errors.Is(err, ErrBadAgentInput) {
		t.Fatalf("empty agent message: %v, want ErrBadAgentInput", err)
	}
}

// An agent's turn that cannot be stored is reported to the console with
// its cause, sends the customer nothing, and leaves the desk as it was.
func TestAgentTurnStoreFailure(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	r.desk.SetPresence(maria, protocol.PresenceOnline)
	s, _ := r.start(t)
	r.press(s, protocol.ActionHuman)
	r.store.failNext = errDiskFull
	err := r.e.TakeConversation(context.Background(), s.ID, maria)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("take with a failing store: %v, want the store's error", err)
	}
	if got := r.delivery.take(s.ID); len(got) != 0 {
		t.Fatalf("frames delivered for a turn that was not stored: %+v", got)
	}
	if _, ok := r.desk.Conv(s.ID); ok {
		t.Fatal("a failed take left the conversation on the desk")
	}
}

// HUM-2: with nobody available the bot says so and offers to leave a
// message; a left message is stored and the team is notified.
func TestNobodyAvailableLeavesMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	r.notices.ch = make(chan struct{}, 1)
	s, _ := r.start(t)
	out := r.press(s, protocol.ActionHuman)
	h, ok := handoverFrame(out)
	ms := messages(out)
	if !ok || h.State != protocol.HandoverOffline || h.Why != protocol.OfflineNoAgent || len(ms) != 1 || len(ms[0].Actions) != 1 || ms[0].Actions[0].Name != protocol.ActionLeaveMessage {
		t.Fatalf("asking with nobody online: %+v, want offline and a leave-message button", out)
	}
	r.press(s, protocol.ActionLeaveMessage)
	r.say(s, "please call me back about order 1234")
	if msgs, _ := r.store.OfflineMessages(context.Background()); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "order 1234") {
		t.Fatalf("left messages = %+v", msgs)
	}
	select {
	case <-r.notices.ch:
	case <-time.After(5 * time.Second):
		t.Fatal("the team was not notified of the left message")
	}
}

// HUM-2: typing "leave a message" instead of pressing the button starts
// the same flow: the next message is kept for the team, not read as a
// question (and not counted as a miss).
func TestTypedLeaveMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	r.press(s, protocol.ActionHuman)
	out := r.say(s, "can I leave a message?")
	if ms := messages(out); len(ms) != 1 || !strings.Contains(ms[0].Text, "type your message") {
		t.Fatalf("typed leave a message: %+v, want the prompt for the message", out)
	}
	r.say(s, "please ring me back about lessons for my son")
	msgs, err := r.store.OfflineMessages(context.Background())
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Text, "lessons for my son") {
		t.Fatalf("left messages = %+v (%v), want the message typed after the prompt", msgs, err)
	}
}

// DSR-4: erasure in chat is immediate; the next message starts a new
// conversation with a new token and disclosure, and the transport is told
// to move the socket to the new id.
func TestEraseStartsAfresh(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, first := r.start(t)
	oldID, oldToken := s.ID, first[0].(protocol.Session).Session
	out := r.press(s, protocol.ActionErase)
	if ms := messages(out); len(ms) != 1 || !strings.Contains(ms[0].Text, "deleted") {
		t.Fatalf("erase reply = %+v", out)
	}
	out = r.say(s, "hello again")
	f, ok := out[0].(protocol.Session)
	if !ok || f.Session == oldToken || s.ID == oldID {
		t.Fatalf("after erasure: %+v, want a new session frame first", out)
	}
	if m, ok := out[1].(protocol.Message); !ok || !m.Disclosure {
		t.Fatalf("after erasure: %+v, want the disclosure second", out)
	}
	if len(r.delivery.renamed) != 1 || r.delivery.renamed[0] != [2]string{oldID, s.ID} {
		t.Fatalf("renamed = %v, want %s to %s", r.delivery.renamed, oldID, s.ID)
	}
	if _, err := r.e.Lookup(context.Background(), oldToken); !errors.Is(err, ErrUnknownSession) {
		t.Fatalf("old token still resolves: %v", err)
	}
}

// The per-session bucket refuses a flood with rate_limited.
func TestRateLimited(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, func(c *config.Config) { c.Limits.MessagesPerMinute, c.Limits.Burst = 1, 1 })
	s, _ := r.start(t)
	r.say(s, "hello")
	out := r.say(s, "hello?")
	if len(out) != 1 || out[0].(protocol.Error).Code != protocol.ErrRateLimited {
		t.Fatalf("second message at once: %+v, want rate_limited", out)
	}
}
