package compliance

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func isLocalRune(r rune) bool {
	return r < utf8.RuneSelf && strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r) || isWordRune(r)
}

func isDomainRune(r rune) bool { return r == '-' || r == '.' || isWordRune(r) }

// findEmails finds local@domain around each '@'. Letters outside ASCII are
// allowed on both sides (internationalised addresses), so no part of such an
// address is left behind in clear.
func findEmails(text string, out []Finding) []Finding {
	from := 0
	for from < len(text) {
		at := strings.IndexByte(text[from:], '@')
		if at < 0 {
			break
		}
		at += from
		from = at + 1
		// Local part: walk back over allowed runes, then drop leading
		// punctuation that is more likely sentence text ("'a@b.c").
		s := at
		for s > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:s])
			if !isLocalRune(r) {
				break
			}
			s -= size
		}
		for s < at && !isWordRune(runeAt(text, s)) {
			_, size := utf8.DecodeRuneInString(text[s:])
			s += size
		}
		if s == at || text[at-1] == '.' || strings.Contains(text[s:at], "..") {
			continue
		}
		// Domain: labels of letters, digits and hyphens separated by dots;
		// a trailing dot or hyphen is sentence punctuation.
		e := at + 1
		for e < len(text) {
			r, size := utf8.DecodeRuneInString(text[e:])
			if !isDomainRune(r) {
				break
			}
			e += size
		}
		for e > at+1 && (text[e-1] == '.' || text[e-1] == '-') {
			e--
		}
		if !validDomain(text[at+1 : e]) {
			continue
		}
		out = append(out, Finding{Kind: KindEmail, Start: s, End: e, Text: text[s:e]})
		from = e
	}
	return out
}

func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' || len(l) > 63 {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(strings.ToLower(tld), "xn--") {
		return true
	}
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
