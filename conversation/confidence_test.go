package conversation

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"deskbot/kb"
	"deskbot/protocol"
)

// The bot message that carries the knowledge base's decision (an answer,
// a suggestion or "cannot confirm") carries its confidence, rounded to
// three decimals; small talk and an answer the customer picked by button
// carry none.
func TestReplyCarriesDecisionConfidence(t *testing.T) {
	t.Parallel()
	returns := &kb.Article{ID: "returns", Title: "Returning an item", Version: "3", Body: "Send it back within 30 days."}
	refunds := &kb.Article{ID: "refunds", Title: "Refunds", Version: "1", Body: "Refunds take 5 days."}
	arts := map[string]*kb.Article{"returns": returns, "refunds": refunds}
	for _, c := range []struct {
		name string
		d    kb.Decision
		want float64
	}{
		{"answer", kb.Decision{Verdict: kb.VerdictAnswer, Hits: []kb.Hit{{Article: returns, Confidence: 0.91234}}}, 0.912},
		{"suggest", kb.Decision{Verdict: kb.VerdictSuggest, Hits: []kb.Hit{{Article: returns, Confidence: 0.4137}, {Article: refunds, Confidence: 0.2}}}, 0.414},
		{"none with a best guess", kb.Decision{Verdict: kb.VerdictNone, Hits: []kb.Hit{{Article: refunds, Confidence: 0.05}}}, 0.05},
		{"none at all", kb.Decision{Verdict: kb.VerdictNone}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, fixedKB{decision: c.d, articles: arts}, nil)
			s, _ := r.start(t)
			ms := messages(r.say(s, "can I send it back?"))
			if len(ms) != 1 || ms[0].Confidence == nil || *ms[0].Confidence != c.want {
				t.Fatalf("reply = %+v, want one message with confidence %v", ms, c.want)
			}
			b, _ := json.Marshal(ms[0])
			if !strings.Contains(string(b), `"confidence":`) {
				t.Errorf("the frame on the wire lacks confidence: %s", b)
			}
		})
	}
	r := newRig(t, fixedKB{decision: kb.Decision{Verdict: kb.VerdictSuggest, Hits: []kb.Hit{{Article: returns, Confidence: 0.4}}}, articles: arts}, nil)
	s, _ := r.start(t)
	for _, m := range messages(r.say(s, "hello")) {
		if m.Confidence != nil {
			t.Errorf("small talk carries confidence %v", *m.Confidence)
		}
		if b, _ := json.Marshal(m); strings.Contains(string(b), "confidence") {
			t.Errorf("small talk frame names confidence: %s", b)
		}
	}
	r.say(s, "returns")
	picked := messages(r.e.Handle(context.Background(), s, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionArticle, ID: "returns"}))
	if len(picked) == 0 || len(picked[0].Sources) == 0 || picked[0].Confidence != nil {
		t.Errorf("picked answer = %+v, want the article without confidence", picked)
	}
}
