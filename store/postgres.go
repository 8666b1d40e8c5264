package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver for database/sql
)

// PostgreSQL serves several deskbot instances from one database. What
// reaches it is what SQLite holds: sealed blobs, hashes and ids, never
// personal data in clear (SEC-1); encryption stays above the store API.
// Each instance keeps its own writer and batches (one transaction per
// batch, answered only after it commits); PostgreSQL's own durability
// replaces the SQLite commit mark, and advisory locks serialise what must
// be done once across instances: migrations and audit-chain appends.

// ErrPostgresBackup: a PostgreSQL database is backed up with its own tools.
var ErrPostgresBackup = errors.New("a PostgreSQL database is backed up with pg_dump (README: Several instances), not deskbot backup")

// Advisory lock keys (pg_advisory_xact_lock / pg_try_advisory_lock); one
// number per kind of work, shared by every instance on the database.
const (
	lockMigrate int64 = 0x6465736b_0001 // "desk" 1: schema migrations
	lockAudit   int64 = 0x6465736b_0002 // audit chain tail
	// Keys from here on are once-per-cluster jobs (RunOnce).
	lockJobs int64 = 0x6465736b_0100
)

// defaultPGReadConns bounds the read connections of one instance to
// PostgreSQL (writes go through one connection per instance, in batches).
const defaultPGReadConns = 8

// RedactURL returns a database URL without its password, for logs and
// errors.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func openPostgres(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	where := RedactURL(dsn)
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	// One writer connection per instance: batches stay one transaction
	// each, in order, as with SQLite.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(5 * time.Minute)
	r, err := sql.Open("pgx", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	r.SetMaxOpenConns(defaultPGReadConns)
	r.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.PingContext(pctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s: %w", where, err)
	}
	s := &Store{
		w: &DB{DB: w, pg: true}, r: &DB{DB: r, pg: true}, crypto: opts.Crypto, log: opts.Logger,
		queue: make(chan *writeOp, 4096),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
		maxB:  opts.MaxBatch,
		keys:  make(map[string]Cipher),
		path:  where,
		sync:  opts.Sync,
		pg:    true,
		// No WAL to checkpoint; the timer only wakes the writer.
		idleAfter: idleCheckpointAfter,
	}
	s.ledger = opts.ErasureLedger
	if err := migrate(ctx, s.w, opts.Logger); err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	s.log.Debug("store: opened", "database", where)
	go s.writer()
	return s, nil
}

// Postgres reports whether the store is a PostgreSQL database.
func (s *Store) Postgres() bool { return s.pg }

// RunOnce runs fn, the job named job that is due every period, unless it
// already ran less than a period ago (recorded in job_runs) or another
// instance on the same PostgreSQL database is running it now (a session
// advisory lock held while fn runs); it reports whether fn ran. Jobs such
// as the retention purge and scheduled backups use it so that a cluster of
// instances runs each once per period, not once per instance. On SQLite,
// which one process owns, only the record counts.
func (s *Store) RunOnce(ctx context.Context, job string, period time.Duration, now time.Time, fn func(context.Context) error) (bool, error) {
	if s.pg {
		conn, err := s.r.Conn(ctx)
		if err != nil {
			return false, fmt.Errorf("store: job %s: %w", job, err)
		}
		defer conn.Close()
		key := lockJobs + int64(jobKey(job))
		var got bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
			return false, fmt.Errorf("store: job %s: lock: %w", job, err)
		}
		if !got {
			return false, nil
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
	}
	var last int64
	err := s.r.QueryRowContext(ctx, `SELECT last_run FROM job_runs WHERE name = ?`, job).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: job %s: %w", job, err)
	}
	// A little slack: instances whose timers fire a moment apart still
	// count as the same period.
	if err == nil && now.Sub(fromMilli(last)) < period-period/10 {
		return false, nil
	}
	if err := fn(ctx); err != nil {
		return true, err
	}
	return true, s.write(ctx, func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO job_runs(name, last_run) VALUES(?, ?)
			ON CONFLICT(name) DO UPDATE SET last_run = excluded.last_run`, job, unixMilli(now))
		return err
	})
}

// jobKey numbers a job name for its advisory lock.
func jobKey(job string) uint16 {
	h := fnv.New32a()
	h.Write([]byte(job))
	return uint16(h.Sum32())
}

// schemaJobRuns records when each once-per-period job last ran, so that
// several instances on one database run it once.
const schemaJobRuns = `CREATE TABLE job_runs (
	name TEXT PRIMARY KEY,
	last_run INTEGER NOT NULL
);`

// VerifyAuditURL checks the audit chain of a PostgreSQL database without
// any key, as VerifyAuditFile does for a SQLite file (AUD-1).
func VerifyAuditURL(ctx context.Context, dsn string) (int, error) {
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		return 0, fmt.Errorf("store: %s: %w", RedactURL(dsn), err)
	}
	defer raw.Close()
	db := &DB{DB: raw, pg: true}
	var have bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('audit') IS NOT NULL`).Scan(&have); err != nil {
		return 0, fmt.Errorf("store: cannot reach PostgreSQL at %s: %w", RedactURL(dsn), err)
	}
	if !have {
		return 0, fmt.Errorf("store: %s has no audit log; is it a deskbot database?", RedactURL(dsn))
	}
	return verifyChain(ctx, db)
}
