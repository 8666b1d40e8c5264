package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrExists means a row with the same key is already stored.
var ErrExists = errors.New("already exists")

// Agent is a person from the shop's team who can take conversations over.
// Only a password hash is stored, never the password.
type Agent struct {
	Name         string // log-in name
	DisplayName  string // shown to customers (DISC-6)
	PasswordHash string // encoded argon2id hash
	CreatedAt    time.Time
	Disabled     bool
}

// CreateAgent stores a new agent account; ErrExists if the name is taken.
func (s *Store) CreateAgent(ctx context.Context, a Agent) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO agents(name, display_name, password_hash, created_at, disabled) VALUES(?,?,?,?,?)`,
			a.Name, a.DisplayName, a.PasswordHash, unixMilli(a.CreatedAt), boolInt(a.Disabled))
		if err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("store: agent %q: %w", a.Name, ErrExists)
			}
			return fmt.Errorf("store: create agent: %w", err)
		}
		return nil
	})
}

// SetAgentPassword replaces an agent's password hash and ends its sessions.
func (s *Store) SetAgentPassword(ctx context.Context, name, hash string) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE agents SET password_hash = ? WHERE name = ?`, hash, name)
		if err != nil {
			return fmt.Errorf("store: set agent password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: agent %q: %w", name, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_sessions WHERE agent = ?`, name); err != nil {
			return fmt.Errorf("store: set agent password: %w", err)
		}
		return nil
	})
}

// AgentByName returns one agent or ErrNotFound.
func (s *Store) AgentByName(ctx context.Context, name string) (Agent, error) {
	var a Agent
	var created int64
	var disabled int
	err := s.r.QueryRowContext(ctx, `SELECT name, display_name, password_hash, created_at, disabled FROM agents WHERE name = ?`, name).
		Scan(&a.Name, &a.DisplayName, &a.PasswordHash, &created, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, ErrNotFound
	}
	if err != nil {
		return Agent{}, fmt.Errorf("store: agent: %w", err)
	}
	a.CreatedAt, a.Disabled = fromMilli(created), disabled != 0
	return a, nil
}

// Agents lists every agent account by name, without password hashes.
// Test agents of a test run (store/test_runs.go) are not part of the roster.
func (s *Store) Agents(ctx context.Context) ([]Agent, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, display_name, created_at, disabled FROM agents WHERE test_run IS NULL ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: agents: %w", err)
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		var a Agent
		var created int64
		var disabled int
		if err := rows.Scan(&a.Name, &a.DisplayName, &created, &disabled); err != nil {
			return nil, fmt.Errorf("store: agents: %w", err)
		}
		a.CreatedAt, a.Disabled = fromMilli(created), disabled != 0
		out = append(out, a)
	}
	return out, rows.Err()
}

// AgentSession is a logged-in agent. Only the hash of the cookie token is stored.
type AgentSession struct {
	TokenHash []byte
	Agent     string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateAgentSession stores a log-in session and drops the agent's expired ones.
func (s *Store) CreateAgentSession(ctx context.Context, as AgentSession) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_sessions WHERE agent = ? AND expires_at <= ?`, as.Agent, unixMilli(as.CreatedAt)); err != nil {
			return fmt.Errorf("store: agent session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO agent_sessions(token_hash, agent, created_at, expires_at) VALUES(?,?,?,?)`,
			as.TokenHash, as.Agent, unixMilli(as.CreatedAt), unixMilli(as.ExpiresAt)); err != nil {
			return fmt.Errorf("store: agent session: %w", err)
		}
		return nil
	})
}

// AgentSessionByHash returns a live session (not expired at now, agent not
// disabled) or ErrNotFound.
func (s *Store) AgentSessionByHash(ctx context.Context, tokenHash []byte, now time.Time) (AgentSession, error) {
	var as AgentSession
	var created, expires int64
	err := s.r.QueryRowContext(ctx, `SELECT s.agent, s.created_at, s.expires_at FROM agent_sessions s JOIN agents a ON a.name = s.agent
		WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0`, tokenHash, unixMilli(now)).Scan(&as.Agent, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return AgentSession{}, ErrNotFound
	}
	if err != nil {
		return AgentSession{}, fmt.Errorf("store: agent session: %w", err)
	}
	as.TokenHash, as.CreatedAt, as.ExpiresAt = tokenHash, fromMilli(created), fromMilli(expires)
	return as, nil
}

// DeleteAgentSession ends one log-in session.
func (s *Store) DeleteAgentSession(ctx context.Context, tokenHash []byte) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_sessions WHERE token_hash = ?`, tokenHash); err != nil {
			return fmt.Errorf("store: agent logout: %w", err)
		}
		return nil
	})
}

// OfflineMessage is a message a customer left while no agent was available.
// Text is sealed with the customer's data key at rest.
type OfflineMessage struct {
	ID        int64
	Subject   string
	Session   string
	At        time.Time
	Text      string // already redacted by the caller
	HandledAt time.Time
	HandledBy string
	TestRun   string // the test run whose session left it (test_runs.go); empty for a customer
}

// LeaveMessage seals and stores an offline message and returns its id.
func (s *Store) LeaveMessage(ctx context.Context, m OfflineMessage) (int64, error) {
	c, err := s.cipher(ctx, m.Subject)
	if err != nil {
		return 0, err
	}
	body := c.Seal([]byte(m.Text), aad("offline", m.Subject, m.Session))
	var id int64
	err = s.write(ctx, func(ctx context.Context, tx *Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO offline_messages(subject_id, session_id, at, body) VALUES(?,?,?,?) RETURNING id`,
			m.Subject, m.Session, unixMilli(m.At), body).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: leave message: %w", err)
		}
		return nil
	})
	return id, err
}

// OfflineMessages returns the messages not yet handled, oldest first,
// decrypted. Messages of erased customers are gone with their key.
func (s *Store) OfflineMessages(ctx context.Context) ([]OfflineMessage, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, subject_id, session_id, at, body,
		coalesce((SELECT test_run FROM sessions WHERE sessions.id = offline_messages.session_id), '')
		FROM offline_messages WHERE handled_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: offline messages: %w", err)
	}
	type raw struct {
		m    OfflineMessage
		body []byte
	}
	var rs []raw
	for rows.Next() {
		var r raw
		var at int64
		if err := rows.Scan(&r.m.ID, &r.m.Subject, &r.m.Session, &at, &r.body, &r.m.TestRun); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: offline messages: %w", err)
		}
		r.m.At = fromMilli(at)
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: offline messages: %w", err)
	}
	out := make([]OfflineMessage, 0, len(rs))
	for _, r := range rs {
		c, err := s.cipher(ctx, r.m.Subject)
		if errors.Is(err, ErrErased) {
			continue
		}
		if err != nil {
			return nil, err
		}
		p, err := c.Open(r.body, aad("offline", r.m.Subject, r.m.Session))
		if err != nil {
			s.unreadable("offline_messages", r.m.ID, err) // one damaged row must not empty the inbox
			continue
		}
		r.m.Text = string(p)
		out = append(out, r.m)
	}
	return out, nil
}

// CountOfflineMessages counts the messages not yet handled.
func (s *Store) CountOfflineMessages(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM offline_messages WHERE handled_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: offline messages: %w", err)
	}
	return n, nil
}

// MarkOfflineHandled records that an agent dealt with an offline message.
func (s *Store) MarkOfflineHandled(ctx context.Context, id int64, agent string, at time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE offline_messages SET handled_at = ?, handled_by = ? WHERE id = ? AND handled_at IS NULL`, unixMilli(at), agent, id)
		if err != nil {
			return fmt.Errorf("store: offline handled: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: offline message %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// Contacts returns the contact details a subject consented to keep, decrypted.
func (s *Store) Contacts(ctx context.Context, subject string) ([]string, error) {
	c, err := s.cipher(ctx, subject)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, body FROM contacts WHERE subject_id = ? ORDER BY id`, subject)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return nil, fmt.Errorf("store: contacts: %w", err)
		}
		p, err := c.Open(b, aad("contact", subject, ""))
		if err != nil {
			s.unreadable("contacts", id, err)
			continue
		}
		out = append(out, string(p))
	}
	return out, rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
