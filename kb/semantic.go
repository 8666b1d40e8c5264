package kb

import (
	"math"
	"strings"

	"deskbot/wordvec"
)

// semBlend weighs the semantic similarity (see semantic) in the ranking
// score, beside the classifier's score and the BM25 share. More weight
// answers more questions and more about missing topics too (QUALITY.md:
// 0.1 to 1.0 tried); at 0.6 both faq-dev knowledge bases answered at most
// 5 % of out-of-scope questions.
const semBlend = 0.6

// semQuestions bounds how many example questions of an article get a
// vector: thin articles have 0 to 2, and with many the classifier already
// knows the article's words.
const semQuestions = 16

// semantic holds a vector per article text (title, first example
// questions, body): the weighted mean of its words' vectors. The cosine
// between a question's vector and an article's nearest text says that they
// speak of the same thing even when they share no word ("money back" /
// "refund"), which the classifier and BM25 cannot see.
type semantic struct {
	tab  *wordvec.Table
	vecs []float32 // the texts' unit vectors, one after the other
	off  []int32   // class c's vectors: vecs[off[c]*dim : off[c+1]*dim]
}

func newSemantic(tab *wordvec.Table, arts []*Article) *semantic {
	s := &semantic{tab: tab, off: make([]int32, 1, len(arts)+1)}
	n := int32(0)
	for _, a := range arts {
		if a.Lang != "" && a.Lang != "en" && !strings.HasPrefix(a.Lang, "en-") {
			// The table is English: an article in another language gets
			// no vector rather than one from the few words that look English.
			s.off = append(s.off, n)
			continue
		}
		texts := []string{a.Title}
		texts = append(texts, a.Questions[:min(len(a.Questions), semQuestions)]...)
		if !isPlaceholder(a.Body) {
			texts = append(texts, a.Body)
		}
		for _, t := range texts {
			if v := s.vector(t); v != nil {
				s.vecs = append(s.vecs, v...)
				n++
			}
		}
		s.off = append(s.off, n)
	}
	return s
}

// vector is the unit-length sum of the text's content words' vectors, each
// weighed by how rare the word is (a/(a+p), p its estimated frequency from
// its rank: Arora, Liang and Ma's smooth inverse frequency). It is nil when
// the table knows no content word, or fewer than half of all the words: a
// text in another language has a few words that look English ("die",
// "ich", "an") and would otherwise be matched on them.
func (s *semantic) vector(text string) []float32 {
	var v []float32
	logN := math.Log(float64(s.tab.Len()))
	ws := words(text)
	known := 0
	for _, w := range ws {
		r, ok := s.tab.Rank(w)
		if !ok {
			continue
		}
		known++
		if functionWordForms[w] {
			continue
		}
		if v == nil {
			v = make([]float32, s.tab.Dim())
		}
		const a = 1e-3
		p := 1 / (float64(r+1) * logN)
		s.tab.Add(v, r, float32(a/(a+p)))
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 || 2*known < len(ws) {
		return nil
	}
	k := float32(1 / math.Sqrt(n))
	for i := range v {
		v[i] *= k
	}
	return v
}

// score is the cosine between the question's vector q and class c's
// nearest text, 0 when either has none.
func (s *semantic) score(q []float32, c int32) float64 {
	if q == nil {
		return 0
	}
	dim := len(q)
	best := float32(0)
	for i := s.off[c]; i < s.off[c+1]; i++ {
		row := s.vecs[int(i)*dim : int(i+1)*dim]
		var d float32
		for j, x := range q {
			d += x * row[j]
		}
		best = max(best, d)
	}
	return float64(best)
}
