package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/compliance"
)

func testCrypto(t *testing.T) Crypto {
	t.Helper()
	mk, err := compliance.NewMasterKey([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return Crypto{Wrapper: mk, NewCipher: func(dk []byte) (Cipher, error) { return compliance.NewSealer(dk) }, NewDataKey: compliance.NewDataKey}
}

func tableNames(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return strings.Join(names, ",")
}

// A database left part-way through the earlier layout's steps (an old
// release) is finished by the remaining steps and recorded as migration 1.
func TestUpgradeFromPartialEarlierLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deskbot.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := db.Exec(legacySchema[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(context.Background(), path, Options{Crypto: testCrypto(t)})
	if err != nil {
		t.Fatal(err)
	}
	var article string
	if err := s.r.QueryRow(`SELECT count(*) FROM agents`).Scan(new(int)); err != nil {
		t.Fatalf("agents table missing after upgrade: %v", err)
	}
	if err := s.r.QueryRow(`SELECT coalesce(max(article), '') FROM unanswered`).Scan(&article); err != nil {
		t.Fatalf("unanswered.article missing after upgrade: %v", err)
	}
	ms, err := s.Migrations(context.Background())
	if err != nil || len(ms) != len(migrations) || !strings.Contains(ms[0].Name, "earlier layout 3") {
		t.Fatalf("migrations = %+v, %v", ms, err)
	}
	s.Close()
}

// All pending migrations apply in one transaction: one failing step leaves
// the database as it was, with none of the earlier pending steps applied.
func TestMigrationsAllOrNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deskbot.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{Crypto: testCrypto(t)})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := tableNames(t, path)
	orig := migrations
	t.Cleanup(func() { migrations = orig })
	n := len(orig)
	migrations = append(append([]migration{}, orig...),
		migration{n + 1, "test table", `CREATE TABLE migrate_test_a (x INTEGER);`},
		migration{n + 2, "broken", `CREATE TABLE migrate_test_b (x INTEGER); INSERT INTO no_such_table VALUES (1);`})
	_, err = Open(ctx, path, Options{Crypto: testCrypto(t)})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d (broken)", n+2)) {
		t.Fatalf("open with a broken migration: %v", err)
	}
	if after := tableNames(t, path); after != before {
		t.Fatalf("a failed upgrade changed the tables:\n before %s\n after  %s", before, after)
	}
	migrations[n+1].SQL = `CREATE TABLE migrate_test_b (x INTEGER);`
	s, err = Open(ctx, path, Options{Crypto: testCrypto(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.DatabaseSchemaVersion(ctx); err != nil || v != n+2 {
		t.Fatalf("schema version = %d, %v; want %d", v, err, n+2)
	}
	if !strings.Contains(tableNames(t, path), "migrate_test_a,migrate_test_b") {
		t.Fatalf("tables = %s", tableNames(t, path))
	}
}

// Versions are the migrations' positions from 1, so none is skipped or
// repeated when one is appended.
func TestMigrationVersionsAreSequential(t *testing.T) {
	for i, m := range migrations {
		if m.Version != i+1 || m.Name == "" || strings.TrimSpace(m.SQL) == "" {
			t.Fatalf("migration %d: %+v", i, m)
		}
	}
}
