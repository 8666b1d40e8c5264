package kb

import (
	"cmp"
	"math/rand/v2"
	"slices"
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

// trainLinear fits an averaged multiclass passive-aggressive model (PA-I
// with a Crammer-Singer margin: the true class moves up, the strongest
// Violators wrong classes inside the margin move down). It is deterministic
// for a given seed.
func trainLinear(xs []sparse, ys []int32, nClass, nFeat int, cfg trainConfig) *linear {
	post := make([][]trainEntry, nFeat) // per feature, classes ascending
	sc := newScorer(nClass)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6b62))
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	step := float32(1)
	margin := cfg.Margin
	if margin == 0 {
		margin = 1
	}
	nv := max(cfg.Violators, 1)
	viol := make([]int32, 0, nv+1)
	update := func(x sparse, c int32, tau float32) {
		for i, f := range x.ids {
			d := tau * x.vals[i]
			p := post[f]
			j := sort.Search(len(p), func(k int) bool { return p[k].c >= c })
			if j == len(p) || p[j].c != c {
				p = append(p, trainEntry{})
				copy(p[j+1:], p[j:])
				p[j] = trainEntry{c: c}
			}
			p[j].w += d
			p[j].u += step * d
			if cfg.MaxPost > 0 && len(p) > 4*cfg.MaxPost {
				p = prune(p, cfg.MaxPost)
			}
			post[f] = p
		}
	}
	// stronger reports whether class a outranks class b as a violator.
	stronger := func(a, b int32) bool {
		sa, sb := sc.scores[a], sc.scores[b]
		return sa > sb || (sa == sb && a < b)
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
			sy := sc.scores[y]
			// The nv strongest wrong classes inside the margin, by
			// insertion into a short sorted list.
			viol = viol[:0]
			consider := func(c int32) {
				if c == y || margin-(sy-sc.scores[c]) <= 0 {
					return
				}
				viol = insertTopK(viol, c, nv, stronger)
			}
			for _, c := range sc.touched {
				consider(c)
			}
			if len(sc.touched) < nClass {
				// Untouched classes score 0; the lowest-numbered one
				// stands for them all.
				for c := int32(0); c < int32(nClass); c++ {
					if c != y && !sc.seen[c] {
						consider(c)
						break
					}
				}
			}
			if len(viol) > 0 {
				var sq float64
				for _, v := range x.vals {
					sq += float64(v) * float64(v)
				}
				var total float32
				for _, c := range viol {
					loss := margin - (sy - sc.scores[c])
					tau := float32(min(cfg.C, loss/(2*sq)) / float64(len(viol)))
					update(x, c, -tau)
					total += tau
				}
				update(x, y, total)
			}
			step++
		}
	}
	m := &linear{nClass: nClass, off: make([]uint32, nFeat+1)}
	for f, p := range post {
		// Switch to the averaged weights, then keep the strongest.
		for k := range p {
			p[k].w -= p[k].u / step
		}
		if cfg.MaxPost > 0 && len(p) > cfg.MaxPost {
			p = prune(p, cfg.MaxPost)
		}
		for _, e := range p {
			if e.w != 0 {
				m.cls = append(m.cls, e.c)
				m.w = append(m.w, e.w)
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
// class), in place, and returns them ordered by class.
func prune(p []trainEntry, n int) []trainEntry {
	slices.SortFunc(p, func(a, b trainEntry) int {
		if x, y := abs32(a.w), abs32(b.w); x != y {
			return cmp.Compare(y, x)
		}
		return cmp.Compare(a.c, b.c)
	})
	p = p[:n]
	slices.SortFunc(p, func(a, b trainEntry) int { return cmp.Compare(a.c, b.c) })
	return p
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// insertTopK inserts x into xs, which is kept ordered best first by better
// and at most k long; x is dropped when xs is full and x is no better than
// its last element. Training and prediction both keep a few best classes
// this way, which is much cheaper than sorting every candidate.
func insertTopK[T any](xs []T, x T, k int, better func(a, b T) bool) []T {
	if len(xs) == k && !better(x, xs[k-1]) {
		return xs
	}
	i := len(xs)
	xs = append(xs, x)
	for i > 0 && better(x, xs[i-1]) {
		xs[i] = xs[i-1]
		i--
	}
	xs[i] = x
	if len(xs) > k {
		xs = xs[:k]
	}
	return xs
}
