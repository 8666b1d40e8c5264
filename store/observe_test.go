package store_test

import (
	"sync"
	"testing"
	"time"
)

type commits struct {
	mu      sync.Mutex
	batches []int
}

func (c *commits) Commit(batch int, took time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if took <= 0 {
		batch = -1 // a commit takes time; a zero duration is a bug
	}
	c.batches = append(c.batches, batch)
}

func TestCommitObserverSeesEveryBatch(t *testing.T) {
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	c := &commits{}
	s.ObserveCommits(c)
	newSession(t, s, "a")
	newSession(t, s, "b")
	s.ObserveCommits(nil)
	newSession(t, s, "c")
	c.mu.Lock()
	defer c.mu.Unlock()
	total := 0
	for _, b := range c.batches {
		if b < 1 {
			t.Fatalf("bad batch report %v", c.batches)
		}
		total += b
	}
	if total != 2 {
		t.Fatalf("observer saw %d writes in %v, want the 2 made while observed", total, c.batches)
	}
}
