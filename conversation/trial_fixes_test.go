package conversation

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/kb"
	"deskbot/protocol"
)

// askedKB decides as fixedKB does and keeps every question it was asked.
type askedKB struct {
	fixedKB
	mu    sync.Mutex
	asked []string
}

func (a *askedKB) Decide(ctx context.Context, q string, target float64) (kb.Decision, error) {
	a.mu.Lock()
	a.asked = append(a.asked, q)
	a.mu.Unlock()
	return a.fixedKB.Decide(ctx, q, target)
}

// unanswered lists every question the store holds for the owner's review.
func (m *memStore) unanswered() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, t := range m.turns {
		out = append(out, t.Unanswered...)
	}
	return out
}

// MIN-2: a health word is what an allergy question is about, so the
// knowledge base ranks it; nothing stored holds it, and the answer also
// offers a person.
func TestHealthWordsRankedNotStored(t *testing.T) {
	t.Parallel()
	a := &kb.Article{ID: "patch-test", Title: "Allergy patch test", Version: "1", Body: "We do a patch test 48 hours before any colour."}
	k := &askedKB{fixedKB: fixedKB{decision: kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: a}}}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	ms := messages(r.say(s, "im allergic to hair dye, can i still get highlights"))
	if len(k.asked) != 1 || !strings.Contains(k.asked[0], "allergic") {
		t.Fatalf("knowledge base asked %q, want the question with its health word", k.asked)
	}
	if len(ms) != 2 || ms[0].Text != a.Body || !strings.Contains(ms[1].Text, "health") ||
		len(ms[1].Actions) != 1 || ms[1].Actions[0].Name != protocol.ActionHuman {
		t.Fatalf("replies = %+v, want the article, then an offer of a person", ms)
	}
	for _, text := range r.store.storedTexts() {
		if strings.Contains(text, "allergic") {
			t.Fatalf("health word stored: %q", text)
		}
	}
}

// MIN-2: what is recorded for review is redacted even when ranked whole.
func TestHealthWordsRedactedInReview(t *testing.T) {
	t.Parallel()
	k := &askedKB{fixedKB: fixedKB{decision: kb.Decision{Verdict: kb.VerdictNone}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	r.say(s, "do you have anything for a coeliac")
	got := r.store.unanswered()
	if len(got) != 1 || strings.Contains(got[0], "coeliac") || !strings.Contains(k.asked[0], "coeliac") {
		t.Fatalf("recorded %q after ranking %q: want the redacted question recorded, the whole one ranked", got, k.asked)
	}
}

// HUM-2: "can someone call me back" with nobody available leaves the
// message itself for the team and asks consent for the number in it; it
// is not a question for the knowledge base.
func TestCallbackLeavesTheMessage(t *testing.T) {
	t.Parallel()
	k := &askedKB{fixedKB: fixedKB{decision: kb.Decision{Verdict: kb.VerdictNone}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	out := r.say(s, "hi can someone call me back about a bridal booking? my number is 07700 900456")
	msgs, _ := r.store.OfflineMessages(context.Background())
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "bridal booking") || strings.Contains(msgs[0].Text, "900456") {
		t.Fatalf("left messages = %+v, want the request, its number redacted until consent", msgs)
	}
	if _, ok := out[len(out)-1].(protocol.ConsentRequest); !ok {
		t.Fatalf("last frame = %+v, want the consent request for the number", out[len(out)-1])
	}
	if len(k.asked) != 0 || len(r.store.unanswered()) != 0 {
		t.Fatalf("asked the knowledge base %q, recorded %q: a callback request is not a question", k.asked, r.store.unanswered())
	}
}

// HUM-2: with a person available a callback request puts the customer in line.
func TestCallbackQueuesWhenSomeoneIsThere(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	r.desk.SetPresence(maria, protocol.PresenceOnline)
	s, _ := r.start(t)
	if h, ok := handoverFrame(r.say(s, "could somebody ring me please")); !ok || h.State != protocol.HandoverQueued {
		t.Fatalf("callback with an agent online: no queued handover")
	}
}

// A pick that names nothing is answered as such, not missed: "the first
// one" with no suggestions shown, and "yes" to several (which are offered
// again).
func TestUnclearPicks(t *testing.T) {
	t.Parallel()
	arts := map[string]*kb.Article{
		"colour": {ID: "colour", Title: "Hair colour", Body: "We colour."},
		"prices": {ID: "prices", Title: "Price list", Body: "Cuts from 20."},
	}
	k := &askedKB{fixedKB: fixedKB{articles: arts, decision: kb.Decision{Verdict: kb.VerdictSuggest,
		Hits: []kb.Hit{{Article: arts["colour"], Confidence: 0.4}, {Article: arts["prices"], Confidence: 0.3}}}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	ms := messages(r.say(s, "the first one"))
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "nothing to choose") {
		t.Fatalf("\"the first one\" with nothing shown: %+v", ms)
	}
	r.say(s, "how much is a colour")
	ms = messages(r.say(s, "yes"))
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "Which one") || len(ms[0].Actions) != 2 || ms[0].Actions[0].ID != "colour" {
		t.Fatalf("\"yes\" to two suggestions: %+v, want which one, with both again", ms)
	}
	ms = messages(r.say(s, "the second one"))
	if len(ms) != 1 || ms[0].Text != "Cuts from 20." {
		t.Fatalf("picking after \"which one\": %+v", ms)
	}
	if len(k.asked) != 1 || len(r.store.unanswered()) != 0 {
		t.Fatalf("asked %q, recorded %q: only the question goes to the knowledge base, and nothing was missed", k.asked, r.store.unanswered())
	}
}

// HUM-2: frustration after nobody was available is acknowledged with the
// way to leave a message, not answered from the articles nor recorded.
func TestFrustrationAfterNobodyAvailable(t *testing.T) {
	t.Parallel()
	k := &askedKB{fixedKB: fixedKB{decision: kb.Decision{Verdict: kb.VerdictNone}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	if h, ok := handoverFrame(r.press(s, protocol.ActionHuman)); !ok || h.State != protocol.HandoverOffline {
		t.Fatalf("no offline handover")
	}
	ms := messages(r.say(s, "this is useless!!!"))
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "frustrating") || len(ms[0].Actions) != 1 || ms[0].Actions[0].Name != protocol.ActionLeaveMessage {
		t.Fatalf("frustration after nobody available: %+v, want sympathy and the leave-a-message button", ms)
	}
	if len(k.asked) != 0 || len(r.store.unanswered()) != 0 {
		t.Fatalf("asked %q, recorded %q", k.asked, r.store.unanswered())
	}
}

// "no thanks" to the offer of a person is acknowledged, not thanked for.
func TestNoThanksToAnOffer(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	r.say(s, "do you sell kayaks")
	ms := messages(r.say(s, "no thanks"))
	if len(ms) != 1 || strings.Contains(ms[0].Text, "welcome") || !strings.Contains(ms[0].Text, "All right") {
		t.Fatalf("\"no thanks\" after an offer: %+v", ms)
	}
	if _, ok := handoverFrame(r.say(s, "ok")); ok {
		t.Fatal("a handover after declining")
	}
}

// DSR-1: the summary of what is held names the messages left for the team
// (they are in the download too).
func TestExportSummaryCountsLeftMessages(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	r.press(s, protocol.ActionLeaveMessage)
	r.say(s, "please book me in for a trim on friday")
	ms := messages(r.press(s, protocol.ActionExport))
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "1 message(s) left for our team") {
		t.Fatalf("export summary = %+v, want the left message counted", ms)
	}
}

// CONS-1: "yes" typed just after the consent request grants it, as the
// button does, and keeps the number typed before; "no" declines. Typed
// later, or to anything else, "yes" grants nothing.
func TestTypedConsentAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		reply string
		kept  int
		says  string
	}{
		{"yes", 1, "kept encrypted"},
		{"yes that's fine", 1, "kept encrypted"},
		{"no thanks", 0, "won't keep"},
		{"nope", 0, "won't keep"},
	} {
		r := newRig(t, nil, nil)
		s, _ := r.start(t)
		r.press(s, protocol.ActionLeaveMessage)
		out := r.say(s, "call me on 07700 900789 about the book club, Dave")
		if _, ok := out[len(out)-1].(protocol.ConsentRequest); !ok {
			t.Fatalf("%q: no consent request: %+v", tc.reply, out)
		}
		ms := messages(r.say(s, tc.reply))
		if c, _ := r.store.Contacts(context.Background(), s.Subject); len(c) != tc.kept || len(ms) != 1 || !strings.Contains(ms[0].Text, tc.says) {
			t.Errorf("%q to the consent request: kept %v, replies %+v", tc.reply, c, ms)
		}
		if got := r.store.auditEvents("consent"); len(got) != 1 {
			t.Errorf("%q: consent audit records = %+v, want the one decision", tc.reply, got)
		}
	}
	// Not just after the request: "yes" is not consent.
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	r.say(s, "my email is dave@example.com")
	r.say(s, "do you sell maps")
	r.say(s, "yes")
	if c, _ := r.store.Contacts(context.Background(), s.Subject); len(c) != 0 {
		t.Fatalf("a later \"yes\" kept %v", c)
	}
}

// HUM-2: "yes please" to the offer to leave a message starts one.
func TestYesToLeaveMessageOffer(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	r.say(s, "can i talk to a real person please")
	ms := messages(r.say(s, "yes please"))
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "type your message") {
		t.Fatalf("\"yes please\" to the leave-a-message offer: %+v", ms)
	}
	r.say(s, "put two copies aside for me")
	if msgs, _ := r.store.OfflineMessages(context.Background()); len(msgs) != 1 {
		t.Fatalf("left messages = %+v", msgs)
	}
}

// DSR-4: a question about deleting is answered, not taken as a request:
// nothing is erased.
func TestQuestionAboutDeletingErasesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	s, _ := r.start(t)
	for _, q := range []string{"do you delete the chat after a while?", "how do I delete my data?"} {
		for _, m := range messages(r.say(s, q)) {
			if strings.Contains(m.Text, "deleted") {
				t.Fatalf("%q erased: %q", q, m.Text)
			}
		}
	}
	if got := r.store.auditEvents("erasure"); len(got) != 0 || s.erased.Load() {
		t.Fatalf("erasure records %+v after questions about deleting", got)
	}
}

// A customer who leaves without picking a suggestion has their question
// listed for review once they have been idle a while, and only once.
func TestLeftSuggestionsListedWhenIdle(t *testing.T) {
	t.Parallel()
	arts := map[string]*kb.Article{"colour": {ID: "colour", Title: "Hair colour", Body: "We colour."}}
	k := fixedKB{articles: arts, decision: kb.Decision{Verdict: kb.VerdictSuggest, Hits: []kb.Hit{{Article: arts["colour"], Confidence: 0.4}}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	r.say(s, "i want to cancel my order of the new book")
	ctx := context.Background()
	if n := r.e.RecordLeftSuggestions(ctx, 30*time.Minute); n != 0 || len(r.store.unanswered()) != 0 {
		t.Fatalf("listed %d while the customer may still pick", n)
	}
	r.now = r.now.Add(31 * time.Minute)
	if n := r.e.RecordLeftSuggestions(ctx, 30*time.Minute); n != 1 {
		t.Fatalf("listed %d after the customer left, want 1", n)
	}
	if got := r.store.unanswered(); len(got) != 1 || got[0] != "i want to cancel my order of the new book" {
		t.Fatalf("unanswered = %q", got)
	}
	r.now = r.now.Add(time.Hour)
	if n := r.e.RecordLeftSuggestions(ctx, 30*time.Minute); n != 0 || len(r.store.unanswered()) != 1 {
		t.Fatalf("listed again: %d, %q", n, r.store.unanswered())
	}
}

// Contact details typed alone, unasked, are not a question for the
// articles: the bot thanks, asks what it can do and asks consent (CONS-1).
func TestContactDetailsAloneAreNotAQuestion(t *testing.T) {
	t.Parallel()
	a := &kb.Article{ID: "contact", Title: "Address and phone number", Body: "12 Mill Street. Phone 01234 567890."}
	k := &askedKB{fixedKB: fixedKB{decision: kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: a}}}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	out := r.say(s, "my number is 07700 900123")
	ms := messages(out)
	if len(k.asked) != 0 || len(ms) != 1 || ms[0].Text == a.Body || !strings.Contains(ms[0].Text, "help you with") {
		t.Fatalf("asked %q, replies %+v: want thanks and no article", k.asked, ms)
	}
	if _, ok := out[len(out)-1].(protocol.ConsentRequest); !ok {
		t.Fatalf("last frame = %+v, want the consent request", out[len(out)-1])
	}
	if len(r.store.unanswered()) != 0 {
		t.Fatalf("listed for review: %q", r.store.unanswered())
	}
}

// MIN-2: a health question answered through a suggestion the customer
// picks offers a person too, as one answered at once does.
func TestHealthPointerAfterPick(t *testing.T) {
	t.Parallel()
	arts := map[string]*kb.Article{"cafe": {ID: "cafe", Title: "Café menu and allergens", Body: "Our kitchen handles nuts."}}
	k := fixedKB{articles: arts, decision: kb.Decision{Verdict: kb.VerdictSuggest, Hits: []kb.Hit{{Article: arts["cafe"], Confidence: 0.4}}}}
	r := newRig(t, k, nil)
	s, _ := r.start(t)
	r.say(s, "my son has a nut allergy is the cake safe for him")
	ms := messages(r.say(s, "the first one"))
	if len(ms) != 2 || ms[0].Text != arts["cafe"].Body || !strings.Contains(ms[1].Text, "health") {
		t.Fatalf("picked after a health question: %+v, want the article, then an offer of a person", ms)
	}
	r.say(s, "do you sell maps")
	if ms := messages(r.say(s, "the first one")); len(ms) != 1 {
		t.Fatalf("picked after a question without health words: %+v, want the article alone", ms)
	}
}
