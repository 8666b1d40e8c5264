package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Online backups. A consistent copy of a live database is made with
// VACUUM INTO, which reads through an ordinary connection inside one read
// transaction: the copy holds every commit before it started and none
// after, whatever the server is writing meanwhile. The live database, WAL
// and shm files are never opened as files: closing any descriptor on them
// would drop the POSIX locks of SQLite connections in the same process.

// Snapshot writes a consistent copy of the database to dest (which must
// not exist) through the store's own connection, so a server can back
// itself up without touching its files.
func (s *Store) Snapshot(ctx context.Context, dest string) error {
	if s.pg {
		return ErrPostgresBackup
	}
	if err := prepareSnapshotFile(dest); err != nil {
		return err
	}
	if _, err := s.r.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("store: snapshot: %w", s.describe(err))
	}
	return nil
}

// SnapshotFile writes a consistent copy of the database at dbPath to dest
// through a new connection, for a process other than the server (deskbot
// backup beside a running server). It neither migrates nor writes the
// database.
func SnapshotFile(ctx context.Context, dbPath, dest string) error {
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(dbPath)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer db.Close()
	if err := prepareSnapshotFile(dest); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("store: snapshot: %w", describeErr(dbPath, err))
	}
	return nil
}

// prepareSnapshotFile creates dest empty with mode 0600 (VACUUM INTO
// accepts an empty file and keeps its mode), refusing an existing file.
func prepareSnapshotFile(dest string) error {
	f, err := os.OpenFile(dest, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	return f.Close()
}

// SnapshotInfo describes a database file that no server uses (a snapshot
// or a restored copy).
type SnapshotInfo struct {
	// SchemaVersion is the highest migration recorded; 0 with Legacy > 0
	// for a database of the layout before numbered migrations.
	SchemaVersion int
	Legacy        int
	Rows          map[string]int64 // rows per table
	AuditRecords  int              // records of the audit chain, verified
}

// InspectFile counts the rows of every table of the database at path,
// reads its schema version and verifies its audit chain (AUD-1). Use it on
// a snapshot or a restored file, never on a live database: it opens and
// closes the file.
func InspectFile(ctx context.Context, path string) (SnapshotInfo, error) {
	info := SnapshotInfo{Rows: map[string]int64{}}
	if _, err := os.Stat(path); err != nil {
		return info, fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return info, fmt.Errorf("store: %w", err)
	}
	defer db.Close()
	tx, err := (&DB{DB: db}).BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return info, fmt.Errorf("store: %s: %w", path, describeErr(path, err))
	}
	defer tx.Rollback()
	if info.SchemaVersion, info.Legacy, err = schemaState(ctx, tx); err != nil {
		return info, err
	}
	tables, err := queryStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return info, fmt.Errorf("store: %s: %w", path, describeErr(path, err))
	}
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return info, fmt.Errorf("store: %s: count %s: %w", path, t, describeErr(path, err))
		}
		info.Rows[t] = n
	}
	var check string
	if err := tx.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil || check != "ok" {
		return info, fmt.Errorf("store: %s: %w: quick_check: %s %v", path, ErrCorrupt, check, err)
	}
	tx.Rollback()
	db.Close()
	if info.AuditRecords, err = VerifyAuditFile(ctx, path); err != nil {
		return info, err
	}
	return info, nil
}

// SubjectHash is the erasure ledger's name for a subject: the SHA-256 of
// its pseudonymous id, so the ledger holds nothing that finds a customer.
func SubjectHash(subject string) string {
	h := sha256.Sum256([]byte("deskbot-erasure\x00" + subject))
	return hex.EncodeToString(h[:])
}

// ReapplyErasures erases every subject of the database whose SubjectHash
// the ledger lists (erased after a backup was taken, then brought back by
// restoring it). Each is erased as Erase does, with actor, so the request
// and the audit chain record it again. It returns how many were erased.
func (s *Store) ReapplyErasures(ctx context.Context, ledger map[string]time.Time, actor string, at time.Time) (int, error) {
	if len(ledger) == 0 {
		return 0, nil
	}
	// Subjects can be referenced by rows whose subjects row is gone
	// (consents, requests): look everywhere a subject id is kept with data.
	ids, err := queryStrings(ctx, s.r, `SELECT id FROM subjects
		UNION SELECT subject_id FROM sessions UNION SELECT subject_id FROM messages
		UNION SELECT subject_id FROM consents UNION SELECT subject_id FROM contacts
		UNION SELECT subject_id FROM unanswered UNION SELECT subject_id FROM lookup`)
	if err != nil {
		return 0, fmt.Errorf("store: reapply erasures: %w", err)
	}
	n := 0
	for _, id := range ids {
		if _, ok := ledger[SubjectHash(id)]; !ok {
			continue
		}
		if _, err := s.Erase(ctx, id, actor, at); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}
