package store

import (
	"context"
	"database/sql"
	"fmt"
)

// schema is applied in order; each entry is one version.
var schema = []string{
	`CREATE TABLE subjects (
		id TEXT PRIMARY KEY,
		wrapped_key BLOB NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		token_hash BLOB NOT NULL UNIQUE,
		subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
		profile TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		last_seen INTEGER NOT NULL,
		state BLOB
	);
	CREATE INDEX sessions_subject ON sessions(subject_id);
	CREATE TABLE messages (
		id INTEGER PRIMARY KEY,
		session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
		subject_id TEXT NOT NULL,
		at INTEGER NOT NULL,
		sender TEXT NOT NULL,
		body BLOB NOT NULL
	);
	CREATE INDEX messages_session ON messages(session_id, id);
	CREATE INDEX messages_subject_at ON messages(subject_id, at);`,
}

func migrate(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("store: schema version: %w", err)
	}
	for i := v; i < len(schema); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, schema[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
	}
	return nil
}
