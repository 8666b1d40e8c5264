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

// Confusion counts queries of one article answered with another.
type Confusion struct {
	Want, Got string
	Count     int
}

// EvalResult summarises an evaluation run.
type EvalResult struct {
	N                             int
	Accuracy, Answered, Precision float64
	Confusions                    []Confusion // worst article pairs first
}

// Line renders the result as
// "accuracy=0.xxxx answered=0.xxxx precision=0.xxxx n=N".
func (r EvalResult) Line() string {
	return fmt.Sprintf("accuracy=%.4f answered=%.4f precision=%.4f n=%d", r.Accuracy, r.Answered, r.Precision, r.N)
}

// EvalQuery is one labelled query.
type EvalQuery struct{ Text, Want string }

// ReadQueries reads a `text,category` CSV (header required).
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
		if max(ti, ci) >= len(rec) {
			return nil, fmt.Errorf("%w: line %d: want text,category", ErrBadCSV, line)
		}
		text, cat := strings.TrimSpace(rec[ti]), strings.TrimSpace(rec[ci])
		if text == "" || cat == "" {
			return nil, fmt.Errorf("%w: line %d: empty text or category", ErrBadCSV, line)
		}
		out = append(out, EvalQuery{Text: text, Want: slug(cat)})
	}
}

// Evaluate runs every query of a `text,category` CSV (category is the
// expected article id; categories like card_arrival match the id
// card-arrival made by ImportCSV) and reports top-1 accuracy, the share
// answered at threshold and the accuracy among those answered.
func Evaluate(ctx context.Context, b *Base, queries io.Reader, threshold float64) (EvalResult, error) {
	qs, err := ReadQueries(queries)
	if err != nil {
		return EvalResult{}, err
	}
	return EvaluateQueries(ctx, b, qs, threshold)
}

// EvaluateQueries is Evaluate on already parsed queries.
func EvaluateQueries(ctx context.Context, b *Base, qs []EvalQuery, threshold float64) (EvalResult, error) {
	var res EvalResult
	var correct, answered, answeredOK int
	conf := map[[2]string]int{}
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return EvalResult{}, err
		}
		hits, err := b.Search(ctx, q.Text, 1)
		if err != nil {
			return EvalResult{}, err
		}
		got, c := "", 0.0
		if len(hits) > 0 {
			got, c = hits[0].Article.ID, hits[0].Confidence
		}
		ok := got == q.Want
		if ok {
			correct++
		} else {
			conf[[2]string{q.Want, got}]++
		}
		if len(hits) > 0 && c >= threshold {
			answered++
			if ok {
				answeredOK++
			}
		}
	}
	res.N = len(qs)
	if res.N > 0 {
		res.Accuracy = float64(correct) / float64(res.N)
		res.Answered = float64(answered) / float64(res.N)
	}
	if answered > 0 {
		res.Precision = float64(answeredOK) / float64(answered)
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
	return res, nil
}
