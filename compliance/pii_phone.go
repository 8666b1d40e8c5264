package compliance

import (
	"slices"
	"strings"
)

// phoneRun is a candidate phone number: digit groups with separators.
type phoneRun struct {
	start, end int
	groups     []span
	seps       []string
	plus       bool
	paren      bool   // started with '('
	src        string // the scanned text
}

func isPhoneSepByte(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')'
}

// phoneSep lists the separators allowed between digit groups.
func phoneSep(s string) bool {
	switch s {
	case " ", "-", ".", "/", "(", ")", ") ", " (", ")-", "-(":
		return true
	}
	return false
}

func findPhones(w words, out []Finding) []Finding {
	text := w.text
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !(isDigit(c) || c == '+' || c == '(') {
			continue
		}
		if !phoneStart(text, i) {
			if isDigit(c) { // skip the rest of this token
				for i+1 < len(text) && isDigit(text[i+1]) {
					i++
				}
			}
			continue
		}
		r, ok := readPhoneRun(text, i)
		if !ok {
			continue
		}
		if phoneLike(r) && !orderContext(w, r.start) {
			out = append(out, Finding{Kind: KindPhone, Start: r.start, End: r.end, Text: text[r.start:r.end]})
		}
		i = r.end - 1
	}
	return out
}

// phoneStart reports whether a phone number may start at i: not inside a
// word or a token like "A-10023" or "#12345".
func phoneStart(text string, i int) bool {
	if !boundaryBefore(text, i) {
		return false
	}
	if i == 0 {
		return true
	}
	p := text[i-1]
	if p == '#' || p == '+' && text[i] != '+' || p == '$' || p == '.' || p == ',' {
		return false
	}
	if (p == '-' || p == '/' || p == '(' || p == ')') && i >= 2 && isWordRune(runeBefore(text, i-1)) {
		return false
	}
	// A currency sign right before means a price.
	if r := runeBefore(text, i); r == '€' || r == '£' || r == '¥' {
		return false
	}
	return true
}

func readPhoneRun(text string, i int) (phoneRun, bool) {
	r := phoneRun{start: i, src: text}
	switch text[i] {
	case '+':
		r.plus = true
		i++
	case '(':
		r.paren = true
		i++
	}
	if i >= len(text) || !isDigit(text[i]) {
		return r, false
	}
	for {
		s := i
		for i < len(text) && isDigit(text[i]) {
			i++
		}
		r.groups = append(r.groups, span{s, i})
		// A separator of up to two bytes followed by a digit continues the run.
		j := i
		for j < len(text) && j-i < 2 && isPhoneSepByte(text[j]) {
			j++
		}
		if j > i && j < len(text) && isDigit(text[j]) && phoneSep(text[i:j]) {
			r.seps = append(r.seps, text[i:j])
			i = j
			continue
		}
		break
	}
	r.end = i
	// A closing parenthesis right after the digits belongs to the run only
	// when it balances an opening one; we do not include it.
	if !boundaryAfter(text, r.end) {
		return r, false
	}
	// "415-555-0123-7" or "10.30.2026." style continuations: not a phone.
	if r.end+1 < len(text) && (text[r.end] == '-' || text[r.end] == '.' || text[r.end] == '/' || text[r.end] == ',') && isDigit(text[r.end+1]) {
		return r, false
	}
	return r, true
}

// phoneLike decides whether a run has the structure of a phone number:
// 7-15 digits, and an international prefix (+, 00), a trunk 0, an area code
// in parentheses, or the North American 3-3-4 shape. Dates, IP addresses,
// version strings, prices and plain long numbers are rejected.
func phoneLike(r phoneRun) bool {
	digits := 0
	lens := make([]int, len(r.groups))
	for k, g := range r.groups {
		lens[k] = g.end - g.start
		digits += lens[k]
	}
	if digits < 7 || digits > 15 {
		return false
	}
	opens, closes, dots, slashes := 0, 0, 0, 0
	if r.paren {
		opens++
	}
	for k, s := range r.seps {
		opens += strings.Count(s, "(")
		closes += strings.Count(s, ")")
		if strings.Contains(s, ".") {
			dots++
		}
		if strings.Contains(s, "/") {
			slashes++
			if k != 0 {
				return false
			}
		}
		if strings.Contains(s, ")") && opens == 0 {
			return false
		}
	}
	if opens != closes || opens > 1 {
		return false
	}
	if dots > 0 && dots != len(r.seps) {
		return false // mixed dots and other separators: versions, amounts
	}
	if slashes > 1 || slashes == 1 && len(r.groups) != 2 {
		return false
	}
	n := len(r.groups)
	// Dates: d.m.y, d/m/y, y-m-d and friends.
	if n == 3 && r.seps[0] == r.seps[1] && len(r.seps[0]) == 1 && !r.plus && !r.paren {
		a, b, c := lens[0], lens[1], lens[2]
		if (a <= 2 && b <= 2 && (c == 2 || c == 4)) || (a == 4 && b <= 2 && c <= 2) {
			return false
		}
	}
	// IP addresses.
	if dots > 0 && n == 4 && lens[0] <= 3 && lens[1] <= 3 && lens[2] <= 3 && lens[3] <= 3 {
		return false
	}
	// Single-digit groups only where numbers really have them: a country
	// code, a North American leading 1, "(0)", or the French mobile "6".
	international := r.plus || strings.HasPrefix(groupText(r, 0), "00")
	for k, l := range lens {
		if l > 1 {
			continue
		}
		if k == 0 || k == 1 && (international || inParens(r, 1)) {
			continue
		}
		return false
	}
	first := groupText(r, 0)
	switch {
	case r.plus:
		return digits >= 8
	case strings.HasPrefix(first, "00"):
		return digits >= 10
	case r.paren:
		return n >= 2
	case first[0] == '0':
		return digits >= 8 && digits <= 12 && (n > 1 || digits >= 10)
	}
	// North American numbers: 3-3-4, optionally after a leading 1.
	if n == 3 && lens[0] == 3 && lens[1] == 3 && lens[2] == 4 {
		return first[0] >= '2'
	}
	if n == 4 && first == "1" && lens[1] == 3 && lens[2] == 3 && lens[3] == 4 {
		return true
	}
	return false
}

func groupText(r phoneRun, k int) string { return r.src[r.groups[k].start:r.groups[k].end] }

func inParens(r phoneRun, k int) bool {
	before := k == 0 && r.paren || k > 0 && strings.HasSuffix(r.seps[k-1], "(")
	after := k < len(r.seps) && strings.HasPrefix(r.seps[k], ")")
	return before && after
}

// orderContext reports whether the word before start marks the number as
// an order, invoice or similar reference rather than a phone number.
func orderContext(w words, start int) bool {
	// Index of the first word at or after start.
	k, _ := slices.BinarySearchFunc(w.spans, start, func(sp span, pos int) int { return sp.start - pos })
	for k--; k >= 0; k-- {
		switch w.folded[k] {
		case "no", "nr", "number", "num", "is", "was", "id", "ist", "numéro", "número", "nummer":
			continue
		case "order", "orders", "invoice", "ref", "reference", "tracking", "ticket", "case",
			"sku", "item", "article", "parcel", "package", "shipment", "receipt", "transaction",
			"customer", "account", "bestellung", "bestellnummer", "rechnung", "commande",
			"facture", "pedido", "factura", "serial", "model", "iban", "postcode", "zip":
			return true
		}
		return false
	}
	return false
}
