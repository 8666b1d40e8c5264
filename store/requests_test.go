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

// DSR-3: a request answered in the chat is recorded closed at once; one
// received outside the chat stays open with its profile's deadlines until
// it is closed; both are audited.
func TestRequestStatusAndDeadlines(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if err := s.RecordRequest(ctx, compliance.RequestExport, "subj-chat", "customer", at, "channel=chat sessions=1"); err != nil {
		t.Fatal(err)
	}
	id, err := s.AddRequest(ctx, store.Request{Kind: compliance.RequestErasure, Subject: "subj-mail", Received: at.Add(time.Hour), Profile: "us-ca", Channel: "cli"}, "operator")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRequest(ctx, store.Request{Kind: "refund", Received: at}, "operator"); err == nil {
		t.Error("a refund is not a data-subject request; AddRequest accepted it")
	}
	open, err := s.Requests(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].ID != id || open[0].Status != store.RequestOpen || open[0].Channel != "cli" {
		t.Fatalf("open requests %+v; want only the one added", open)
	}
	dl := open[0].Deadlines()
	if want := at.Add(time.Hour).AddDate(0, 0, 45); !dl.Answer.Equal(want) {
		t.Errorf("us-ca answer deadline %v; want %v", dl.Answer, want)
	}
	if dl.Acknowledge.IsZero() {
		t.Error("us-ca needs an acknowledgement deadline (10 business days)")
	}
	all, _ := s.Requests(ctx, false)
	if len(all) != 2 || all[1].Status != store.RequestClosed || !all[1].Closed.Equal(at) {
		t.Fatalf("the chat request should be closed at once: %+v", all)
	}
	if err := s.UpdateRequest(ctx, id, store.RequestAcknowledged, "operator", at.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateRequest(ctx, id, store.RequestClosed, "operator", at.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A second close keeps the first answer time (the deadline's proof).
	if err := s.UpdateRequest(ctx, id, store.RequestClosed, "operator", at.Add(90*24*time.Hour)); !errors.Is(err, store.ErrRequestAlready) {
		t.Errorf("closing a closed request again: %v", err)
	}
	if all, _ := s.Requests(ctx, false); !all[0].Closed.Equal(at.Add(48 * time.Hour)) {
		t.Errorf("a second close moved the answer time: %+v", all[0])
	}
	if err := s.UpdateRequest(ctx, all[1].ID, store.RequestClosed, "operator", at.Add(time.Hour)); !errors.Is(err, store.ErrRequestAlready) {
		t.Errorf("closing a request answered in the chat: %v", err)
	}
	if err := s.UpdateRequest(ctx, 999, store.RequestClosed, "operator", at); !errors.Is(err, store.ErrNoRequest) {
		t.Errorf("closing an unknown request: %v", err)
	}
	if open, _ := s.Requests(ctx, true); len(open) != 0 {
		t.Errorf("still open after closing: %+v", open)
	}
	for _, ev := range []string{"request_received", "request_acknowledged", "request_closed"} {
		recs, err := s.AuditRecords(ctx, ev)
		if err != nil || len(recs) != 1 {
			t.Errorf("audit %s: %d records, %v", ev, len(recs), err)
		}
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}

// BRCH-1: a breach record counts the subjects and records of a time
// window (or named subjects) from ids and times alone, keeps the subjects
// for notification, and is audited with counts only.
func TestIncidentCountsFromStore(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	a, b, c := newSession(t, s, "a"), newSession(t, s, "b"), newSession(t, s, "c")
	base := a.CreatedAt
	commitSample(t, s, a, base.Add(1*time.Hour))
	commitSample(t, s, b, base.Add(2*time.Hour))
	commitSample(t, s, c, base.Add(30*time.Hour)) // outside the window
	found := base.Add(40 * time.Hour)
	in, err := s.AddIncident(ctx, store.Incident{What: "backup copied to a public bucket", Found: found, Recorded: found, Encrypted: true, Measures: "bucket closed"},
		store.Scope{From: base, To: base.Add(24 * time.Hour)}, "operator")
	if err != nil {
		t.Fatal(err)
	}
	// commitSample writes per subject 1 line, 1 contact, 1 unanswered, 1 consent.
	if in.Subjects != 2 || in.Records != 8 || in.Categories["transcript_lines"] != 2 || in.Categories["contacts"] != 2 {
		t.Fatalf("incident counts %+v; want 2 subjects, 8 records", in)
	}
	if !in.NotifyBy().Equal(found.Add(72 * time.Hour)) {
		t.Errorf("notify by %v; want 72 hours after discovery", in.NotifyBy())
	}
	subs, err := s.IncidentSubjects(ctx, in.ID)
	if err != nil || len(subs) != 2 || subs[0] != a.SubjectID || subs[1] != b.SubjectID {
		t.Fatalf("affected subjects %v, %v", subs, err)
	}
	named, err := s.AddIncident(ctx, store.Incident{What: "agent laptop lost", Found: found, Recorded: found}, store.Scope{Subjects: []string{c.SubjectID}}, "operator")
	if err != nil || named.Subjects != 1 || named.Records != 4 {
		t.Fatalf("named subjects: %+v, %v", named, err)
	}
	if err := s.NotifyIncident(ctx, in.ID, found.Add(10*time.Hour), time.Time{}, "keys rotated", "operator", found.Add(10*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Incident(ctx, in.ID)
	if err != nil || got.AuthorityNotified.IsZero() || !got.CustomersNotified.IsZero() || got.Measures != "bucket closed; keys rotated" || !got.Encrypted {
		t.Fatalf("after notifying: %+v, %v", got, err)
	}
	// BRCH-1: the recorded notification time proves the deadline was met;
	// a second notify does not move it, and changes nothing else either.
	err = s.NotifyIncident(ctx, in.ID, found.Add(80*time.Hour), time.Time{}, "more", "operator", found.Add(80*time.Hour))
	if !errors.Is(err, store.ErrAlreadyNotified) {
		t.Fatalf("second authority notification: %v, want ErrAlreadyNotified", err)
	}
	if again, _ := s.Incident(ctx, in.ID); !again.AuthorityNotified.Equal(got.AuthorityNotified) || again.Measures != got.Measures {
		t.Fatalf("a refused notify changed the record: %+v", again)
	}
	recs, _ := s.AuditRecords(ctx, "incident")
	if len(recs) != 2 || recs[0].Detail == "" {
		t.Fatalf("incident audit records %+v", recs)
	}
	for _, r := range recs {
		if containsAny(r.Detail, "bucket", "laptop", a.SubjectID) {
			t.Errorf("audit detail holds free text or ids: %q", r.Detail)
		}
	}
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if x != "" && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// DSR-3: ClaimRequestWarnings hands out each request once per day (UTC),
// whatever the hour, and again the next day; the running server's warning
// job relies on it to warn at most once per request per day.
func TestClaimRequestWarningsOncePerDay(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	claim := func(now time.Time, ids ...int64) []int64 {
		t.Helper()
		got, err := s.ClaimRequestWarnings(ctx, ids, now)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := claim(at, 1, 2); len(got) != 2 {
		t.Fatalf("first claim %v, want [1 2]", got)
	}
	if got := claim(at.Add(time.Hour), 1, 2, 3); len(got) != 1 || got[0] != 3 {
		t.Fatalf("an hour later %v, want only the new [3]", got)
	}
	if got := claim(at.Add(14*time.Hour+59*time.Minute), 1, 2, 3); len(got) != 0 {
		t.Fatalf("at 23:59 the same day %v, want none", got)
	}
	if got := claim(at.Add(15*time.Hour), 2, 3); len(got) != 2 {
		t.Fatalf("the next day %v, want [2 3]", got)
	}
	if got := claim(at.Add(16*time.Hour), 1); len(got) != 1 {
		t.Fatalf("the next day, request 1 not yet warned: %v", got)
	}
}
