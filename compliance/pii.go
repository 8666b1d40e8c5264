// Package compliance holds deskbot's legal machinery as pure functions and
// types: PII detection and redaction, envelope encryption, the audit hash
// chain, consent texts, jurisdiction profiles and the detection of privacy
// and identity questions in customer text. It does no I/O beyond loading the
// master key; storage and the bot engine persist and act on what it computes.
package compliance

import (
	"log/slog"
	"slices"
	"strings"
	"unicode"
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

// DefaultHealthTerms is the built-in list of health and medical terms
// (English plus common German, French and Spanish ones) used when
// NewDetector gets no list. Words that are common in a shop context with a
// non-medical meaning (French "enceinte" = loudspeaker; "operation",
// "stroke", "aids", "medicine ball", "std shipping", "diagnose the
// problem", golf "handicap") are left out on purpose: a false positive
// destroys the customer's question, and operators can pass their own list.
func DefaultHealthTerms() []string {
	return []string{
		// English
		"diagnosis", "diagnosed", "diagnoses", "diabetes", "diabetic", "cancer", "tumour", "tumor",
		"chemotherapy", "chemo", "hiv", "hiv positive", "pregnant", "pregnancy", "depression",
		"depressed", "anxiety disorder", "panic attack", "medication", "medications", "prescription",
		"antidepressant", "insulin", "surgery", "allergy", "allergies", "allergic", "asthma",
		"epilepsy", "epileptic", "seizure", "dementia", "alzheimer", "adhd", "autism", "autistic",
		"bipolar", "schizophrenia", "hepatitis", "heart attack", "heart condition", "blood pressure",
		"hypertension", "miscarriage", "abortion", "disability", "chronic illness", "chronic pain",
		"illness", "disease", "multiple sclerosis", "crohn", "coeliac", "celiac", "mental health",
		"eating disorder", "anorexia", "bulimia", "addiction", "rehab", "overdose", "psychiatrist",
		"therapist", "medical condition", "health condition", "covid", "covid 19",
		"ivf", "arthritis", "parkinson", "stroke patient",
		// Care and injuries: where someone was treated says as much about
		// their health as a diagnosis (MIN-2; the escalator's medical
		// topic sends these to a person too).
		"hospital", "hospitalised", "hospitalized", "hospitalisation", "hospitalization",
		"emergency room", "intensive care", "anaphylaxis", "anaphylactic", "allergic reaction",
		"injury", "injuries", "injured", "food poisoning", "hurt myself", "burned myself", "burnt myself",
		// German
		"krebs", "diagnosen", "schwanger", "schwangerschaft", "depressionen", "medikament",
		"medikamente", "allergie", "krankheit", "erkrankung", "behinderung", "zuckerkrankheit",
		"krankenhaus", "notaufnahme",
		// French
		"diabète", "grossesse", "dépression", "médicament", "médicaments",
		"chirurgie", "maladie", "handicapé", "hôpital", "urgences", "blessure", "blessé", "blessée",
		// Spanish ("hospital" is in the English list)
		"diagnóstico", "cáncer", "embarazada", "embarazo", "depresión", "medicamento",
		"medicamentos", "cirugía", "alergia", "enfermedad", "discapacidad", "hospitalizado",
		"hospitalizada", "lesión",
	}
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

// ---- character helpers ----

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

// ---- e-mail ----

func isLocalRune(r rune) bool {
	return r < utf8.RuneSelf && strings.IndexRune(".!#$%&'*+/=?^_`{|}~-", r) >= 0 || isWordRune(r)
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

// ---- digit groups (cards) ----

type span struct{ start, end int }

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

// ---- IBAN ----

// ibanLengths is the IBAN length per country (SWIFT IBAN registry).
func ibanLength(cc string) int {
	switch cc {
	case "NO":
		return 15
	case "BE":
		return 16
	case "DK", "FI", "FO", "GL", "NL":
		return 18
	case "MK", "SI":
		return 19
	case "AT", "BA", "EE", "KZ", "LT", "LU", "XK":
		return 20
	case "CH", "CR", "HR", "LI", "LV":
		return 21
	case "BG", "BH", "DE", "GB", "GE", "IE", "ME", "RS", "VA":
		return 22
	case "AE", "GI", "IL", "IQ", "TL":
		return 23
	case "AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG":
		return 24
	case "PT", "ST":
		return 25
	case "IS", "TR":
		return 26
	case "FR", "GR", "IT", "MC", "MR", "SM":
		return 27
	case "AL", "AZ", "BY", "CY", "DO", "GT", "HU", "LB", "PL", "SV":
		return 28
	case "BR", "EG", "PS", "QA", "UA":
		return 29
	case "JO", "KW", "MU":
		return 30
	case "MT", "SC":
		return 31
	case "LC":
		return 32
	}
	return 0
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// findIBANs finds country code + 2 check digits + BBAN, written with or
// without single spaces, of the country's length and valid under ISO 7064
// mod 97-10.
func findIBANs(text string, out []Finding) []Finding {
	for i := 0; i+4 <= len(text); i++ {
		if !isASCIILetter(text[i]) || !isASCIILetter(text[i+1]) || !isDigit(text[i+2]) || !isDigit(text[i+3]) {
			continue
		}
		if !boundaryBefore(text, i) {
			continue
		}
		want := ibanLength(string([]byte{upper(text[i]), upper(text[i+1])}))
		if want == 0 {
			continue
		}
		var compact [34]byte
		n, j := 0, i
		for j < len(text) && n < want {
			c := text[j]
			switch {
			case isDigit(c) || isASCIILetter(c):
				compact[n] = upper(c)
				n++
				j++
			case c == ' ' && n >= 4 && j+1 < len(text) && (isDigit(text[j+1]) || isASCIILetter(text[j+1])):
				j++
			default:
				goto done
			}
		}
	done:
		if n != want || !boundaryAfter(text, j) || !ibanValid(compact[:n]) {
			continue
		}
		out = append(out, Finding{Kind: KindIBAN, Start: i, End: j, Text: text[i:j]})
		i = j
	}
	return out
}

func ibanValid(iban []byte) bool {
	// Move the first four characters to the end, letters become 10..35,
	// and the whole number mod 97 must be 1.
	rem := 0
	add := func(c byte) bool {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
		return true
	}
	for _, c := range iban[4:] {
		if !add(c) {
			return false
		}
	}
	for _, c := range iban[:4] {
		if !add(c) {
			return false
		}
	}
	return rem == 1
}

// ---- US SSN ----

// findSSNs finds ddd-dd-dddd outside the never-issued ranges (area 000, 666
// or 9xx, group 00, serial 0000).
func findSSNs(text string, out []Finding) []Finding {
	for i := 0; i+11 <= len(text); i++ {
		if !isDigit(text[i]) || !boundaryBefore(text, i) {
			continue
		}
		s := text[i : i+11]
		if !allDigits(s[0:3]) || s[3] != '-' || !allDigits(s[4:6]) || s[6] != '-' || !allDigits(s[7:11]) {
			continue
		}
		if !boundaryAfter(text, i+11) || (i+12 < len(text) && text[i+11] == '-' && isDigit(text[i+12])) {
			continue
		}
		if i > 1 && text[i-1] == '-' && isDigit(text[i-2]) {
			continue
		}
		area, group, serial := s[0:3], s[4:6], s[7:11]
		if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
			continue
		}
		out = append(out, Finding{Kind: KindSSN, Start: i, End: i + 11, Text: s})
		i += 10
	}
	return out
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// ---- CVV ----

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

// ---- phone numbers ----

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

// ---- health terms ----

// MIN-2: health data is a special category; it is found by term list.
func (d *Detector) findHealth(w words, out []Finding) []Finding {
	if len(d.health) == 0 {
		return out
	}
	folded := w.folded
	for i := 0; i < len(folded); i++ {
		if n := notHealthAt(folded, i); n > 0 {
			i += n - 1
			continue
		}
		for _, seq := range d.health[stemPlural(folded[i], d.health)] {
			if i+len(seq) > len(folded) {
				continue
			}
			ok := true
			for k := 1; k < len(seq); k++ {
				if folded[i+k] != seq[k] && strings.TrimSuffix(folded[i+k], "s") != seq[k] {
					ok = false
					break
				}
			}
			if ok {
				s, e := w.spans[i].start, w.spans[i+len(seq)-1].end
				out = append(out, Finding{Kind: KindHealth, Start: s, End: e, Text: w.text[s:e]})
				i += len(seq) - 1
				break
			}
		}
	}
	return out
}

// notHealth are phrases that begin with a health term but mean something
// else in a shop: "hospital corners" is how a sheet is folded.
var notHealth = [][]string{{"hospital", "corner"}, {"hospital", "corners"}}

// notHealthAt returns the length of a notHealth phrase starting at word i, or 0.
func notHealthAt(folded []string, i int) int {
	for _, p := range notHealth {
		if i+len(p) <= len(folded) && slices.Equal(folded[i:i+len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// stemPlural returns w, or w without a plural "s"/"es" when only that form
// is a known first word.
func stemPlural(w string, known map[string][][]string) string {
	if _, ok := known[w]; ok {
		return w
	}
	if t, ok := strings.CutSuffix(w, "es"); ok {
		if _, ok := known[t]; ok {
			return t
		}
	}
	if t, ok := strings.CutSuffix(w, "s"); ok {
		return t
	}
	return w
}

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
