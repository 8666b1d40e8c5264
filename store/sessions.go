package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is one conversation. State is opaque to the store and sealed at rest.
type Session struct {
	ID        string
	SubjectID string
	TokenHash []byte // SHA-256 of the bearer token; the token itself is never stored
	Profile   string
	CreatedAt time.Time
	LastSeen  time.Time
	State     []byte
	TestRun   string // the test run that opened it (store/test_runs.go); empty for a customer
}

// Entry is one transcript line. Body is sealed at rest.
type Entry struct {
	ID     int64
	At     time.Time
	Sender string // "customer", "bot", "agent", "system"
	Body   []byte
}

func aad(kind, subject, id string) []byte { return []byte(kind + "\x00" + subject + "\x00" + id) }

// CreateSession stores a new session for a new subject with a fresh data key.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	dk, err := s.crypto.NewDataKey()
	if err != nil {
		return fmt.Errorf("store: data key: %w", err)
	}
	wrapped, err := s.crypto.Wrapper.Wrap(dk, sess.SubjectID)
	if err != nil {
		return fmt.Errorf("store: wrap key: %w", err)
	}
	c, err := s.crypto.NewCipher(dk)
	clear(dk)
	if err != nil {
		return fmt.Errorf("store: cipher: %w", err)
	}
	state := c.Seal(sess.State, aad("state", sess.SubjectID, sess.ID))
	err = s.write(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO subjects(id, wrapped_key, created_at) VALUES(?,?,?)`,
			sess.SubjectID, wrapped, unixMilli(sess.CreatedAt)); err != nil {
			return fmt.Errorf("store: insert subject: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions(id, token_hash, subject_id, profile, created_at, last_seen, state, test_run) VALUES(?,?,?,?,?,?,?,?)`,
			sess.ID, sess.TokenHash, sess.SubjectID, sess.Profile, unixMilli(sess.CreatedAt), unixMilli(sess.LastSeen), state,
			sql.NullString{String: sess.TestRun, Valid: sess.TestRun != ""})
		if err != nil {
			return fmt.Errorf("store: insert session: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.cacheKey(sess.SubjectID, c)
	return nil
}

// SessionByToken finds a session by the hash of its bearer token.
func (s *Store) SessionByToken(ctx context.Context, tokenHash []byte) (Session, error) {
	var sess Session
	var created, seen int64
	var state []byte
	err := s.r.QueryRowContext(ctx, `SELECT id, subject_id, profile, created_at, last_seen, state FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&sess.ID, &sess.SubjectID, &sess.Profile, &created, &seen, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	sess.TokenHash = tokenHash
	sess.CreatedAt, sess.LastSeen = fromMilli(created), fromMilli(seen)
	c, err := s.cipher(ctx, sess.SubjectID)
	if err != nil {
		return Session{}, err
	}
	if len(state) > 0 {
		if sess.State, err = c.Open(state, aad("state", sess.SubjectID, sess.ID)); err != nil {
			return Session{}, fmt.Errorf("store: session state: %w", err)
		}
	}
	return sess, nil
}

// Transcript returns a session's entries in order, decrypted. A row that
// cannot be decrypted is left out and named in the log (table and id), so
// one damaged row does not hide the rest of the conversation.
func (s *Store) Transcript(ctx context.Context, subject, session string) ([]Entry, error) {
	out, _, err := s.transcript(ctx, subject, session)
	return out, err
}

// transcript is Transcript that also returns the rows it left out.
func (s *Store) transcript(ctx context.Context, subject, session string) ([]Entry, []UnreadableRow, error) {
	c, err := s.cipher(ctx, subject)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, sender, body FROM messages WHERE session_id = ? AND subject_id = ? ORDER BY id`, session, subject)
	if err != nil {
		return nil, nil, fmt.Errorf("store: transcript: %w", err)
	}
	defer rows.Close()
	var out []Entry
	var bad []UnreadableRow
	for rows.Next() {
		var e Entry
		var at int64
		var body []byte
		if err := rows.Scan(&e.ID, &at, &e.Sender, &body); err != nil {
			return nil, nil, fmt.Errorf("store: transcript: %w", err)
		}
		e.At = fromMilli(at)
		if e.Body, err = c.Open(body, aad("msg", subject, session)); err != nil {
			bad = append(bad, s.unreadable("messages", e.ID, err))
			continue
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: transcript: %w", err)
	}
	return out, bad, nil
}

// cipher returns the subject's unwrapped data key, from cache or disk.
func (s *Store) cipher(ctx context.Context, subject string) (Cipher, error) {
	s.keyMu.Lock()
	c, ok := s.keys[subject]
	s.keyMu.Unlock()
	if ok {
		return c, nil
	}
	var wrapped []byte
	err := s.r.QueryRowContext(ctx, `SELECT wrapped_key FROM subjects WHERE id = ?`, subject).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrErased
	}
	if err != nil {
		return nil, fmt.Errorf("store: subject key: %w", err)
	}
	dk, err := s.crypto.Wrapper.Unwrap(wrapped, subject)
	if err != nil {
		return nil, fmt.Errorf("store: unwrap key: %w", err)
	}
	c, err = s.crypto.NewCipher(dk)
	clear(dk)
	if err != nil {
		return nil, fmt.Errorf("store: cipher: %w", err)
	}
	s.cacheKey(subject, c)
	return c, nil
}

func (s *Store) cacheKey(subject string, c Cipher) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if len(s.keys) >= maxCachedKeys {
		// Drop an arbitrary entry; keys are cheap to unwrap again.
		for k := range s.keys {
			delete(s.keys, k)
			break
		}
	}
	s.keys[subject] = c
}

func (s *Store) forgetKey(subject string) {
	s.keyMu.Lock()
	delete(s.keys, subject)
	s.keyMu.Unlock()
}
