package kb

import (
	"strings"
	"unicode"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"golang.org/x/text/unicode/norm"
)

// writeFolded writes r lower-cased and without accents: customers type
// "cafe" for an article's "café" and "creme" for "crème", so both sides
// meet. The index and the model hold words analysed this way, so a change
// here changes indexSchema and modelVersion.
func writeFolded(b *strings.Builder, r rune) {
	r = unicode.ToLower(r)
	if r < 0x80 {
		b.WriteByte(byte(r))
		return
	}
	switch r {
	case 'ß':
		b.WriteString("ss")
		return
	case 'æ':
		b.WriteString("ae")
		return
	case 'œ':
		b.WriteString("oe")
		return
	case 'ø':
		b.WriteByte('o')
		return
	case 'ł':
		b.WriteByte('l')
		return
	}
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			b.WriteRune(d)
		}
	}
}

// words splits text into lower-case word tokens. Apostrophes inside words are
// dropped so "didn't" and "didnt" meet; other punctuation separates words.
// Stop words and negations are kept on purpose: in short support questions
// "not", "my" or "can" carry intent.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			writeFolded(&b, r)
		case unicode.Is(unicode.Mn, r):
			// a combining accent typed apart ("cafe\u0301"): folded away
		case r == '\'' || r == '’':
			// join contractions
		default:
			flush()
		}
	}
	flush()
	return out
}

// stem returns the Porter stem of a lower-case word; short words and
// numbers are kept as they are.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	for _, r := range w {
		if r > unicode.MaxASCII || unicode.IsDigit(r) {
			return w
		}
	}
	return string(porterstemmer.StemWithoutLowerCasing([]rune(w)))
}

// analyze returns the stemmed word tokens of s.
func analyze(s string) []string {
	ws := words(s)
	for i, w := range ws {
		ws[i] = stem(w)
	}
	return ws
}

// pairs returns adjacent token pairs joined with '_' (the "word pair" field).
func pairs(toks []string) []string {
	if len(toks) < 2 {
		return nil
	}
	out := make([]string, 0, len(toks)-1)
	for i := 0; i+1 < len(toks); i++ {
		out = append(out, toks[i]+"_"+toks[i+1])
	}
	return out
}
