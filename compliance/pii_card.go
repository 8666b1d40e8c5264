package compliance

import (
	"strings"
)

// digitGroups reads digit groups starting at i joined by a single byte from
// seps, returning the groups and the byte that joined each pair.
func digitGroups(text string, i int, seps string) ([]span, []byte) {
	var groups []span
	var joins []byte
	for {
		s := i
		for i < len(text) && isDigit(text[i]) {
			i++
		}
		groups = append(groups, span{s, i})
		if i+1 < len(text) && strings.IndexByte(seps, text[i]) >= 0 && isDigit(text[i+1]) {
			joins = append(joins, text[i])
			i++
			continue
		}
		return groups, joins
	}
}

// PCI-1: a card number is 13-19 digits, written contiguously or in groups
// joined by single spaces, dashes or dots, and passes the Luhn check.
func findCards(text string, out []Finding) []Finding {
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) || !boundaryBefore(text, i) {
			continue
		}
		groups, joins := digitGroups(text, i, " -.")
		end := groups[len(groups)-1].end
		if boundaryAfter(text, end) {
			out = appendCards(text, groups, joins, out)
		}
		i = end
	}
	return out
}

func appendCards(text string, groups []span, joins []byte, out []Finding) []Finding {
	for a := 0; a < len(groups); a++ {
		for b := len(groups) - 1; b >= a; b-- {
			if !cardShape(groups[a:b+1], joins[a:b]) {
				continue
			}
			s, e := groups[a].start, groups[b].end
			if luhnValid(text[s:e]) {
				out = append(out, Finding{Kind: KindCard, Start: s, End: e, Text: text[s:e]})
				a = b
				break
			}
		}
	}
	return out
}

// cardShape accepts one contiguous 13-19 digit group, or groups as printed
// on cards with one separator style: 4-4-4-4, 4-4-4-4-3 (19 digits), 4-6-5
// (Amex), 4-6-4 (Diners), 4-4-5 (13-digit Visa). Stricter shapes keep
// account numbers and IBAN tails from matching by chance.
func cardShape(groups []span, joins []byte) bool {
	n := 0
	for _, g := range groups {
		n += g.end - g.start
	}
	if n < 13 || n > 19 {
		return false
	}
	if len(groups) == 1 {
		return true
	}
	for _, j := range joins {
		if j != joins[0] {
			return false
		}
	}
	var shape [5]int
	if len(groups) > len(shape) {
		return false
	}
	for k, g := range groups {
		shape[k] = g.end - g.start
	}
	switch shape {
	case [5]int{4, 4, 4, 4}, [5]int{4, 4, 4, 4, 3}, [5]int{4, 6, 5}, [5]int{4, 6, 4}, [5]int{4, 4, 5}:
		return true
	}
	return false
}

// luhnValid checks the Luhn digit over the digits of s, rejecting all-zero
// strings (which pass Luhn but are never card numbers).
func luhnValid(s string) bool {
	sum, n, nonZero := 0, 0, false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if !isDigit(c) {
			continue
		}
		d := int(c - '0')
		if d != 0 {
			nonZero = true
		}
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return nonZero && sum%10 == 0
}
