package compliance

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

func TestNewConsentTextHash(t *testing.T) {
	ct := NewConsentText("contact", "May we keep your e-mail?", "2", "/privacy")
	sum := sha256.Sum256([]byte("May we keep your e-mail?"))
	if ct.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("Hash = %s", ct.Hash)
	}
	if ct.Purpose != "contact" || ct.Version != "2" || ct.PolicyURL != "/privacy" {
		t.Errorf("fields: %+v", ct)
	}
	// CONS-4: a one-character change in wording changes the hash.
	if NewConsentText("contact", "May we keep your e-mail!", "2", "").Hash == ct.Hash {
		t.Error("different texts share a hash")
	}
	def := DefaultContactConsent("/p")
	if def.Purpose != string(PurposeContact) || def.Text == "" || def.Version == "" || len(def.Hash) != 64 {
		t.Errorf("default contact consent: %+v", def)
	}
}

func TestConsentStateGranted(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	rec := func(d Decision, m int) ConsentRecord {
		return ConsentRecord{Purpose: PurposeContact, Decision: d, TextVersion: "1", At: at(m)}
	}
	tests := []struct {
		name string
		rows []ConsentRecord
		want bool
	}{
		{"CONS-1 silence is not consent", nil, false},
		{"granted", []ConsentRecord{rec(DecisionGranted, 1)}, true},
		{"declined", []ConsentRecord{rec(DecisionDeclined, 1)}, false},
		{"CONS-5 withdrawn after grant", []ConsentRecord{rec(DecisionGranted, 1), rec(DecisionWithdrawn, 2)}, false},
		{"granted again after withdrawal", []ConsentRecord{rec(DecisionGranted, 1), rec(DecisionWithdrawn, 2), rec(DecisionGranted, 3)}, true},
		{"declined then granted", []ConsentRecord{rec(DecisionDeclined, 1), rec(DecisionGranted, 2)}, true},
		{"late row with older time does not win", []ConsentRecord{rec(DecisionWithdrawn, 5), rec(DecisionGranted, 1)}, false},
		{"same time: later row wins", []ConsentRecord{rec(DecisionGranted, 1), rec(DecisionWithdrawn, 1)}, false},
		{"other purpose only", []ConsentRecord{{Purpose: "marketing", Decision: DecisionGranted, At: at(1)}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := StateFrom(tc.rows).Granted(PurposeContact); got != tc.want {
				t.Errorf("Granted = %v, want %v", got, tc.want)
			}
		})
	}
	var zero ConsentState
	if zero.Granted(PurposeContact) {
		t.Error("nil state grants")
	}
}

func TestConsentGrantedForText(t *testing.T) {
	v1 := NewConsentText("contact", "text one", "1", "")
	v2 := NewConsentText("contact", "text two", "2", "")
	s := StateFrom([]ConsentRecord{{Purpose: PurposeContact, Decision: DecisionGranted, TextVersion: "1", TextHash: v1.Hash}})
	if !s.GrantedFor(v1) || s.GrantedFor(v2) {
		t.Errorf("GrantedFor v1=%v v2=%v, want true false", s.GrantedFor(v1), s.GrantedFor(v2))
	}
}

func TestParseDecision(t *testing.T) {
	for _, s := range []string{"granted", "declined", "withdrawn"} {
		if d, err := ParseDecision(s); err != nil || string(d) != s {
			t.Errorf("ParseDecision(%q) = %q, %v", s, d, err)
		}
	}
	for _, s := range []string{"", "yes", "Granted"} {
		if _, err := ParseDecision(s); err == nil {
			t.Errorf("ParseDecision(%q) accepted", s)
		}
	}
}

// MIN-1, CONS-1: contact details typed before consent are stored redacted;
// after a grant they are kept; after withdrawal redacted again (CONS-5).
func TestKeepForConsent(t *testing.T) {
	d := NewDetector(nil)
	text := "mail jane@example.com, call +44 20 7946 0958, IBAN DE89370400440532013000, card 4111111111111111"
	fs := d.Find(text)
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

	before := Redact(text, fs, KeepForConsent(nil))
	if before != "mail [email], call [phone], IBAN [iban], card [card ****1111]" {
		t.Errorf("no consent: %q", before)
	}
	granted := StateFrom([]ConsentRecord{{Purpose: PurposeContact, Decision: DecisionGranted, At: t0}})
	after := Redact(text, fs, KeepForConsent(granted))
	if after != "mail jane@example.com, call +44 20 7946 0958, IBAN [iban], card [card ****1111]" {
		t.Errorf("contact granted: %q", after)
	}
	granted.Apply(ConsentRecord{Purpose: PurposeContact, Decision: DecisionWithdrawn, At: t0.Add(time.Minute)})
	if got := Redact(text, fs, KeepForConsent(granted)); got != before {
		t.Errorf("after withdrawal: %q", got)
	}
}
