package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SystemKey returns the named system key, creating and storing it (wrapped
// by the master key) on first use.
func (s *Store) SystemKey(ctx context.Context, name string) ([]byte, error) {
	aadName := "system:" + name
	var wrapped []byte
	err := s.r.QueryRowContext(ctx, `SELECT wrapped_key FROM system_keys WHERE name = ?`, name).Scan(&wrapped)
	if err == nil {
		return s.crypto.Wrapper.Unwrap(wrapped, aadName)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: system key: %w", err)
	}
	dk, err := s.crypto.NewDataKey()
	if err != nil {
		return nil, err
	}
	if wrapped, err = s.crypto.Wrapper.Wrap(dk, aadName); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO system_keys(name, wrapped_key) VALUES(?, ?) ON CONFLICT DO NOTHING`, name, wrapped)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: system key: %w", err)
	}
	// Another process may have won the race; read back what is stored.
	if err := s.r.QueryRowContext(ctx, `SELECT wrapped_key FROM system_keys WHERE name = ?`, name).Scan(&wrapped); err != nil {
		return nil, fmt.Errorf("store: system key: %w", err)
	}
	return s.crypto.Wrapper.Unwrap(wrapped, aadName)
}

// RotateKeys re-wraps every data key and system key under next (SEC-1).
// The data itself is untouched: only the small wrapped keys change. It
// returns how many keys were re-wrapped.
func (s *Store) RotateKeys(ctx context.Context, next KeyWrapper) (int, error) {
	type row struct {
		table, id string
		wrapped   []byte
	}
	var rows []row
	for _, q := range []struct{ table, sql, prefix string }{
		{"subjects", `SELECT id, wrapped_key FROM subjects`, ""},
		{"system_keys", `SELECT name, wrapped_key FROM system_keys`, "system:"},
	} {
		rs, err := s.r.QueryContext(ctx, q.sql)
		if err != nil {
			return 0, fmt.Errorf("store: rotate: %w", err)
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.wrapped); err != nil {
				rs.Close()
				return 0, err
			}
			r.table = q.table
			dk, err := s.crypto.Wrapper.Unwrap(r.wrapped, q.prefix+r.id)
			if err != nil {
				rs.Close()
				return 0, fmt.Errorf("store: rotate: unwrap %s %s: %w", q.table, r.id, err)
			}
			if r.wrapped, err = next.Wrap(dk, q.prefix+r.id); err != nil {
				rs.Close()
				return 0, err
			}
			clear(dk)
			rows = append(rows, r)
		}
		rs.Close()
	}
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		for _, r := range rows {
			q := `UPDATE subjects SET wrapped_key = ? WHERE id = ?`
			if r.table == "system_keys" {
				q = `UPDATE system_keys SET wrapped_key = ? WHERE name = ?`
			}
			if _, err := tx.ExecContext(ctx, q, r.wrapped, r.id); err != nil {
				return fmt.Errorf("store: rotate: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.crypto.Wrapper = next
	s.dropAllKeys()
	return len(rows), nil
}

// SubjectCounts counts every row held about a subject.
type SubjectCounts struct {
	Exists                                                      bool
	Sessions, Messages, Consents, Contacts, Unanswered, Lookups int
}

// CountSubject reports what is held about a subject (for erasure checks).
func (s *Store) CountSubject(ctx context.Context, subject string) (SubjectCounts, error) {
	var c SubjectCounts
	var exists int
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM subjects WHERE id = ?1),
		(SELECT count(*) FROM sessions WHERE subject_id = ?1),
		(SELECT count(*) FROM messages WHERE subject_id = ?1),
		(SELECT count(*) FROM consents WHERE subject_id = ?1),
		(SELECT count(*) FROM contacts WHERE subject_id = ?1),
		(SELECT count(*) FROM unanswered WHERE subject_id = ?1),
		(SELECT count(*) FROM lookup WHERE subject_id = ?1)`, subject).
		Scan(&exists, &c.Sessions, &c.Messages, &c.Consents, &c.Contacts, &c.Unanswered, &c.Lookups)
	if err != nil {
		return c, fmt.Errorf("store: count subject: %w", err)
	}
	c.Exists = exists > 0
	return c, nil
}
