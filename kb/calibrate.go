package kb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Self-calibration: a knowledge base tells how separable its own articles
// are without any labelled customer question, by asking itself questions
// drawn from its own texts:
//
//   - in scope: each article's title (or an example question) is held out
//     of a first model and asked as a customer would; a held-out title is
//     stood in for by half of its content words, as a customer's rewording
//     shares some of the title's words and not others. Is its own article
//     first, with what score and margin over the runner-up?
//   - out of scope: two models each trained on every other article are
//     asked the titles and example questions of the articles they lack.
//     Every answer there is wrong, and the best match is as fully described
//     as it is for a real customer's question about a missing topic.
//
// A logistic fit of "answered right" on score and margin over both kinds
// (out-of-scope ones weighing assumedOutOfScope of all questions) gives
// each answer a probability of being right, and the pseudo-queries sorted
// by it give the precision of answering everything above a cut: the
// cut-off for answer.threshold is read from them (answerCut).

// assumedOutOfScope is the share of customer questions assumed to be about
// something no article covers; it weighs the simulated out-of-scope
// questions against the in-scope ones.
const assumedOutOfScope = 0.2

// calibrationPoint is one simulated question.
type calibrationPoint struct {
	score, margin float64
	ok            bool
	weight        float64
}

// cutPoint says: answering every question whose confidence is at least
// Conf is right with estimated precision Precision.
type cutPoint struct {
	Conf      float64 `json:"c"`
	Precision float64 `json:"p"`
}

// selfCalibration is what calibration stores with the model.
type selfCalibration struct {
	Cal    calib      `json:"cal"`
	Curve  []cutPoint `json:"curve"`  // descending Conf
	InN    int        `json:"in_n"`   // in-scope pseudo-queries
	InTop1 float64    `json:"in_top"` // share of them ranked first
	OutN   int        `json:"out_n"`  // simulated out-of-scope questions
}

// heldOut reports whether text j of article a (0 = title, 1..n = example
// questions) is held out for calibration. The title is held out when the
// article has other text to be found by; of a few example questions the
// first is, of many every fifth (at most maxHeldQuestions).
func heldOut(a *Article, j int) bool {
	n := len(a.Questions)
	switch {
	case j == 0:
		return n > 0 || !isPlaceholder(a.Body)
	case j > n:
		return false // the answer text
	case n >= 5:
		return j%5 == 0 && j/5 <= maxHeldQuestions
	default:
		return j == 1 && n >= 2
	}
}

const maxHeldQuestions = 10

// calibrate fits the confidence on the knowledge base's own texts (see
// above). It reports false when there are too few to fit.
func calibrate(ctx context.Context, arts []*Article, exs []example, fc featureConfig, tc trainConfig) (selfCalibration, bool, error) {
	if len(arts) < 2 {
		return selfCalibration{}, false, nil
	}
	arts, exs = calibrationSample(arts, exs, maxCalibrationArticles)
	// The three models are independent: train them side by side.
	var (
		wg    sync.WaitGroup
		in    []calibrationPoint
		top1  int
		folds [outOfScopeFolds][]calibrationPoint
		errIn error
		errs  [outOfScopeFolds]error
	)
	wg.Add(1 + outOfScopeFolds)
	go func() {
		defer wg.Done()
		in, top1, errIn = inScopePoints(ctx, arts, exs, fc, tc)
	}()
	for f := range int32(outOfScopeFolds) {
		go func() {
			defer wg.Done()
			folds[f], errs[f] = outOfScopePoints(ctx, arts, exs, fc, tc, f)
		}()
	}
	wg.Wait()
	if err := errors.Join(append([]error{errIn}, errs[:]...)...); err != nil {
		return selfCalibration{}, false, err
	}
	if len(in) < minCalibrationPoints {
		return selfCalibration{}, false, nil
	}
	var out []calibrationPoint
	for _, f := range folds {
		out = append(out, f...)
	}
	if ow := totalWeight(out); ow > 0 {
		w := assumedOutOfScope / (1 - assumedOutOfScope) * totalWeight(in) / ow
		for i := range out {
			out[i].weight *= w
		}
	}
	pts := append(in, out...)
	sc := selfCalibration{InN: len(in), OutN: len(out), InTop1: float64(top1) / float64(len(in))}
	sc.Cal = fitPlatt(pts, priorCalib)
	sc.Curve = precisionCurve(sc.Cal, pts)
	return sc, true, nil
}

// maxCalibrationArticles bounds the cost of calibrating a large knowledge
// base: above it, an evenly spread sample of articles calibrates.
const maxCalibrationArticles = 200

// calibrationSample returns at most n articles, evenly spread, with their
// examples renumbered.
func calibrationSample(arts []*Article, exs []example, n int) ([]*Article, []example) {
	if len(arts) <= n {
		return arts, exs
	}
	keep := make(map[int32]int32, n)
	sub := make([]*Article, 0, n)
	for i := 0; i < n; i++ {
		c := int32(i * len(arts) / n)
		keep[c] = int32(len(sub))
		sub = append(sub, arts[c])
	}
	var subEx []example
	for _, e := range exs {
		if c, ok := keep[e.class]; ok {
			e.class = c
			subEx = append(subEx, e)
		}
	}
	return sub, subEx
}

// inScopePoints trains a model without the held-out texts and ranks each
// of them; top1 counts those whose own article came first.
func inScopePoints(ctx context.Context, arts []*Article, exs []example, fc featureConfig, tc trainConfig) (pts []calibrationPoint, top1 int, err error) {
	var raws [][]rawFeature
	var ys []int32
	var held []example
	lexArts := withoutHeld(arts)
	for _, e := range exs {
		switch {
		case !e.hold:
			raws = append(raws, e.raw)
			ys = append(ys, e.class)
		case e.text == arts[e.class].Title:
			held = append(held, e)
			// A customer's rewording shares some of the title's words,
			// not all: the article keeps half of them meanwhile.
			if f := titleFragments(e.text); len(f) > 0 {
				raws = append(raws, fc.extract(f[0]))
				ys = append(ys, e.class)
				lexArts[e.class].Title = f[0]
			}
		default:
			held = append(held, e)
		}
	}
	if len(held) < minCalibrationPoints {
		return nil, 0, nil
	}
	m := trainPartial(arts, raws, ys, lexArts, fc, tc)
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	for _, h := range held {
		q := m.rewrite(stripCourtesy(h.text))
		rs := m.rank(q, analyze(q), rankCandidates)
		if len(rs) == 0 {
			continue
		}
		s, mg := signalOf(rs, 0)
		ok := rs[0].class == h.class
		if ok {
			top1++
		}
		pts = append(pts, calibrationPoint{score: s, margin: mg, ok: ok, weight: 1})
	}
	return pts, top1, nil
}

// trainPartial trains a model for calibration on some of the examples,
// with the lexicon built from lexArts (the same articles, reduced).
func trainPartial(arts []*Article, raws [][]rawFeature, ys []int32, lexArts []*Article, fc featureConfig, tc trainConfig) *intentModel {
	m := &intentModel{ids: make([]string, len(arts)), fc: fc}
	for i, a := range arts {
		m.ids[i] = a.ID
	}
	m.voc = buildVocab(raws, ys)
	xs := make([]sparse, len(raws))
	for i, r := range raws {
		xs[i] = m.voc.vector(fc, r)
	}
	m.lin = trainLinear(xs, ys, len(arts), len(m.voc.idf), tc)
	m.lex = buildLexicon(lexArts)
	m.derive(lexArts)
	return m
}

// outOfScopePoints trains a model without the articles of one fold (every
// outOfScopeFolds-th) and asks it their titles and example questions:
// every answer is wrong, and the best match is as fully described as it is
// for a real customer's question about a missing topic.
func outOfScopePoints(ctx context.Context, arts []*Article, exs []example, fc featureConfig, tc trainConfig, fold int32) ([]calibrationPoint, error) {
	absent := func(c int32) bool { return c%outOfScopeFolds == fold }
	var raws [][]rawFeature
	var ys []int32
	var asked []example
	perArticle := map[int32]int{}
	for _, e := range exs {
		switch {
		case !absent(e.class):
			raws = append(raws, e.raw)
			ys = append(ys, e.class)
		case !e.answer && perArticle[e.class] < maxOutOfScopePerArticle:
			perArticle[e.class]++
			asked = append(asked, e)
		}
	}
	if len(raws) == 0 || len(asked) == 0 {
		return nil, nil
	}
	present := make([]*Article, len(arts))
	for i, a := range arts {
		present[i] = &Article{ID: a.ID}
		if !absent(int32(i)) {
			present[i] = a
		}
	}
	m := trainPartial(arts, raws, ys, present, fc, tc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []calibrationPoint
	for _, e := range asked {
		q := m.rewrite(stripCourtesy(e.text))
		var rs []ranked
		for _, r := range m.rank(q, analyze(q), rankCandidates) {
			if !absent(r.class) {
				rs = append(rs, r)
			}
		}
		if len(rs) > 0 {
			s, mg := signalOf(rs, 0)
			out = append(out, calibrationPoint{score: s, margin: mg, weight: 1})
		}
	}
	return out, nil
}

// titleFragments are a title with every other content word left out (two
// ways): what a customer's rewording keeps of it.
func titleFragments(title string) []string {
	ws := words(title)
	var content []int
	for i, w := range ws {
		if !functionWords[stem(w)] {
			content = append(content, i)
		}
	}
	if len(content) < 2 {
		return nil
	}
	var out []string
	for keep := 0; keep < 2; keep++ {
		drop := map[int]bool{}
		for j, i := range content {
			if j%2 != keep {
				drop[i] = true
			}
		}
		var kept []string
		for i, w := range ws {
			if !drop[i] {
				kept = append(kept, w)
			}
		}
		out = append(out, strings.Join(kept, " "))
	}
	return out
}

// outOfScopeFolds: each article is left out of one of this many models.
const outOfScopeFolds = 2

// maxOutOfScopePerArticle bounds the simulated questions per article so
// that articles with many examples do not dominate.
const maxOutOfScopePerArticle = 5

func totalWeight(pts []calibrationPoint) float64 {
	var w float64
	for _, p := range pts {
		w += p.weight
	}
	return w
}

// minCalibrationPoints: below this many pseudo-queries the prior is used.
const minCalibrationPoints = 8

// withoutHeld returns copies of arts without their held-out texts, for the
// lexicon of the calibration model.
func withoutHeld(arts []*Article) []*Article {
	out := make([]*Article, len(arts))
	for i, a := range arts {
		c := *a
		c.Title = ""
		if !heldOut(a, 0) {
			c.Title = a.Title
		}
		c.Questions = nil
		for j, q := range a.Questions {
			if !heldOut(a, j+1) {
				c.Questions = append(c.Questions, q)
			}
		}
		out[i] = &c
	}
	return out
}

// precisionCurve lists, for each pseudo-query's confidence as a cut, the
// weighted precision of answering everything at or above it.
func precisionCurve(c calib, pts []calibrationPoint) []cutPoint {
	type cp struct {
		conf float64
		pt   calibrationPoint
	}
	cs := make([]cp, len(pts))
	for i, p := range pts {
		cs[i] = cp{c.prob(p.score, p.margin), p}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].conf > cs[j].conf })
	var right, all float64
	curve := make([]cutPoint, 0, len(cs))
	for i, x := range cs {
		all += x.pt.weight
		if x.pt.ok {
			right += x.pt.weight
		}
		if i+1 < len(cs) && cs[i+1].conf == x.conf {
			continue
		}
		if all > 0 {
			curve = append(curve, cutPoint{Conf: x.conf, Precision: right / all})
		}
	}
	return thinCurve(curve, maxCurvePoints)
}

const maxCurvePoints = 256

// thinCurve keeps at most n points, evenly spaced, always the last.
func thinCurve(c []cutPoint, n int) []cutPoint {
	if len(c) <= n {
		return c
	}
	out := make([]cutPoint, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, c[(i+1)*len(c)/n-1])
	}
	return out
}

// answerCut returns the lowest confidence at which answering everything
// above still meets target precision on the pseudo-queries. A question
// whose own probability of being right is at least target is answered
// whatever the curve says; one below minAnswerConfidence never is.
func (sc selfCalibration) answerCut(target float64) float64 {
	cut := target
	for _, p := range sc.Curve {
		if p.Precision >= target {
			cut = min(cut, p.Conf)
		}
	}
	return max(cut, minAnswerConfidence)
}

// method says how the cut-off was reached, for logs and reports.
func (sc selfCalibration) method() string {
	if len(sc.Curve) == 0 {
		return "per-question probability (no calibration curve)"
	}
	return fmt.Sprintf("self-calibrated on %d held-out article texts (%.0f%% ranked first) and %d simulated out-of-scope questions", sc.InN, 100*sc.InTop1, sc.OutN)
}

// minAnswerConfidence: an answer more likely wrong than right is never given.
const minAnswerConfidence = 0.5
