package kb

import (
	"strings"
	"unicode"
)

// Courtesy words carry no meaning for finding an article but dilute a
// short question's score: "Hi, how long does delivery take? Thanks" should
// rank and score like the question itself.
var (
	leadingCourtesy = [][]string{
		{"good", "morning"}, {"good", "afternoon"}, {"good", "evening"}, {"hi", "there"}, {"hello", "there"}, {"hey", "there"},
		{"guten", "tag"}, {"bonjour"}, {"hola"}, {"buenos", "dias"}, {"buenas", "tardes"}, {"hallo"}, {"moin"}, {"salut"},
		{"hi"}, {"hello"}, {"hey"}, {"hiya"}, {"greetings"}, {"dear", "team"}, {"thanks"}, {"thank", "you"},
	}
	trailingCourtesy = [][]string{
		{"thank", "you", "very", "much"}, {"thanks", "a", "lot"}, {"thank", "you"}, {"thanks"}, {"thx"}, {"ty"}, {"cheers"},
		{"danke"}, {"merci"}, {"gracias"}, {"in", "advance"}, {"please"}, {"pls"}, {"plz"}, {"bitte"},
	}
	anywhereCourtesy = map[string]bool{"please": true, "pls": true, "plz": true, "kindly": true}
)

// stripCourtesy removes greetings and thanks at the ends of a query and
// "please" anywhere. It returns the query unchanged when nothing else is
// left (a bare "thanks" is still searched as typed).
func stripCourtesy(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) })
	norm := make([]string, len(words))
	for i, w := range words {
		norm[i] = strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
	}
	lo, hi := 0, len(words)
	for changed := true; changed; {
		changed = false
		for _, p := range leadingCourtesy {
			if hasAt(norm[lo:hi], p, 0) {
				lo += len(p)
				changed = true
				break
			}
		}
		for _, p := range trailingCourtesy {
			if n := hi - lo; n >= len(p) && hasAt(norm[lo:hi], p, n-len(p)) {
				hi -= len(p)
				changed = true
				break
			}
		}
	}
	var kept []string
	for i := lo; i < hi; i++ {
		if !anywhereCourtesy[norm[i]] {
			kept = append(kept, words[i])
		}
	}
	out := strings.TrimSpace(strings.Join(kept, " "))
	if analyzeEmpty(out) {
		return q
	}
	return out
}

func hasAt(words, phrase []string, at int) bool {
	if at < 0 || at+len(phrase) > len(words) {
		return false
	}
	for i, p := range phrase {
		if words[at+i] != p {
			return false
		}
	}
	return true
}

func analyzeEmpty(s string) bool { return len(analyze(s)) == 0 }
