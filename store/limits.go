package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Shared rate limits (SEC-2, F5). With several instances on one
// PostgreSQL database, the allowances for new sessions and agent log-ins
// per client address must hold for the cluster, not once per instance:
// the state of each limit key lives in the rate_limits table and is
// changed in one transaction that locks the key's row. The policy (token
// bucket, failure backoff) stays with the caller; the store only reads,
// hands over and writes back the state.
//
// A key holds a client address, which is personal data: the table keeps
// only its HMAC under a system key, so the database sees no address.

// LimitState is the shared state of one limit key. A key never seen (or
// forgotten by PruneLimits) has the zero state.
type LimitState struct {
	Count int64     // the caller's counter: failures, or thousandths of a token
	Next  time.Time // the caller's "not before" time; zero when none
	Last  time.Time // when the key was last changed; zero when new
}

const schemaRateLimits = `CREATE TABLE rate_limits (
	k TEXT PRIMARY KEY,
	n INTEGER NOT NULL,
	next_at INTEGER NOT NULL,
	last_at INTEGER NOT NULL
);
CREATE INDEX rate_limits_last ON rate_limits(last_at);`

// limitKeyName is the system key the limit keys are hashed with.
const limitKeyName = "rate_limits"

// UpdateLimits passes the current state of keys to fn, in the order given,
// and stores what fn leaves in it, all in one transaction that holds the
// keys' rows: instances sharing the database see each other's changes and
// never interleave. If fn returns an error nothing is stored.
func (s *Store) UpdateLimits(ctx context.Context, keys []string, fn func(states []LimitState) error) error {
	hk, err := s.limitHashes(ctx, keys)
	if err != nil {
		return err
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: limits: %w", err)
	}
	defer tx.Rollback()
	states := make([]LimitState, len(keys))
	// Rows are locked in one order (sorted hashes) by every instance, so
	// two updates of the same keys cannot deadlock.
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(hk[a], hk[b]) })
	for _, i := range order {
		var count, next, last int64
		// The no-op update takes the row's lock and returns its values; a
		// new key is inserted with the zero state.
		err := tx.QueryRowContext(ctx, `INSERT INTO rate_limits(k, n, next_at, last_at) VALUES(?, 0, 0, 0)
			ON CONFLICT(k) DO UPDATE SET k = excluded.k RETURNING n, next_at, last_at`, hk[i]).Scan(&count, &next, &last)
		if err != nil {
			return fmt.Errorf("store: limits: %w", err)
		}
		states[i] = LimitState{Count: count, Next: fromMilliZero(next), Last: fromMilliZero(last)}
	}
	if err := fn(states); err != nil {
		return err
	}
	for _, i := range order {
		st := states[i]
		if _, err := tx.ExecContext(ctx, `UPDATE rate_limits SET n = ?, next_at = ?, last_at = ? WHERE k = ?`,
			st.Count, milliZero(st.Next), milliZero(st.Last), hk[i]); err != nil {
			return fmt.Errorf("store: limits: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: limits: %w", err)
	}
	return nil
}

// PruneLimits forgets keys not changed since before; it returns how many.
func (s *Store) PruneLimits(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.r.ExecContext(ctx, `DELETE FROM rate_limits WHERE last_at < ?`, unixMilli(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune limits: %w", err)
	}
	return res.RowsAffected()
}

// limitHashes returns the keyed hashes under which keys are stored.
func (s *Store) limitHashes(ctx context.Context, keys []string) ([]string, error) {
	s.limitMu.Lock()
	k := s.limitKey
	s.limitMu.Unlock()
	if k == nil {
		var err error
		if k, err = s.SystemKey(ctx, limitKeyName); err != nil {
			return nil, fmt.Errorf("store: limits: %w", err)
		}
		s.limitMu.Lock()
		s.limitKey = k
		s.limitMu.Unlock()
	}
	out := make([]string, len(keys))
	for i, key := range keys {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(key))
		out[i] = hex.EncodeToString(m.Sum(nil)[:16])
	}
	return out, nil
}

func milliZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return unixMilli(t)
}

func fromMilliZero(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return fromMilli(ms)
}
