package kb

import (
	"strings"
	"sync"
)

// functionWords are ignored when measuring how much of a question an
// article covers: they carry no topic ("do you", "how much is", "can I").
var functionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words(`a an the i me my mine you your yours we us our it its it's this that these those there here
		is are am was were be been being do does did done doing can could would will shall should may might must have has had
		to of in on at for from with by about as into onto over under and or but if so then than also too just very really
		what when where which who whom whose why how much many long often soon any some all each every
		please hi hello hey thanks thank get got know tell let want need like im ive id dont cant isnt`) {
		m[stem(w)] = true
	}
	return m
}()

// coverageTerms are the stems of an article's title, example questions and
// answer text, for coverage.
type coverageTerms struct {
	once  sync.Once
	terms map[string]bool
}

// lexicalConfidence estimates how surely the top article answers the
// query from word coverage alone. An article that contains every content
// word of the question, when the runner-up does not, is taken as the
// answer (fullCoverConfidence); if the runner-up contains them all too,
// coverage says nothing. Partial coverage never reaches the threshold on
// its own, and one-word questions are too vague to count. This lets small
// knowledge bases, whose classifier has too few examples to be confident,
// answer questions asked in the article's own words.
func lexicalConfidence(content []string, top, runnerUp map[string]bool) float64 {
	if len(content) == 0 || top == nil {
		return 0
	}
	cover := func(t map[string]bool) float64 {
		if t == nil {
			return 0
		}
		n := 0
		for _, w := range content {
			if t[w] {
				n++
			}
		}
		return float64(n) / float64(len(content))
	}
	c0, c1 := cover(top), cover(runnerUp)
	var conf float64
	switch {
	case c0 == 0 || c1 >= c0:
		return 0
	case c0 == 1:
		conf = fullCoverConfidence
	default:
		conf = partialCoverScale * c0 * (1 - c1/c0)
	}
	if len(content) < 2 {
		conf *= 0.5
	}
	return conf
}

const (
	// thinArticleQuestions: below this many example questions an article's
	// confidence may come from coverage (more examples make the classifier
	// better calibrated than coverage, as measured on BANKING77).
	thinArticleQuestions = 3
	fullCoverConfidence  = 0.97
	partialCoverScale    = 0.9
)

// contentWords drops function words from analysed tokens (deduplicated).
func contentWords(toks []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range toks {
		if !functionWords[t] && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// isPlaceholder reports an answer text still waiting for its owner (import).
func isPlaceholder(body string) bool {
	b := strings.TrimSpace(body)
	return b == "" || strings.Contains(b, placeholderBody)
}
