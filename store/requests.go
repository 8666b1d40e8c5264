package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"deskbot/compliance"
)

// schemaRequestsIncidents is migration 2. DSR-3: every data-subject request
// has a status; `at` is when it was received, `profile` the jurisdiction
// whose deadlines apply (compliance.RequestDeadlines). Requests answered in
// the chat are recorded closed at once (the column default); requests
// received elsewhere (`deskbot privacy request add`) start open.
// BRCH-1: breach records, and the pseudonymous subjects each one affects,
// so they can be listed for notification without decrypting anything.
const schemaRequestsIncidents = `
ALTER TABLE requests ADD COLUMN status TEXT NOT NULL DEFAULT 'closed';
ALTER TABLE requests ADD COLUMN profile TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'chat';
ALTER TABLE requests ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE requests ADD COLUMN closed_at INTEGER;
CREATE INDEX requests_status ON requests(status, at);
CREATE TABLE incidents (
	id INTEGER PRIMARY KEY,
	what TEXT NOT NULL,
	found_at INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	window_from INTEGER,
	window_to INTEGER,
	subjects INTEGER NOT NULL,
	records INTEGER NOT NULL,
	categories TEXT NOT NULL,
	encrypted INTEGER NOT NULL,
	measures TEXT NOT NULL,
	authority_notified_at INTEGER,
	customers_notified_at INTEGER
);
CREATE TABLE incident_subjects (
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	subject_ref TEXT NOT NULL,
	PRIMARY KEY (incident_id, subject_ref)
);`

// Request statuses.
const (
	RequestOpen         = "open"
	RequestAcknowledged = "acknowledged"
	RequestClosed       = "closed"
)

// ErrNoRequest: no request with that id.
var ErrNoRequest = errors.New("no such request")

// ErrRequestAlready: the request was already acknowledged (or closed) at
// the time the error names; that time stays, as it proves the deadline.
var ErrRequestAlready = errors.New("already")

// Request is one data-subject request record (DSR-3, AUD-1).
type Request struct {
	ID           int64
	Kind         string // compliance.RequestKinds
	Subject      string // pseudonymous subject id; empty when none was found
	Received     time.Time
	Profile      string // jurisdiction whose deadlines apply
	Channel      string // chat, cli, agent, email, ...
	Status       string
	Acknowledged time.Time // zero until acknowledged
	Closed       time.Time // zero while open
	Detail       string
}

// Deadlines are the request's deadlines under its profile (DSR-3).
func (r Request) Deadlines() compliance.Deadlines {
	return compliance.RequestDeadlines(r.Profile, r.Received)
}

// NextDeadline is the deadline the request must meet next (DSR-3):
// "acknowledge" while an acknowledgement is due and not yet given and
// falls before the answer, else "answer".
func (r Request) NextDeadline() (what string, due time.Time) {
	dl := r.Deadlines()
	if !dl.Acknowledge.IsZero() && r.Acknowledged.IsZero() && dl.Acknowledge.Before(dl.Answer) {
		return "acknowledge", dl.Acknowledge
	}
	return "answer", dl.Answer
}

// Open reports whether the request still waits for an answer.
func (r Request) Open() bool { return r.Status != RequestClosed }

// AddRequest records a request received outside the chat (e-mail, phone,
// post, an agent): it stays open until CloseRequest, with the profile's
// deadlines (DSR-3). Audited as request_received; the detail holds no
// personal data (the caller passes only counts and channel names).
func (s *Store) AddRequest(ctx context.Context, r Request, actor string) (int64, error) {
	if _, ok := compliance.ParseRequestKind(r.Kind); !ok {
		return 0, fmt.Errorf("store: unknown request kind %q", r.Kind)
	}
	var id int64
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO requests(kind, subject_ref, at, detail, status, profile, channel) VALUES(?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.Kind, r.Subject, unixMilli(r.Received), r.Detail, RequestOpen, r.Profile, r.Channel).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: add request: %w", err)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: r.Received, Event: "request_received", Subject: r.Subject, Actor: actor,
			Detail: fmt.Sprintf("request=%d kind=%s channel=%s profile=%s", id, r.Kind, r.Channel, r.Profile)})
	})
	return id, err
}

// UpdateRequest marks a request acknowledged or closed at the given time,
// audited as request_acknowledged or request_closed.
func (s *Store) UpdateRequest(ctx context.Context, id int64, status, actor string, at time.Time) error {
	col := map[string]string{RequestAcknowledged: "acknowledged_at", RequestClosed: "closed_at"}[status]
	if col == "" {
		return fmt.Errorf("store: request status %q (want %s or %s)", status, RequestAcknowledged, RequestClosed)
	}
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		var subject, kind, cur string
		var was, received int64
		err := tx.QueryRowContext(ctx, `SELECT subject_ref, kind, coalesce(`+col+`, 0), status, at FROM requests WHERE id = ?`, id).Scan(&subject, &kind, &was, &cur, &received)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: request %d: %w", id, ErrNoRequest)
		}
		if err != nil {
			return fmt.Errorf("store: request %d: %w", id, err)
		}
		if was == 0 && status == RequestClosed && cur == RequestClosed {
			was = received // answered in the chat, at once (see Requests)
		}
		if was != 0 {
			// Overwriting would move the recorded answer (or acknowledgement)
			// past the deadline it met.
			return fmt.Errorf("store: request %d was %w %s at %s", id, ErrRequestAlready, status, fromMilli(was).UTC().Format("2006-01-02 15:04 UTC"))
		}
		q := `UPDATE requests SET ` + col + ` = ?, status = CASE WHEN status = 'closed' THEN status ELSE ? END WHERE id = ?`
		if _, err := tx.ExecContext(ctx, q, unixMilli(at), status, id); err != nil {
			return fmt.Errorf("store: request %d: %w", id, err)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: "request_" + status, Subject: subject, Actor: actor,
			Detail: fmt.Sprintf("request=%d kind=%s", id, kind)})
	})
}

// Requests lists request records, newest first; open only when openOnly.
func (s *Store) Requests(ctx context.Context, openOnly bool) ([]Request, error) {
	q := `SELECT id, kind, subject_ref, at, detail, status, profile, channel, coalesce(acknowledged_at, 0), coalesce(closed_at, 0) FROM requests`
	if openOnly {
		q += ` WHERE status != 'closed'`
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: requests: %w", err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var r Request
		var at, ack, closed int64
		if err := rows.Scan(&r.ID, &r.Kind, &r.Subject, &at, &r.Detail, &r.Status, &r.Profile, &r.Channel, &ack, &closed); err != nil {
			return nil, fmt.Errorf("store: requests: %w", err)
		}
		r.Received = fromMilli(at)
		if r.Channel == "chat" && strings.Contains(r.Detail, "channel=cli") {
			r.Channel = "cli" // recorded by `deskbot privacy export` before channels had a column
		}
		if ack != 0 {
			r.Acknowledged = fromMilli(ack)
		}
		switch {
		case closed != 0:
			r.Closed = fromMilli(closed)
		case r.Status == RequestClosed:
			r.Closed = r.Received // answered in the chat, at once
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// requestWarningJob names a request's row in job_runs: when the running
// server last warned about its deadline (ClaimRequestWarnings).
const requestWarningJob = "request-deadline-warning/"

// ClaimRequestWarnings returns those of ids whose deadline has not been
// warned about yet on now's day (UTC) and records that they are, so the
// running server warns about each open request at most once a day (DSR-3).
// Records of earlier days go, so job_runs keeps one row per request warned
// today. On PostgreSQL the caller runs it inside a RunOnce job, which keeps
// two instances from claiming at the same time.
func (s *Store) ClaimRequestWarnings(ctx context.Context, ids []int64, now time.Time) ([]int64, error) {
	day := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	var out []int64
	err := s.write(ctx, func(ctx context.Context, tx *Tx) error {
		out = out[:0]
		if _, err := tx.ExecContext(ctx, `DELETE FROM job_runs WHERE name LIKE ? AND last_run < ?`, requestWarningJob+"%", unixMilli(day)); err != nil {
			return fmt.Errorf("store: request warnings: %w", err)
		}
		for _, id := range ids {
			name := requestWarningJob + strconv.FormatInt(id, 10)
			var last int64
			err := tx.QueryRowContext(ctx, `SELECT last_run FROM job_runs WHERE name = ?`, name).Scan(&last)
			if err == nil && last >= unixMilli(day) {
				continue // warned today
			}
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: request warnings: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO job_runs(name, last_run) VALUES(?, ?)
				ON CONFLICT(name) DO UPDATE SET last_run = excluded.last_run`, name, unixMilli(now)); err != nil {
				return fmt.Errorf("store: request warnings: %w", err)
			}
			out = append(out, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
