package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"deskbot/kb"
	"deskbot/store"
)

// reviewRow is one line of the owner's review list: a question customers
// asked (grouped), and the article it most likely belongs to.
type reviewRow struct {
	N   int    // 1-based, as printed; shifts as new questions arrive
	Ref string // stable reference from the question's wording; --accept takes it or N
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
	setRefs(rows)
	return rows, nil
}

// refLetters spell references: letters only, so a reference is never read
// as a row number, and none that look like digits (i, l, o).
const refLetters = "abcdefghjkmnpqrstuvwxyz"

// setRefs gives each row a reference derived from its question's grouping
// key alone, so "--accept ref" names the same question however the list
// grew or shrank since it was printed; N does not. Five letters, or eight
// in the rare list where two questions would share five.
func setRefs(rows []reviewRow) {
	for _, n := range []int{5, 8} {
		seen := make(map[string]bool, len(rows))
		unique := true
		for i := range rows {
			rows[i].Ref = questionRef(rows[i].Key, n)
			unique = unique && !seen[rows[i].Ref]
			seen[rows[i].Ref] = true
		}
		if unique {
			return
		}
	}
}

func questionRef(key string, n int) string {
	sum := sha256.Sum256([]byte(key))
	var b strings.Builder
	for _, c := range sum[:n] {
		b.WriteByte(refLetters[int(c)%len(refLetters)])
	}
	return b.String()
}

// findRow returns the row that ref names: a row number from the list as
// printed, or a row's reference.
func findRow(rows []reviewRow, ref string) (reviewRow, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if n, err := strconv.Atoi(ref); err == nil {
		if n < 1 || n > len(rows) {
			return reviewRow{}, fmt.Errorf("the list has %d questions", len(rows))
		}
		return rows[n-1], nil
	}
	for _, r := range rows {
		if r.Ref == ref {
			return r, nil
		}
	}
	return reviewRow{}, fmt.Errorf("no question in the list has the reference %q", ref)
}
