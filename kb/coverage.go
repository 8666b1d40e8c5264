package kb

import "strings"

// functionWords are ignored when measuring how much of a question an
// article covers: they carry no topic ("do you", "how much is", "can I").
var functionWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range functionWordForms {
		m[stem(w)] = true
	}
	return m
}()

// functionWordForms are the function words as written (before stemming),
// for checks on many words where stemming each would cost too much.
var functionWordForms = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words(`a an the i me my mine you your yours we us our it its it's this that these those there here
		is are am was were be been being do does did done doing can could would will shall should may might must have has had
		to of in on at for from with by about as into onto over under and or but if so then than also too just very really
		what when where which who whom whose why how much many long often soon any some all each every
		please hi hello hey thanks thank get got know tell let want need like im ive id dont cant isnt
		way possible possibly able easy easily somehow`) {
		m[w] = true
	}
	return m
}()

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
