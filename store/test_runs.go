package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"deskbot/compliance"
)

// Test runs. `deskbot test` and `deskbot record` against a live server
// open a test run through the admin API. Sessions opened with the admin
// token under that run are marked with its id (sessions.test_run), test
// agents created for it carry it too (agents.test_run). Ending the run
// erases them all: each test customer's rows and data key are deleted
// (crypto-shredding), the test agents and their log-ins removed, and one
// audit record says how many, without any content (EventTestCleanup). A
// run that never ends (a crashed test) is ended by the retention purge
// once it is older than TestRunMaxAge.

// EventTestCleanup is the audit event of a test run's erasure.
const EventTestCleanup = "test_cleanup"

// TestRunMaxAge is how long a test run may live before the retention
// purge ends it.
const TestRunMaxAge = time.Hour

// ErrNoTestRun means the test run is unknown (never opened, or ended).
var ErrNoTestRun = errors.New("no such test run")

const schemaTestRuns = `CREATE TABLE test_runs (
	id TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
);
ALTER TABLE sessions ADD COLUMN test_run TEXT;
ALTER TABLE agents ADD COLUMN test_run TEXT;
CREATE INDEX sessions_test_run ON sessions(test_run) WHERE test_run IS NOT NULL;`

// testSubjects is the SQL set of subjects whose sessions belong to a test run.
const testSubjects = `(SELECT subject_id FROM sessions WHERE test_run IS NOT NULL)`

// TestRunCounts says what ending a test run erased.
type TestRunCounts struct {
	Sessions, Subjects, Messages, Consents, Contacts, Unanswered, LeftMessages, Agents int64
}

func (n TestRunCounts) detail(run string) string {
	return fmt.Sprintf("run=%s sessions=%d subjects=%d messages=%d consents=%d contacts=%d unanswered=%d left_messages=%d agents=%d",
		run, n.Sessions, n.Subjects, n.Messages, n.Consents, n.Contacts, n.Unanswered, n.LeftMessages, n.Agents)
}

// CreateTestRun records a new test run.
func (s *Store) CreateTestRun(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO test_runs(id, created_at) VALUES(?, ?)`, id, unixMilli(at)); err != nil {
			return fmt.Errorf("store: test run: %w", err)
		}
		return nil
	})
}

// TestRunExists reports whether a test run is open.
func (s *Store) TestRunExists(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM test_runs WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: test run: %w", err)
	}
	return n == 1, nil
}

// CreateTestAgent stores an agent account belonging to an open test run.
// It is left out of Agents (the roster) and removed when the run ends.
func (s *Store) CreateTestAgent(ctx context.Context, run string, a Agent) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM test_runs WHERE id = ?`, run).Scan(&n); err != nil {
			return fmt.Errorf("store: test agent: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("store: test run %q: %w", run, ErrNoTestRun)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO agents(name, display_name, password_hash, created_at, disabled, test_run) VALUES(?,?,?,?,0,?)`,
			a.Name, a.DisplayName, a.PasswordHash, unixMilli(a.CreatedAt), run)
		if err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("store: agent %q: %w", a.Name, ErrExists)
			}
			return fmt.Errorf("store: test agent: %w", err)
		}
		return nil
	})
}

// AgentTestRun returns the test run an agent account belongs to, "" for
// a real account (or ErrNotFound).
func (s *Store) AgentTestRun(ctx context.Context, name string) (string, error) {
	var run sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT test_run FROM agents WHERE name = ?`, name).Scan(&run)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: agent: %w", err)
	}
	return run.String, nil
}

// SubjectTestRun returns the test run whose session holds the subject
// ("" for a real customer) and whether the subject still exists (its data
// key is stored; an erased or purged subject has nothing left to read).
func (s *Store) SubjectTestRun(ctx context.Context, subject string) (run string, exists bool, err error) {
	var n int
	var r sql.NullString
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM subjects WHERE id = ?),
		(SELECT test_run FROM sessions WHERE subject_id = ? AND test_run IS NOT NULL LIMIT 1)`, subject, subject).Scan(&n, &r)
	if err != nil {
		return "", false, fmt.Errorf("store: subject: %w", err)
	}
	return r.String, n > 0, nil
}

// EndTestRun erases everything of a test run in one transaction and
// audits it as EventTestCleanup with counts only. ErrNoTestRun if the run
// is unknown.
func (s *Store) EndTestRun(ctx context.Context, run, actor string, at time.Time) (TestRunCounts, error) {
	var n TestRunCounts
	var subjects []string
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		n, subjects = TestRunCounts{}, nil
		res, err := tx.ExecContext(ctx, `DELETE FROM test_runs WHERE id = ?`, run)
		if err != nil {
			return fmt.Errorf("store: end test run: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return fmt.Errorf("store: test run %q: %w", run, ErrNoTestRun)
		}
		subjects, err = queryStrings(ctx, tx, `SELECT DISTINCT subject_id FROM sessions WHERE test_run = ?`, run)
		if err != nil {
			return fmt.Errorf("store: end test run: %w", err)
		}
		for _, subject := range subjects {
			for _, q := range []struct {
				sql string
				n   *int64
			}{
				{`DELETE FROM messages WHERE subject_id = ?`, &n.Messages},
				{`DELETE FROM offline_messages WHERE subject_id = ?`, &n.LeftMessages},
				{`DELETE FROM consents WHERE subject_id = ?`, &n.Consents},
				{`DELETE FROM contacts WHERE subject_id = ?`, &n.Contacts},
				{`DELETE FROM unanswered WHERE subject_id = ?`, &n.Unanswered},
				{`DELETE FROM lookup WHERE subject_id = ?`, nil},
				{`DELETE FROM sessions WHERE subject_id = ?`, &n.Sessions},
				{`DELETE FROM subjects WHERE id = ?`, &n.Subjects},
			} {
				res, err := tx.ExecContext(ctx, q.sql, subject)
				if err != nil {
					return fmt.Errorf("store: end test run: %w", err)
				}
				if q.n != nil {
					k, _ := res.RowsAffected()
					*q.n += k
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_sessions WHERE agent IN (SELECT name FROM agents WHERE test_run = ?)`, run); err != nil {
			return fmt.Errorf("store: end test run: %w", err)
		}
		if res, err = tx.ExecContext(ctx, `DELETE FROM agents WHERE test_run = ?`, run); err != nil {
			return fmt.Errorf("store: end test run: %w", err)
		}
		n.Agents, _ = res.RowsAffected()
		return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: EventTestCleanup, Actor: actor, Detail: n.detail(run)})
	})
	if err != nil {
		return n, err
	}
	for _, subject := range subjects {
		s.forgetKey(subject)
	}
	return n, nil
}

// EndStaleTestRuns ends the test runs opened before now-TestRunMaxAge (a
// test that crashed before its clean-up) and returns how many it ended.
func (s *Store) EndStaleTestRuns(ctx context.Context, now time.Time) (int, error) {
	ids, err := queryStrings(ctx, s.r, `SELECT id FROM test_runs WHERE created_at < ?`, unixMilli(now.Add(-TestRunMaxAge)))
	if err != nil {
		return 0, fmt.Errorf("store: test runs: %w", err)
	}
	ended := 0
	for _, id := range ids {
		if _, err := s.EndTestRun(ctx, id, "system", now); err != nil && !errors.Is(err, ErrNoTestRun) {
			return ended, err
		}
		ended++
	}
	return ended, nil
}
