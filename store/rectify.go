package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"deskbot/compliance"
)

// DSR-5 (GDPR Art. 16, CCPA 1798.106): a customer has inaccurate contact
// details corrected. The kept details of that kind are replaced by the new
// value; the old ones are deleted (the database overwrites deleted rows,
// secure_delete) together with their lookup hashes, and removed from every
// stored line that still holds them, sealed again in place, so no copy of
// the old value remains readable. The request log and the audit log record
// a rectification with counts only.

// ErrNoConsent: contact details may be kept only with consent (CONS-1).
var ErrNoConsent = errors.New("no consent to keep contact details")

// Rectification is one correction of kept contact details.
type Rectification struct {
	Subject string
	// Field is "email" or "phone".
	Field string
	// New is the corrected value; Blind its lookup hash (e-mail only).
	New, Blind string
	Actor      string // customer, operator, or an agent's name
	Channel    string // chat, cli, agent
	At         time.Time
	Detector   *compliance.Detector
}

// RectifyResult says what a rectification changed.
type RectifyResult struct {
	Replaced  int // kept details of the field that were replaced
	Rewritten Rescrubbed
}

// Rectify replaces the subject's kept contact details of r.Field by r.New,
// in one transaction, after checking that contact consent is granted.
func (s *Store) Rectify(ctx context.Context, r Rectification) (RectifyResult, error) {
	var res RectifyResult
	if r.Field != "email" && r.Field != "phone" {
		return res, fmt.Errorf("store: rectify: field %q (want email or phone)", r.Field)
	}
	if strings.TrimSpace(r.New) == "" {
		return res, errors.New("store: rectify: the new value is empty")
	}
	if err := s.subjectExists(ctx, r.Subject); err != nil {
		return res, err
	}
	consents, err := s.Consents(ctx, r.Subject)
	if err != nil {
		return res, err
	}
	if !compliance.StateFrom(consents).Granted(compliance.PurposeContact) {
		return res, fmt.Errorf("store: rectify: %w (CONS-1): the customer must grant consent for %q first", ErrNoConsent, compliance.PurposeContact)
	}
	c, err := s.cipher(ctx, r.Subject)
	if err != nil {
		return res, err
	}
	d := r.Detector
	if d == nil {
		d = compliance.NewDetector(nil)
	}
	err = s.write(ctx, func(ctx context.Context, tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, body FROM contacts WHERE subject_id = ? ORDER BY id`, r.Subject)
		if err != nil {
			return fmt.Errorf("store: rectify: %w", err)
		}
		var ids []int64
		var old []string
		for rows.Next() {
			var id int64
			var b []byte
			if err := rows.Scan(&id, &b); err != nil {
				rows.Close()
				return fmt.Errorf("store: rectify: %w", err)
			}
			p, err := c.Open(b, aad("contact", r.Subject, ""))
			if err != nil {
				// An unreadable detail cannot be checked: replace it too.
				s.unreadable("contacts", id, err)
				ids = append(ids, id)
				continue
			}
			if isEmail := strings.Contains(string(p), "@"); isEmail == (r.Field == "email") {
				ids = append(ids, id)
				if !strings.EqualFold(strings.TrimSpace(string(p)), strings.TrimSpace(r.New)) {
					old = append(old, string(p))
				}
			}
			clear(p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: rectify: %w", err)
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, id); err != nil {
				return fmt.Errorf("store: rectify: %w", err)
			}
		}
		if r.Field == "email" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM lookup WHERE subject_id = ?`, r.Subject); err != nil {
				return fmt.Errorf("store: rectify: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts(subject_id, at, body) VALUES(?, ?, ?)`,
			r.Subject, unixMilli(r.At), c.Seal([]byte(r.New), aad("contact", r.Subject, ""))); err != nil {
			return fmt.Errorf("store: rectify: %w", err)
		}
		if r.Blind != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lookup(subject_id, blind) VALUES(?, ?) ON CONFLICT DO NOTHING`, r.Subject, r.Blind); err != nil {
				return fmt.Errorf("store: rectify: %w", err)
			}
		}
		res.Replaced = len(ids)
		if len(old) > 0 {
			if res.Rewritten, err = s.reredactRows(ctx, tx, c, r.Subject, d, old, true); err != nil {
				return err
			}
		}
		clear(old)
		detail := fmt.Sprintf("field=%s replaced=%d messages=%d left_messages=%d unanswered=%d channel=%s",
			r.Field, res.Replaced, res.Rewritten.Messages, res.Rewritten.LeftMessages, res.Rewritten.Unanswered, r.Channel)
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests(kind, subject_ref, at, detail, status, channel, closed_at) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			compliance.RequestRectification, r.Subject, unixMilli(r.At), detail, RequestClosed, r.Channel, unixMilli(r.At)); err != nil {
			return fmt.Errorf("store: rectify: request record: %w", err)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: r.At, Event: EventRectification, Subject: r.Subject, Actor: r.Actor, Detail: detail})
	})
	return res, err
}

// EventRectification is the audit event of a rectification (DSR-5).
const EventRectification = "rectification"
