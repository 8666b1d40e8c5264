package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"deskbot/compliance"
)

// BRCH-1 (GDPR Art. 33, 34): a personal-data breach is documented with
// what happened, when it was found, the categories and approximate numbers
// of subjects and records concerned, whether the data was encrypted, the
// measures taken and when the authority and the customers were told. The
// authority must be told within 72 hours of discovery.

// BreachNotifyWithin is GDPR Art. 33(1)'s deadline for telling the
// supervisory authority, counted from discovery.
const BreachNotifyWithin = 72 * time.Hour

// ErrNoIncident: no incident with that id.
var ErrNoIncident = errors.New("no such incident")

// ErrAlreadyNotified: the notification time asked for is already recorded.
// It is the proof that the 72-hour deadline was met (BRCH-1), so a second
// notify does not move it.
var ErrAlreadyNotified = errors.New("notification already recorded")

// Incident is one breach record.
type Incident struct {
	ID       int64
	What     string
	Found    time.Time
	Recorded time.Time
	// From, To: the time window the breach exposed (zero when the operator
	// named subjects instead).
	From, To time.Time
	// Subjects and Records are the counts concerned, computed from the store.
	Subjects, Records int
	// Categories: rows concerned by category (transcript_lines, contacts,
	// left_messages, unanswered, consents).
	Categories map[string]int
	Encrypted  bool
	Measures   string
	// AuthorityNotified, CustomersNotified: zero until done.
	AuthorityNotified, CustomersNotified time.Time
}

// NotifyBy is the 72-hour deadline for telling the authority.
func (i Incident) NotifyBy() time.Time { return i.Found.Add(BreachNotifyWithin) }

// Scope is what a breach exposed: a time window, or named subjects.
type Scope struct {
	From, To time.Time
	Subjects []string
}

// categoryQueries are the tables counted for a breach, by category, with
// the column holding each row's time.
var categoryQueries = []struct{ name, table, at string }{
	{"transcript_lines", "messages", "at"},
	{"contacts", "contacts", "at"},
	{"left_messages", "offline_messages", "at"},
	{"unanswered", "unanswered", "at"},
	{"consents", "consents", "at"},
	{"agent_notes", "agent_notes", "updated_at"}, // notes.go
}

// Affected computes the subjects and records a scope concerns, reading
// only ids and times: nothing is decrypted.
func (s *Store) Affected(ctx context.Context, sc Scope) (subjects []string, categories map[string]int, err error) {
	categories = map[string]int{}
	set := map[string]bool{}
	for _, c := range categoryQueries {
		var cond string
		var args []any
		if len(sc.Subjects) > 0 {
			cond = "subject_id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(sc.Subjects)), ",") + ")"
			for _, id := range sc.Subjects {
				args = append(args, id)
			}
		} else {
			cond = c.at + " >= ? AND " + c.at + " < ?"
			args = []any{unixMilli(sc.From), unixMilli(sc.To)}
		}
		rows, err := s.r.QueryContext(ctx, `SELECT subject_id, count(*) FROM `+c.table+` WHERE `+cond+` GROUP BY subject_id`, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("store: incident scope: %w", err)
		}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("store: incident scope: %w", err)
			}
			categories[c.name] += n
			set[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("store: incident scope: %w", err)
		}
	}
	for id := range set {
		subjects = append(subjects, id)
	}
	slices.Sort(subjects)
	return subjects, categories, nil
}

// AddIncident computes the scope's subjects and records, stores the breach
// record with them and audits it (event incident; counts only).
func (s *Store) AddIncident(ctx context.Context, in Incident, sc Scope, actor string) (Incident, error) {
	subjects, cats, err := s.Affected(ctx, sc)
	if err != nil {
		return in, err
	}
	in.Subjects, in.Categories, in.Records = len(subjects), cats, 0
	for _, n := range cats {
		in.Records += n
	}
	in.From, in.To = sc.From, sc.To
	err = s.write(ctx, func(ctx context.Context, tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO incidents(what, found_at, recorded_at, window_from, window_to, subjects, records, categories, encrypted, measures, authority_notified_at, customers_notified_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.What, unixMilli(in.Found), unixMilli(in.Recorded), nullTime(in.From), nullTime(in.To), in.Subjects, in.Records,
			formatCategories(cats), boolInt(in.Encrypted), in.Measures, nullTime(in.AuthorityNotified), nullTime(in.CustomersNotified)).Scan(&in.ID)
		if err != nil {
			return fmt.Errorf("store: add incident: %w", err)
		}
		for _, id := range subjects {
			if _, err := tx.ExecContext(ctx, `INSERT INTO incident_subjects(incident_id, subject_ref) VALUES(?, ?)`, in.ID, id); err != nil {
				return fmt.Errorf("store: add incident: %w", err)
			}
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: in.Recorded, Event: "incident", Actor: actor,
			Detail: fmt.Sprintf("incident=%d subjects=%d records=%d encrypted=%t %s", in.ID, in.Subjects, in.Records, in.Encrypted, formatCategories(cats))})
	})
	return in, err
}

// NotifyIncident records when the authority or the customers were told,
// and measures taken since; audited as incident_update.
func (s *Store) NotifyIncident(ctx context.Context, id int64, authority, customers time.Time, measures, actor string, at time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		var auth, cust int64
		err := tx.QueryRowContext(ctx, `SELECT coalesce(authority_notified_at, 0), coalesce(customers_notified_at, 0) FROM incidents WHERE id = ?`, id).Scan(&auth, &cust)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: incident %d: %w", id, ErrNoIncident)
		}
		if err != nil {
			return fmt.Errorf("store: incident %d: %w", id, err)
		}
		if !authority.IsZero() && auth != 0 {
			return fmt.Errorf("store: incident %d: the supervisory authority was notified at %s: %w", id, fromMilli(auth).UTC().Format(time.RFC3339), ErrAlreadyNotified)
		}
		if !customers.IsZero() && cust != 0 {
			return fmt.Errorf("store: incident %d: the customers were notified at %s: %w", id, fromMilli(cust).UTC().Format(time.RFC3339), ErrAlreadyNotified)
		}
		res, err := tx.ExecContext(ctx, `UPDATE incidents SET
			authority_notified_at = coalesce(?, authority_notified_at),
			customers_notified_at = coalesce(?, customers_notified_at),
			measures = CASE WHEN ? = '' THEN measures WHEN measures = '' THEN ? ELSE measures || '; ' || ? END
			WHERE id = ?`, nullTime(authority), nullTime(customers), measures, measures, measures, id)
		if err != nil {
			return fmt.Errorf("store: incident %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: incident %d: %w", id, ErrNoIncident)
		}
		return appendAudit(ctx, tx, compliance.AuditRecord{At: at, Event: "incident_update", Actor: actor,
			Detail: fmt.Sprintf("incident=%d authority_notified=%t customers_notified=%t measures_added=%t", id, !authority.IsZero(), !customers.IsZero(), measures != "")})
	})
}

// Incidents lists breach records, newest first.
func (s *Store) Incidents(ctx context.Context) ([]Incident, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, what, found_at, recorded_at, coalesce(window_from, 0), coalesce(window_to, 0), subjects, records,
		categories, encrypted, measures, coalesce(authority_notified_at, 0), coalesce(customers_notified_at, 0) FROM incidents ORDER BY found_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: incidents: %w", err)
	}
	defer rows.Close()
	var out []Incident
	for rows.Next() {
		var i Incident
		var found, rec, from, to, auth, cust int64
		var cats string
		if err := rows.Scan(&i.ID, &i.What, &found, &rec, &from, &to, &i.Subjects, &i.Records, &cats, &i.Encrypted, &i.Measures, &auth, &cust); err != nil {
			return nil, fmt.Errorf("store: incidents: %w", err)
		}
		i.Found, i.Recorded = fromMilli(found), fromMilli(rec)
		i.From, i.To, i.AuthorityNotified, i.CustomersNotified = optTime(from), optTime(to), optTime(auth), optTime(cust)
		i.Categories = parseCategories(cats)
		out = append(out, i)
	}
	return out, rows.Err()
}

// Incident returns one breach record.
func (s *Store) Incident(ctx context.Context, id int64) (Incident, error) {
	all, err := s.Incidents(ctx)
	if err != nil {
		return Incident{}, err
	}
	for _, i := range all {
		if i.ID == id {
			return i, nil
		}
	}
	return Incident{}, fmt.Errorf("store: incident %d: %w", id, ErrNoIncident)
}

// IncidentSubjects lists the pseudonymous subjects an incident concerns,
// for notification; nothing is decrypted.
func (s *Store) IncidentSubjects(ctx context.Context, id int64) ([]string, error) {
	out, err := queryStrings(ctx, s.r, `SELECT subject_ref FROM incident_subjects WHERE incident_id = ? ORDER BY subject_ref`, id)
	if err != nil {
		return nil, fmt.Errorf("store: incident subjects: %w", err)
	}
	return out, nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return unixMilli(t)
}

func optTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return fromMilli(ms)
}

func formatCategories(m map[string]int) string {
	var parts []string
	for _, c := range categoryQueries {
		parts = append(parts, fmt.Sprintf("%s=%d", c.name, m[c.name]))
	}
	return strings.Join(parts, " ")
}

func parseCategories(s string) map[string]int {
	m := map[string]int{}
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		var n int
		fmt.Sscanf(v, "%d", &n)
		m[k] = n
	}
	return m
}
