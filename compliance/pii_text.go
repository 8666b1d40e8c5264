package compliance

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// runeBefore returns the rune ending at byte offset i (utf8.RuneError, 0 at
// the start of text).
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return utf8.RuneError
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// runeAt returns the rune starting at byte offset i.
func runeAt(text string, i int) rune {
	if i >= len(text) {
		return utf8.RuneError
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// boundaryBefore reports whether a token may start at i: the previous rune
// is not a letter or digit.
func boundaryBefore(text string, i int) bool { return !isWordRune(runeBefore(text, i)) }

// boundaryAfter reports whether a token may end at i.
func boundaryAfter(text string, i int) bool { return !isWordRune(runeAt(text, i)) }

// words is a text split into runs of letters and digits, with each word
// lower-cased, computed once per Find and shared by the word-based rules.
type words struct {
	text   string
	spans  []span
	folded []string
}

func newWords(text string) words {
	w := words{text: text, spans: splitWords(text)}
	w.folded = make([]string, len(w.spans))
	for k, sp := range w.spans {
		w.folded[k] = foldWord(text[sp.start:sp.end])
	}
	return w
}

// splitWords returns the spans of runs of letters and digits in s.
func splitWords(s string) []span {
	out := make([]span, 0, len(s)/5+1)
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(s)})
	}
	return out
}

// foldWord lower-cases a word for comparison.
func foldWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || c >= 'A' && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}
