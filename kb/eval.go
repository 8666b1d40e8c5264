package kb

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// OutOfScope is the category that marks a query no article should answer.
// An empty category, or an id that is not in the knowledge base, means the
// same: such a query must not be answered (a suggestion is fine).
const OutOfScope = "oos"

// Confusion counts queries of one article ranked first as another; for
// out-of-scope queries, those answered with an article.
type Confusion struct {
	Want, Got string
	Count     int
}

// ArticleEval is the outcome of the queries labelled with one article.
type ArticleEval struct {
	ID             string
	Queries        int
	Answered       int // answered with any article
	Right          int // answered with this article
	SuggestedRight int // not answered, this article among the suggestions
	Missed         int // neither answered with nor suggested this article
}

// EvalResult summarises an evaluation run. The rates over in-scope queries
// are Accuracy (top-1 of the ranking), Answered (share answered), Precision
// (right among answered) and Shown (the right article was the answer or
// among the suggestions); OOSAnswered is the share of out-of-scope queries
// answered, every one of them a wrong answer.
type EvalResult struct {
	N, OOS                        int // in-scope and out-of-scope queries
	Accuracy, Answered, Precision float64
	Shown, OOSAnswered            float64
	Calibration                   Calibration
	Confusions                    []Confusion    // worst pairs first, at most 20
	PerArticle                    []ArticleEval  // by id; out-of-scope queries not included
	PerQuery                      []QueryOutcome // in the order of the queries
}

// QueryOutcome is what one query got.
type QueryOutcome struct {
	Query      EvalQuery
	InScope    bool
	Verdict    Verdict
	Reason     string  // Decision.Reason
	First      string  // the answer, first suggestion or best match; "" if none
	Confidence float64 // of First
	// Outcome: "right" (answered with the wanted article), "wrong"
	// (answered with another, or an out-of-scope query answered),
	// "suggested" (the wanted article among the suggestions), "missed"
	// (in scope, neither), "refused" (out of scope, not answered).
	Outcome string
}

// Line renders the result as the machine-readable line
// "accuracy=0.xxxx answered=0.xxxx precision=0.xxxx shown=0.xxxx oos_answered=0.xxxx n=N oos=M".
func (r EvalResult) Line() string {
	return fmt.Sprintf("accuracy=%.4f answered=%.4f precision=%.4f shown=%.4f oos_answered=%.4f n=%d oos=%d",
		r.Accuracy, r.Answered, r.Precision, r.Shown, r.OOSAnswered, r.N, r.OOS)
}

// EvalQuery is one labelled query. Want is the expected article id, or
// empty / OutOfScope when no article should answer.
type EvalQuery struct{ Text, Want string }

// ReadQueries reads a `text,category` CSV (header required). Categories go
// through the same slug as ImportCSV ids, so card_arrival means card-arrival;
// an empty category marks an out-of-scope query.
func ReadQueries(r io.Reader) ([]EvalQuery, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: reading header: %v", ErrBadCSV, err)
	}
	ti, ci := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "text":
			ti = i
		case "category":
			ci = i
		}
	}
	if ti < 0 || ci < 0 {
		return nil, fmt.Errorf("%w: header must contain text,category", ErrBadCSV)
	}
	var out []EvalQuery
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadCSV, err)
		}
		line, _ := cr.FieldPos(0)
		if ti >= len(rec) {
			return nil, fmt.Errorf("%w: line %d: want text,category", ErrBadCSV, line)
		}
		text, cat := strings.TrimSpace(rec[ti]), ""
		if ci < len(rec) {
			cat = strings.TrimSpace(rec[ci])
		}
		if text == "" {
			return nil, fmt.Errorf("%w: line %d: empty text", ErrBadCSV, line)
		}
		out = append(out, EvalQuery{Text: text, Want: slug(cat)})
	}
}

// Evaluate runs every query of a `text,category` CSV through Decide at
// target (the precision wanted among answered questions, as
// answer.threshold) and measures what customers would get.
func Evaluate(ctx context.Context, b *Base, queries io.Reader, target float64) (EvalResult, error) {
	qs, err := ReadQueries(queries)
	if err != nil {
		return EvalResult{}, err
	}
	return EvaluateQueries(ctx, b, qs, target)
}

// EvaluateQueries is Evaluate on already parsed queries. It uses Decide,
// the bot's own decision, so the figures are what customers get rather
// than what a bare confidence cut-off would give.
func EvaluateQueries(ctx context.Context, b *Base, qs []EvalQuery, target float64) (EvalResult, error) {
	ds := make([]Decision, len(qs))
	for i, q := range qs {
		if err := ctx.Err(); err != nil {
			return EvalResult{}, err
		}
		d, err := b.Decide(ctx, q.Text, target)
		if err != nil {
			return EvalResult{}, fmt.Errorf("kb: eval %q: %w", q.Text, err)
		}
		ds[i] = d
	}
	res := tally(qs, ds, func(id string) bool { _, ok := b.Article(id); return ok })
	res.Calibration = b.Calibration(target)
	return res, nil
}

// tally scores the decisions ds taken on qs; known tells whether an
// article id exists (a query labelled with any other id is out of scope).
func tally(qs []EvalQuery, ds []Decision, known func(id string) bool) EvalResult {
	var res EvalResult
	var top1, answered, right, shown, oosAnswered int
	conf := map[[2]string]int{}
	per := map[string]*ArticleEval{}
	res.PerQuery = make([]QueryOutcome, len(qs))
	for i, q := range qs {
		d := ds[i]
		first := ""
		o := &res.PerQuery[i]
		*o = QueryOutcome{Query: q, Verdict: d.Verdict, Reason: d.Reason, Outcome: "missed"}
		if len(d.Hits) > 0 {
			first = d.Hits[0].Article.ID
			o.First, o.Confidence = first, d.Hits[0].Confidence
		}
		if q.Want == "" || q.Want == OutOfScope || !known(q.Want) {
			res.OOS++
			o.Outcome = "refused"
			if d.Verdict == VerdictAnswer {
				o.Outcome = "wrong"
				oosAnswered++
				want := q.Want
				if want == "" {
					want = OutOfScope
				}
				conf[[2]string{want + " (not in kb)", first}]++
			}
			continue
		}
		res.N++
		o.InScope = true
		a := per[q.Want]
		if a == nil {
			a = &ArticleEval{ID: q.Want}
			per[q.Want] = a
		}
		a.Queries++
		if first == q.Want {
			top1++
		} else {
			conf[[2]string{q.Want, first}]++
		}
		switch d.Verdict {
		case VerdictAnswer:
			answered++
			a.Answered++
			if first == q.Want {
				right++
				shown++
				a.Right++
				o.Outcome = "right"
				continue
			}
			o.Outcome = "wrong"
		case VerdictSuggest:
			if hasArticle(d.Hits, q.Want) {
				shown++
				a.SuggestedRight++
				o.Outcome = "suggested"
				continue
			}
		}
		a.Missed++
	}
	if res.N > 0 {
		res.Accuracy = float64(top1) / float64(res.N)
		res.Answered = float64(answered) / float64(res.N)
		res.Shown = float64(shown) / float64(res.N)
	}
	if answered > 0 {
		res.Precision = float64(right) / float64(answered)
	}
	if res.OOS > 0 {
		res.OOSAnswered = float64(oosAnswered) / float64(res.OOS)
	}
	for k, n := range conf {
		res.Confusions = append(res.Confusions, Confusion{Want: k[0], Got: k[1], Count: n})
	}
	sort.Slice(res.Confusions, func(i, j int) bool {
		a, b := res.Confusions[i], res.Confusions[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Want != b.Want {
			return a.Want < b.Want
		}
		return a.Got < b.Got
	})
	if len(res.Confusions) > 20 {
		res.Confusions = res.Confusions[:20]
	}
	for _, a := range per {
		res.PerArticle = append(res.PerArticle, *a)
	}
	sort.Slice(res.PerArticle, func(i, j int) bool { return res.PerArticle[i].ID < res.PerArticle[j].ID })
	return res
}

func hasArticle(hits []Hit, id string) bool {
	for _, h := range hits {
		if h.Article.ID == id {
			return true
		}
	}
	return false
}
