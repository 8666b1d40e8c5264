package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"deskbot/compliance"
)

// ErrUnreadable means a stored row could not be decrypted: it was damaged
// on disk or sealed under another key. Readers leave such rows out, name
// them (table and id, never content) in the log, and the export lists them
// (DSR-1, DSR-2).
var ErrUnreadable = errors.New("stored row cannot be decrypted")

// UnreadableRow names a row left out because it could not be decrypted.
type UnreadableRow struct {
	Table string `json:"table"`
	ID    int64  `json:"id"`
}

// unreadable logs a row that could not be decrypted, without its content.
func (s *Store) unreadable(table string, id int64, err error) UnreadableRow {
	s.log.Warn("store: a stored row cannot be decrypted and is left out; restore it from a backup if it matters",
		"table", table, "id", id, "err", fmt.Errorf("%w: %w", ErrUnreadable, err))
	return UnreadableRow{Table: table, ID: id}
}

// Rescrubbed counts what a withdrawal re-redacted.
type Rescrubbed struct {
	Messages, LeftMessages, Unanswered int
	Unreadable                         []UnreadableRow
}

// reredact runs inside the transaction that records a withdrawal of
// consent for contact details (CONS-5, MIN-1). The subject's stored
// transcript lines, left (offline) messages and review questions are
// decrypted; what the customer typed is redacted again as text typed
// without consent is, and lines the customer did not type (an agent
// quoting the address) lose the customer's own contact details; changed
// rows are sealed again in place. known are the contact details that were
// kept; the details found in the customer's lines are added to them.
func (s *Store) reredact(ctx context.Context, tx *Tx, c Cipher, subject string, d *compliance.Detector, known []string) (Rescrubbed, error) {
	return s.reredactRows(ctx, tx, c, subject, d, known, false)
}

// reredactRows is reredact; with onlyKnown (a rectification, DSR-5) it
// removes only the known values from every row and leaves the rest of what
// the customer typed as it is.
func (s *Store) reredactRows(ctx context.Context, tx *Tx, c Cipher, subject string, d *compliance.Detector, known []string, onlyKnown bool) (Rescrubbed, error) {
	var n Rescrubbed
	type row struct {
		id             int64
		session, kind  string
		typed          bool // the customer's own text
		plain, newBody []byte
		table          string
	}
	var rows []*row
	load := func(table, q, kind string, typedBy func(sender string) bool) error {
		rs, err := tx.QueryContext(ctx, q, subject)
		if err != nil {
			return fmt.Errorf("store: withdrawal: read %s: %w", table, err)
		}
		defer rs.Close()
		for rs.Next() {
			var r row
			var sender string
			var body []byte
			if err := rs.Scan(&r.id, &r.session, &sender, &body); err != nil {
				return fmt.Errorf("store: withdrawal: read %s: %w", table, err)
			}
			sess := r.session
			if kind == "unanswered" {
				sess = ""
			}
			p, err := c.Open(body, aad(kind, subject, sess))
			if err != nil {
				n.Unreadable = append(n.Unreadable, s.unreadable(table, r.id, err))
				continue
			}
			r.kind, r.table, r.plain, r.typed = kind, table, p, typedBy(sender)
			rows = append(rows, &r)
		}
		return rs.Err()
	}
	customer := func(sender string) bool { return sender == "customer" }
	always := func(string) bool { return true }
	if err := load("messages", `SELECT id, session_id, sender, body FROM messages WHERE subject_id = ? ORDER BY id`, "msg", customer); err != nil {
		return n, err
	}
	if err := load("offline_messages", `SELECT id, session_id, 'customer', body FROM offline_messages WHERE subject_id = ? ORDER BY id`, "offline", always); err != nil {
		return n, err
	}
	if err := load("unanswered", `SELECT id, '', 'customer', body FROM unanswered WHERE subject_id = ? ORDER BY id`, "unanswered", always); err != nil {
		return n, err
	}
	for _, r := range rows {
		if r.typed && !onlyKnown {
			eachString(r.plain, func(v string) string { known = append(known, d.ContactValues(v)...); return v })
		}
	}
	for _, r := range rows {
		fix := func(v string) string { return d.RedactKnown(v, known) }
		if r.typed && !onlyKnown {
			fix = func(v string) string { return d.RedactKnown(d.RedactTyped(v), known) }
		}
		var changed bool
		if r.kind == "msg" {
			r.newBody, changed = eachString(r.plain, fix)
		} else {
			v := fix(string(r.plain))
			r.newBody, changed = []byte(v), v != string(r.plain)
		}
		clear(r.plain)
		if !changed {
			continue
		}
		sess := r.session
		if r.kind == "unanswered" {
			sess = ""
		}
		sealed := c.Seal(r.newBody, aad(r.kind, subject, sess))
		clear(r.newBody)
		if _, err := tx.ExecContext(ctx, `UPDATE `+r.table+` SET body = ? WHERE id = ?`, sealed, r.id); err != nil {
			return n, fmt.Errorf("store: withdrawal: rewrite %s: %w", r.table, err)
		}
		switch r.table {
		case "messages":
			n.Messages++
		case "offline_messages":
			n.LeftMessages++
		default:
			n.Unanswered++
		}
	}
	return n, nil
}

// eachString applies f to every string value of a JSON document (a stored
// frame) and returns the re-encoded document and whether anything changed.
// A body that is not JSON is treated as one string.
func eachString(body []byte, f func(string) string) ([]byte, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		out := f(string(body))
		return []byte(out), out != string(body)
	}
	changed := false
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case string:
			out := f(t)
			if out != t {
				changed = true
			}
			return out
		case map[string]any:
			for k, e := range t {
				t[k] = walk(e)
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		}
		return x
	}
	v = walk(v)
	if !changed {
		return body, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body, false
	}
	return out, true
}

// keptContacts decrypts the subject's kept contact details inside tx.
func (s *Store) keptContacts(ctx context.Context, tx *Tx, c Cipher, subject string) ([]string, []UnreadableRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, body FROM contacts WHERE subject_id = ? ORDER BY id`, subject)
	if err != nil {
		return nil, nil, fmt.Errorf("store: contacts: %w", err)
	}
	defer rows.Close()
	var out []string
	var bad []UnreadableRow
	for rows.Next() {
		var id int64
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return nil, nil, fmt.Errorf("store: contacts: %w", err)
		}
		p, err := c.Open(b, aad("contact", subject, ""))
		if err != nil {
			bad = append(bad, s.unreadable("contacts", id, err))
			continue
		}
		out = append(out, string(p))
	}
	return out, bad, rows.Err()
}

// withdrawContacts deletes the subject's kept contact details and their
// lookup hashes and re-redacts what was stored while consent was granted,
// in the caller's transaction, with an audit entry that carries counts only
// (CONS-5, MIN-1, AUD-1).
func (s *Store) withdrawContacts(ctx context.Context, tx *Tx, c Cipher, subject string, d *compliance.Detector, at time.Time) error {
	var known []string
	var bad []UnreadableRow
	if d != nil {
		var err error
		if known, bad, err = s.keptContacts(ctx, tx, c, subject); err != nil {
			return err
		}
	}
	// The lookup hashes point at the contact details: they go too.
	for _, q := range []string{`DELETE FROM contacts WHERE subject_id = ?`, `DELETE FROM lookup WHERE subject_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, subject); err != nil {
			return fmt.Errorf("store: drop contacts: %w", err)
		}
	}
	if d == nil {
		return nil
	}
	n, err := s.reredact(ctx, tx, c, subject, d, known)
	clear(known)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("reason=withdrawal purpose=contact messages=%d left_messages=%d unanswered=%d unreadable=%d",
		n.Messages, n.LeftMessages, n.Unanswered, len(n.Unreadable)+len(bad))
	return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: compliance.EventRedaction, Subject: subject, Actor: "system", Detail: detail})
}

// rescrubbed returns when withdrawals re-redacted the subject's stored
// text, from the audit entries withdrawContacts writes.
func (s *Store) rescrubbed(ctx context.Context, subject string) ([]time.Time, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT at FROM audit WHERE subject = ? AND event = ? AND detail LIKE 'reason=withdrawal %' ORDER BY seq`,
		subject, compliance.EventRedaction)
	if err != nil {
		return nil, fmt.Errorf("store: withdrawal records: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("store: withdrawal records: %w", err)
		}
		if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}
