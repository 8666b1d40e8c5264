package compliance

import (
	"strings"
)

// IsContact reports whether k is a contact detail (e-mail, phone): the
// kinds kept only with consent for "contact" (CONS-1, MIN-1).
func IsContact(k Kind) bool { return k == KindEmail || k == KindPhone }

// ContactValues returns the contact details (e-mail, phone) in text.
func (d *Detector) ContactValues(text string) []string {
	var out []string
	for _, f := range d.Find(text) {
		if IsContact(f.Kind) {
			out = append(out, f.Text)
		}
	}
	return out
}

// RedactTyped redacts text a customer typed exactly as it is stored
// without consent: every finding is replaced by its placeholder. It is
// applied again to stored lines when consent is withdrawn (CONS-5, MIN-1).
func (d *Detector) RedactTyped(text string) string {
	return Redact(text, d.Find(text), nil)
}

// RedactKnown replaces only the e-mail addresses and phone numbers in text
// that equal one of known (e-mail case-insensitively, phones by their
// digits, so "+44 20 7946 0958" also matches "020 7946 0958"), leaving
// every other finding alone. It is for lines the customer did not type
// (an agent's reply quoting the customer's address) where other contact
// details, such as the shop's own, must stay (CONS-5).
func (d *Detector) RedactKnown(text string, known []string) string {
	if len(known) == 0 {
		return text
	}
	emails := map[string]bool{}
	var phones []string
	for _, v := range known {
		if strings.Contains(v, "@") {
			emails[strings.ToLower(strings.TrimSpace(v))] = true
		} else if p := digitsOf(v); len(p) >= 6 {
			phones = append(phones, p)
		}
	}
	var drop []Finding
	for _, f := range d.Find(text) {
		switch f.Kind {
		case KindEmail:
			if emails[strings.ToLower(f.Text)] {
				drop = append(drop, f)
			}
		case KindPhone:
			if samePhone(digitsOf(f.Text), phones) {
				drop = append(drop, f)
			}
		}
	}
	if len(drop) == 0 {
		return text
	}
	return Redact(text, drop, nil)
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// samePhone: equal digits, or the same last nine digits (the national
// number with and without country code or trunk prefix).
func samePhone(p string, known []string) bool {
	for _, k := range known {
		if p == k || len(p) >= 9 && len(k) >= 9 && p[len(p)-9:] == k[len(k)-9:] {
			return true
		}
	}
	return false
}
