package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"deskbot/kb"
	"deskbot/store"
)

// reviewRow is one line of the owner's review list: a question customers
// asked (grouped), and the article it most likely belongs to.
type reviewRow struct {
	N int // 1-based, as printed; --accept takes it
	kb.ReviewGroup
	Article    string  // most likely article; empty when nothing matches
	How        string  // "picked", "answered", "suggested", "best match" or "no article"
	Confidence float64 // of Article on the current knowledge base (not for "picked")
	Known      string  // id of an article that already lists this question (questions: or asked:)
}

// Likely renders the article column, e.g. "returns-policy (picked 2×)" or
// "shipping-times (suggested, confidence 0.620)".
func (r reviewRow) Likely() string {
	switch {
	case r.Article == "":
		return "no article"
	case r.How == "picked":
		return fmt.Sprintf("%s (picked %d×)", r.Article, r.PickedCount)
	}
	return fmt.Sprintf("%s (%s, confidence %.3f)", r.Article, r.How, r.Confidence)
}

// reviewList reads the review entries since since, groups them and finds
// each group's likely article on b at target (answer.threshold). The
// questions were redacted before they were stored. With b nil (the
// knowledge base could not be opened) the groups come without articles.
func reviewList(ctx context.Context, st *store.Store, b *kb.Base, since time.Time, target float64) ([]reviewRow, error) {
	qs, err := st.ReviewQuestions(ctx, since, 0)
	if err != nil {
		return nil, err
	}
	entries := make([]kb.ReviewEntry, len(qs))
	for i, q := range qs {
		entries[i] = kb.ReviewEntry{At: q.At, Question: q.Question, Article: q.Article}
	}
	known := map[string]string{}
	var arts []*kb.Article
	if b != nil {
		arts = b.Articles()
	}
	for _, a := range arts {
		for _, q := range slices.Concat(a.Questions, a.Asked) {
			known[kb.NormaliseQuestion(q)] = a.ID
		}
	}
	groups := kb.GroupReview(entries)
	rows := make([]reviewRow, len(groups))
	for i, g := range groups {
		r := reviewRow{N: i + 1, ReviewGroup: g, How: "no article", Known: known[g.Key]}
		switch {
		case g.Picked != "":
			// The customer's own choice says more than the ranking.
			r.Article, r.How = g.Picked, "picked"
		case b != nil:
			d, err := b.Decide(ctx, g.Question, target)
			if err != nil {
				return nil, err
			}
			// A hit at (rounded) zero confidence is no match worth naming.
			if len(d.Hits) > 0 && (d.Verdict != kb.VerdictNone || d.Hits[0].Confidence >= 0.005) {
				r.Article, r.Confidence = d.Hits[0].Article.ID, d.Hits[0].Confidence
				r.How = map[kb.Verdict]string{kb.VerdictAnswer: "answered", kb.VerdictSuggest: "suggested"}[d.Verdict]
				if r.How == "" {
					r.How = "best match"
				}
			}
		}
		rows[i] = r
	}
	return rows, nil
}
