package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Schema upgrades. The database's layout is built by numbered migrations,
// applied in order at Open, all pending ones in one transaction: a start
// either finds the database at this binary's version or leaves it exactly
// as it was. Each applied migration is recorded in schema_migrations
// (version, name, when), and PRAGMA user_version mirrors the highest one
// for tools that read the file (sqlite3 deskbot.db 'PRAGMA user_version').
//
// A database whose recorded version is higher than this binary knows was
// written by a newer deskbot and is refused (ErrSchemaNewer): an older
// binary cannot know what the newer layout means.
//
// Releases before numbered migrations counted their steps (legacySchema)
// in user_version and had no schema_migrations table; such a database is
// recognised by that, finished by the remaining legacy steps, and recorded
// as migration 1 — upgraded in place, never recreated.
//
// To change the layout, append a migration with the next version; never
// edit one that has shipped.

// ErrSchemaNewer refuses a database written by a newer deskbot; the error
// returned is a *SchemaNewerError.
var ErrSchemaNewer = errors.New("database schema is newer than this deskbot")

// SchemaNewerError names the database's schema version and this binary's.
type SchemaNewerError struct{ Database, Binary int }

func (e *SchemaNewerError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this deskbot (%d); upgrade deskbot "+
		"(or restore the backup taken before the upgrade with this version)", e.Database, e.Binary)
}

// Is makes errors.Is(err, ErrSchemaNewer) true.
func (e *SchemaNewerError) Is(target error) bool { return target == ErrSchemaNewer }

// ErrSchemaUnknown refuses a database this deskbot did not make.
var ErrSchemaUnknown = errors.New("database layout not recognised")

// migration is one numbered schema step.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations is the ordered list of schema steps; Version is its position
// from 1. Append only.
var migrations = []migration{
	{1, "initial layout (sessions, transcripts, compliance records, agents)", strings.Join(legacySchema, "\n")},
	{2, "request status and deadlines (DSR-3), breach records (BRCH-1)", schemaRequestsIncidents},
	{3, "test runs: test sessions and test agents, erased when the run ends", schemaTestRuns},
	{4, "agent notes: a private note per conversation, sealed per subject", schemaAgentNotes},
	{5, "job runs: once-per-period jobs run once across instances", schemaJobRuns},
	{6, "rate limits: allowances per client address shared across instances", schemaRateLimits},
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at INTEGER NOT NULL
);`

// SchemaVersion is the schema version this binary writes: the number of
// its last migration.
func SchemaVersion() int { return migrations[len(migrations)-1].Version }

// AppliedMigration is one row of schema_migrations.
type AppliedMigration struct {
	Version   int
	Name      string
	AppliedAt time.Time
}

// Migrations returns the migrations recorded in the database, oldest first.
func (s *Store) Migrations(ctx context.Context) ([]AppliedMigration, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	defer rows.Close()
	var out []AppliedMigration
	for rows.Next() {
		var m AppliedMigration
		var at int64
		if err := rows.Scan(&m.Version, &m.Name, &at); err != nil {
			return nil, fmt.Errorf("store: migrations: %w", err)
		}
		m.AppliedAt = fromMilli(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// DatabaseSchemaVersion returns the schema version recorded in the database.
func (s *Store) DatabaseSchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// migrate brings the database to SchemaVersion in one transaction.
func migrate(ctx context.Context, db *DB, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: schema version: %w", err)
	}
	defer tx.Rollback()
	from, legacy, err := migrateTx(ctx, tx)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	want := SchemaVersion()
	switch {
	case from == want:
	case legacy > 0:
		log.Info("store: database upgraded from the earlier layout", "earlier_layout", legacy, "schema_version", want)
	case from > 0:
		log.Info("store: database schema upgraded", "from", from, "to", want)
	}
	return nil
}

// migrateTx applies the pending migrations inside tx, which the caller
// commits: Open commits them alone, CopyToPostgres with the copied rows,
// so that a failed copy leaves no schema behind. It returns the version
// found and, for a database of the earlier layout, its step count.
func migrateTx(ctx context.Context, tx *Tx) (from, legacy int, err error) {
	if tx.pg {
		// Instances starting together migrate one at a time; the others
		// then find the database at this version.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, lockMigrate); err != nil {
			return 0, 0, fmt.Errorf("store: migrate: %w", err)
		}
	}
	from, legacy, err = schemaState(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	want := SchemaVersion()
	if from > want {
		return 0, 0, fmt.Errorf("store: %w", &SchemaNewerError{Database: from, Binary: want})
	}
	if from == want {
		return from, 0, nil
	}
	found := from
	now := unixMilli(time.Now())
	table := migrationsTable
	if tx.pg {
		table = pgDDL(table)
	}
	if _, err := tx.ExecContext(ctx, table); err != nil {
		return 0, 0, fmt.Errorf("store: migrate: %w", err)
	}
	if legacy > 0 {
		// A database of the releases before numbered migrations: finish
		// it with the legacy steps it lacks; together they are migration 1.
		for i := legacy; i < len(legacySchema); i++ {
			if _, err := tx.ExecContext(ctx, legacySchema[i]); err != nil {
				return 0, 0, fmt.Errorf("store: migrate: earlier layout step %d: %w", i+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES(1, ?, ?)`,
			fmt.Sprintf("%s; upgraded from the earlier layout %d", migrations[0].Name, legacy), now); err != nil {
			return 0, 0, fmt.Errorf("store: migrate: %w", err)
		}
		from = 1
	}
	for _, m := range migrations[from:] {
		ddl := m.SQL
		if tx.pg {
			ddl = pgDDL(ddl)
		}
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return 0, 0, fmt.Errorf("store: migrate to schema version %d (%s): %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES(?, ?, ?)`, m.Version, m.Name, now); err != nil {
			return 0, 0, fmt.Errorf("store: migrate to schema version %d: %w", m.Version, err)
		}
	}
	if !tx.pg {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", want)); err != nil {
			return 0, 0, fmt.Errorf("store: migrate: %w", err)
		}
	}
	return found, legacy, nil
}

// schemaState reads the recorded schema version. legacy > 0 is the step
// count of a database made before numbered migrations (version is then 0).
func schemaState(ctx context.Context, tx *Tx) (version, legacy int, err error) {
	if tx.pg {
		return pgSchemaState(ctx, tx)
	}
	var uv int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&uv); err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	if n == 1 {
		var count int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0), count(*) FROM schema_migrations`).Scan(&version, &count); err != nil {
			return 0, 0, fmt.Errorf("store: schema version: %w", err)
		}
		if count != version {
			return 0, 0, fmt.Errorf("%w: schema_migrations records %d migrations up to version %d; some are missing", ErrSchemaUnknown, count, version)
		}
		return max(version, uv), 0, nil
	}
	var tables int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&tables); err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	switch {
	case uv == 0 && tables == 0:
		return 0, 0, nil // a new database
	case uv >= 1 && uv <= len(legacySchema):
		return 0, uv, nil
	case uv == 0:
		return 0, 0, fmt.Errorf("%w: it has %d tables but no schema version; is it a deskbot database?", ErrSchemaUnknown, tables)
	default:
		return 0, 0, fmt.Errorf("%w: user_version %d without schema_migrations", ErrSchemaUnknown, uv)
	}
}

// pgSchemaState reads the recorded schema version of a PostgreSQL
// database: there is no earlier layout there, only schema_migrations.
func pgSchemaState(ctx context.Context, tx *Tx) (version, legacy int, err error) {
	var have bool
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&have); err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	if !have {
		var tables int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil {
			return 0, 0, fmt.Errorf("store: schema version: %w", err)
		}
		if tables > 0 {
			return 0, 0, fmt.Errorf("%w: the database has %d tables but no schema_migrations; give deskbot a database of its own", ErrSchemaUnknown, tables)
		}
		return 0, 0, nil
	}
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0), count(*) FROM schema_migrations`).Scan(&version, &count); err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	if count != version {
		return 0, 0, fmt.Errorf("%w: schema_migrations records %d migrations up to version %d; some are missing", ErrSchemaUnknown, count, version)
	}
	return version, 0, nil
}
