package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"deskbot/compliance"
)

// SubjectData is everything held about one subject, decrypted (DSR-1, DSR-2).
type SubjectData struct {
	Subject      string
	Sessions     []Session
	Transcripts  map[string][]Entry // by session id
	Consents     []compliance.ConsentRecord
	Contacts     [][]byte
	Unanswered   []string
	LeftMessages []OfflineMessage // messages left for the team while nobody was available
	Notes        []Note           // agents' private notes on the conversations (notes.go)
	// Unreadable lists rows that could not be decrypted and are left out;
	// everything else is still exported.
	Unreadable []UnreadableRow
	// Rescrubbed are the times a withdrawal of consent re-redacted the
	// subject's stored text (CONS-5), from the audit log.
	Rescrubbed []time.Time
}

// Export gathers a subject's data. It reads everything the erase below
// deletes. A row that cannot be decrypted does not fail the export: it is
// listed in Unreadable and named in the log.
func (s *Store) Export(ctx context.Context, subject string) (SubjectData, error) {
	d := SubjectData{Subject: subject, Transcripts: map[string][]Entry{}}
	// The data key may still be cached here after another process (the
	// `deskbot privacy erase` command) erased the subject: ask the database,
	// not the cache, so an erased subject is answered as erased (DSR-4).
	if err := s.subjectExists(ctx, subject); err != nil {
		return d, err
	}
	c, err := s.cipher(ctx, subject)
	if err != nil {
		return d, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, profile, created_at, last_seen FROM sessions WHERE subject_id = ? ORDER BY created_at`, subject)
	if err != nil {
		return d, fmt.Errorf("store: export sessions: %w", err)
	}
	for rows.Next() {
		var ss Session
		var created, seen int64
		if err := rows.Scan(&ss.ID, &ss.Profile, &created, &seen); err != nil {
			rows.Close()
			return d, fmt.Errorf("store: export sessions: %w", err)
		}
		ss.SubjectID, ss.CreatedAt, ss.LastSeen = subject, fromMilli(created), fromMilli(seen)
		d.Sessions = append(d.Sessions, ss)
	}
	rows.Close()
	for _, ss := range d.Sessions {
		tr, bad, err := s.transcript(ctx, subject, ss.ID)
		if err != nil {
			return d, err
		}
		d.Transcripts[ss.ID] = tr
		d.Unreadable = append(d.Unreadable, bad...)
	}
	if d.Consents, err = s.Consents(ctx, subject); err != nil {
		return d, err
	}
	type sealed struct {
		id                 int64
		session, handledBy string
		at, handled        int64
		body               []byte
	}
	read := func(table, q, kind string) ([]sealed, error) {
		rows, err := s.r.QueryContext(ctx, q, subject)
		if err != nil {
			return nil, fmt.Errorf("store: export %s: %w", table, err)
		}
		defer rows.Close()
		var out []sealed
		for rows.Next() {
			var r sealed
			var b []byte
			if err := rows.Scan(&r.id, &r.session, &r.at, &r.handled, &r.handledBy, &b); err != nil {
				return nil, fmt.Errorf("store: export %s: %w", table, err)
			}
			sess := r.session
			if kind != "offline" {
				sess = ""
			}
			p, err := c.Open(b, aad(kind, subject, sess))
			if err != nil {
				d.Unreadable = append(d.Unreadable, s.unreadable(table, r.id, err))
				continue
			}
			r.body = p
			out = append(out, r)
		}
		return out, rows.Err()
	}
	cs, err := read("contacts", `SELECT id, '', at, 0, '', body FROM contacts WHERE subject_id = ? ORDER BY id`, "contact")
	if err != nil {
		return d, err
	}
	for _, r := range cs {
		d.Contacts = append(d.Contacts, r.body)
	}
	qs, err := read("unanswered", `SELECT id, '', at, 0, '', body FROM unanswered WHERE subject_id = ? ORDER BY id`, "unanswered")
	if err != nil {
		return d, err
	}
	for _, r := range qs {
		d.Unanswered = append(d.Unanswered, string(r.body))
	}
	ls, err := read("offline_messages", `SELECT id, session_id, at, coalesce(handled_at, 0), coalesce(handled_by, ''), body FROM offline_messages WHERE subject_id = ? ORDER BY id`, "offline")
	if err != nil {
		return d, err
	}
	notes, bad, err := s.SubjectNotes(ctx, subject) // DSR-1: agent notes too
	if err != nil {
		return d, err
	}
	d.Notes, d.Unreadable = notes, append(d.Unreadable, bad...)
	if d.Rescrubbed, err = s.rescrubbed(ctx, subject); err != nil {
		return d, err
	}
	for _, r := range ls {
		m := OfflineMessage{ID: r.id, Subject: subject, Session: r.session, At: fromMilli(r.at), Text: string(r.body), HandledBy: r.handledBy}
		if r.handled != 0 {
			m.HandledAt = fromMilli(r.handled)
		}
		d.LeftMessages = append(d.LeftMessages, m)
	}
	return d, nil
}

// ErasureCounts says what an erasure removed.
type ErasureCounts struct {
	Sessions, Messages, Consents, Contacts, Unanswered int64
}

// Erase deletes the subject's data key (crypto-shredding) and every row
// about the subject, keeping only the request record and an audit entry
// (DSR-4, AUD-1). Erasing an unknown or already erased subject is not an
// error: the request is still recorded.
func (s *Store) Erase(ctx context.Context, subject, actor string, at time.Time) (ErasureCounts, error) {
	var n ErasureCounts
	s.ledgerErasure(subject, at) // before the commit: no acknowledged erasure is missing from it
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		del := func(q string) (int64, error) {
			res, err := tx.ExecContext(ctx, q, subject)
			if err != nil {
				return 0, fmt.Errorf("store: erase: %w", err)
			}
			return res.RowsAffected()
		}
		var err error
		if n.Messages, err = del(`DELETE FROM messages WHERE subject_id = ?`); err != nil {
			return err
		}
		if n.Sessions, err = del(`DELETE FROM sessions WHERE subject_id = ?`); err != nil {
			return err
		}
		if n.Consents, err = del(`DELETE FROM consents WHERE subject_id = ?`); err != nil {
			return err
		}
		if n.Contacts, err = del(`DELETE FROM contacts WHERE subject_id = ?`); err != nil {
			return err
		}
		if n.Unanswered, err = del(`DELETE FROM unanswered WHERE subject_id = ?`); err != nil {
			return err
		}
		if _, err = del(`DELETE FROM lookup WHERE subject_id = ?`); err != nil {
			return err
		}
		if _, err = del(`DELETE FROM subjects WHERE id = ?`); err != nil {
			return err
		}
		detail := fmt.Sprintf("sessions=%d messages=%d consents=%d contacts=%d", n.Sessions, n.Messages, n.Consents, n.Contacts)
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests(kind, subject_ref, at, detail) VALUES('erasure', ?, ?, ?)`, subject, unixMilli(at), detail); err != nil {
			return fmt.Errorf("store: erase: request record: %w", err)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: compliance.EventErasure, Subject: subject, Actor: actor, Detail: detail})
	})
	if err != nil {
		return n, err
	}
	s.forgetKey(subject)
	return n, nil
}

// RecordRequest logs a data-subject request (export, erasure) that must
// outlive the data it concerns (AUD-1), with an audit entry.
func (s *Store) RecordRequest(ctx context.Context, kind, subject, actor string, at time.Time, detail string) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests(kind, subject_ref, at, detail) VALUES(?, ?, ?, ?)`, kind, subject, unixMilli(at), detail); err != nil {
			return fmt.Errorf("store: request record: %w", err)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: kind, Subject: subject, Actor: actor, Detail: detail})
	})
}

// SubjectsByBlind finds subjects by a keyed lookup hash (e.g. of an e-mail address).
func (s *Store) SubjectsByBlind(ctx context.Context, blind string) ([]string, error) {
	out, err := queryStrings(ctx, s.r, `SELECT subject_id FROM lookup WHERE blind = ? ORDER BY subject_id`, blind)
	if err != nil {
		return nil, fmt.Errorf("store: lookup: %w", err)
	}
	return out, nil
}

// SubjectExists reports whether a subject still has a data key.
func (s *Store) SubjectExists(ctx context.Context, subject string) (bool, error) {
	var one int
	err := s.r.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, subject).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// Retention is how long each category is kept (RET-1). Messages left for
// the team go with the transcripts. Requests is how long data-subject
// request records are kept as proof of compliance (AUD-1 asks for at least
// 24 months); zero keeps them, as does zero Audit.
type Retention struct {
	Transcripts, Contacts, Consents, Audit, Requests time.Duration
}

// PurgeCounts says what a purge removed.
type PurgeCounts struct {
	Sessions, Messages, LeftMessages, Contacts, Consents, Unanswered, Subjects, Audit, Requests int64
}

// Total is the number of rows removed.
func (p PurgeCounts) Total() int64 {
	return p.Sessions + p.Messages + p.LeftMessages + p.Contacts + p.Consents + p.Unanswered + p.Subjects + p.Audit + p.Requests
}

// Purge deletes what is older than its retention period, then the data keys
// of subjects with nothing left, and audits the purge (RET-1).
func (s *Store) Purge(ctx context.Context, now time.Time, r Retention) (PurgeCounts, error) {
	var n PurgeCounts
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		del := func(q string, cutoff time.Time) (int64, error) {
			res, err := tx.ExecContext(ctx, q, unixMilli(cutoff))
			if err != nil {
				return 0, fmt.Errorf("store: purge: %w", err)
			}
			return res.RowsAffected()
		}
		var err error
		tc := now.Add(-r.Transcripts)
		if n.Messages, err = del(`DELETE FROM messages WHERE at < ?`, tc); err != nil {
			return err
		}
		// A returning customer keeps the session row alive, so the cascade
		// from sessions does not reach old left messages: they go by age.
		if n.LeftMessages, err = del(`DELETE FROM offline_messages WHERE at < ?`, tc); err != nil {
			return err
		}
		if n.Sessions, err = del(`DELETE FROM sessions WHERE last_seen < ?`, tc); err != nil {
			return err
		}
		if n.Unanswered, err = del(`DELETE FROM unanswered WHERE at < ?`, tc); err != nil {
			return err
		}
		if n.Contacts, err = del(`DELETE FROM contacts WHERE at < ?`, now.Add(-r.Contacts)); err != nil {
			return err
		}
		if n.Consents, err = del(`DELETE FROM consents WHERE at < ?`, now.Add(-r.Consents)); err != nil {
			return err
		}
		// Subjects with nothing left lose their data key (crypto-shredding).
		res, err := tx.ExecContext(ctx, `DELETE FROM subjects WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM sessions WHERE subject_id = subjects.id)
			AND NOT EXISTS (SELECT 1 FROM contacts WHERE subject_id = subjects.id)
			AND NOT EXISTS (SELECT 1 FROM consents WHERE subject_id = subjects.id)`, unixMilli(tc))
		if err != nil {
			return fmt.Errorf("store: purge subjects: %w", err)
		}
		n.Subjects, _ = res.RowsAffected()
		// A lookup hash lives only as long as the contact details it finds.
		if _, err := tx.ExecContext(ctx, `DELETE FROM lookup WHERE subject_id NOT IN (SELECT subject_id FROM contacts)`); err != nil {
			return fmt.Errorf("store: purge lookup: %w", err)
		}
		if r.Audit > 0 {
			if n.Audit, err = purgeAudit(ctx, tx, now.Add(-r.Audit)); err != nil {
				return err
			}
		}
		if r.Requests > 0 {
			if n.Requests, err = del(`DELETE FROM requests WHERE at < ?`, now.Add(-r.Requests)); err != nil {
				return err
			}
		}
		if n.Total() == 0 {
			return nil
		}
		detail := fmt.Sprintf("sessions=%d messages=%d left_messages=%d contacts=%d consents=%d unanswered=%d subjects=%d audit=%d requests=%d",
			n.Sessions, n.Messages, n.LeftMessages, n.Contacts, n.Consents, n.Unanswered, n.Subjects, n.Audit, n.Requests)
		return appendAudit(ctx, tx, compliance.AuditRecord{At: now, Event: compliance.EventPurge, Actor: "system", Detail: detail})
	})
	if err == nil && n.Subjects > 0 {
		s.dropAllKeys()
	}
	if err == nil {
		// A test run that crashed before its clean-up (store/test_runs.go).
		if _, terr := s.EndStaleTestRuns(ctx, now); terr != nil {
			s.log.Error("store: ending stale test runs", "err", terr)
		}
	}
	return n, err
}

func (s *Store) dropAllKeys() {
	s.keyMu.Lock()
	clear(s.keys)
	s.keyMu.Unlock()
}

// purgeAudit removes audit records older than cutoff, except the newest
// record, and anchors the chain at the last one removed so the rest still
// verifies.
func purgeAudit(ctx context.Context, tx *Tx, cutoff time.Time) (int64, error) {
	var lastSeq sql.NullInt64
	var lastHash sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit WHERE at < ? AND seq < (SELECT max(seq) FROM audit) ORDER BY seq DESC LIMIT 1`,
		cutoff.UTC().Format(time.RFC3339Nano)).Scan(&lastSeq, &lastHash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: purge audit: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM audit WHERE seq <= ?`, lastSeq.Int64)
	if err != nil {
		return 0, fmt.Errorf("store: purge audit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_anchor(id, seq, hash) VALUES(1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
		lastSeq.Int64, lastHash.String); err != nil {
		return 0, fmt.Errorf("store: purge audit anchor: %w", err)
	}
	return res.RowsAffected()
}

// subjectExists returns ErrErased, and drops any cached data key, when the
// subject's row is gone (erased by this or another process, or purged).
func (s *Store) subjectExists(ctx context.Context, subject string) error {
	var one int
	err := s.r.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, subject).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		s.forgetKey(subject)
		return ErrErased
	}
	if err != nil {
		return fmt.Errorf("store: subject: %w", err)
	}
	return nil
}
