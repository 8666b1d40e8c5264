package compliance

import (
	"strings"
)

// PCI-2: a card security code is never stored. It is recognised as 3-4
// digits right after a keyword, with at most a few filler words between.
func findCVVs(w words, out []Finding) []Finding {
	for i := 0; i < len(w.spans); i++ {
		n := cvvKeyword(w.folded, i)
		if n == 0 {
			continue
		}
		// Skip up to three filler words, then expect the code.
		j := i + n
		for skipped := 0; j < len(w.spans) && skipped < 3 && cvvFiller(w.folded[j]); skipped++ {
			j++
		}
		if j >= len(w.spans) {
			break
		}
		sp := w.spans[j]
		code := w.text[sp.start:sp.end]
		if (len(code) == 3 || len(code) == 4) && allDigits(code) && onlyGap(w.text[w.spans[j-1].end:sp.start]) {
			out = append(out, Finding{Kind: KindCVV, Start: sp.start, End: sp.end, Text: code})
			i = j
		}
	}
	return out
}

// cvvKeyword returns how many words starting at folded[i] name a card
// security code, or 0.
func cvvKeyword(folded []string, i int) int {
	next := func(k int, want string) bool { return i+k < len(folded) && folded[i+k] == want }
	switch folded[i] {
	case "cvv", "cvv2", "cvc", "cvc2", "csc", "cid", "sicherheitscode", "prüfnummer",
		"kartenprüfnummer", "prüfziffer", "cryptogramme":
		return 1
	case "security":
		if next(1, "code") {
			return 2
		}
	case "card", "verification":
		if next(1, "verification") || next(1, "code") && folded[i] == "verification" {
			return 2
		}
	case "code":
		if next(1, "de") && next(2, "sécurité") {
			return 3
		}
	case "código":
		if next(1, "de") && next(2, "seguridad") {
			return 3
		}
	}
	return 0
}

// cvvFiller lists words allowed between the keyword and the code
// ("CVV number is 123", "Prüfnummer lautet 123").
func cvvFiller(w string) bool {
	switch w {
	case "is", "was", "number", "no", "nr", "code", "ist", "lautet", "est", "es", "de", "the",
		"value", "digits", "on", "back", "card":
		return true
	}
	return false
}

// onlyGap reports whether s is a short run of spaces and punctuation that
// may sit between a keyword and a code ("CVV: 123", "cvc=123").
func onlyGap(s string) bool {
	if len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(" :=#-'’", s[i]) < 0 {
			return false
		}
	}
	return true
}
