package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"deskbot/store"
)

// SEC-2, F5: a limit key's state changes under its row's lock, so
// concurrent updates (here 30, on both engines) never lose one, and the
// state reads back as stored.
func TestUpdateLimitsIsAtomic(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.UpdateLimits(ctx, []string{"addr:192.0.2.7", "acct:maria\x00192.0.2.7"}, func(st []store.LimitState) error {
				for i := range st {
					st[i].Count++
					st[i].Last = at
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	err := s.UpdateLimits(ctx, []string{"acct:maria\x00192.0.2.7", "addr:192.0.2.7", "addr:198.51.100.1"}, func(st []store.LimitState) error {
		if st[0].Count != 30 || st[1].Count != 30 || !st[0].Last.Equal(at) {
			t.Errorf("after 30 updates: %+v; want count 30 on both keys, last %v", st[:2], at)
		}
		if st[2] != (store.LimitState{}) {
			t.Errorf("a key never seen: %+v; want the zero state", st[2])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// PruneLimits forgets keys untouched since the cut (the new key's
	// zero state counts as untouched).
	if n, err := s.PruneLimits(ctx, at.Add(time.Second)); err != nil || n != 3 {
		t.Fatalf("prune = %d, %v; want 3 keys forgotten", n, err)
	}
}

// An error from the caller's policy stores nothing.
func TestUpdateLimitsErrorStoresNothing(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	ctx := context.Background()
	stop := context.Canceled
	_ = s.UpdateLimits(ctx, []string{"k"}, func(st []store.LimitState) error { st[0].Count = 5; return stop })
	_ = s.UpdateLimits(ctx, []string{"k"}, func(st []store.LimitState) error {
		if st[0].Count != 0 {
			t.Errorf("count = %d after a failed update; want 0", st[0].Count)
		}
		return nil
	})
}

// SEC-1: limit keys hold client addresses; the database keeps only their
// keyed hashes.
func TestLimitKeysNotStoredInClear(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, key1)
	ctx := context.Background()
	if err := s.UpdateLimits(ctx, []string{"addr:203.0.113.99"}, func(st []store.LimitState) error { st[0].Count = 1; return nil }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for name, b := range rawContents(t, dir) {
		if bytes.Contains(b, []byte("203.0.113.99")) {
			t.Errorf("%s holds the client address in clear", name)
		}
	}
}

// Two instances on one PostgreSQL database count against the same keys.
func TestLimitsSharedAcrossInstances(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if err := s.UpdateLimits(ctx, []string{"addr:192.0.2.1"}, func(st []store.LimitState) error { st[0].Count++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	_ = a.UpdateLimits(ctx, []string{"addr:192.0.2.1"}, func(st []store.LimitState) error {
		if st[0].Count != 10 {
			t.Errorf("count = %d after 5 updates on each instance; want 10", st[0].Count)
		}
		return nil
	})
}
