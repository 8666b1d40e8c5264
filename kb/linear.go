package kb

import (
	"math/rand/v2"
	"sort"
)

// linear is a multiclass linear model stored as per-feature postings of
// (class, weight), so that scoring touches only classes that share a
// feature with the query and the model stays small for many articles.
type linear struct {
	nClass int
	// Postings in compressed rows: feature f owns cls/w[off[f]:off[f+1]],
	// classes ascending.
	off []uint32
	cls []int32
	w   []float32
}

// trainConfig sets the passive-aggressive training.
type trainConfig struct {
	Epochs int
	C      float64 // aggressiveness cap (PA-I)
	Seed   uint64
	// Violators > 1 also pushes down up to that many further wrong classes
	// inside the margin, which generalises better with few examples.
	Violators int
	Margin    float64
	// MaxPost caps the classes kept per feature (largest weights win), so
	// that training and scoring cost stay bounded with thousands of
	// articles; with fewer articles than the cap it changes nothing.
	MaxPost int
	// Budget caps epochs*examples so that huge knowledge bases train in
	// seconds; small ones get all Epochs.
	Budget int
}

var defaultTrain = trainConfig{Epochs: 10, C: 0.3, Seed: 77, Violators: 3, Margin: 1, MaxPost: 128, Budget: 200000}

type trainEntry struct {
	c    int32
	w, u float32
}

// scorer accumulates class scores for one vector.
type scorer struct {
	scores  []float64
	touched []int32
	seen    []bool
}

func newScorer(n int) *scorer {
	return &scorer{scores: make([]float64, n), seen: make([]bool, n)}
}

func (s *scorer) reset() {
	for _, c := range s.touched {
		s.scores[c] = 0
		s.seen[c] = false
	}
	s.touched = s.touched[:0]
}

func (s *scorer) add(c int32, v float64) {
	if !s.seen[c] {
		s.seen[c] = true
		s.touched = append(s.touched, c)
	}
	s.scores[c] += v
}

// trainLinear fits an averaged multiclass passive-aggressive model (PA-I,
// Crammer-Singer margin: only the true class and the strongest wrong class
// move). It is deterministic for a given seed.
func trainLinear(xs []sparse, ys []int32, nClass, nFeat int, cfg trainConfig) *linear {
	post := make([][]trainEntry, nFeat)
	sc := newScorer(nClass)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6b62))
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	step := float32(1)
	var viol []int32
	update := func(x sparse, c int32, tau float32) {
		for i, f := range x.ids {
			d := tau * x.vals[i]
			p := post[f]
			j := 0
			for j < len(p) && p[j].c != c {
				j++
			}
			if j == len(p) {
				post[f] = append(p, trainEntry{c: c})
				p = post[f]
			}
			p[j].w += d
			p[j].u += step * d
			if cfg.MaxPost > 0 && len(p) > 2*cfg.MaxPost {
				post[f] = prune(p, cfg.MaxPost)
			}
		}
	}
	epochs := cfg.Epochs
	if cfg.Budget > 0 && len(xs) > 0 {
		epochs = max(1, min(epochs, cfg.Budget/len(xs)))
	}
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			x, y := xs[i], ys[i]
			sc.reset()
			for k, f := range x.ids {
				v := float64(x.vals[k])
				for _, e := range post[f] {
					sc.add(e.c, v*float64(e.w))
				}
			}
			// Strongest wrong class; untouched classes score 0.
			r, best := int32(-1), 0.0
			for _, c := range sc.touched {
				if c != y && (r < 0 || sc.scores[c] > best || (sc.scores[c] == best && c < r)) {
					r, best = c, sc.scores[c]
				}
			}
			if (r < 0 || best < 0) && len(sc.touched) < nClass {
				for c := int32(0); c < int32(nClass); c++ {
					if c != y && !sc.seen[c] {
						r, best = c, 0
						break
					}
				}
			}
			margin := cfg.Margin
			if margin == 0 {
				margin = 1
			}
			if cfg.Violators > 1 {
				sy := sc.scores[y]
				var sq float64
				for _, v := range x.vals {
					sq += float64(v) * float64(v)
				}
				// wrong classes inside the margin, strongest first
				viol := viol[:0]
				for _, c := range sc.touched {
					if c != y && margin-(sy-sc.scores[c]) > 0 {
						viol = append(viol, c)
					}
				}
				if r >= 0 && !sc.seen[r] && margin-(sy-best) > 0 {
					viol = append(viol, r)
				}
				sort.Slice(viol, func(i, j int) bool {
					a, b := sc.scores[viol[i]], sc.scores[viol[j]]
					if a != b {
						return a > b
					}
					return viol[i] < viol[j]
				})
				if len(viol) > cfg.Violators {
					viol = viol[:cfg.Violators]
				}
				var total float32
				for _, c := range viol {
					loss := margin - (sy - sc.scores[c])
					tau := float32(min(cfg.C, loss/(2*sq)) / float64(len(viol)))
					update(x, c, -tau)
					total += tau
				}
				if total > 0 {
					update(x, y, total)
				}
				step++
				continue
			}
			if r >= 0 {
				loss := margin - (sc.scores[y] - best)
				if loss > 0 {
					var sq float64
					for _, v := range x.vals {
						sq += float64(v) * float64(v)
					}
					tau := min(cfg.C, loss/(2*sq))
					update(x, y, float32(tau))
					update(x, r, float32(-tau))
				}
			}
			step++
		}
	}
	m := &linear{nClass: nClass, off: make([]uint32, nFeat+1)}
	for f, p := range post {
		if cfg.MaxPost > 0 && len(p) > cfg.MaxPost {
			p = prune(p, cfg.MaxPost)
		}
		sort.Slice(p, func(i, j int) bool { return p[i].c < p[j].c })
		for _, e := range p {
			w := e.w - e.u/step
			if w != 0 {
				m.cls = append(m.cls, e.c)
				m.w = append(m.w, w)
			}
		}
		m.off[f+1] = uint32(len(m.cls))
	}
	return m
}

// score accumulates the class scores of x into sc (after reset).
func (m *linear) score(x sparse, sc *scorer) {
	sc.reset()
	for k, f := range x.ids {
		v := float64(x.vals[k])
		lo, hi := m.off[f], m.off[f+1]
		for j := lo; j < hi; j++ {
			sc.add(m.cls[j], v*float64(m.w[j]))
		}
	}
}

// prune keeps the n entries with the largest absolute weight (ties by
// class), in place.
func prune(p []trainEntry, n int) []trainEntry {
	sort.Slice(p, func(i, j int) bool {
		a, b := abs32(p[i].w), abs32(p[j].w)
		if a != b {
			return a > b
		}
		return p[i].c < p[j].c
	})
	return p[:n:n]
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
