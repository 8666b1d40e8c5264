package store

import (
	"sync/atomic"
	"time"
)

// CommitObserver is told the size and duration (transaction and fsync) of
// every batch the writer commits, e.g. to export them as metrics.
type CommitObserver interface {
	Commit(batch int, took time.Duration)
}

// commitObserver holds the observer set by ObserveCommits.
type commitObserver struct {
	p atomic.Pointer[CommitObserver]
}

// ObserveCommits tells o about every commit from now on; nil stops it.
func (s *Store) ObserveCommits(o CommitObserver) {
	if o == nil {
		s.observer.p.Store(nil)
		return
	}
	s.observer.p.Store(&o)
}

func (s *Store) observeCommit(batch int, start time.Time) {
	if o := s.observer.p.Load(); o != nil {
		(*o).Commit(batch, time.Since(start))
	}
}
