package store

import (
	"context"
	"fmt"
	"os"
	"time"
)

// The WAL is kept bounded by the writer goroutine itself (H2). It is the
// only writer, so between two batches no write transaction is open and a
// checkpoint can copy every frame back into the database; the next commit
// then rewinds the WAL to its start, and journal_size_limit truncates the
// file back to walLimitBytes. A checkpoint run from another connection
// while commits never stop cannot do that: new frames always arrive while
// it runs (6.96 GB of WAL in 65 s at saturation).
//
// Readers are the pool's autocommit statements: each holds its snapshot
// only while its statement runs. A reader that began before a checkpoint
// can still keep the WAL from rewinding, so the writer escalates:
//
//	WAL file > walLimitBytes    PASSIVE  (copies what no reader needs)
//	WAL file > walRestartBytes  RESTART  (also waits, at most ckptBusyWait, for readers to leave the WAL)
//	WAL file > walTruncateBytes TRUNCATE (as RESTART, and cuts the file to zero)
//
// The WAL's size is learnt with os.Stat only: opening and closing any file
// descriptor on the database, WAL or shm would drop this process's POSIX
// locks on it.
const (
	walLimitBytes       = 16 << 20
	walRestartBytes     = 24 << 20
	walTruncateBytes    = 40 << 20
	ckptBusyWait        = 250 * time.Millisecond
	idleCheckpointAfter = time.Second
	// busyTimeoutMillis is the connections' usual busy_timeout (see the DSN).
	busyTimeoutMillis = 10000
)

// walState is owned by the writer goroutine.
type walState struct {
	dirty    bool      // commits since the last complete checkpoint
	lastBusy time.Time // when a RESTART/TRUNCATE last found a reader in the way
	lastWarn time.Time // rate limit for "WAL cannot be reset"
}

// maybeCheckpoint runs after every batch: nothing while the WAL file is
// within walLimitBytes, a checkpoint of rising strength beyond it.
func (s *Store) maybeCheckpoint() {
	if s.pg {
		return
	}
	fi, err := os.Stat(s.walPath)
	if err != nil || fi.Size() <= walLimitBytes {
		return
	}
	mode := "PASSIVE"
	switch sz := fi.Size(); {
	case sz > walTruncateBytes:
		mode = "TRUNCATE"
	case sz > walRestartBytes:
		mode = "RESTART"
	}
	// A reader that held on through the last wait probably still does:
	// wait for it at most once a second, so it slows the writer by a
	// quarter at worst; PASSIVE in between costs next to nothing.
	if mode != "PASSIVE" && time.Since(s.ckpt.lastBusy) < time.Second {
		mode = "PASSIVE"
	}
	s.checkpoint(mode, fi.Size())
}

// idleCheckpoint copies the WAL into the database once commits pause.
func (s *Store) idleCheckpoint() {
	if s.pg {
		return
	}
	if !s.ckpt.dirty {
		return
	}
	fi, err := os.Stat(s.walPath)
	if err != nil {
		return
	}
	mode := "PASSIVE"
	if fi.Size() > walLimitBytes {
		mode = "TRUNCATE"
	}
	s.checkpoint(mode, fi.Size())
}

// checkpoint runs PRAGMA wal_checkpoint(mode) on the writer's connection.
// RESTART and TRUNCATE wait for readers through the busy handler; that
// wait is cut to ckptBusyWait so a slow reader delays the next batch by
// no more than that.
func (s *Store) checkpoint(mode string, walSize int64) {
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		s.log.Warn("store: checkpoint: no connection", "err", err)
		return
	}
	defer conn.Close()
	wait := mode != "PASSIVE"
	if wait {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", ckptBusyWait.Milliseconds())); err != nil {
			s.log.Warn("store: checkpoint", "err", err)
			return
		}
		defer conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMillis))
	}
	start := time.Now()
	var busy, frames, copied int64
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &frames, &copied); err != nil {
		s.log.Warn("store: checkpoint failed", "mode", mode, "file", s.walPath, "err", s.describe(err))
		return
	}
	s.log.Debug("store: checkpoint", "mode", mode, "wal_bytes", walSize, "busy", busy, "frames", frames, "copied", copied, "took", time.Since(start))
	if busy == 0 && copied == frames {
		s.ckpt.dirty = false
		return
	}
	if mode != "PASSIVE" {
		s.ckpt.lastBusy = time.Now()
	}
	if mode != "PASSIVE" && time.Since(s.ckpt.lastWarn) > time.Minute {
		s.ckpt.lastWarn = time.Now()
		s.log.Warn("store: the WAL cannot be reset: a reader holds an old snapshot; retrying after the next batch",
			"file", s.walPath, "wal_bytes", walSize, "frames", frames, "copied", copied)
	}
}
