package compliance

import (
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind names a category of personal data found in text.
type Kind string

// Kinds of personal data the detector recognises.
const (
	KindEmail  Kind = "email"
	KindPhone  Kind = "phone"
	KindCard   Kind = "card"
	KindIBAN   Kind = "iban"
	KindSSN    Kind = "ssn"
	KindHealth Kind = "health"
	KindCVV    Kind = "cvv"
)

// Finding is one piece of personal data in a text. Start and End are byte
// offsets into the scanned text (text[Start:End] == Text).
//
// Text is personal data: never log it. Finding implements slog.LogValuer so
// that logging a Finding shows only its kind and offsets.
type Finding struct {
	Kind       Kind
	Start, End int
	Text       string
}

// LogValue keeps the matched text out of logs.
func (f Finding) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", string(f.Kind)),
		slog.Int("start", f.Start),
		slog.Int("end", f.End),
	)
}

// neverKept lists kinds that are redacted whatever the caller's keep says.
// PCI-1/PCI-2: a PAN or CVV is never stored or echoed in clear.
// MIN-2: health data is a special category we must not hold.
func neverKept(k Kind) bool {
	return k == KindCard || k == KindCVV || k == KindHealth
}

// Detector finds personal data in text. It is safe for concurrent use.
type Detector struct {
	// health maps the first word of each health term to the word
	// sequences that start with it.
	health map[string][][]string
}

// NewDetector returns a detector using healthTerms for KindHealth (matched
// on word boundaries, case-insensitively, multiword allowed). A nil or empty
// list means DefaultHealthTerms.
func NewDetector(healthTerms []string) *Detector {
	if len(healthTerms) == 0 {
		healthTerms = DefaultHealthTerms()
	}
	d := &Detector{health: make(map[string][][]string)}
	for _, term := range healthTerms {
		var words []string
		for _, w := range splitWords(term) {
			words = append(words, foldWord(term[w.start:w.end]))
		}
		if len(words) == 0 {
			continue
		}
		d.health[words[0]] = append(d.health[words[0]], words)
	}
	// Longest terms first so "hiv positive" wins over "hiv".
	for k, seqs := range d.health {
		slices.SortStableFunc(seqs, func(a, b []string) int { return len(b) - len(a) })
		d.health[k] = seqs
	}
	return d
}

// Find returns the personal data in text, sorted by Start and
// non-overlapping. Where two detections overlap, the more sensitive or more
// specific kind wins (e-mail, card, IBAN, SSN, CVV, phone, health).
func (d *Detector) Find(text string) []Finding {
	w := newWords(text)
	var cands []Finding
	cands = findEmails(text, cands)
	cands = findCards(text, cands)
	cands = findIBANs(text, cands)
	cands = findSSNs(text, cands)
	cands = findCVVs(w, cands)
	cands = findPhones(w, cands)
	cands = d.findHealth(w, cands)
	return withCopies(text, resolve(cands))
}

// withCopies adds every other standalone copy of a found e-mail address,
// phone number, card, IBAN or SSN. Context rules let some numbers through
// as references ("#0201234567", "order 0201234567"), but once the same
// value was found as personal data elsewhere in the text, a copy of it is
// that personal data too. Health terms and CVVs are short words and digits
// that occur harmlessly elsewhere, so they are not copied.
func withCopies(text string, fs []Finding) []Finding {
	// Found spans are blanked, so a copy is judged by the text around it
	// as it reads once redacted ("[phone]+0201234567"); copies found join
	// the blanked spans until none is left.
	masked := []byte(text)
	for len(fs) > 0 {
		for _, f := range fs {
			for i := f.Start; i < f.End; i++ {
				masked[i] = ' '
			}
		}
		m := string(masked)
		var extra []Finding
		for _, f := range fs {
			if f.Kind == KindHealth || f.Kind == KindCVV {
				continue
			}
			for off := 0; off < len(m); {
				i := strings.Index(m[off:], f.Text)
				if i < 0 {
					break
				}
				i += off
				off = i + 1
				if text[i:i+len(f.Text)] == f.Text && standsAlone(m, i, i+len(f.Text)) {
					extra = append(extra, Finding{Kind: f.Kind, Start: i, End: i + len(f.Text), Text: f.Text})
				}
			}
		}
		if len(extra) == 0 {
			break
		}
		fs = resolve(append(fs, extra...))
	}
	return fs
}

// standsAlone reports whether text[start:end] is not part of a longer word,
// number or address: the runes around it are neither letters or digits nor
// address punctuation ("@._+-") joined to one.
func standsAlone(text string, start, end int) bool {
	joins := func(r rune) bool { return strings.ContainsRune("@._+-", r) }
	if r := runeBefore(text, start); isWordRune(r) || joins(r) && isWordRune(runeBefore(text, start-utf8.RuneLen(r))) {
		return false
	}
	if r := runeAt(text, end); isWordRune(r) || joins(r) && isWordRune(runeAt(text, end+utf8.RuneLen(r))) {
		return false
	}
	return true
}

// priority orders kinds for overlap resolution: lower wins.
func priority(k Kind) int {
	switch k {
	case KindEmail:
		return 0
	case KindCard:
		return 1
	case KindIBAN:
		return 2
	case KindSSN:
		return 3
	case KindCVV:
		return 4
	case KindPhone:
		return 5
	default:
		return 6
	}
}

// resolve drops candidates overlapping a higher-priority one and sorts the
// rest by position.
func resolve(cands []Finding) []Finding {
	if len(cands) == 0 {
		return nil
	}
	slices.SortStableFunc(cands, func(a, b Finding) int {
		if pa, pb := priority(a.Kind), priority(b.Kind); pa != pb {
			return pa - pb
		}
		return a.Start - b.Start
	})
	out := make([]Finding, 0, len(cands))
	for _, c := range cands {
		overlaps := false
		for _, o := range out {
			if c.Start < o.End && o.Start < c.End {
				overlaps = true
				break
			}
		}
		if !overlaps {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Finding) int { return a.Start - b.Start })
	return out
}

// Redact replaces every finding that keep does not keep with a placeholder
// such as "[email]" or "[card ****1111]". A nil keep keeps nothing. Cards,
// CVVs and health data are replaced whatever keep says (PCI-1, PCI-2, MIN-2).
// Findings must come from Find on the same text.
func Redact(text string, fs []Finding, keep func(Kind) bool) string {
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, f := range fs {
		if f.Start < last || f.End > len(text) || f.Start > f.End {
			continue // not from Find on this text; skip rather than panic
		}
		if !neverKept(f.Kind) && keep != nil && keep(f.Kind) {
			continue
		}
		b.WriteString(text[last:f.Start])
		b.WriteString(Placeholder(f))
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// Placeholder is the text that replaces f in redacted output. For cards it
// shows the last four digits only (PCI-2 allows at most BIN + last four).
func Placeholder(f Finding) string {
	if f.Kind == KindCard {
		return "[card ****" + lastDigits(f.Text, 4) + "]"
	}
	return "[" + string(f.Kind) + "]"
}

// MaskCards replaces only card numbers in text, for echoing customer text
// back and for agent views (PCI-1, PCI-2).
func MaskCards(text string) string {
	fs := findCards(text, nil)
	if len(fs) == 0 {
		return text
	}
	return Redact(text, resolve(fs), nil)
}

func lastDigits(s string, n int) string {
	var buf [4]byte
	got := 0
	for i := len(s) - 1; i >= 0 && got < n; i-- {
		if isDigit(s[i]) {
			got++
			buf[n-got] = s[i]
		}
	}
	return string(buf[n-got : n])
}
