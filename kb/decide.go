package kb

import (
	"context"
	"fmt"
)

// Verdict is what the bot should do with a question (ACC-1: only a
// confident match is answered with an article's text).
type Verdict string

const (
	// VerdictAnswer: the first hit is the answer; reply with its text and source.
	VerdictAnswer Verdict = "answer"
	// VerdictSuggest: the hits are plausible but not confident enough to
	// answer ("did you mean …?"); offer them, never answer with them.
	VerdictSuggest Verdict = "suggest"
	// VerdictNone: nothing plausible; the bot says it cannot confirm.
	VerdictNone Verdict = "none"
)

// Decision is the knowledge base's verdict on one question.
type Decision struct {
	Verdict Verdict
	// Hits: for an answer the answer first (then the runners-up); for a
	// suggestion the 1–3 suggested articles, best first; for none the best
	// ranked articles, if any, for the owner's review.
	Hits []Hit
	// Reason says briefly why, for logs, `kb search` and `kb eval`:
	// "exact", "confident", "ambiguous", "few shared words", "another
	// place", "plausible", "topic word", "no match".
	Reason string
}

// MaxSuggestions is the most articles a "did you mean" offers.
const MaxSuggestions = 3

// Decide ranks query and decides whether to answer, suggest or refuse at
// target, the precision wanted among answered questions (answer.threshold;
// 0 means DefaultThreshold). The bot and `kb eval` both use it, so what is
// measured is what customers get.
func (b *Base) Decide(ctx context.Context, query string, target float64) (Decision, error) {
	g := b.gen.Load()
	if g == nil {
		return Decision{}, ErrClosed
	}
	hits, info, err := b.search(ctx, g, query, MaxSuggestions+1)
	if err != nil {
		return Decision{Verdict: VerdictNone, Reason: "no match"}, err
	}
	none := Decision{Verdict: VerdictNone, Hits: hits[:min(len(hits), MaxSuggestions)], Reason: "no match"}
	if len(hits) == 0 {
		return none, nil
	}
	if info.exact {
		// The owner wrote this very question (or title) down.
		return Decision{Verdict: VerdictAnswer, Hits: hits[:1], Reason: "exact"}, nil
	}
	cal := g.calibration(target)
	sug := suggestions(g, info, hits, cal.SuggestAt)
	switch {
	case len(info.content) == 0:
		return none, nil
	case len(info.content) == 1 && info.words <= 2 && len(sug) > 0:
		// One word ("returns", "my order") names a topic, not a question:
		// offer the articles on it. "how do I book" is a question with one
		// content word, and is answered when confident.
		return Decision{Verdict: VerdictSuggest, Hits: sug, Reason: "topic word"}, nil
	}
	if other, ok := crossArticle(g, info.content, hits); ok {
		return Decision{Verdict: VerdictSuggest, Hits: withHit(sug, hits[0], other), Reason: "ambiguous"}, nil
	}
	if hits[0].Confidence >= cal.AnswerAt {
		cover := g.termsOf(hits[0].Article).cover
		if asked := placesIn(info.content); otherPlace(asked, cover) {
			return Decision{Verdict: VerdictSuggest, Hits: placeFirst(g, asked, hits, sug), Reason: "another place"}, nil
		}
		if info.exp.covers(cover, info.content) >= minAnswerCoverage {
			return Decision{Verdict: VerdictAnswer, Hits: hits[:min(len(hits), MaxSuggestions)], Reason: "confident"}, nil
		}
		if len(sug) == 0 || sug[0].Article.ID != hits[0].Article.ID {
			// Matched by phrasing or spelling more than by topic words: worth
			// offering, not answering.
			sug = append([]Hit{hits[0]}, sug[:min(len(sug), MaxSuggestions-1)]...)
		}
		return Decision{Verdict: VerdictSuggest, Hits: sug, Reason: "few shared words"}, nil
	}
	if len(sug) > 0 {
		return Decision{Verdict: VerdictSuggest, Hits: sug, Reason: "plausible"}, nil
	}
	return none, nil
}

// suggestions are the best hits that share a content word with the query
// and score at least suggestScoreRatio of the best, when the best is
// plausible at all (floor).
func suggestions(g *generation, q queryInfo, hits []Hit, floor float64) []Hit {
	if len(hits) == 0 || hits[0].Confidence < floor {
		return nil
	}
	var out []Hit
	for _, h := range hits {
		if len(out) == MaxSuggestions || h.Score < hits[0].Score*suggestScoreRatio {
			break
		}
		if q.exp.covers(g.termsOf(h.Article).cover, q.content) > 0 {
			out = append(out, h)
		}
	}
	return out
}

const suggestScoreRatio = 0.3

// placeFirst returns the suggestions for a question about a place the best
// article does not name: an article among the hits that names it (or its
// region) first, then the best article and the other suggestions.
func placeFirst(g *generation, asked []string, hits, sug []Hit) []Hit {
	var out []Hit
	add := func(h Hit) {
		for _, o := range out {
			if o.Article.ID == h.Article.ID {
				return
			}
		}
		if len(out) < MaxSuggestions {
			out = append(out, h)
		}
	}
	for _, h := range hits {
		cover := g.termsOf(h.Article).cover
		for _, p := range asked {
			if coversPlace(cover, p) {
				add(h)
			}
		}
	}
	add(hits[0])
	for _, h := range sug {
		add(h)
	}
	return out
}

// withHit returns the suggestions with the two articles of an ambiguous
// question first.
func withHit(sug []Hit, a, b Hit) []Hit {
	out := []Hit{a, b}
	for _, h := range sug {
		if len(out) < MaxSuggestions && h.Article.ID != a.Article.ID && h.Article.ID != b.Article.ID {
			out = append(out, h)
		}
	}
	return out
}

// coverage is the share of the query's content words an article uses.
func coverage(terms map[string]bool, content []string) float64 {
	if len(content) == 0 {
		return 0
	}
	n := 0
	for _, w := range content {
		if terms[w] {
			n++
		}
	}
	return float64(n) / float64(len(content))
}

// minAnswerCoverage: an article that uses fewer of the question's content
// words is not taken as the answer, however the phrasing matches ("do you
// have high chairs?" is not answered by "Do you have anything without
// gluten?").
const minAnswerCoverage = 0.4

// crossArticle finds a runner-up whose title names a topic of the query
// that the best article never mentions, while the best article's title
// names one the runner-up never mentions: the question spans both topics
// ("can I return a gift card?" over "Returning an item" and "Gift cards"),
// and answering with either could contradict the other.
func crossArticle(g *generation, content []string, hits []Hit) (Hit, bool) {
	if len(hits) < 2 || len(content) < 2 {
		return Hit{}, false
	}
	t0 := g.termsOf(hits[0].Article)
	for _, h := range hits[1:min(len(hits), MaxSuggestions)] {
		if h.Score < hits[0].Score*crossScoreRatio {
			break
		}
		t1 := g.termsOf(h.Article)
		onlyTop, onlyOther := false, false
		for _, w := range content {
			switch {
			case g.topicOf(t0, w) && !t1.cover[w]:
				onlyTop = true
			case g.topicOf(t1, w) && !t0.cover[w]:
				onlyOther = true
			}
		}
		if onlyTop && onlyOther {
			return h, true
		}
	}
	return Hit{}, false
}

// topicOf reports whether w names the topic of an article: a word of its
// short title that few other titles use. A negation never does: "What can
// you NOT find on Google?" is not the topic of every question with "not".
func (g *generation) topicOf(t *articleTerms, w string) bool {
	return t.title[w] && len(t.title) <= maxTopicTitleWords && g.titleDF[w] <= maxTopicTitles && !negations[w]
}

// negations are kept as content words (they change what is asked) but name
// no topic.
var negations = map[string]bool{"not": true, "no": true, "never": true, "none": true, "nor": true, "nothing": true}

const (
	maxTopicTitleWords = 4
	maxTopicTitles     = 3
)

const crossScoreRatio = 0.4

// Calibration is how a target precision becomes confidence cut-offs on
// this knowledge base.
type Calibration struct {
	Target    float64 // precision wanted among answered questions
	AnswerAt  float64 // a top confidence at or above this is answered
	SuggestAt float64 // at or above this (and below AnswerAt) articles are suggested
	Method    string  // how the cut-offs were reached, in a few words
}

func (c Calibration) String() string {
	return fmt.Sprintf("target precision %.2f: answer at confidence >= %.3f, suggest at >= %.3f (%s)", c.Target, c.AnswerAt, c.SuggestAt, c.Method)
}

// Calibration returns the cut-offs for target on the current generation.
func (b *Base) Calibration(target float64) Calibration {
	g := b.gen.Load()
	if g == nil {
		return Calibration{Target: target}
	}
	c := g.calibration(target)
	c.Method = g.model.self.method()
	return c
}

// calibration returns the cut-offs for target without the description
// (Decide needs only the numbers, on every question).
func (g *generation) calibration(target float64) Calibration {
	if target <= 0 {
		target = DefaultThreshold
	}
	return Calibration{Target: target, AnswerAt: g.model.self.answerCut(target), SuggestAt: suggestFloor}
}

// suggestFloor is the least confidence at which the best article is worth
// offering as a suggestion.
const suggestFloor = 0.03
