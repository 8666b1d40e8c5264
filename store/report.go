package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"deskbot/compliance"
)

// Stats are the counts a compliance report shows.
type Stats struct {
	Subjects, Sessions, Messages, Contacts int
	Consents                               map[string]int // by decision
	Requests                               map[string]int // by kind (erasure, export)
	AuditRecords                           int
	Oldest                                 time.Time // oldest stored message
}

// Stats counts what is held, for `deskbot report`.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Consents: map[string]int{}, Requests: map[string]int{}}
	var oldest sql.NullInt64
	// Test sessions of a test run (store/test_runs.go) are not counted.
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM subjects WHERE id NOT IN `+testSubjects+`),
		(SELECT count(*) FROM sessions WHERE test_run IS NULL),
		(SELECT count(*) FROM messages WHERE subject_id NOT IN `+testSubjects+`),
		(SELECT count(*) FROM contacts WHERE subject_id NOT IN `+testSubjects+`), (SELECT count(*) FROM audit),
		(SELECT min(at) FROM messages WHERE subject_id NOT IN `+testSubjects+`)`).Scan(&st.Subjects, &st.Sessions, &st.Messages, &st.Contacts, &st.AuditRecords, &oldest)
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	if oldest.Valid {
		st.Oldest = fromMilli(oldest.Int64)
	}
	for _, q := range []struct {
		sql string
		m   map[string]int
	}{
		{`SELECT decision, count(*) FROM consents WHERE subject_id NOT IN ` + testSubjects + ` GROUP BY decision`, st.Consents},
		{`SELECT kind, count(*) FROM requests GROUP BY kind`, st.Requests},
	} {
		rows, err := s.r.QueryContext(ctx, q.sql)
		if err != nil {
			return st, fmt.Errorf("store: stats: %w", err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return st, err
			}
			q.m[k] = n
		}
		rows.Close()
	}
	return st, nil
}

// UnansweredQuestions returns the most recent redacted questions the
// knowledge base could not answer, newest first, so the owner sees which
// articles are missing.
func (s *Store) UnansweredQuestions(ctx context.Context, limit int) ([]string, error) {
	rs, err := s.ReviewQuestions(ctx, time.Time{}, limit)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rs {
		if r.Article == "" {
			out = append(out, r.Question)
		}
	}
	return out, nil
}

// ReviewQuestion is one entry of the owner's review list: a question the
// knowledge base missed (Article empty) or one whose suggested article the
// customer picked (Article set).
type ReviewQuestion struct {
	At       time.Time
	Question string // redacted
	Article  string
}

// ReviewQuestions returns review entries recorded at or after since,
// newest first, at most limit (0: no limit). Entries of customers erased
// meanwhile are skipped, and so are those of test runs.
func (s *Store) ReviewQuestions(ctx context.Context, since time.Time, limit int) ([]ReviewQuestion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, subject_id, at, body, article FROM unanswered WHERE at >= ? AND subject_id NOT IN `+testSubjects+` ORDER BY id DESC LIMIT ?`, unixMilli(since), noLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: unanswered: %w", err)
	}
	type row struct {
		subject, article string
		id, at           int64
		body             []byte
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.subject, &r.at, &r.body, &r.article); err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unanswered: %w", err)
	}
	var out []ReviewQuestion
	for _, r := range rs {
		c, err := s.cipher(ctx, r.subject)
		if err != nil {
			continue // erased meanwhile
		}
		q, err := c.Open(r.body, aad("unanswered", r.subject, ""))
		if err != nil {
			s.unreadable("unanswered", r.id, err)
			continue
		}
		out = append(out, ReviewQuestion{At: time.UnixMilli(r.at), Question: string(q), Article: r.article})
	}
	return out, nil
}

// VerifyAuditFile checks the audit chain of a database file without any
// key: the chain needs none, so an auditor can run it on a copy (AUD-1).
func VerifyAuditFile(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'audit'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: %s is not a deskbot database: %w", path, err)
	}
	if n == 0 {
		return 0, fmt.Errorf("store: %s has no audit log", path)
	}
	// The commit mark is read before the chain: records acknowledged but
	// lost with the WAL leave no broken link, only a shorter chain (H4).
	sdb := &DB{DB: db}
	derr := checkDurability(ctx, sdb, path, MarkPath(path))
	verified, err := verifyChain(ctx, sdb)
	if err != nil {
		return verified, err
	}
	return verified, derr
}

// verifyAudit verifies the chain and then reports a loss of acknowledged
// records recorded at a start (durability.go), so `deskbot report` and
// the admin API say so too.
func verifyAudit(ctx context.Context, db *DB) (int, error) {
	n, err := verifyChain(ctx, db)
	if err != nil {
		return n, err
	}
	return n, checkDurability(ctx, db, "database", "")
}

func verifyChain(ctx context.Context, db *DB) (int, error) { return verifyChainIn(ctx, db, db.pg) }

// chainReader is what verifying the chain reads through: a pool, or the
// transaction of a copy that is checked before it commits.
type chainReader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func verifyChainIn(ctx context.Context, db chainReader, pg bool) (int, error) {
	anchorSeq, anchorHash := int64(0), compliance.GenesisHash
	err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_anchor WHERE id = 1`).Scan(&anchorSeq, &anchorHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: audit anchor: %w", err)
	}
	order := "rowid" // insertion order: a reused seq shows as a break
	if pg {
		order = "seq"
	}
	rows, err := db.QueryContext(ctx, `SELECT seq, at, event, subject, actor, detail, prev_hash, hash FROM audit ORDER BY `+order)
	if err != nil {
		return 0, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	return compliance.VerifyChainFrom(anchorSeq, anchorHash, func() (compliance.AuditRecord, bool, error) {
		if !rows.Next() {
			return compliance.AuditRecord{}, false, rows.Err()
		}
		r, err := scanAudit(rows)
		return r, err == nil, err
	})
}
