package bot

import (
	"context"
	"errors"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/protocol"
	"deskbot/store"
)

// failingStore refuses every commit, as a full disk would.
type failingStore struct{ Store }

func (failingStore) Commit(context.Context, store.Turn) error { return errors.New("disk full") }

// CONS-1, CONS-4: a consent that could not be recorded in the ledger is not
// in effect either, so later contact details stay redacted.
func TestFailedTurnLeavesNoStateBehind(t *testing.T) {
	e := NewEngine(EngineOptions{Config: config.Defaults(t.TempDir()), Store: failingStore{}, Now: time.Now})
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
