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
	// "confident", "ambiguous", "plausible", "topic word", "no match".
	Reason string
}

// MaxSuggestions is the most articles a "did you mean" offers.
const MaxSuggestions = 3

// Decide ranks query and decides whether to answer, suggest or refuse at
// target, the precision wanted among answered questions (answer.threshold;
// 0 means DefaultThreshold). The bot and `kb eval` both use it, so what is
// measured is what customers get.
func (b *Base) Decide(ctx context.Context, query string, target float64) (Decision, error) {
	if target <= 0 {
		target = DefaultThreshold
	}
	hits, err := b.Search(ctx, query, MaxSuggestions+1)
	if err != nil || len(hits) == 0 {
		return Decision{Verdict: VerdictNone, Reason: "no match"}, err
	}
	cal := b.Calibration(target)
	top := hits[0].Confidence
	switch {
	case top >= cal.AnswerAt:
		return Decision{Verdict: VerdictAnswer, Hits: hits, Reason: "confident"}, nil
	case top >= cal.SuggestAt:
		var sug []Hit
		for _, h := range hits {
			if len(sug) == MaxSuggestions || h.Confidence < cal.SuggestAt/2 {
				break
			}
			sug = append(sug, h)
		}
		return Decision{Verdict: VerdictSuggest, Hits: sug, Reason: "plausible"}, nil
	}
	return Decision{Verdict: VerdictNone, Hits: hits, Reason: "no match"}, nil
}

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
	if target <= 0 {
		target = DefaultThreshold
	}
	return Calibration{Target: target, AnswerAt: target, SuggestAt: 0.3, Method: "fixed"}
}
