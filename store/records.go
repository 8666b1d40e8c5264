package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"deskbot/compliance"
)

// Turn is everything one conversational step writes, committed atomically.
type Turn struct {
	Subject, Session string
	At               time.Time
	Entries          []Entry
	State            []byte // nil keeps the stored state
	Consents         []compliance.ConsentRecord
	Contacts         [][]byte // contact details the customer consented to keep
	// DropContacts deletes the subject's kept contact details (consent
	// withdrawn, CONS-5); the turn's own Contacts and Blinds are then not
	// kept either. With Redactor set, the same transaction also removes the
	// contact details typed while consent was granted from the stored
	// transcript lines, left messages and review questions (MIN-1).
	DropContacts bool
	Redactor     *compliance.Detector
	Blinds       []string // keyed lookup hashes (e.g. of an e-mail) for rights requests
	Unanswered   []string // redacted questions the knowledge base could not answer
	Picked       []Pick   // suggestions the customer picked, for the owner's review
	Audit        []compliance.AuditRecord
}

// Pick is a suggested article the customer chose for a question: the
// redacted question is a candidate example question for that article.
type Pick struct {
	Question string // redacted, as stored for unanswered questions
	Article  string // the article id chosen
}

// Commit seals and durably stores a turn. It returns after the commit.
func (s *Store) Commit(ctx context.Context, t Turn) error {
	c, err := s.cipher(ctx, t.Subject)
	if err != nil {
		return err
	}
	bodies := make([][]byte, len(t.Entries))
	for i, e := range t.Entries {
		bodies[i] = c.Seal(e.Body, aad("msg", t.Subject, t.Session))
	}
	var state []byte
	if t.State != nil {
		state = c.Seal(t.State, aad("state", t.Subject, t.Session))
	}
	contacts := make([][]byte, len(t.Contacts))
	for i, b := range t.Contacts {
		contacts[i] = c.Seal(b, aad("contact", t.Subject, ""))
	}
	type review struct {
		body    []byte
		article string
	}
	unanswered := make([]review, 0, len(t.Unanswered)+len(t.Picked))
	for _, q := range t.Unanswered {
		unanswered = append(unanswered, review{body: c.Seal([]byte(q), aad("unanswered", t.Subject, ""))})
	}
	for _, p := range t.Picked {
		unanswered = append(unanswered, review{body: c.Seal([]byte(p.Question), aad("unanswered", t.Subject, "")), article: p.Article})
	}
	err = s.write(ctx, func(ctx context.Context, tx *Tx) error {
		// The subject may have been erased meanwhile (by another process,
		// or the purge): nothing may be written for it again (DSR-4).
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, t.Subject).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return ErrErased
		} else if err != nil {
			return fmt.Errorf("store: subject: %w", err)
		}
		for i, e := range t.Entries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO messages(session_id, subject_id, at, sender, body) VALUES(?,?,?,?,?)`,
				t.Session, t.Subject, unixMilli(e.At), e.Sender, bodies[i]); err != nil {
				return fmt.Errorf("store: insert message: %w", err)
			}
		}
		if t.Session != "" {
			var err error
			if state != nil {
				_, err = tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ?, state = ? WHERE id = ?`, unixMilli(t.At), state, t.Session)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id = ?`, unixMilli(t.At), t.Session)
			}
			if err != nil {
				return fmt.Errorf("store: update session: %w", err)
			}
		}
		for _, r := range t.Consents {
			if _, err := tx.ExecContext(ctx, `INSERT INTO consents(subject_id, purpose, decision, text_version, text_hash, at) VALUES(?,?,?,?,?,?)`,
				t.Subject, string(r.Purpose), string(r.Decision), r.TextVersion, r.TextHash, unixMilli(r.At)); err != nil {
				return fmt.Errorf("store: insert consent: %w", err)
			}
		}
		if t.DropContacts {
			if err := s.withdrawContacts(ctx, tx, c, t.Subject, t.Redactor, t.At); err != nil {
				return err
			}
			contacts, t.Blinds = nil, nil // nothing typed in the withdrawing turn is kept
		}
		for _, b := range contacts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contacts(subject_id, at, body) VALUES(?,?,?)`, t.Subject, unixMilli(t.At), b); err != nil {
				return fmt.Errorf("store: insert contact: %w", err)
			}
		}
		for _, b := range t.Blinds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lookup(subject_id, blind) VALUES(?,?) ON CONFLICT DO NOTHING`, t.Subject, b); err != nil {
				return fmt.Errorf("store: insert lookup: %w", err)
			}
		}
		for _, r := range unanswered {
			if _, err := tx.ExecContext(ctx, `INSERT INTO unanswered(subject_id, at, body, article) VALUES(?,?,?,?)`, t.Subject, unixMilli(t.At), r.body, r.article); err != nil {
				return fmt.Errorf("store: insert unanswered: %w", err)
			}
		}
		return appendAudit(ctx, tx, t.Audit...)
	})
	if errors.Is(err, ErrErased) {
		s.forgetKey(t.Subject)
	}
	return err
}

// AppendTurn stores transcript entries and the session's state in one commit.
func (s *Store) AppendTurn(ctx context.Context, subject, session string, at time.Time, entries []Entry, state []byte) error {
	return s.Commit(ctx, Turn{Subject: subject, Session: session, At: at, Entries: entries, State: state})
}

// appendAudit chains records after the last one, inside the caller's transaction (AUD-1).
func appendAudit(ctx context.Context, tx *Tx, recs ...compliance.AuditRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if tx.pg {
		// Instances append to one chain: the tail is read and extended by
		// one transaction at a time, held until it commits (AUD-1).
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, lockAudit); err != nil {
			return fmt.Errorf("store: audit lock: %w", err)
		}
	}
	var prev compliance.AuditRecord
	var at string
	err := tx.QueryRowContext(ctx, `SELECT seq, at, event, subject, actor, detail, prev_hash, hash FROM audit ORDER BY seq DESC LIMIT 1`).
		Scan(&prev.Seq, &at, &prev.Event, &prev.Subject, &prev.Actor, &prev.Detail, &prev.PrevHash, &prev.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: audit tail: %w", err)
	}
	for _, r := range recs {
		if r.Actor == "" {
			r.Actor = "system"
		}
		r, ok := compliance.MinimiseAudit(r) // MIN-2, AUD-1: no special-category inference in clear
		if !ok {
			continue
		}
		r = compliance.ChainAfter(prev, r)
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit(seq, at, event, subject, actor, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?)`,
			r.Seq, r.At.Format(time.RFC3339Nano), r.Event, r.Subject, r.Actor, r.Detail, r.PrevHash, r.Hash); err != nil {
			return fmt.Errorf("store: audit append: %w", err)
		}
		prev = r
	}
	return nil
}

// Audit appends compliance events to the hash-chained log.
func (s *Store) Audit(ctx context.Context, recs ...compliance.AuditRecord) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error { return appendAudit(ctx, tx, recs...) })
}

// AuditRecords returns audit records in order, optionally only one event.
func (s *Store) AuditRecords(ctx context.Context, event string) ([]compliance.AuditRecord, error) {
	q := `SELECT seq, at, event, subject, actor, detail, prev_hash, hash FROM audit`
	args := []any{}
	if event != "" {
		q += ` WHERE event = ?`
		args = append(args, event)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []compliance.AuditRecord
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanAudit(rows *sql.Rows) (compliance.AuditRecord, error) {
	var r compliance.AuditRecord
	var at string
	if err := rows.Scan(&r.Seq, &at, &r.Event, &r.Subject, &r.Actor, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
		return r, fmt.Errorf("store: audit row: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		// A mangled time is tampering too; the hash check reports it.
		t = time.Time{}
	}
	r.At = t
	return r, nil
}

// VerifyAudit walks the whole chain and returns how many records verified,
// or the first broken link as *compliance.ChainError (AUD-1).
func (s *Store) VerifyAudit(ctx context.Context) (int, error) { return verifyAudit(ctx, s.r) }

// Consents returns a subject's consent ledger in order (CONS-4).
func (s *Store) Consents(ctx context.Context, subject string) ([]compliance.ConsentRecord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT purpose, decision, text_version, text_hash, at FROM consents WHERE subject_id = ? ORDER BY id`, subject)
	if err != nil {
		return nil, fmt.Errorf("store: consents: %w", err)
	}
	defer rows.Close()
	var out []compliance.ConsentRecord
	for rows.Next() {
		var r compliance.ConsentRecord
		var p, d string
		var at int64
		if err := rows.Scan(&p, &d, &r.TextVersion, &r.TextHash, &at); err != nil {
			return nil, fmt.Errorf("store: consents: %w", err)
		}
		r.Purpose, r.Decision, r.At = compliance.Purpose(p), compliance.Decision(d), fromMilli(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
