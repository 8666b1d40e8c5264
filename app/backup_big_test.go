package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/store"
)

// TestBigBackupAndRestore measures `deskbot backup` and `deskbot restore` of
// a database of about DESKBOT_BIG_BACKUP_MB (default 1024) megabytes. It
// runs only with DESKBOT_BIG_BACKUP=1 and removes its files at the end.
func TestBigBackupAndRestore(t *testing.T) {
	if os.Getenv("DESKBOT_BIG_BACKUP") != "1" {
		t.Skip("set DESKBOT_BIG_BACKUP=1 to measure backup and restore of a ~1 GB database")
	}
	mb := 1024
	if v, err := strconv.Atoi(os.Getenv("DESKBOT_BIG_BACKUP_MB")); err == nil && v > 0 {
		mb = v
	}
	ctx := context.Background()
	dir := t.TempDir()
	key := "0123456789abcdef0123456789abcdef"
	mk, err := compliance.NewMasterKey([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults(dir)
	st, err := store.Open(ctx, dbFile(dir), storeOptions(cfg, mk, nil))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Fill the messages table with ciphertext-like rows (random bytes do
	// not compress, like sealed rows), in large transactions.
	start := time.Now()
	db, err := sql.Open("sqlite", "file:"+dbFile(dir)+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 1000)
	now := time.Now().UnixMilli()
	rows := mb << 20 / 1400 // a row and its index entries take about 1.4 kB
	for done := 0; done < rows; {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if done == 0 {
			tx.Exec(`INSERT INTO subjects(id, wrapped_key, created_at) VALUES('big', x'00', ?)`, now)
			tx.Exec(`INSERT INTO sessions(id, token_hash, subject_id, profile, created_at, last_seen) VALUES('big', x'01', 'big', 'eu', ?, ?)`, now, now)
		}
		stmt, _ := tx.Prepare(`INSERT INTO messages(session_id, subject_id, at, sender, body) VALUES('big', 'big', ?, 'customer', ?)`)
		for i := 0; i < 50000 && done < rows; i, done = i+1, done+1 {
			rand.Read(body)
			if _, err := stmt.Exec(now, body); err != nil {
				t.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	db.Close()
	fi, _ := os.Stat(dbFile(dir))
	t.Logf("generated %d MB (%d rows) in %s", fi.Size()>>20, rows, time.Since(start).Round(time.Second))

	// The phases of a backup, alone: the snapshot and its checks.
	snapDir := t.TempDir()
	start = time.Now()
	if err := store.SnapshotFile(ctx, dbFile(dir), filepath.Join(snapDir, "s.db")); err != nil {
		t.Fatal(err)
	}
	snapTook := time.Since(start)
	start = time.Now()
	if _, err := store.InspectFile(ctx, filepath.Join(snapDir, "s.db")); err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot (VACUUM INTO) %s, checks (row counts, quick_check, audit chain) %s", snapTook.Round(100*time.Millisecond), time.Since(start).Round(100*time.Millisecond))
	os.Remove(filepath.Join(snapDir, "s.db"))

	t.Setenv("DESKBOT_MASTER_KEY", hex.EncodeToString([]byte(key)))
	out := filepath.Join(t.TempDir(), "big.tar.gz")
	start = time.Now()
	var stdout, stderr testWriter
	if code := Run([]string{"backup", "--data-dir", dir, "--output", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("backup: %s %s", stdout, stderr)
	}
	backupTook := time.Since(start)
	afi, _ := os.Stat(out)
	target := filepath.Join(t.TempDir(), "restored")
	start = time.Now()
	if code := Run([]string{"restore", "--input", out, "--data-dir", target, "--no-erasure-ledger"}, &stdout, &stderr); code != 0 {
		t.Fatalf("restore: %s %s", stdout, stderr)
	}
	restoreTook := time.Since(start)
	t.Logf("database %d MB: backup %s (archive %d MB), restore %s", fi.Size()>>20, backupTook.Round(100*time.Millisecond), afi.Size()>>20, restoreTook.Round(100*time.Millisecond))
	t.Log(stdout.String())
}

type testWriter struct{ b []byte }

func (w *testWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
func (w *testWriter) String() string              { return string(w.b) }
