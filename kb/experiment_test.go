package kb

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

type expModel struct {
	arts []Article
	v    *vocab
	m    *linear
	fc   featureConfig
}

func expTrain(arts []Article, fc featureConfig, tc trainConfig) *expModel {
	var raws [][]rawFeature
	var ys []int32
	for ci, a := range arts {
		for _, q := range append([]string{a.Title}, a.Questions...) {
			raws = append(raws, fc.extract(q))
			ys = append(ys, int32(ci))
		}
	}
	v := buildVocab(raws, ys)
	xs := make([]sparse, len(raws))
	for i, r := range raws {
		xs[i] = v.vector(fc, r)
	}
	return &expModel{arts: arts, v: v, m: trainLinear(xs, ys, len(arts), len(v.idf), tc), fc: fc}
}

func (e *expModel) acc(dev []EvalQuery) float64 {
	sc := newScorer(len(e.arts))
	correct := 0
	for _, q := range dev {
		x := e.v.vector(e.fc, e.fc.extract(q.Text))
		e.m.score(x, sc)
		best, bs := int32(-1), 0.0
		cs := append([]int32(nil), sc.touched...)
		sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
		for _, c := range cs {
			if best < 0 || sc.scores[c] > bs {
				best, bs = c, sc.scores[c]
			}
		}
		if best >= 0 && e.arts[best].ID == q.Want {
			correct++
		}
	}
	return float64(correct) / float64(len(dev))
}

// TestExperiment is a scratch harness for trying ranking variants directly
// on the model; run with KB_EXPERIMENT=1.
func TestExperiment(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	type variant struct {
		name string
		fc   featureConfig
		tc   trainConfig
	}
	var vs []variant
	base := defaultFeatures
	if os.Getenv("KB_EXP2") != "" {
		goto second
	}
	vs = append(vs, variant{"default", base, defaultTrain})
	for _, ep := range []int{5, 20} {
		tc := defaultTrain
		tc.Epochs = ep
		vs = append(vs, variant{fmt.Sprintf("epochs=%d", ep), base, tc})
	}
	for _, c := range []float64{0.1, 0.3, 3} {
		tc := defaultTrain
		tc.C = c
		vs = append(vs, variant{fmt.Sprintf("C=%g", c), base, tc})
	}
	for _, w := range [][3]float64{{1, 0, 1}, {1, 1, 1}, {1, 0.5, 1.5}, {1, 0.7, 0}, {0, 0, 1}} {
		fc := base
		fc.Weight = w
		vs = append(vs, variant{fmt.Sprintf("w=%v", w), fc, defaultTrain})
	}
	for _, r := range [][2]int{{2, 5}, {3, 6}, {1, 4}} {
		fc := base
		fc.CharMin, fc.CharMax = r[0], r[1]
		vs = append(vs, variant{fmt.Sprintf("char=%v", r), fc, defaultTrain})
	}
second:
	{
		fc := base
		fc.CharAcross = true
		vs = append(vs, variant{"across", fc, defaultTrain})
		fc = base
		fc.Prefix = 4
		vs = append(vs, variant{"prefix4", fc, defaultTrain})
		fc.Prefix = 5
		vs = append(vs, variant{"prefix5", fc, defaultTrain})
		fc = base
		fc.Skip = true
		vs = append(vs, variant{"skip", fc, defaultTrain})
	}
	for _, v := range vs {
		start := time.Now()
		full := expTrain(s.articles(0), v.fc, v.tc).acc(s.dev)
		few := expTrain(s.articles(10), v.fc, v.tc).acc(s.dev)
		t.Logf("%-22s full=%.4f 10shot=%.4f (%v)", v.name, full, few, time.Since(start).Round(time.Millisecond))
	}
}

// scores returns per-class scores for text from the linear model, the class
// centroid cosine and the best single-example cosine.
type expScores struct{ lin, cen, knn []float64 }

type expFull struct {
	*expModel
	xs  []sparse
	ys  []int32
	cen []map[int32]float64
}

func expTrainFull(arts []Article, fc featureConfig, tc trainConfig) *expFull {
	e := expTrain(arts, fc, tc)
	f := &expFull{expModel: e}
	for ci, a := range arts {
		for _, q := range append([]string{a.Title}, a.Questions...) {
			f.xs = append(f.xs, e.v.vector(fc, fc.extract(q)))
			f.ys = append(f.ys, int32(ci))
		}
	}
	f.cen = make([]map[int32]float64, len(arts))
	for i := range f.cen {
		f.cen[i] = map[int32]float64{}
	}
	for i, x := range f.xs {
		for k, id := range x.ids {
			f.cen[f.ys[i]][id] += float64(x.vals[k])
		}
	}
	for _, c := range f.cen {
		var n float64
		for _, v := range c {
			n += v * v
		}
		n = 1 / sqrt(n)
		for k := range c {
			c[k] *= n
		}
	}
	return f
}

func sqrt(x float64) float64 {
	if x <= 0 {
		return 1
	}
	z := x
	for i := 0; i < 30; i++ {
		z = (z + x/z) / 2
	}
	return z
}

func (f *expFull) scores(text string) expScores {
	n := len(f.arts)
	s := expScores{lin: make([]float64, n), cen: make([]float64, n), knn: make([]float64, n)}
	x := f.v.vector(f.fc, f.fc.extract(text))
	sc := newScorer(n)
	f.m.score(x, sc)
	for _, c := range sc.touched {
		s.lin[c] = sc.scores[c]
	}
	for c, cm := range f.cen {
		var d float64
		for k, id := range x.ids {
			d += float64(x.vals[k]) * cm[id]
		}
		s.cen[c] = d
	}
	for i, ex := range f.xs {
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
		if d > s.knn[f.ys[i]] {
			s.knn[f.ys[i]] = d
		}
	}
	return s
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

func TestExperimentBlend(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		f := expTrainFull(s.articles(shots), defaultFeatures, defaultTrain)
		all := make([]expScores, len(s.dev))
		for i, q := range s.dev {
			all[i] = f.scores(q.Text)
		}
		for _, w := range [][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0.5, 0}, {1, 1, 0}, {1, 0, 0.5}, {1, 0, 1}, {1, 0.5, 0.5}, {1, 1, 1}, {1, 2, 0}, {1, 0, 2}} {
			ok := 0
			for i, q := range s.dev {
				c := make([]float64, len(f.arts))
				for j := range c {
					c[j] = w[0]*all[i].lin[j] + w[1]*all[i].cen[j] + w[2]*all[i].knn[j]
				}
				if f.arts[argmax(c)].ID == q.Want {
					ok++
				}
			}
			t.Logf("shots=%d w=%v acc=%.4f", shots, w, float64(ok)/float64(len(s.dev)))
		}
	}
}

// softmax regression, dense, SGD with L2; experiment only.
func expSoftmax(xs []sparse, ys []int32, nClass, nFeat, epochs int, lr, l2 float64) [][]float64 {
	w := make([][]float64, nFeat)
	for i := range w {
		w[i] = make([]float64, nClass)
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	p := make([]float64, nClass)
	for ep := 0; ep < epochs; ep++ {
		// deterministic shuffle
		for i := len(order) - 1; i > 0; i-- {
			j := (i*7919 + ep*104729) % (i + 1)
			order[i], order[j] = order[j], order[i]
		}
		eta := lr / (1 + float64(ep))
		for _, i := range order {
			x := xs[i]
			for c := range p {
				p[c] = 0
			}
			for k, f := range x.ids {
				v := float64(x.vals[k])
				for c, wc := range w[f] {
					p[c] += v * wc
				}
			}
			mx := p[0]
			for _, s := range p {
				mx = max(mx, s)
			}
			var z float64
			for c := range p {
				p[c] = exp(p[c] - mx)
				z += p[c]
			}
			for c := range p {
				p[c] /= z
			}
			p[ys[i]] -= 1
			for k, f := range x.ids {
				v := float64(x.vals[k])
				wf := w[f]
				for c := range wf {
					wf[c] -= eta * (p[c]*v + l2*wf[c])
				}
			}
		}
	}
	return w
}

func exp(x float64) float64 { return math.Exp(x) }

func TestExperimentSoftmax(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	fc := defaultFeatures
	for _, shots := range []int{10, 0} {
		arts := s.articles(shots)
		var raws [][]rawFeature
		var ys []int32
		for ci, a := range arts {
			for _, q := range append([]string{a.Title}, a.Questions...) {
				raws = append(raws, fc.extract(q))
				ys = append(ys, int32(ci))
			}
		}
		v := buildVocab(raws, nil)
		xs := make([]sparse, len(raws))
		for i, r := range raws {
			xs[i] = v.vector(fc, r)
		}
		for _, cfg := range [][3]float64{{10, 1, 1e-5}, {10, 3, 1e-5}, {20, 3, 1e-6}, {10, 10, 1e-6}} {
			start := time.Now()
			w := expSoftmax(xs, ys, len(arts), len(v.idf), int(cfg[0]), cfg[1], cfg[2])
			ok := 0
			for _, q := range s.dev {
				x := v.vector(fc, fc.extract(q.Text))
				sc := make([]float64, len(arts))
				for k, f := range x.ids {
					for c, wc := range w[f] {
						sc[c] += float64(x.vals[k]) * wc
					}
				}
				if arts[argmax(sc)].ID == q.Want {
					ok++
				}
			}
			t.Logf("shots=%d cfg=%v acc=%.4f (%v)", shots, cfg, float64(ok)/float64(len(s.dev)), time.Since(start).Round(time.Millisecond))
		}
	}
}

func zscore(xs []float64) []float64 {
	var m, v float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	sd := math.Sqrt(v/float64(len(xs))) + 1e-9
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = (x - m) / sd
	}
	return out
}

func TestExperimentEnsemble(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	fc := defaultFeatures
	for _, shots := range []int{10, 0} {
		arts := s.articles(shots)
		f := expTrainFull(arts, fc, defaultTrain)
		nC, nF := len(arts), len(f.v.idf)
		sm := expSoftmax(f.xs, f.ys, nC, nF, 10, 3, 1e-5)
		// NB over tf-idf mass
		cnt := make([][]float64, nC)
		tot := make([]float64, nC)
		for c := range cnt {
			cnt[c] = make([]float64, nF)
		}
		for i, x := range f.xs {
			for k, id := range x.ids {
				cnt[f.ys[i]][id] += float64(x.vals[k])
				tot[f.ys[i]] += float64(x.vals[k])
			}
		}
		type qs struct{ m [5][]float64 }
		all := make([]qs, len(s.dev))
		for i, q := range s.dev {
			es := f.scores(q.Text)
			x := f.v.vector(fc, fc.extract(q.Text))
			smS := make([]float64, nC)
			nb := make([]float64, nC)
			for k, id := range x.ids {
				for c := 0; c < nC; c++ {
					smS[c] += float64(x.vals[k]) * sm[id][c]
					nb[c] += float64(x.vals[k]) * math.Log((cnt[c][id]+0.1)/(tot[c]+0.1*float64(nF)))
				}
			}
			all[i].m = [5][]float64{zscore(es.lin), zscore(smS), zscore(es.cen), zscore(nb), zscore(es.knn)}
		}
		names := []string{"pa", "softmax", "centroid", "nb", "knn"}
		for mi := range names {
			ok := 0
			for i, q := range s.dev {
				if arts[argmax(all[i].m[mi])].ID == q.Want {
					ok++
				}
			}
			t.Logf("shots=%d %s acc=%.4f", shots, names[mi], float64(ok)/float64(len(s.dev)))
		}
		for _, w := range [][5]float64{{1, 1, 0, 0, 0}, {1, 1, 1, 0, 0}, {1, 1, 0, 1, 0}, {1, 1, 1, 1, 0}, {1, 1, 0.5, 0.5, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 1, 0}, {0, 1, 0, 1, 0}, {1, 1, 0.5, 0.5, 0.5}} {
			ok := 0
			for i, q := range s.dev {
				c := make([]float64, nC)
				for mi := range w {
					for j := range c {
						c[j] += w[mi] * all[i].m[mi][j]
					}
				}
				if arts[argmax(c)].ID == q.Want {
					ok++
				}
			}
			t.Logf("shots=%d blend %v acc=%.4f", shots, w, float64(ok)/float64(len(s.dev)))
		}
	}
}

func TestExperimentErrors(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	arts := s.articles(10)
	f := expTrainFull(arts, defaultFeatures, defaultTrain)
	n := 0
	pairs := map[string]int{}
	for _, q := range s.dev {
		es := f.scores(q.Text)
		g := arts[argmax(es.lin)].ID
		if g != q.Want {
			pairs[q.Want+" -> "+g]++
			if n < 40 {
				t.Logf("%q want %s got %s", q.Text, q.Want, g)
			}
			n++
		}
	}
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range pairs {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
	for _, x := range kvs[:25] {
		t.Logf("%3d %s", x.v, x.k)
	}
}

func expData(arts []Article, fc featureConfig, titleRep int) ([]sparse, []int32, *vocab) {
	var raws [][]rawFeature
	var ys []int32
	for ci, a := range arts {
		qs := a.Questions
		for r := 0; r < titleRep; r++ {
			qs = append([]string{a.Title}, qs...)
		}
		for _, q := range qs {
			raws = append(raws, fc.extract(q))
			ys = append(ys, int32(ci))
		}
	}
	v := buildVocab(raws, nil)
	xs := make([]sparse, len(raws))
	for i, r := range raws {
		xs[i] = v.vector(fc, r)
	}
	return xs, ys, v
}

func TestExperimentSweep(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	type variant struct {
		name     string
		fc       featureConfig
		titleRep int
		lr, l2   float64
		pa       bool
	}
	b := defaultFeatures
	vs := []variant{{"base-sm", b, 1, 3, 1e-5, false}, {"base-pa", b, 1, 0, 0, true}}
	add := func(name string, mod func(v *variant)) {
		v := variant{name, b, 1, 3, 1e-5, false}
		mod(&v)
		vs = append(vs, v)
		v.pa = true
		v.name += "-pa"
		vs = append(vs, v)
	}
	if os.Getenv("KB_EXP3") != "" {
		vs = vs[:0]
		for _, nv := range []int{1, 3, 10, 100} {
			for _, mg := range []float64{1, 0.5, 2} {
				for _, c := range []float64{0.3, 1} {
					tc := defaultTrain
					tc.Violators, tc.Margin, tc.C = nv, mg, c
					for _, sh := range []int{10, 0} {
						xs, ys, voc := expData(s.articles(sh), b, 1)
						m := trainLinear(xs, ys, len(s.intents), len(voc.idf), tc)
						sc := newScorer(len(s.intents))
						ok := 0
						for _, q := range s.dev {
							m.score(voc.vector(b, b.extract(q.Text)), sc)
							if s.intents[argmax(sc.scores)] == q.Want {
								ok++
							}
						}
						t.Logf("viol=%d margin=%g C=%g shots=%d acc=%.4f", nv, mg, c, sh, float64(ok)/float64(len(s.dev)))
					}
				}
			}
		}
		return
	}
	add("noidf", func(v *variant) { v.fc.NoIDF = true })
	add("idf0.5", func(v *variant) { v.fc.IDFPow = 0.5 })
	add("idf2", func(v *variant) { v.fc.IDFPow = 2 })
	add("title0", func(v *variant) { v.titleRep = 0 })
	add("title3", func(v *variant) { v.titleRep = 3 })
	add("prefix5", func(v *variant) { v.fc.Prefix = 5 })
	add("w1,1,0.7", func(v *variant) { v.fc.Weight = [3]float64{1, 1, 0.7} })
	add("w1,0.5,1", func(v *variant) { v.fc.Weight = [3]float64{1, 0.5, 1} })
	add("lr10", func(v *variant) { v.lr = 10; v.l2 = 1e-5 })
	add("l2e-4", func(v *variant) { v.l2 = 1e-4 })
	for _, v := range vs {
		if v.pa && v.name == "base-sm-pa" {
			continue
		}
		xs, ys, voc := expData(s.articles(10), v.fc, v.titleRep)
		arts := s.articles(10)
		nC := len(arts)
		score := func(x sparse) []float64 { return nil }
		if v.pa {
			m := trainLinear(xs, ys, nC, len(voc.idf), defaultTrain)
			score = func(x sparse) []float64 {
				sc := newScorer(nC)
				m.score(x, sc)
				return sc.scores
			}
		} else {
			w := expSoftmax(xs, ys, nC, len(voc.idf), 10, v.lr, v.l2)
			score = func(x sparse) []float64 {
				out := make([]float64, nC)
				for k, f := range x.ids {
					for c, wc := range w[f] {
						out[c] += float64(x.vals[k]) * wc
					}
				}
				return out
			}
		}
		ok := 0
		for _, q := range s.dev {
			if arts[argmax(score(voc.vector(v.fc, v.fc.extract(q.Text))))].ID == q.Want {
				ok++
			}
		}
		t.Logf("%-14s 10shot=%.4f", v.name, float64(ok)/float64(len(s.dev)))
	}
}

func TestExperimentIntegrated(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		start := time.Now()
		r := evalBanking77(t, s, shots, DefaultThreshold)
		t.Logf("shots=%d %s (%v)", shots, r.res.Line(), time.Since(start).Round(time.Millisecond))
		for _, th := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95} {
			a, p := r.at(th)
			t.Logf("   th=%.2f answered=%.4f precision=%.4f", th, a, p)
		}
		// calibration table
		var bins [10][2]int
		for i, c := range r.confs {
			b := min(int(c*10), 9)
			bins[b][0]++
			if r.oks[i] {
				bins[b][1]++
			}
		}
		for i, b := range bins {
			if b[0] > 0 {
				t.Logf("   conf %.1f-%.1f n=%4d acc=%.3f", float64(i)/10, float64(i+1)/10, b[0], float64(b[1])/float64(b[0]))
			}
		}
	}
}

func TestExperimentDebug(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	arts := s.articles(0)
	ptrs := make([]*Article, len(arts))
	for i := range arts {
		ptrs[i] = &arts[i]
	}
	sort.Slice(ptrs, func(i, j int) bool { return ptrs[i].ID < ptrs[j].ID })
	m, _ := trainModel(context.Background(), "k", ptrs, defaultFeatures, defaultTrain)
	ok := 0
	for _, q := range s.dev {
		p := m.predict(q.Text, 1)
		if len(p) > 0 && m.ids[p[0].class] == q.Want {
			ok++
		}
	}
	t.Logf("direct acc=%.4f", float64(ok)/float64(len(s.dev)))
	e := expTrain(s.articles(0), defaultFeatures, defaultTrain)
	t.Logf("exp acc=%.4f", e.acc(s.dev))
}

func TestExperimentDebug2(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	dir := writeKB(t, s.articles(0))
	b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	g := b.gen.Load()
	ok, ok2, n := 0, 0, 0
	for _, q := range s.dev {
		p := g.model.predict(q.Text, 1)
		hits, _ := b.Search(context.Background(), q.Text, 1)
		if len(p) > 0 && g.model.ids[p[0].class] == q.Want {
			ok++
		}
		if len(hits) > 0 && hits[0].Article.ID == q.Want {
			ok2++
		}
		if len(p) > 0 && len(hits) > 0 && g.model.ids[p[0].class] != hits[0].Article.ID && n < 5 {
			n++
			t.Logf("%q predict=%s search=%s", q.Text, g.model.ids[p[0].class], hits[0].Article.ID)
		}
	}
	t.Logf("predict=%.4f search=%.4f arts=%d", float64(ok)/float64(len(s.dev)), float64(ok2)/float64(len(s.dev)), len(g.arts))
	a := g.arts[0]
	t.Logf("%s %d questions; orig %d", a.ID, len(a.Questions), len(s.train[a.ID]))
	for _, p := range b.Problems() {
		t.Log(p)
	}
}

func TestExperimentSignals(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		dir := writeKB(t, s.articles(shots))
		b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		g := b.gen.Load()
		type row struct {
			ok        bool
			top, mar  float64
			conf      float64
			agreeBM25 bool
			blend     map[float64]string
		}
		rows := make([]row, 0, len(s.dev))
		for _, q := range s.dev {
			preds := g.model.predict(q.Text, 20)
			conf := 0.0
			lex, _ := b.text.search(context.Background(), analyze(q.Text), 20)
			r := row{conf: conf, blend: map[float64]string{}}
			if len(preds) > 0 {
				r.ok = g.model.ids[preds[0].class] == q.Want
				r.top = preds[0].score
				if len(preds) > 1 {
					r.mar = preds[0].score - preds[1].score
				} else {
					r.mar = preds[0].score
				}
				r.agreeBM25 = len(lex) > 0 && lex[0].id == g.model.ids[preds[0].class]
			}
			for _, beta := range []float64{0.05, 0.1, 0.2, 0.3, 0.5} {
				sc := map[string]float64{}
				for _, p := range preds {
					sc[g.model.ids[p.class]] = p.score
				}
				if len(lex) > 0 {
					for _, h := range lex {
						sc[h.id] += beta * h.score / lex[0].score
					}
				}
				best, bs := "", math.Inf(-1)
				for id, v := range sc {
					if v > bs || (v == bs && id < best) {
						best, bs = id, v
					}
				}
				if best == q.Want {
					r.blend[beta] = "ok"
				}
			}
			rows = append(rows, r)
		}
		for _, beta := range []float64{0.05, 0.1, 0.2, 0.3, 0.5} {
			n := 0
			for _, r := range rows {
				if r.blend[beta] == "ok" {
					n++
				}
			}
			t.Logf("shots=%d blend beta=%.2f acc=%.4f", shots, beta, float64(n)/float64(len(rows)))
		}
		// precision at answered levels for signals
		sig := map[string]func(r row) float64{
			"conf":       func(r row) float64 { return r.conf },
			"margin":     func(r row) float64 { return r.mar },
			"top":        func(r row) float64 { return r.top },
			"conf+agree": func(r row) float64 { return r.conf + map[bool]float64{true: 1}[r.agreeBM25] },
			"mar+agree":  func(r row) float64 { return r.mar + 0.3*map[bool]float64{true: 1}[r.agreeBM25] },
		}
		names := []string{"conf", "margin", "top", "conf+agree", "mar+agree"}
		for _, name := range names {
			f := sig[name]
			idx := make([]int, len(rows))
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(i, j int) bool { return f(rows[idx[i]]) > f(rows[idx[j]]) })
			line := ""
			for _, ans := range []float64{0.3, 0.5, 0.7, 0.8} {
				k := int(ans * float64(len(rows)))
				ok := 0
				for _, i := range idx[:k] {
					if rows[i].ok {
						ok++
					}
				}
				line += fmt.Sprintf(" P@%.1f=%.4f", ans, float64(ok)/float64(k))
			}
			t.Logf("shots=%d %-11s%s", shots, name, line)
		}
		agreeN, agreeOK := 0, 0
		for _, r := range rows {
			if r.agreeBM25 {
				agreeN++
				if r.ok {
					agreeOK++
				}
			}
		}
		t.Logf("shots=%d agree share=%.3f acc-when-agree=%.4f", shots, float64(agreeN)/float64(len(rows)), float64(agreeOK)/float64(agreeN))
		b.Close()
	}
}

func TestExperimentAugment(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	for _, copies := range []int{0, 1, 3} {
		for _, shots := range []int{10, 0} {
			arts := s.articles(shots)
			for i := range arts {
				var extra []string
				for qi, q := range arts[i].Questions {
					ws := strings.Fields(q)
					if len(ws) < 4 {
						continue
					}
					for c := 0; c < copies; c++ {
						drop := (qi*31 + c*17) % len(ws)
						extra = append(extra, strings.Join(append(append([]string{}, ws[:drop]...), ws[drop+1:]...), " "))
					}
				}
				arts[i].Questions = append(arts[i].Questions, extra...)
			}
			e := expTrain(arts, defaultFeatures, defaultTrain)
			t.Logf("copies=%d shots=%d acc=%.4f", copies, shots, e.acc(s.dev))
		}
	}
}

func TestExperimentClassIDF(t *testing.T) {
	if os.Getenv("KB_EXPERIMENT") == "" {
		t.Skip("set KB_EXPERIMENT=1")
	}
	s := loadBanking77(t)
	fc := defaultFeatures
	for _, shots := range []int{10, 0} {
		arts := s.articles(shots)
		var raws [][]rawFeature
		var ys []int32
		perClass := make([]map[uint64]rawFeature, len(arts))
		for ci, a := range arts {
			perClass[ci] = map[uint64]rawFeature{}
			for _, q := range append([]string{a.Title}, a.Questions...) {
				r := fc.extract(q)
				raws = append(raws, r)
				ys = append(ys, int32(ci))
				for _, f := range r {
					perClass[ci][f.h] = f
				}
			}
		}
		var docs [][]rawFeature
		for _, m := range perClass {
			var d []rawFeature
			for _, f := range m {
				d = append(d, f)
			}
			docs = append(docs, d)
		}
		for _, mode := range []string{"example", "class"} {
			v := buildVocab(raws, nil)
			if mode == "class" {
				v = buildVocab(docs, nil)
			}
			xs := make([]sparse, len(raws))
			for i, r := range raws {
				xs[i] = v.vector(fc, r)
			}
			m := trainLinear(xs, ys, len(arts), len(v.idf), defaultTrain)
			sc := newScorer(len(arts))
			ok := 0
			for _, q := range s.dev {
				m.score(v.vector(fc, fc.extract(q.Text)), sc)
				if arts[argmax(sc.scores)].ID == q.Want {
					ok++
				}
			}
			t.Logf("shots=%d idf=%s acc=%.4f", shots, mode, float64(ok)/float64(len(s.dev)))
		}
	}
}
