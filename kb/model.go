package kb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"sync"

	"deskbot/wordvec"
)

// DefaultThreshold is the confidence below which the bot says it cannot
// confirm an answer and offers a person. It is set so that at least 97% of
// the questions answered are answered with the right article on the
// BANKING77 dev split, with the full and with the 10-example knowledge base
// (see QUALITY.md).
const DefaultThreshold = 0.95

// modelVersion changes whenever features, training or the file format
// change, so that a stale model file is retrained rather than misread.
const modelVersion = "deskbot-model-8" // 8: adjectives meet their nouns (speller.sameRoot); 7: accents folded (writeFolded)

// calib maps the top score and its margin over the runner-up to a
// probability: sigmoid(A*top + B*margin + C).
type calib struct{ A, B, C float64 }

// priorCalib is used when a knowledge base has too few examples to fit its
// own calibration, and as the prior the fit is pulled towards.
var priorCalib = calib{A: 2.5, B: 5.6, C: -2.5}

func (c calib) prob(top, margin float64) float64 {
	return 1 / (1 + math.Exp(-(c.A*top + c.B*margin + c.C)))
}

// intentModel is the trained classifier of one generation: class i is
// ids[i], an article id.
type intentModel struct {
	key   string
	ids   []string
	fc    featureConfig
	voc   *vocab
	lin   *linear
	lex   *lexicon
	cal   calib
	self  selfCalibration // how cal was fitted and the precision curve; empty: prior
	spell *speller        // the articles' words, to correct a query's (not stored: rebuilt on load)
	sem   *semantic       // the articles' text vectors (not stored: rebuilt on load)
	pool  sync.Pool       // *scorer sized for len(ids)
}

// derive builds what the model computes from the articles rather than
// stores: the speller and the texts' vectors. Training, calibration and
// loading all call it, so none of them can miss one.
func (m *intentModel) derive(arts []*Article) {
	m.spell = newSpeller(arts)
	m.sem = newSemantic(wordvec.English(), arts)
}

// rewrite corrects the query's words towards the articles' (see speller).
func (m *intentModel) rewrite(q string) string {
	if m == nil {
		return q
	}
	return m.spell.rewrite(q)
}

func (m *intentModel) scorer() *scorer {
	if s, ok := m.pool.Get().(*scorer); ok {
		return s
	}
	return newScorer(len(m.ids))
}

// modelKey identifies the training input: same articles, same model.
func modelKey(arts []*Article) string {
	h := sha256.New()
	h.Write([]byte(modelVersion))
	h.Write([]byte(wordvec.English().ID())) // the ranking uses it: a new table retrains
	for _, a := range arts {
		fmt.Fprintf(h, "\x00%s\x00%s", a.ID, articleHash(a))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// examples lists the training texts of an article: its title, its example
// questions and (when written) its answer, which carries words customers
// use too.
func examples(a *Article) []string {
	out := make([]string, 0, len(a.Questions)+2)
	out = append(out, a.Title)
	out = append(out, a.Questions...)
	if b := strings.TrimSpace(a.Body); b != "" && !strings.Contains(b, placeholderBody) {
		out = append(out, b)
	}
	return out
}

const calibrateMax = 2000

// articleExamples extracts the training examples of article a, class ci,
// marking those held out for calibration.
func articleExamples(fc featureConfig, ci int32, a *Article) []example {
	ts := examples(a)
	out := make([]example, len(ts))
	for j, t := range ts {
		out[j] = example{text: t, answer: j > len(a.Questions), raw: fc.extract(t), class: ci, hold: heldOut(a, j)}
	}
	return out
}

type example struct {
	text   string
	answer bool // a part of the answer text, not a question-like text
	raw    []rawFeature
	class  int32
	hold   bool // held out to fit the calibration
}

// trainModel fits the classifier on the articles' examples. It first
// calibrates the confidence on texts held out of a first model (see
// calibrate), then trains the final model on everything.
func trainModel(ctx context.Context, key string, arts []*Article, fc featureConfig, tc trainConfig) (*intentModel, error) {
	m := &intentModel{key: key, ids: make([]string, len(arts)), fc: fc, cal: priorCalib}
	var exs []example
	for ci, a := range arts {
		m.ids[ci] = a.ID
		exs = append(exs, articleExamples(fc, int32(ci), a)...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Beyond calibrateMax articles a calibration sample (200 articles)
	// has too few competitors to stand for the whole: the prior is used.
	if len(arts) <= calibrateMax {
		sc, ok, err := calibrate(ctx, arts, exs, fc, tc)
		if err != nil {
			return nil, err
		}
		if ok {
			m.cal, m.self = sc.Cal, sc
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	raws := make([][]rawFeature, len(exs))
	classes := make([]int32, len(exs))
	for i := range exs {
		raws[i], classes[i] = exs[i].raw, exs[i].class
	}
	m.voc = buildVocab(raws, classes)
	xs := make([]sparse, len(exs))
	ys := make([]int32, len(exs))
	for i := range exs {
		xs[i] = m.voc.vector(fc, exs[i].raw)
		ys[i] = exs[i].class
	}
	m.lin = trainLinear(xs, ys, len(arts), len(m.voc.idf), tc)
	m.lex = buildLexicon(arts)
	m.derive(arts)
	return m, nil
}

// topTwo returns the best class, its score and its margin over the
// runner-up (classes without any score count as 0; ties go to the lower
// class index).
func topTwo(sc *scorer, nClass int) (best int32, top, margin float64) {
	best, second := int32(-1), int32(-1)
	var s1, s2 float64
	better := func(c int32, s float64, than int32, ts float64) bool {
		return than < 0 || s > ts || (s == ts && c < than)
	}
	for _, c := range sc.touched {
		s := sc.scores[c]
		switch {
		case better(c, s, best, s1):
			best, second, s1, s2 = c, best, s, s1
		case better(c, s, second, s2):
			second, s2 = c, s
		}
	}
	if len(sc.touched) < nClass {
		// Some class scores exactly 0.
		if best < 0 || s1 < 0 {
			return -1, 0, 0
		}
		if second < 0 || s2 < 0 {
			s2 = 0
		}
	}
	if best < 0 {
		return -1, 0, 0
	}
	if second < 0 {
		s2 = 0
	}
	return best, s1, s1 - s2
}

// fitPlatt fits the logistic calibration by Newton's method with step
// halving and an L2 pull towards prior, so that small knowledge bases stay
// close to it.
func fitPlatt(pts []calibrationPoint, prior calib) calib {
	p0 := [3]float64{prior.A, prior.B, prior.C}
	const lambda = 1.0
	loss := func(w [3]float64) float64 {
		var l float64
		for i := range w {
			l += lambda / 2 * (w[i] - p0[i]) * (w[i] - p0[i])
		}
		for _, p := range pts {
			z := w[0]*p.score + w[1]*p.margin + w[2]
			if p.ok {
				l += p.weight * softplus(-z)
			} else {
				l += p.weight * softplus(z)
			}
		}
		return l
	}
	w := p0
	cur := loss(w)
	for it := 0; it < 100; it++ {
		var g [3]float64
		var h [3][3]float64
		for i := 0; i < 3; i++ {
			g[i] = lambda * (w[i] - p0[i])
			h[i][i] = lambda
		}
		for _, p := range pts {
			x := [3]float64{p.score, p.margin, 1}
			q := 1 / (1 + math.Exp(-(w[0]*x[0] + w[1]*x[1] + w[2]*x[2])))
			y := 0.0
			if p.ok {
				y = 1
			}
			for i := 0; i < 3; i++ {
				g[i] += p.weight * (q - y) * x[i]
				for j := 0; j < 3; j++ {
					h[i][j] += p.weight * q * (1 - q) * x[i] * x[j]
				}
			}
		}
		d, ok := solve3(h, g)
		if !ok {
			break
		}
		improved := false
		for step := 1.0; step > 1e-4; step /= 2 {
			next := [3]float64{w[0] - step*d[0], w[1] - step*d[1], w[2] - step*d[2]}
			if l := loss(next); l < cur {
				w, improved = next, cur-l > 1e-9
				cur = l
				break
			}
		}
		if !improved {
			break
		}
	}
	return calib{A: w[0], B: w[1], C: w[2]}
}

// softplus is log(1+e^x) without overflow.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// solve3 solves h x = g by Gaussian elimination with partial pivoting.
func solve3(h [3][3]float64, g [3]float64) ([3]float64, bool) {
	a := [3][4]float64{}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			a[i][j] = h[i][j]
		}
		a[i][3] = g[i]
	}
	for c := 0; c < 3; c++ {
		p := c
		for r := c + 1; r < 3; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return [3]float64{}, false
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 3; r++ {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 4; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	return [3]float64{a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]}, true
}

// classScore is one article's model score.
type classScore struct {
	class int32
	score float64
}

// predict scores text and returns the k best classes, ties by article id.
func (m *intentModel) predict(text string, k int) []classScore {
	if m == nil || len(m.ids) == 0 {
		return nil
	}
	x := m.voc.vector(m.fc, m.fc.extract(text))
	sc := m.scorer()
	defer m.pool.Put(sc)
	m.lin.score(x, sc)
	if best, _, _ := topTwo(sc, len(m.ids)); best < 0 {
		return nil
	}
	// Keep the k best in a small sorted slice: sorting every touched class
	// would dominate the query time with thousands of articles.
	out := make([]classScore, 0, k+1)
	better := func(a, b classScore) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return m.ids[a.class] < m.ids[b.class]
	}
	for _, c := range sc.touched {
		out = insertTopK(out, classScore{c, sc.scores[c]}, k, better)
	}
	return out
}
