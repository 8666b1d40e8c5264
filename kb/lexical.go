package kb

import (
	"math"
	"sort"
)

// lexicon holds BM25 impacts (idf x saturated tf, with field boosts) for
// every (term, article) pair, over the same analysed text as the Bleve
// documents. Search uses it to add a lexical score to the classifier's
// candidates with a few binary searches: asking Bleve to score them costs
// more than the whole classifier once thousands of articles share common
// words.
type lexicon struct {
	keys []uint64 // sorted term keys
	off  []uint32 // postings of keys[i]: cls/imp[off[i]:off[i+1]], classes ascending
	cls  []int32
	imp  []float32
}

const (
	lexWord uint8 = 16 + iota // stemmed word, title/questions and body fields
	lexPair                   // adjacent word pair
	bm25K1  = 1.2
	bm25B   = 0.75
)

// buildLexicon computes the impacts for articles; class i is arts[i].
func buildLexicon(arts []*Article) *lexicon {
	type field struct {
		kind  uint8
		boost float64
		docs  [][]string // per article
	}
	text := make([][]string, len(arts))
	prs := make([][]string, len(arts))
	body := make([][]string, len(arts))
	for i, a := range arts {
		for _, s := range append([]string{a.Title}, a.Questions...) {
			t := analyze(s)
			text[i] = append(text[i], t...)
			prs[i] = append(prs[i], pairs(t)...)
		}
		body[i] = analyze(a.Body)
	}
	fields := []field{{lexWord, boostText, text}, {lexPair, boostPairs, prs}, {lexWord, boostBody, body}}
	acc := map[uint64]map[int32]float64{}
	n := float64(len(arts))
	for _, f := range fields {
		var total float64
		df := map[string]int{}
		for _, d := range f.docs {
			total += float64(len(d))
			seen := map[string]bool{}
			for _, t := range d {
				if !seen[t] {
					seen[t] = true
					df[t]++
				}
			}
		}
		if total == 0 {
			continue
		}
		avg := total / n
		for c, d := range f.docs {
			tf := map[string]int{}
			for _, t := range d {
				tf[t]++
			}
			norm := bm25K1 * (1 - bm25B + bm25B*float64(len(d))/avg)
			for t, k := range tf {
				idf := math.Log(1 + (n-float64(df[t])+0.5)/(float64(df[t])+0.5))
				x := f.boost * idf * float64(k) * (bm25K1 + 1) / (float64(k) + norm)
				key := hashKey(f.kind, t)
				m := acc[key]
				if m == nil {
					m = map[int32]float64{}
					acc[key] = m
				}
				m[int32(c)] += x
			}
		}
	}
	lx := &lexicon{keys: make([]uint64, 0, len(acc))}
	for k := range acc {
		lx.keys = append(lx.keys, k)
	}
	sort.Slice(lx.keys, func(i, j int) bool { return lx.keys[i] < lx.keys[j] })
	lx.off = make([]uint32, 1, len(lx.keys)+1)
	for _, k := range lx.keys {
		m := acc[k]
		cs := make([]int32, 0, len(m))
		for c := range m {
			cs = append(cs, c)
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
		for _, c := range cs {
			lx.cls = append(lx.cls, c)
			lx.imp = append(lx.imp, float32(m[c]))
		}
		lx.off = append(lx.off, uint32(len(lx.cls)))
	}
	return lx
}

// postings returns the classes and impacts of a term key.
func (lx *lexicon) postings(key uint64) ([]int32, []float32) {
	i := sort.Search(len(lx.keys), func(i int) bool { return lx.keys[i] >= key })
	if i == len(lx.keys) || lx.keys[i] != key {
		return nil, nil
	}
	lo, hi := lx.off[i], lx.off[i+1]
	return lx.cls[lo:hi], lx.imp[lo:hi]
}

// score returns the BM25 score of each candidate class for the analysed
// query tokens.
func (lx *lexicon) score(toks []string, cands []int32) []float64 {
	out := make([]float64, len(cands))
	if lx == nil || len(cands) == 0 {
		return out
	}
	look := func(key uint64) {
		cls, imp := lx.postings(key)
		if len(cls) == 0 {
			return
		}
		for j, c := range cands {
			k := sort.Search(len(cls), func(i int) bool { return cls[i] >= c })
			if k < len(cls) && cls[k] == c {
				out[j] += float64(imp[k])
			}
		}
	}
	for _, t := range toks {
		look(hashKey(lexWord, t))
	}
	for _, p := range pairs(toks) {
		look(hashKey(lexPair, p))
	}
	return out
}
