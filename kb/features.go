package kb

import (
	"hash/fnv"
	"math"
	"sort"
	"strings"
)

// Feature kinds; each group is normalised on its own and then weighted, so
// that the many character n-grams do not drown the few words.
const (
	kindWord = iota
	kindPair
	kindChar
	numKinds
)

// featureConfig sets which features are extracted and how much each group
// weighs.
type featureConfig struct {
	CharMin, CharMax int
	CharAcross       bool // character n-grams over the whole text, across word boundaries
	Prefix           int  // also add each word's first Prefix letters as a word feature
	Skip             bool // also add pairs that skip one word
	Trigrams         bool // experiment: also add word triples as pair features
	NoIDF            bool // experiment: drop idf weighting
	IDFPow           float64
	Weight           [numKinds]float64
}

var defaultFeatures = featureConfig{CharMin: 3, CharMax: 5, Prefix: 5, Weight: [numKinds]float64{1, 0.7, 1}}

// rawFeature is a hashed feature with its count in the text.
type rawFeature struct {
	h    uint64
	kind uint8
	n    float32
}

func hashKey(kind uint8, s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte{kind})
	f.Write([]byte(s))
	return f.Sum64()
}

// extract returns the hashed features of text, sorted by hash.
func (c featureConfig) extract(text string) []rawFeature {
	ws := words(text)
	counts := make(map[uint64]rawFeature, 16*len(ws)+4)
	add := func(kind uint8, s string) {
		h := hashKey(kind, s)
		f := counts[h]
		f.h, f.kind = h, kind
		f.n++
		counts[h] = f
	}
	stems := make([]string, len(ws))
	for i, w := range ws {
		stems[i] = stem(w)
		add(kindWord, stems[i])
	}
	prev := "^"
	for _, s := range stems {
		add(kindPair, prev+" "+s)
		prev = s
	}
	if len(stems) > 0 {
		add(kindPair, prev+" $")
	}
	if c.Trigrams {
		for i := 0; i+2 < len(stems); i++ {
			add(kindPair, stems[i]+" "+stems[i+1]+" "+stems[i+2])
		}
	}
	if c.Skip {
		for i := 0; i+2 < len(stems); i++ {
			add(kindPair, stems[i]+" * "+stems[i+2])
		}
	}
	if c.Prefix > 0 {
		for _, w := range ws {
			if r := []rune(w); len(r) > c.Prefix {
				add(kindWord, "~"+string(r[:c.Prefix]))
			}
		}
	}
	if c.CharAcross && c.CharMax > 0 {
		r := []rune(" " + strings.Join(ws, " ") + " ")
		for n := c.CharMin; n <= c.CharMax; n++ {
			for i := 0; i+n <= len(r); i++ {
				add(kindChar, string(r[i:i+n]))
			}
		}
	} else if c.CharMax > 0 {
		for _, w := range ws {
			r := []rune(" " + w + " ")
			for n := c.CharMin; n <= c.CharMax; n++ {
				for i := 0; i+n <= len(r); i++ {
					add(kindChar, string(r[i:i+n]))
				}
			}
		}
	}
	out := make([]rawFeature, 0, len(counts))
	for _, f := range counts {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].h < out[j].h })
	return out
}

// vocab maps feature hashes to dense ids with an idf weight.
type vocab struct {
	ids map[uint64]int32
	idf []float32
}

// sparse is a feature vector: ids ascending, unit length per group and
// weighted.
type sparse struct {
	ids  []int32
	vals []float32
}

// buildVocab numbers the features of docs; idf counts a feature once per
// class (article), not per example: a word in every example of one article
// is a strong sign of that article, not a common word (+1 point top-1 with
// 10 examples per intent on BANKING77).
func buildVocab(docs [][]rawFeature, class []int32) *vocab {
	type hc struct {
		h uint64
		c int32
	}
	df := map[uint64]int{}
	seen := map[hc]bool{}
	classes := map[int32]bool{}
	for i, d := range docs {
		c := int32(i)
		if class != nil {
			c = class[i]
		}
		classes[c] = true
		for _, f := range d {
			if !seen[hc{f.h, c}] {
				seen[hc{f.h, c}] = true
				df[f.h]++
			}
		}
	}
	keys := make([]uint64, 0, len(df))
	for h := range df {
		keys = append(keys, h)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	v := &vocab{ids: make(map[uint64]int32, len(keys)), idf: make([]float32, len(keys))}
	n := float64(len(classes))
	for i, h := range keys {
		v.ids[h] = int32(i)
		v.idf[i] = float32(math.Log((1+n)/(1+float64(df[h]))) + 1)
	}
	return v
}

// vector weights raw features by sublinear tf * idf, normalises each group
// to unit length, applies the group weights and drops unknown features.
func (v *vocab) vector(c featureConfig, raw []rawFeature) sparse {
	var norm [numKinds]float64
	out := sparse{ids: make([]int32, 0, len(raw)), vals: make([]float32, 0, len(raw))}
	kinds := make([]uint8, 0, len(raw))
	for _, f := range raw {
		id, ok := v.ids[f.h]
		if !ok {
			continue
		}
		x := (1 + math.Log(float64(f.n)))
		if !c.NoIDF {
			if c.IDFPow != 0 {
				x *= math.Pow(float64(v.idf[id]), c.IDFPow)
			} else {
				x *= float64(v.idf[id])
			}
		}
		norm[f.kind] += x * x
		out.ids = append(out.ids, id)
		out.vals = append(out.vals, float32(x))
		kinds = append(kinds, f.kind)
	}
	var total float64
	for k := range norm {
		if norm[k] > 0 {
			total += c.Weight[k] * c.Weight[k]
			norm[k] = c.Weight[k] / math.Sqrt(norm[k])
		}
	}
	// Scale so the whole vector has unit length: the margin of the linear
	// model then means the same for short and long questions.
	scale := 1.0
	if total > 0 {
		scale = 1 / math.Sqrt(total)
	}
	for i := range out.vals {
		out.vals[i] *= float32(norm[kinds[i]] * scale)
	}
	sortSparse(&out)
	return out
}

func sortSparse(s *sparse) {
	sort.Sort(bySparseID{s})
}

type bySparseID struct{ s *sparse }

func (b bySparseID) Len() int           { return len(b.s.ids) }
func (b bySparseID) Less(i, j int) bool { return b.s.ids[i] < b.s.ids[j] }
func (b bySparseID) Swap(i, j int) {
	b.s.ids[i], b.s.ids[j] = b.s.ids[j], b.s.ids[i]
	b.s.vals[i], b.s.vals[j] = b.s.vals[j], b.s.vals[i]
}
