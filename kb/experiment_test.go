package kb

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"
	"time"
)

// Experiments behind QUALITY.md. They train models directly (without the
// Base) so that variants are quick to compare; run with
//
//	KB_EXPERIMENT=1 go test ./kb -run Experiment -v
//
// They are reports: the figures go to the test log for QUALITY.md. What
// they assert are the invariants the figures rest on (every model far
// above chance, the chosen model at the quality floors, answered shares
// that fall as the threshold rises), so a broken experiment fails rather
// than printing nonsense.

// expFloor is a top-1 accuracy no model family on BANKING77 falls under
// (QUALITY.md: the weakest, BM25 alone at 10 shots, is 0.65; chance is
// 1/77).
const expFloor = 0.5

func checkTop1(t *testing.T, what string, top1 float64) {
	t.Helper()
	if math.IsNaN(top1) || top1 < expFloor || top1 > 1 {
		t.Errorf("%s: top1=%.4f, want within [%.2f, 1]", what, top1, expFloor)
	}
}

func skipUnlessExperiment(t *testing.T) {
	t.Helper()
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
}

// expSet is one knowledge base setting in vector form: title and example
// questions per article, as trainModel sees them.
type expSet struct {
	arts []Article
	fc   featureConfig
	voc  *vocab
	xs   []sparse
	ys   []int32
}

func newExpSet(arts []Article, fc featureConfig) *expSet {
	e := &expSet{arts: arts, fc: fc}
	var raws [][]rawFeature
	for ci, a := range arts {
		for _, q := range append([]string{a.Title}, a.Questions...) {
			raws = append(raws, fc.extract(q))
			e.ys = append(e.ys, int32(ci))
		}
	}
	e.voc = buildVocab(raws, e.ys)
	e.xs = make([]sparse, len(raws))
	for i, r := range raws {
		e.xs[i] = e.voc.vector(fc, r)
	}
	return e
}

func (e *expSet) vec(text string) sparse { return e.voc.vector(e.fc, e.fc.extract(text)) }

// accuracy is top-1 on dev for a per-class scoring function.
func (e *expSet) accuracy(dev []EvalQuery, score func(x sparse) []float64) float64 {
	ok := 0
	for _, q := range dev {
		if e.arts[argmax(score(e.vec(q.Text)))].ID == q.Want {
			ok++
		}
	}
	return float64(ok) / float64(len(dev))
}

func argmax(xs []float64) int {
	b := 0
	for i, x := range xs {
		if x > xs[b] {
			b = i
		}
	}
	return b
}

func (e *expSet) pa(tc trainConfig) func(sparse) []float64 {
	m := trainLinear(e.xs, e.ys, len(e.arts), len(e.voc.idf), tc)
	return func(x sparse) []float64 {
		sc := newScorer(len(e.arts))
		m.score(x, sc)
		return sc.scores
	}
}

// softmax regression by SGD with L2 (dense weights; experiment only).
func (e *expSet) softmax(epochs int, lr, l2 float64) func(sparse) []float64 {
	nC := len(e.arts)
	w := make([][]float64, len(e.voc.idf))
	for i := range w {
		w[i] = make([]float64, nC)
	}
	p := make([]float64, nC)
	order := make([]int, len(e.xs))
	for i := range order {
		order[i] = i
	}
	for ep := 0; ep < epochs; ep++ {
		for i := len(order) - 1; i > 0; i-- {
			j := (i*7919 + ep*104729) % (i + 1)
			order[i], order[j] = order[j], order[i]
		}
		eta := lr / (1 + float64(ep))
		for _, i := range order {
			x := e.xs[i]
			clear(p)
			for k, f := range x.ids {
				for c, wc := range w[f] {
					p[c] += float64(x.vals[k]) * wc
				}
			}
			mx := p[argmax(p)]
			var z float64
			for c := range p {
				p[c] = math.Exp(p[c] - mx)
				z += p[c]
			}
			for c := range p {
				p[c] /= z
			}
			p[e.ys[i]]--
			for k, f := range x.ids {
				v := float64(x.vals[k])
				for c := range w[f] {
					w[f][c] -= eta * (p[c]*v + l2*w[f][c])
				}
			}
		}
	}
	return func(x sparse) []float64 {
		out := make([]float64, nC)
		for k, f := range x.ids {
			for c, wc := range w[f] {
				out[c] += float64(x.vals[k]) * wc
			}
		}
		return out
	}
}

// centroid: cosine to the normalised sum of an article's example vectors.
func (e *expSet) centroid() func(sparse) []float64 {
	cen := make([]map[int32]float64, len(e.arts))
	for i := range cen {
		cen[i] = map[int32]float64{}
	}
	for i, x := range e.xs {
		for k, id := range x.ids {
			cen[e.ys[i]][id] += float64(x.vals[k])
		}
	}
	for _, c := range cen {
		var n float64
		for _, v := range c {
			n += v * v
		}
		for k := range c {
			c[k] /= math.Sqrt(n)
		}
	}
	return func(x sparse) []float64 {
		out := make([]float64, len(cen))
		for c, m := range cen {
			for k, id := range x.ids {
				out[c] += float64(x.vals[k]) * m[id]
			}
		}
		return out
	}
}

// knn: best cosine to any single example of the article.
func (e *expSet) knn() func(sparse) []float64 {
	return func(x sparse) []float64 {
		out := make([]float64, len(e.arts))
		for i, ex := range e.xs {
			var d float64
			a, b := 0, 0
			for a < len(x.ids) && b < len(ex.ids) {
				switch {
				case x.ids[a] < ex.ids[b]:
					a++
				case x.ids[a] > ex.ids[b]:
					b++
				default:
					d += float64(x.vals[a]) * float64(ex.vals[b])
					a++
					b++
				}
			}
			out[e.ys[i]] = max(out[e.ys[i]], d)
		}
		return out
	}
}

// naive Bayes over tf-idf mass.
func (e *expSet) nb() func(sparse) []float64 {
	nC, nF := len(e.arts), len(e.voc.idf)
	cnt := make([][]float64, nC)
	tot := make([]float64, nC)
	for c := range cnt {
		cnt[c] = make([]float64, nF)
	}
	for i, x := range e.xs {
		for k, id := range x.ids {
			cnt[e.ys[i]][id] += float64(x.vals[k])
			tot[e.ys[i]] += float64(x.vals[k])
		}
	}
	return func(x sparse) []float64 {
		out := make([]float64, nC)
		for c := range out {
			for k, id := range x.ids {
				out[c] += float64(x.vals[k]) * math.Log((cnt[c][id]+0.1)/(tot[c]+0.1*float64(nF)))
			}
		}
		return out
	}
}

func TestExperimentModels(t *testing.T) {
	skipUnlessExperiment(t)
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		e := newExpSet(s.articles(shots), defaultFeatures)
		for _, m := range []struct {
			name string
			f    func() func(sparse) []float64
		}{
			{"centroid", e.centroid},
			{"knn", e.knn},
			{"naive-bayes", e.nb},
			{"softmax", func() func(sparse) []float64 { return e.softmax(10, 3, 1e-5) }},
			{"pa", func() func(sparse) []float64 { return e.pa(defaultTrain) }},
		} {
			start := time.Now()
			top1 := e.accuracy(s.dev, m.f())
			t.Logf("shots=%2d %-12s top1=%.4f (%v)", shots, m.name, top1, time.Since(start).Round(time.Millisecond))
			checkTop1(t, fmt.Sprintf("shots=%d %s", shots, m.name), top1)
			// The chosen model alone, without the BM25 blend, already
			// reaches the floors the shipped Base is held to.
			if m.name == "pa" && top1 < banking77Floors[shots].accuracy {
				t.Errorf("shots=%d pa top1=%.4f below the floor %.2f", shots, top1, banking77Floors[shots].accuracy)
			}
		}
	}
}

func TestExperimentFeatures(t *testing.T) {
	skipUnlessExperiment(t)
	s := loadBanking77(t)
	type variant struct {
		name string
		mod  func(fc *featureConfig, tc *trainConfig)
	}
	vs := []variant{
		{"default", func(*featureConfig, *trainConfig) {}},
		{"no word pairs", func(fc *featureConfig, _ *trainConfig) { fc.Weight[kindPair] = 0 }},
		{"no char n-grams", func(fc *featureConfig, _ *trainConfig) { fc.Weight[kindChar] = 0 }},
		{"char n-grams only", func(fc *featureConfig, _ *trainConfig) { fc.Weight = [numKinds]float64{0, 0, 1} }},
		{"chars across words", func(fc *featureConfig, _ *trainConfig) { fc.CharAcross = true }},
		{"char 2-5", func(fc *featureConfig, _ *trainConfig) { fc.CharMin = 2 }},
		{"no prefix", func(fc *featureConfig, _ *trainConfig) { fc.Prefix = 0 }},
		{"skip pairs", func(fc *featureConfig, _ *trainConfig) { fc.Skip = true }},
		{"word triples", func(fc *featureConfig, _ *trainConfig) { fc.Trigrams = true }},
		{"no idf", func(fc *featureConfig, _ *trainConfig) { fc.NoIDF = true }},
		{"1 violator C=1", func(_ *featureConfig, tc *trainConfig) { tc.Violators, tc.C = 1, 1 }},
		{"epochs 20", func(_ *featureConfig, tc *trainConfig) { tc.Epochs = 20 }},
	}
	for _, v := range vs {
		fc, tc := defaultFeatures, defaultTrain
		v.mod(&fc, &tc)
		var line string
		for _, shots := range []int{0, 10} {
			e := newExpSet(s.articles(shots), fc)
			top1 := e.accuracy(s.dev, e.pa(tc))
			line += fmt.Sprintf(" shots=%d top1=%.4f", shots, top1)
			checkTop1(t, fmt.Sprintf("%s shots=%d", v.name, shots), top1)
		}
		t.Logf("%-20s%s", v.name, line)
	}
}

// TestExperimentThresholds prints the answered/precision curve and a
// reliability table of the calibrated confidence through the real Base.
func TestExperimentThresholds(t *testing.T) {
	skipUnlessExperiment(t)
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		r := evalBanking77(t, s, shots, DefaultThreshold)
		t.Logf("shots=%d %s", shots, r.res.Line())
		prev := 1.0
		for _, th := range []float64{0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97} {
			a, p := r.at(th)
			t.Logf("   threshold %.2f answered=%.4f precision=%.4f", th, a, p)
			if a > prev || p < 0 || p > 1 {
				t.Errorf("shots=%d threshold %.2f: answered=%.4f precision=%.4f; answered must not grow with the threshold (was %.4f)", shots, th, a, p, prev)
			}
			prev = a
		}
		var bins [10][2]int
		for i, c := range r.confs {
			b := min(int(c*10), 9)
			bins[b][0]++
			if r.oks[i] {
				bins[b][1]++
			}
		}
		total := 0
		for _, b := range bins {
			total += b[0]
		}
		if total != len(s.dev) {
			t.Errorf("shots=%d: %d confidences binned for %d dev questions", shots, total, len(s.dev))
		}
		for i, b := range bins {
			if b[0] > 0 {
				t.Logf("   confidence %.1f-%.1f n=%4d right=%.3f", float64(i)/10, float64(i+1)/10, b[0], float64(b[1])/float64(b[0]))
			}
		}
	}
}

// TestExperimentBM25 ranks with the Bleve index alone (one document per
// article, word and word-pair fields) for comparison.
func TestExperimentBM25(t *testing.T) {
	skipUnlessExperiment(t)
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		b, err := Open(context.Background(), Options{Source: os.DirFS(writeKB(t, s.articles(shots))), IndexDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		ok := 0
		for _, q := range s.dev {
			hits, err := b.text.search(context.Background(), analyze(q.Text), 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) > 0 && hits[0].id == q.Want {
				ok++
			}
		}
		t.Logf("shots=%d bleve-bm25 top1=%.4f", shots, float64(ok)/float64(len(s.dev)))
		checkTop1(t, fmt.Sprintf("shots=%d bleve-bm25", shots), float64(ok)/float64(len(s.dev)))
		b.Close()
	}
}
