package compliance

import (
	"strings"
	"testing"
	"time"
)

// MIN-3: health information is kept only in health mode with consent for
// "health"; contact consent alone never keeps it, and cards stay masked.
func TestRedactKeepingHealth(t *testing.T) {
	d := NewDetector(nil)
	text := "I have diabetes, my card is 4111 1111 1111 1111, mail me at ann@example.com"
	fs := d.Find(text)
	if !HasHealth(fs) {
		t.Fatalf("no health finding in %q: %v", text, fs)
	}
	contactOnly := StateFrom([]ConsentRecord{{Purpose: PurposeContact, Decision: DecisionGranted, At: time.Unix(1, 0)}})
	both := StateFrom([]ConsentRecord{{Purpose: PurposeContact, Decision: DecisionGranted, At: time.Unix(1, 0)}, {Purpose: PurposeHealth, Decision: DecisionGranted, At: time.Unix(2, 0)}})
	for _, c := range []struct {
		name       string
		mode       bool
		state      ConsentState
		wantHealth bool
	}{
		{"health mode off, both granted", false, both, false},
		{"health mode on, contact only", true, contactOnly, false},
		{"health mode on, health granted", true, both, true},
	} {
		got := RedactKeepingHealth(text, fs, KeepForConsent(c.state), KeepHealth(c.mode, c.state))
		if kept := strings.Contains(got, "diabetes"); kept != c.wantHealth {
			t.Errorf("%s: %q keeps health %v, want %v", c.name, got, kept, c.wantHealth)
		}
		if strings.Contains(got, "4111") {
			t.Errorf("%s: card kept: %q", c.name, got)
		}
	}
}
