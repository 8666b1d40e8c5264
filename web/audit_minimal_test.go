package web_test

import (
	"context"
	"strings"
	"testing"

	"deskbot/compliance"
)

// MIN-2, AUD-1, DSR-4: the audit log outlives erasure (and is kept 730
// days), so it must not say what a customer's health or legal matter was:
// neither the redacted health kind nor the sensitive topic that brought in
// a person is written in its clear-text details, before or after erasure.
func TestAuditHoldsNoHealthOrLegalInference(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, token := openSession(t, l)
	ask(t, c, "I had an allergic reaction and went to hospital")
	ask(t, c, "If this is not sorted I will take legal action")
	sess, err := l.App.Engine.Lookup(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	subject := sess.Subject
	ask(t, c, "delete my data")
	var recs []compliance.AuditRecord
	recs, err = l.App.Store.AuditRecords(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	handovers := 0
	for _, r := range recs {
		if r.Subject != subject {
			continue
		}
		d := strings.ToLower(r.Detail)
		for _, w := range []string{"health", "medical", "legal", "hospital", "allergic"} {
			if strings.Contains(d, w) {
				t.Errorf("audit %s %q names %q", r.Event, r.Detail, w)
			}
		}
		if r.Event == "handover" {
			handovers++
		}
	}
	if handovers == 0 {
		t.Error("AUD-1: the handover itself must still be audited")
	}
}
