package conversation

import (
	"context"
	"slices"
	"strings"

	"deskbot/intent"
	"deskbot/kb"
	"deskbot/locale"
	"deskbot/protocol"
	"deskbot/store"
)

// suggestion is a "did you mean …?" waiting for the customer's pick.
type suggestion struct {
	IDs      []string `json:"ids"`                // suggested article ids, best first
	Query    string   `json:"query"`              // the redacted question that produced them
	Recorded bool     `json:"recorded,omitempty"` // Query is already listed for the owner's review
	Health   bool     `json:"health,omitempty"`   // the question named the customer's health (question.health)
}

// unpicked lists the question of a pending suggestion that the customer
// moved on from (a new question, a person, goodbye) for the owner's
// review: the articles offered did not answer it. A pick records it with
// its article instead (pick).
func (e *Engine) unpicked(t *turn) {
	p := t.s.st.Suggested
	if p == nil || p.Recorded {
		return
	}
	t.rec.Unanswered = append(t.rec.Unanswered, p.Query)
	p.Recorded = true
}

// suggest offers up to kb.MaxSuggestions articles as buttons. It never
// quotes them (ACC-1: only an answer carries article text and a source).
// Two rounds in a row without a pick count as one miss (HUM-2).
func (e *Engine) suggest(ctx context.Context, t *turn, q question, hits []kb.Hit, conf *float64) {
	query := q.stored
	s := t.s
	s.st.SuggestRounds++
	recorded := false
	if s.st.SuggestRounds >= 2 {
		s.st.SuggestRounds = 0
		t.rec.Unanswered = append(t.rec.Unanswered, query)
		recorded = true
		s.st.Misses++
		if s.st.Misses >= e.cfg.Answer.MissesBeforeHandover {
			s.st.Misses, s.st.Suggested = 0, nil
			e.handover(ctx, t, ReasonMisses)
			return
		}
	}
	e.obs.Outcome(OutcomeSuggestion)
	text := e.text(s, locale.SuggestMany)
	if len(hits) == 1 {
		text = e.text(s, locale.SuggestOne)
	}
	m := e.botMessage(text, false)
	var ids []string
	for _, h := range hits {
		if len(ids) == kb.MaxSuggestions || h.Article == nil || slices.Contains(ids, h.Article.ID) {
			continue
		}
		ids = append(ids, h.Article.ID)
		m.Actions = append(m.Actions, protocol.Action{Name: protocol.ActionArticle, ID: h.Article.ID, Label: h.Article.Title})
	}
	m.Actions = append(m.Actions, protocol.Action{Name: protocol.ActionHuman, Label: e.text(s, locale.ActionHuman)})
	m.Confidence = conf
	s.st.Suggested = &suggestion{IDs: ids, Query: query, Recorded: recorded, Health: q.health}
	t.send(m)
}

// articleAction answers a pressed "article" button with that article's
// own text and source (ACC-2). An id that was not suggested but exists is
// answered too (a page may link it); an unknown one is refused.
func (e *Engine) articleAction(ctx context.Context, s *Session, id string) []protocol.Outbound {
	id = strings.TrimSpace(id)
	if id == "" {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "An article action needs the article's id.")}
	}
	if _, ok := e.kb.Article(id); !ok {
		return []protocol.Outbound{errorFrame(protocol.ErrBadRequest, "Unknown article.")}
	}
	t := e.newTurn(s)
	t.customer(map[string]string{"action": protocol.ActionArticle, "id": id})
	s.st.OfferedHuman = false
	e.pick(t, id)
	return t.finish(ctx)
}

// pick answers with the article id and, when it was suggested, records
// the question with the chosen article for the owner's review.
func (e *Engine) pick(t *turn, id string) {
	s := t.s
	a, ok := e.kb.Article(id)
	if !ok {
		// Removed from the knowledge base since it was suggested.
		s.st.Suggested = nil
		m := e.botMessage(e.text(s, locale.SuggestGone), false)
		m.Actions = []protocol.Action{{Name: protocol.ActionHuman, Label: e.text(s, locale.ActionHuman)}}
		t.send(m)
		return
	}
	health := false
	if p := s.st.Suggested; p != nil && slices.Contains(p.IDs, id) {
		t.rec.Picked = append(t.rec.Picked, store.Pick{Question: p.Query, Article: id})
		health = p.Health
	}
	e.answerWith(t, a, nil) // the customer chose it: no confidence of the bot's
	if health {
		e.healthPointer(t) // as when answered at once
	}
}

// ordinals name a suggestion by position; -1 is the last.
var ordinals = map[string]int{
	"first": 0, "1": 0, "1st": 0, "top": 0,
	"second": 1, "2": 1, "2nd": 1,
	"third": 2, "3": 2, "3rd": 2,
	"last": -1, "final": -1, "bottom": -1,
}

// pickFillers may surround an ordinal: "the first one please", "number 2".
var pickFillers = map[string]bool{
	"the": true, "one": true, "please": true, "pls": true, "option": true, "number": true, "no": true, "nr": true,
	"article": true, "i": true, "mean": true, "meant": true, "want": true, "take": true, "that": true,
	"choice": true, "suggestion": true, "link": true, "ok": true, "okay": true, "its": true, "is": true, // "it's" reads "its"
}

// typedPick finds which pending suggestion the customer typed: its title
// (ignoring case and punctuation), its position ("the first one", "2",
// "last one"), or a bare "yes" when only one was suggested.
func (e *Engine) typedPick(s *Session, raw string) (string, bool) {
	p := s.st.Suggested
	if p == nil || len(p.IDs) == 0 {
		return "", false
	}
	in := intent.Read(raw)
	ws := in.Words()
	typed := strings.Join(ws, " ")
	if typed == "" {
		return "", false
	}
	for _, id := range p.IDs {
		if a, ok := e.kb.Article(id); ok && typed == strings.Join(intent.Read(a.Title).Words(), " ") {
			return id, true
		}
	}
	if len(p.IDs) == 1 && in.IsYes() {
		return p.IDs[0], true
	}
	pos, found := ordinalOnly(ws)
	if !found {
		return "", false
	}
	if pos < 0 {
		pos = len(p.IDs) - 1
	}
	if pos >= len(p.IDs) {
		return "", false
	}
	return p.IDs[pos], true
}

// ordinalOnly reads a message that is one position and fillers ("the
// first one", "2", "last one please"): the position, -1 for the last.
func ordinalOnly(ws []string) (pos int, ok bool) {
	for _, w := range ws {
		if pickFillers[w] {
			continue
		}
		n, isOrdinal := ordinals[w]
		if !isOrdinal || ok {
			return 0, false
		}
		pos, ok = n, true
	}
	return pos, ok
}

// unclearPick answers a message meant to pick a suggestion that names
// none: "the first one" with none shown or past the last, or "yes" to
// several. It asks nothing of the knowledge base, so it is neither a miss
// nor listed for the owner's review; shown suggestions are offered again.
func (e *Engine) unclearPick(t *turn, in intent.Message) bool {
	s := t.s
	p := s.st.Suggested
	pending := p != nil && len(p.IDs) > 0
	_, ordinal := ordinalOnly(in.Words())
	switch {
	case ordinal && !pending:
		t.send(e.botMessage(e.text(s, locale.PickNothing), false))
	case pending && (ordinal || (len(p.IDs) > 1 && in.IsYes())):
		m := e.botMessage(e.text(s, locale.PickWhich), false)
		for _, id := range p.IDs {
			if a, ok := e.kb.Article(id); ok {
				m.Actions = append(m.Actions, protocol.Action{Name: protocol.ActionArticle, ID: a.ID, Label: a.Title})
			}
		}
		t.send(m)
	default:
		return false
	}
	e.obs.Outcome(OutcomeSmallTalk)
	return true
}

// smallTalk replies courteously to a message that asks nothing. It is not
// a miss: the count towards a handover is left as it was (HUM-2).
func (e *Engine) smallTalk(t *turn, kind intent.SmallTalkKind) {
	e.obs.Outcome(OutcomeSmallTalk)
	if kind == intent.Goodbye {
		e.unpicked(t) // leaving without a pick; "thanks" or "ok" may still pick
	}
	// answer.small_talk.* word these for config `language` (config/locale.go).
	key, ok := map[intent.SmallTalkKind]locale.Key{intent.Greeting: locale.SmallTalkGreeting, intent.Thanks: locale.SmallTalkThanks, intent.Goodbye: locale.SmallTalkGoodbye, intent.Acknowledge: locale.SmallTalkAcknowledge}[kind]
	if !ok {
		key = locale.SmallTalkAcknowledge
	}
	t.send(e.botMessage(e.text(t.s, key), false))
}
