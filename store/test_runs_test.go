package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"deskbot/store"
)

// A test run's sessions are left out of the report and its unanswered
// list; ending the run erases them and its test agents (audited with
// counts only), and the real roster and customers stay.
func TestTestRunErasedAndLeftOutOfReport(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	real := newSession(t, s, "real")
	if err := s.CreateAgent(ctx, store.Agent{Name: "Maria", DisplayName: "Maria", PasswordHash: "h", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTestRun(ctx, "run1", now); err != nil {
		t.Fatal(err)
	}
	test := store.Session{ID: "test", SubjectID: "subj-test", TokenHash: []byte("hash-test"), Profile: "eu", CreatedAt: now, LastSeen: now, TestRun: "run1"}
	if err := s.CreateSession(ctx, test); err != nil {
		t.Fatal(err)
	}
	for _, sess := range []store.Session{real, test} {
		if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: now,
			Entries: []store.Entry{{At: now, Sender: "customer", Body: []byte("question of " + sess.ID)}}, Unanswered: []string{"question of " + sess.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateTestAgent(ctx, "run1", store.Agent{Name: "Maria (test run1)", DisplayName: "Maria", PasswordHash: "h", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTestAgent(ctx, "nope", store.Agent{Name: "x", DisplayName: "x", PasswordHash: "h", CreatedAt: now}); !errors.Is(err, store.ErrNoTestRun) {
		t.Fatalf("test agent of an unknown run: %v", err)
	}
	roster, err := s.Agents(ctx)
	if err != nil || len(roster) != 1 || roster[0].Name != "Maria" {
		t.Fatalf("roster with a test agent: %+v %v", roster, err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Sessions != 1 || st.Subjects != 1 || st.Messages != 1 {
		t.Fatalf("stats count test sessions: %+v %v", st, err)
	}
	qs, err := s.UnansweredQuestions(ctx, 0)
	if err != nil || !slices.Equal(qs, []string{"question of real"}) {
		t.Fatalf("unanswered: %q %v", qs, err)
	}
	if run, ok, _ := s.SubjectTestRun(ctx, "subj-test"); run != "run1" || !ok {
		t.Fatalf("test subject's run %q %v", run, ok)
	}
	if run, ok, _ := s.SubjectTestRun(ctx, real.SubjectID); run != "" || !ok {
		t.Fatalf("real subject's run %q %v", run, ok)
	}
	n, err := s.EndTestRun(ctx, "run1", "admin", now)
	if err != nil {
		t.Fatal(err)
	}
	if n.Sessions != 1 || n.Subjects != 1 || n.Messages != 1 || n.Agents != 1 || n.Unanswered != 1 {
		t.Fatalf("counts %+v", n)
	}
	if _, err := s.Export(ctx, "subj-test"); !errors.Is(err, store.ErrErased) && !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("test subject after the run: %v", err)
	}
	if _, err := s.AgentByName(ctx, "Maria (test run1)"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("test agent after the run: %v", err)
	}
	if _, err := s.AgentByName(ctx, "Maria"); err != nil {
		t.Fatalf("real agent after the run: %v", err)
	}
	if _, err := s.Transcript(ctx, real.SubjectID, real.ID); err != nil {
		t.Fatalf("real customer after the run: %v", err)
	}
	recs, err := s.AuditRecords(ctx, store.EventTestCleanup)
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].Detail, "run=run1 sessions=1") || strings.Contains(recs[0].Detail, "question") {
		t.Fatalf("audit: %+v %v", recs, err)
	}
	if _, err := s.EndTestRun(ctx, "run1", "admin", now); !errors.Is(err, store.ErrNoTestRun) {
		t.Fatalf("ending twice: %v", err)
	}
}

// A run that never ended is ended by the retention purge after an hour.
func TestStaleTestRunEndedByPurge(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if err := s.CreateTestRun(ctx, "crashed", now); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, store.Session{ID: "t", SubjectID: "subj-t", TokenHash: []byte("h"), Profile: "eu", CreatedAt: now, LastSeen: now, TestRun: "crashed"}); err != nil {
		t.Fatal(err)
	}
	ret := store.Retention{Transcripts: 90 * 24 * time.Hour, Contacts: 90 * 24 * time.Hour, Consents: 3 * 365 * 24 * time.Hour}
	if _, err := s.Purge(ctx, now.Add(30*time.Minute), ret); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.TestRunExists(ctx, "crashed"); !ok {
		t.Fatal("a 30-minute-old run was ended")
	}
	if _, err := s.Purge(ctx, now.Add(61*time.Minute), ret); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.TestRunExists(ctx, "crashed"); ok {
		t.Fatal("a run older than an hour survived the purge")
	}
	if _, ok, _ := s.SubjectTestRun(ctx, "subj-t"); ok {
		t.Fatal("its session survived")
	}
}
