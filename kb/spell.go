package kb

import (
	"sort"
	"strings"
	"unicode"

	"deskbot/internal/editdist"
)

// speller maps a query word the knowledge base never uses to the closest
// word it does use ("refnd" -> "refund", "delivry" -> "delivery"). Without
// it a misspelt topic word shares only some character n-grams with its
// article and counts as uncovered, so the question is at best suggested.
type speller struct {
	stems map[string]bool     // stems of every word the articles use
	df    map[string]int      // word -> articles using it (ties go to the commoner)
	dels  map[string][]string // a word and each of its one-letter deletions -> words
}

// Words shorter than minSpellLen are never corrected: at that length one
// edit turns most words into another real word ("cart" -> "card").
const (
	minSpellLen   = 5
	maxSpellWords = 1 << 16
)

// newSpeller indexes the words of the articles' titles, example questions
// and answer texts.
func newSpeller(arts []*Article) *speller {
	s := &speller{stems: map[string]bool{}, df: map[string]int{}, dels: map[string][]string{}}
	for _, a := range arts {
		seen := map[string]bool{}
		texts := append([]string{a.Title}, a.Questions...)
		if !isPlaceholder(a.Body) {
			texts = append(texts, a.Body)
		}
		for _, t := range texts {
			for _, w := range words(t) {
				if !seen[w] {
					seen[w] = true
					s.df[w]++
					s.stems[stem(w)] = true
				}
			}
		}
	}
	if len(s.df) > maxSpellWords {
		// A huge vocabulary costs memory for little: misspellings are
		// mostly a small knowledge base's problem.
		return s
	}
	for w := range s.df {
		if spellable(w) {
			for _, d := range deletions(w) {
				s.dels[d] = append(s.dels[d], w)
			}
		}
	}
	return s
}

// spellable: only plain words are corrected or corrected to; numbers,
// codes and short words are kept as typed.
func spellable(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= minSpellLen-1
}

// deletions returns w and every string with one rune of w removed.
func deletions(w string) []string {
	r := []rune(w)
	out := make([]string, 0, len(r)+1)
	out = append(out, w)
	for i := range r {
		out = append(out, string(r[:i])+string(r[i+1:]))
	}
	return out
}

// correct returns the known word closest to w, or w itself when w (or its
// stem) is known, is a function word, is too short, or has no close known
// word. Among equally close words the one more articles use wins, then
// the alphabetically first, so the result does not depend on map order.
func (s *speller) correct(w string) string {
	if s == nil || s.knows(w) || functionWords[stem(w)] || !spellable(w) {
		return w
	}
	if len([]rune(w)) < minSpellLen {
		return w
	}
	if v, ok := s.sameRoot(w); ok {
		return v
	}
	var cands []string
	seen := map[string]bool{}
	for _, d := range deletions(w) {
		for _, c := range s.dels[d] {
			if !seen[c] {
				seen[c] = true
				cands = append(cands, c)
			}
		}
	}
	sort.Strings(cands)
	best := w
	for _, c := range cands {
		if likelyTypo(w, c) && (best == w || s.df[c] > s.df[best]) {
			best = c
		}
	}
	return best
}

// sameRoot returns the known noun of an adjective typed ("allergic" ->
// "allergy", "biological" -> "biology") or the known adjective of a noun.
// Stemming leaves the two apart ("allerg" / "allergi"), so "I'm allergic
// to hair dye" never reached the salon's "Allergy patch test". Only this
// pair of endings is tried: stripping or adding a letter in general joins
// unrelated words ("part" / "party").
func (s *speller) sameRoot(w string) (string, bool) {
	var vs []string
	switch {
	case strings.HasSuffix(w, "ical"):
		vs = []string{strings.TrimSuffix(w, "ical") + "y", strings.TrimSuffix(w, "al")}
	case strings.HasSuffix(w, "ic"):
		vs = []string{strings.TrimSuffix(w, "ic") + "y"}
	case strings.HasSuffix(w, "y"):
		b := strings.TrimSuffix(w, "y")
		vs = []string{b + "ical", b + "ic"}
	}
	for _, v := range vs {
		if s.knows(v) {
			return v, true
		}
	}
	return "", false
}

// likelyTypo reports whether typed is known with one slip of the fingers:
// a letter left out inside the word ("refnd"), a letter doubled
// ("adddress") or two neighbours swapped ("recieve"). Other single edits
// mostly join two real words on the faq-dev questions, a first or last
// letter added or dropped ("browse"/"browser", "apart"/"part") or one
// letter changed or inserted ("stuff"/"staff", "heard"/"hard"), so they
// are left alone.
func likelyTypo(typed, known string) bool {
	if editdist.WithSwaps(typed, known) != 1 {
		return false
	}
	t, k := []rune(typed), []rune(known)
	switch {
	case len(t) == len(k):
		for i := range t {
			if t[i] != k[i] {
				return i+1 < len(t) && t[i] == k[i+1] && t[i+1] == k[i]
			}
		}
	case len(t)+1 == len(k):
		i := firstDiff(t, k)
		return i > 0 && i < len(t)
	case len(t) == len(k)+1:
		i := firstDiff(k, t)
		return i > 0 && t[i] == t[i-1]
	}
	return false
}

// firstDiff is the first index where a and b differ, len(a) when a is a
// prefix of b.
func firstDiff(a, b []rune) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

// knows reports whether the articles use w (or a word with its stem).
func (s *speller) knows(w string) bool { return s != nil && s.stems[stem(w)] }

// rewrite spells out chat shorthand and corrects misspelt words of a
// query; it returns q unchanged when no word changed.
func (s *speller) rewrite(q string) string {
	ws := words(q)
	changed := false
	for i, w := range ws {
		c := s.correct(w)
		if full, ok := chatShorthand[w]; ok && !s.knows(w) {
			c = full
		}
		if c != w {
			ws[i] = c
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(ws, " ")
}

// chatShorthand spells out what customers type in a chat window for words
// the articles write in full. A shorthand the articles themselves use (a
// shop writing "info") is kept. Shorthand for function words ("u", "r",
// "pls") is not spelt out: those words never count as covered, and adding
// them only makes a question match an article's phrasing ("do you …")
// without its topic (one more wrong answer on the bakery shop when "u" and
// "r" were spelt out).
var chatShorthand = map[string]string{
	"b4": "before", "2day": "today", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow",
	"msg": "message", "msgs": "messages", "acc": "account", "acct": "account", "addr": "address",
	"pwd": "password", "pw": "password", "info": "information",
	"appt": "appointment", "qty": "quantity", "approx": "approximately",
}
