// Package store persists sessions, transcripts and compliance records in an
// on-disk SQLite database, or in PostgreSQL when a database URL is given
// (dialect.go lets one SQL serve both). Every row that could hold personal
// data goes through one write path that seals it with the subject's data key
// first (SEC-1), so nothing is written in clear, not even to the WAL.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite driver
)

// Sentinel errors.
var (
	ErrNotFound = errors.New("not found")
	ErrClosed   = errors.New("store closed")
	// ErrErased means the subject's data key is gone (crypto-shredded, DSR-4).
	ErrErased = errors.New("subject erased")
	// ErrInvalidSync refuses a synchronous mode other than full or normal.
	ErrInvalidSync = errors.New("invalid store.sync")
	// ErrCorrupt means SQLite found the database file damaged; the error
	// names the file and the restore procedure.
	ErrCorrupt = errors.New("database file is damaged")
	// ErrAcknowledgedMissing means writes that were acknowledged (committed,
	// and the commit mark says so) are no longer in the database: the WAL
	// that held them was lost or damaged.
	ErrAcknowledgedMissing = errors.New("acknowledged records missing")
)

// Synchronous modes (store.sync).
const (
	// SyncFull: every commit reaches the disk (fsync of the WAL) before
	// its writers are answered; survives a power loss or kernel crash.
	SyncFull = "full"
	// SyncNormal: a commit survives a process crash (kill -9), not a power
	// loss: the WAL is synced only at checkpoints.
	SyncNormal = "normal"
)

// KeyWrapper wraps per-subject data keys under the master key.
type KeyWrapper interface {
	Wrap(dataKey []byte, subject string) ([]byte, error)
	Unwrap(wrapped []byte, subject string) ([]byte, error)
}

// Cipher seals and opens blobs with one data key (AES-256-GCM in production).
type Cipher interface {
	Seal(plaintext, aad []byte) []byte
	Open(blob, aad []byte) ([]byte, error)
}

// Crypto bundles what the store needs to encrypt at rest.
type Crypto struct {
	Wrapper    KeyWrapper
	NewCipher  func(dataKey []byte) (Cipher, error)
	NewDataKey func() ([]byte, error)
}

// Options configure Open.
type Options struct {
	Crypto Crypto
	Logger *slog.Logger
	// MaxBatch bounds how many queued writes share one commit.
	MaxBatch int
	// Sync is SyncFull (default when empty) or SyncNormal.
	Sync string
	// ErasureLedger is the file every erasure is also appended to, kept
	// out of backups so a restore can erase again (ledger.go); empty: none.
	ErasureLedger string

	// idleAfter replaces idleCheckpointAfter (tests that need the WAL to
	// keep its frames set it through export_test.go).
	idleAfter time.Duration
}

// Store is safe for concurrent use.
type Store struct {
	w, r    *DB
	crypto  Crypto
	log     *slog.Logger
	queue   chan *writeOp
	stop    chan struct{}
	done    chan struct{}
	closeMu sync.RWMutex
	closed  bool
	maxB    int
	path    string
	walPath string
	sync    string
	ledger  string
	pg      bool // PostgreSQL (postgres.go) rather than a SQLite file
	// idleAfter: how long commits pause before the WAL is checkpointed.
	idleAfter time.Duration

	limitMu  sync.Mutex
	limitKey []byte // hashes limit keys (limits.go); loaded on first use

	// Owned by the writer goroutine.
	mark     *commitMark
	ckpt     walState
	openLoss *Loss // set by Open

	observer commitObserver // metrics of each batch (observe.go)

	keyMu sync.Mutex
	keys  map[string]Cipher // unwrapped data keys by subject; bounded
}

type writeOp struct {
	fn   func(ctx context.Context, tx *Tx) error
	done chan error
}

const maxCachedKeys = 100_000

// Open opens (creating if needed) the database at path.
//
// A path that is a postgres:// or postgresql:// URL opens that PostgreSQL
// database instead (postgres.go).
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if IsDatabaseURL(path) {
		return openPostgres(ctx, path, opts)
	}
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// WAL mode. synchronous=FULL (default) syncs the WAL at every commit,
	// so an acknowledged write survives a power loss; the writer commits
	// many turns per transaction, so that is one fsync per batch. NORMAL
	// survives a process kill only. secure_delete overwrites erased rows;
	// temp_store=MEMORY keeps sorter spills out of temp files.
	// Automatic checkpoints are off: the writer goroutine runs them
	// between batches (wal.go), where no writer can starve them, and
	// journal_size_limit shrinks the WAL file back after each reset.
	dsn := "file:" + filepath.ToSlash(path) + "?_pragma=journal_mode(WAL)&_pragma=synchronous(" + strings.ToUpper(opts.Sync) + ")&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=secure_delete(1)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(0)" +
		fmt.Sprintf("&_pragma=journal_size_limit(%d)", walLimitBytes)
	// Create the file 0600 before SQLite opens it: SQLite gives the WAL
	// and shared-memory files the database file's mode.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			opts.Logger.Warn("store: cannot restrict file mode", "file", p, "err", err)
		}
	}
	if fi, err := os.Stat(filepath.Dir(path)); err == nil && fi.Mode().Perm()&0o077 != 0 {
		opts.Logger.Warn("store: the data directory is readable by other users; restrict it to the service account (chmod 700)", "dir", filepath.Dir(path))
	}
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open: %w", err)
	}
	r.SetMaxOpenConns(4)
	s := &Store{
		w: &DB{DB: w}, r: &DB{DB: r}, crypto: opts.Crypto, log: opts.Logger,
		queue: make(chan *writeOp, 4096),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
		maxB:  opts.MaxBatch,
		keys:  make(map[string]Cipher),
		path:  path,
		sync:  opts.Sync,
	}
	s.idleAfter = idleCheckpointAfter
	if opts.idleAfter > 0 {
		s.idleAfter = opts.idleAfter
	}
	s.ledger = opts.ErasureLedger
	s.walPath = path + "-wal"
	fail := func(err error) (*Store, error) {
		if s.mark != nil {
			s.mark.close()
		}
		w.Close()
		r.Close()
		return nil, s.describe(err)
	}
	if err := migrate(ctx, s.w, opts.Logger); err != nil {
		return fail(err)
	}
	// Compare the commit mark with the database and report lost
	// acknowledged records (durability.go).
	if err := s.openDurability(ctx); err != nil {
		return fail(err)
	}
	if s.sync == SyncNormal {
		s.log.Warn("store: store.sync=normal: a commit survives a process crash, not a power loss", "file", path)
	} else {
		s.log.Debug("store: opened", "file", path, "sync", s.sync)
	}
	go s.writer()
	return s, nil
}

// Synchronous returns the writer connection's PRAGMA synchronous (1
// NORMAL, 2 FULL).
func (s *Store) Synchronous(ctx context.Context) (string, error) {
	var v string
	if s.pg {
		if err := s.w.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&v); err != nil {
			return "", fmt.Errorf("store: %w", err)
		}
		return "synchronous_commit=" + v, nil
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&v); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	return v, nil
}

// Close flushes queued writes, checkpoints the WAL and closes the database.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	s.closeMu.Unlock()
	<-s.done
	var err error
	if s.pg {
		err = errors.Join(s.r.Close(), s.w.Close())
	} else {
		_, cerr := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		err = errors.Join(s.describe(cerr), s.r.Close(), s.w.Close(), s.mark.close())
	}
	if err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// write queues fn to run in the shared batch transaction and waits for the commit.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	op := &writeOp{fn: fn, done: make(chan error, 1)}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	select {
	case s.queue <- op:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return ctx.Err()
	}
	s.closeMu.RUnlock()
	// Once queued the write will be committed or fail; wait for that even if
	// ctx ends, so callers never report a write that might still land.
	return <-op.done
}

// writer commits queued operations in batches: one fsync for many
// messages. Between batches it keeps the WAL bounded (wal.go).
func (s *Store) writer() {
	defer close(s.done)
	batch := make([]*writeOp, 0, s.maxB)
	idle := time.NewTimer(s.idleAfter)
	defer idle.Stop()
	for {
		batch = batch[:0]
		select {
		case op := <-s.queue:
			batch = append(batch, op)
		case <-idle.C:
			// Quiet: move what the WAL holds into the database, so damage
			// to the WAL later cannot take it.
			s.idleCheckpoint()
			idle.Reset(s.idleAfter)
			continue
		case <-s.stop:
			// Drain what was queued before Close.
			for {
				select {
				case op := <-s.queue:
					s.commit([]*writeOp{op}, time.Now())
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < s.maxB {
			select {
			case op := <-s.queue:
				batch = append(batch, op)
			default:
				break fill
			}
		}
		s.commit(batch, time.Now())
		s.maybeCheckpoint()
		idle.Reset(s.idleAfter)
	}
}

func (s *Store) commit(batch []*writeOp, start time.Time) {
	// Optimistically run the whole batch in one transaction; only if an
	// operation fails is the batch replayed one transaction per operation,
	// so one bad write never sinks the others. The commit mark is written
	// (and synced under FULL) before anyone is answered, so every
	// acknowledged write is counted outside the WAL.
	errs := make([]error, len(batch))
	if err := s.runTx(batch); err == nil || len(batch) == 1 {
		for i := range errs {
			errs[i] = err
		}
	} else {
		for i, op := range batch {
			errs[i] = s.runTx([]*writeOp{op})
		}
	}
	s.writeMark()
	// Reported before anyone is answered, so an observer sees every batch
	// whose writers it saw return.
	s.observeCommit(len(batch), start)
	for i, op := range batch {
		op.done <- errs[i]
	}
}

func (s *Store) runTx(ops []*writeOp) error {
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", s.describe(err))
	}
	for _, op := range ops {
		if err := op.fn(ctx, tx); err != nil {
			tx.Rollback()
			return s.describe(err)
		}
	}
	if s.pg {
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: commit: %w", err)
		}
		return nil
	}
	// Count the acknowledged writes in the same transaction (durability.go).
	m, err := bumpCommitCount(ctx, tx, len(ops))
	if err != nil {
		tx.Rollback()
		return s.describe(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", s.describe(err))
	}
	s.ckpt.dirty = true
	s.mark.pending = m
	return nil
}

// NewID returns a random identifier of n bytes, hex encoded.
func NewID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%x", b)
}

func unixMilli(t time.Time) int64 { return t.UTC().UnixMilli() }

func fromMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// queryer is what queryStrings needs: the store's connections and a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings runs query, which selects one text column, and returns its
// values in order.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// checkOptions refuses options that would store anything unencrypted and
// fills in defaults.
func checkOptions(opts *Options) error {
	if opts.Crypto.Wrapper == nil || opts.Crypto.NewCipher == nil || opts.Crypto.NewDataKey == nil {
		return errors.New("store: crypto is required: nothing is stored unencrypted")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 512
	}
	switch opts.Sync {
	case "":
		opts.Sync = SyncFull
	case SyncFull, SyncNormal:
	default:
		return fmt.Errorf("store: %w: %q: must be %q or %q", ErrInvalidSync, opts.Sync, SyncFull, SyncNormal)
	}
	return nil
}
