package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// Several instances on one PostgreSQL database: each has its own store
// (pool, writer, batches) on the same tables.
func twoInstances(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	if !onPostgres {
		t.Skip("instances share a PostgreSQL database")
	}
	dir := t.TempDir()
	a, b := open(t, dir, key1), open(t, dir, key1)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// AUD-1: two instances appending at once still make one unbroken chain:
// the tail is read and extended under a lock held to the commit.
func TestInstancesAppendOneAuditChain(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 40 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Audit(ctx, compliance.AuditRecord{At: at, Event: compliance.EventDisclosure, Subject: fmt.Sprint("subject-", i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for name, s := range map[string]*store.Store{"a": a, "b": b} {
		if n, err := s.VerifyAudit(ctx); err != nil || n != 40 {
			t.Errorf("instance %s: audit verify = %d records, %v; want 40 in one chain", name, n, err)
		}
	}
}

// A once-per-period job (the retention purge) runs once across
// instances, however many fire at the same moment; again a period later.
func TestRunOnceAcrossInstances(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	var runs atomic.Int32
	job := func(context.Context) error { runs.Add(1); time.Sleep(50 * time.Millisecond); return nil }
	fire := func(at time.Time) {
		var wg sync.WaitGroup
		for i := range 6 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.RunOnce(ctx, "purge", time.Hour, at, job); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	fire(now)
	if n := runs.Load(); n != 1 {
		t.Fatalf("the purge ran %d times for one period, want once", n)
	}
	fire(now.Add(10 * time.Minute))
	if n := runs.Load(); n != 1 {
		t.Fatalf("the purge ran again within its period (%d runs)", n)
	}
	fire(now.Add(time.Hour))
	if n := runs.Load(); n != 2 {
		t.Fatalf("the purge did not run once in the next period (%d runs)", n)
	}
}

// On one SQLite file only the record counts: a job due runs, one not due
// does not.
func TestRunOnceRecordsLastRun(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	var runs int
	job := func(context.Context) error { runs++; return nil }
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{now, true}, {now.Add(time.Minute), false}, {now.Add(time.Hour), true}, {now.Add(90 * time.Minute), false}} {
		ran, err := s.RunOnce(ctx, "backup", time.Hour, tc.at, job)
		if err != nil || ran != tc.want {
			t.Fatalf("at %s: ran=%v, %v; want %v", tc.at.Format(time.Kitchen), ran, err, tc.want)
		}
	}
	if runs != 2 {
		t.Fatalf("ran %d times, want 2", runs)
	}
}

// SEC-1 on PostgreSQL: the raw scan reads every value of every table, so
// text that reached the database in clear is found, and sealed text is not.
func TestScanRowsFindsClearTextOnly(t *testing.T) {
	if !onPostgres {
		t.Skip("SQLite is scanned as files")
	}
	dir := t.TempDir()
	s := open(t, dir, key1)
	defer s.Close()
	ctx := context.Background()
	sess := newSession(t, s, "s1")
	at := sess.CreatedAt.Add(time.Minute)
	if err := s.AppendTurn(ctx, sess.SubjectID, sess.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte("Ada Lovelace, 12 Analytical Row")}}, nil); err != nil {
		t.Fatal(err)
	}
	// Clear text only an operator's own field holds (an incident's
	// description), to see that the scan reads rows at all.
	if _, err := s.AddIncident(ctx, store.Incident{What: "laptop with Engine-Notes stolen", Found: at, Recorded: at}, store.Scope{}, "operator"); err != nil {
		t.Fatal(err)
	}
	res, err := s.ScanRows(ctx, []string{"Lovelace", "Engine-Notes"})
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesScanned < 10 || res.BytesScanned == 0 {
		t.Fatalf("scanned %d tables, %d bytes", res.FilesScanned, res.BytesScanned)
	}
	var found []string
	for _, h := range res.Found {
		found = append(found, h.Needle+"@"+h.File)
	}
	if len(found) != 1 || found[0] != "Engine-Notes@table incidents" {
		t.Fatalf("found %v; want only the incident's clear text", found)
	}
}

// DSR-4 across instances: a customer erased through one instance cannot
// be written again by another that still has their key in its cache; the
// write reports the erasure, so the engine starts afresh.
func TestErasureOnOneInstanceHoldsOnTheOther(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	sess := newSession(t, a, "s1")
	at := sess.CreatedAt.Add(time.Minute)
	turn := func(s *store.Store, text string) error {
		return s.AppendTurn(ctx, sess.SubjectID, sess.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte(text)}}, nil)
	}
	if err := turn(a, "first"); err != nil {
		t.Fatal(err)
	}
	if err := turn(b, "second, through b"); err != nil { // b caches the key too
		t.Fatal(err)
	}
	if _, err := a.Erase(ctx, sess.SubjectID, "customer", at); err != nil {
		t.Fatal(err)
	}
	if err := turn(b, "after the erasure"); !errors.Is(err, store.ErrErased) {
		t.Fatalf("b wrote for an erased customer: %v, want ErrErased", err)
	}
	if _, err := b.Transcript(ctx, sess.SubjectID, sess.ID); !errors.Is(err, store.ErrErased) {
		t.Fatalf("b read an erased transcript: %v", err)
	}
}
