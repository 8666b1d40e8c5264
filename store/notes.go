package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"deskbot/compliance"
)

// Agent notes. An agent may keep one private note per conversation (the
// customer's session): it is never sent to the customer, but it is data
// about them, so it is sealed with the customer's data key like the
// transcript (aad "note", subject, session), exported with their data
// (DSR-1, DSR-2: "agent notes") and gone with the data key when they are
// erased (DSR-4: crypto-shredding; the row itself goes with the session).
// Saving one is audited (EventAgentNote) with no text in the detail.

// EventAgentNote is the audit event of a saved or cleared agent note.
const EventAgentNote = "agent_note"

const schemaAgentNotes = `CREATE TABLE agent_notes (
	id INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
	subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
	updated_at INTEGER NOT NULL,
	updated_by TEXT NOT NULL,
	body BLOB NOT NULL
);
CREATE INDEX agent_notes_subject ON agent_notes(subject_id);`

// Note is an agent's private note on a conversation, decrypted.
type Note struct {
	ID        int64
	Session   string
	Text      string
	UpdatedAt time.Time
	UpdatedBy string // the agent's log-in name
}

// Note returns the note on a session; ErrNotFound when there is none.
func (s *Store) Note(ctx context.Context, subject, session string) (Note, error) {
	if err := s.subjectExists(ctx, subject); err != nil {
		return Note{}, err
	}
	notes, bad, err := s.notes(ctx, subject, `session_id = ? AND subject_id = ?`, session, subject)
	switch {
	case err != nil:
		return Note{}, err
	case len(bad) > 0:
		return Note{}, fmt.Errorf("store: note: %w", ErrUnreadable)
	case len(notes) == 0:
		return Note{}, ErrNotFound
	}
	return notes[0], nil
}

// SubjectNotes returns every note on the subject's sessions (for the
// export), and the rows that could not be decrypted.
func (s *Store) SubjectNotes(ctx context.Context, subject string) ([]Note, []UnreadableRow, error) {
	return s.notes(ctx, subject, `subject_id = ?`, subject)
}

func (s *Store) notes(ctx context.Context, subject, where string, args ...any) ([]Note, []UnreadableRow, error) {
	c, err := s.cipher(ctx, subject)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, session_id, updated_at, updated_by, body FROM agent_notes WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	var bad []UnreadableRow
	for rows.Next() {
		var n Note
		var at int64
		var body []byte
		if err := rows.Scan(&n.ID, &n.Session, &at, &n.UpdatedBy, &body); err != nil {
			return nil, nil, fmt.Errorf("store: notes: %w", err)
		}
		p, err := c.Open(body, aad("note", subject, n.Session))
		if err != nil {
			bad = append(bad, s.unreadable("agent_notes", n.ID, err))
			continue
		}
		n.Text, n.UpdatedAt = string(p), fromMilli(at)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: notes: %w", err)
	}
	return out, bad, nil
}

// SetNote stores (or, with empty text, deletes) the note on a session,
// sealed before it reaches SQL, and audits it without its text (SEC-2).
func (s *Store) SetNote(ctx context.Context, subject, session, text, agent string, at time.Time) error {
	c, err := s.cipher(ctx, subject)
	if err != nil {
		return err
	}
	body := c.Seal([]byte(text), aad("note", subject, session))
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		// Nothing may be written for an erased subject again (DSR-4).
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM sessions WHERE id = ? AND subject_id = ?`, session, subject).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrErased
		} else if err != nil {
			return fmt.Errorf("store: note: %w", err)
		}
		action := "saved"
		if text == "" {
			action = "cleared"
			_, err = tx.ExecContext(ctx, `DELETE FROM agent_notes WHERE session_id = ?`, session)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO agent_notes(session_id, subject_id, updated_at, updated_by, body) VALUES(?,?,?,?,?)
				ON CONFLICT(session_id) DO UPDATE SET updated_at = excluded.updated_at, updated_by = excluded.updated_by, body = excluded.body`,
				session, subject, unixMilli(at), agent, body)
		}
		if err != nil {
			return fmt.Errorf("store: note: %w", err)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: EventAgentNote, Subject: subject, Actor: agent,
			Detail: "action=" + action + " session=" + session})
	})
}
