package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// DSR-5: a rectification replaces the kept e-mail address, removes the old
// one from the stored lines and the lookup, and is recorded as a closed
// request and an audit record "rectification" with counts only. Without
// contact consent it is refused (CONS-1).
func TestRectifyReplacesContact(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	sess := newSession(t, s, "r1")
	at := sess.CreatedAt.Add(time.Minute)
	commitSample(t, s, sess, at) // keeps jane@example.com with consent, blind-1
	if err := s.AppendTurn(ctx, sess.SubjectID, sess.ID, at.Add(time.Second), []store.Entry{
		{At: at, Sender: "customer", Body: []byte(`{"text":"my address is jane@example.com"}`)},
		{At: at, Sender: "agent", Body: []byte(`{"text":"we will write to Jane@example.com, our own is shop@example.org"}`)},
	}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := s.Rectify(ctx, store.Rectification{Subject: sess.SubjectID, Field: "email", New: "jane.new@example.com", Blind: "blind-new",
		Actor: "customer", Channel: "chat", At: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced != 1 || res.Rewritten.Messages != 2 {
		t.Errorf("result %+v; want 1 contact replaced and 2 lines rewritten", res)
	}
	d, err := s.Export(ctx, sess.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Contacts) != 1 || string(d.Contacts[0]) != "jane.new@example.com" {
		t.Errorf("contacts after rectification: %q", d.Contacts)
	}
	var all strings.Builder
	for _, e := range d.Transcripts[sess.ID] {
		all.Write(e.Body)
	}
	if got := strings.ToLower(all.String()); strings.Contains(got, "jane@example.com") || !strings.Contains(got, "shop@example.org") {
		t.Errorf("transcript after rectification: %s", got)
	}
	if ids, _ := s.SubjectsByBlind(ctx, "blind-1"); len(ids) != 0 {
		t.Errorf("the old address still finds the subject: %v", ids)
	}
	if ids, _ := s.SubjectsByBlind(ctx, "blind-new"); len(ids) != 1 {
		t.Errorf("the new address does not find the subject: %v", ids)
	}
	recs, _ := s.AuditRecords(ctx, store.EventRectification)
	if len(recs) != 1 || strings.Contains(recs[0].Detail, "@") || !strings.Contains(recs[0].Detail, "replaced=1") {
		t.Errorf("audit: %+v", recs)
	}
	reqs, _ := s.Requests(ctx, false)
	if len(reqs) != 1 || reqs[0].Kind != compliance.RequestRectification || reqs[0].Open() {
		t.Errorf("request log: %+v", reqs)
	}

	// Without consent for contact details: refused, nothing changes.
	other := newSession(t, s, "r2")
	_, err = s.Rectify(ctx, store.Rectification{Subject: other.SubjectID, Field: "email", New: "x@example.com", Actor: "operator", Channel: "cli", At: at})
	if !errors.Is(err, store.ErrNoConsent) {
		t.Errorf("rectification without consent: %v; want ErrNoConsent", err)
	}
	if _, err := s.Rectify(ctx, store.Rectification{Subject: sess.SubjectID, Field: "address", New: "x", At: at}); err == nil {
		t.Error("field address accepted")
	}
}
