package conversation

import (
	"context"
	"testing"

	"deskbot/compliance"
	"deskbot/protocol"
)

// CONS-1, CONS-4: a consent that could not be recorded in the ledger is not
// in effect either, so later contact details stay redacted.
func TestFailedTurnLeavesNoStateBehind(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, nil)
	e := r.e
	r.store.failNext = errDiskFull // as a full disk would
	s := &Session{ID: "s", Subject: "x", Profile: "eu", limiter: e.newLimiter(), pendingContact: []string{"a@example.com"}}
	yes := true
	out := e.consent(context.Background(), s, protocol.Inbound{Type: protocol.TypeConsent, Purpose: "contact", Granted: &yes})
	if len(out) != 1 || out[0].(protocol.Error).Code != protocol.ErrInternal {
		t.Fatalf("expected an internal error frame, got %+v", out)
	}
	if s.st.Consent.Granted(compliance.PurposeContact) {
		t.Fatal("consent is in effect although the ledger row was not stored")
	}
	if len(s.pendingContact) != 1 || s.st.Turns != 0 {
		t.Fatalf("session changed by a failed turn: pending=%v turns=%d", s.pendingContact, s.st.Turns)
	}
}
