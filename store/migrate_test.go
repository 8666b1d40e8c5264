package store_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"deskbot/store"
)

// copyLegacy writes testdata/legacy-layout-6.db.gz, a database made by the
// last release before numbered migrations (commit cbe7412: one session
// with the token hash "legacy-token-hash" and a two-line transcript, key1),
// to dir/deskbot.db.
func copyLegacy(t *testing.T, dir string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "legacy-layout-6.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "deskbot.db")
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func rawSQL(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	db := rawSQL(t, path)
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return v
}

// A database made by the previous release layout is upgraded in place:
// its session resumes by token with its transcript, the upgrade is
// recorded as migration 1, and a second start changes nothing.
func TestUpgradeFromEarlierReleaseLayout(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	path := copyLegacy(t, dir)
	if v := userVersion(t, path); v != 6 {
		t.Fatalf("testdata user_version = %d, want 6 (the earlier layout)", v)
	}
	ctx := context.Background()
	s := open(t, dir, key1)
	sess, err := s.SessionByToken(ctx, []byte("legacy-token-hash"))
	if err != nil {
		t.Fatalf("the earlier release's session is gone after the upgrade: %v", err)
	}
	tr, err := s.Transcript(ctx, sess.SubjectID, sess.ID)
	if err != nil || len(tr) != 2 || string(tr[0].Body) != "where is my order?" || string(tr[1].Body) != "Orders ship in 2 days." {
		t.Fatalf("transcript after upgrade = %+v, %v", tr, err)
	}
	applied, err := s.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != store.SchemaVersion() || applied[0].Version != 1 || !strings.Contains(applied[0].Name, "upgraded from the earlier layout 6") || applied[0].AppliedAt.IsZero() {
		t.Fatalf("recorded migrations = %+v", applied)
	}
	if v, err := s.DatabaseSchemaVersion(ctx); err != nil || v != store.SchemaVersion() {
		t.Fatalf("schema version = %d, %v; want %d", v, err, store.SchemaVersion())
	}
	// The upgraded layout takes new writes (every table of migration 1).
	newSession(t, s, "after-upgrade")
	if _, err := s.Erase(ctx, sess.SubjectID, "test", sess.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if v := userVersion(t, path); v != store.SchemaVersion() {
		t.Fatalf("user_version = %d, want %d", v, store.SchemaVersion())
	}
	s = open(t, dir, key1)
	defer s.Close()
	again, err := s.Migrations(ctx)
	if err != nil || len(again) != len(applied) || !again[0].AppliedAt.Equal(applied[0].AppliedAt) {
		t.Fatalf("a second start changed the record: %+v, %v", again, err)
	}
	if _, err := s.SessionByToken(ctx, []byte("hash-after-upgrade")); err != nil {
		t.Fatalf("session written after the upgrade: %v", err)
	}
}

// A database written by a newer deskbot is refused with both versions
// named, and left as it was.
func TestNewerSchemaRefused(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	s := open(t, dir, key1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "deskbot.db")
	newer := store.SchemaVersion() + 1
	db := rawSQL(t, path)
	if _, err := db.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES(?, 'from the future', 0)`, newer); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := store.Open(context.Background(), path, store.Options{Crypto: crypto(t, key1)})
	if !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("open of a newer database: %v, want ErrSchemaNewer", err)
	}
	want := "database schema version " + strconv.Itoa(newer) + " is newer than this deskbot (" + strconv.Itoa(store.SchemaVersion()) + "); upgrade deskbot"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	db = rawSQL(t, path)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != newer {
		t.Fatalf("the refused database was changed: %d migrations, %v", n, err)
	}
}

// A file with tables but no deskbot schema version is not taken over.
func TestUnknownDatabaseRefused(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "deskbot.db")
	db := rawSQL(t, path)
	if _, err := db.Exec(`CREATE TABLE notes(x TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := store.Open(context.Background(), path, store.Options{Crypto: crypto(t, key1)})
	if !errors.Is(err, store.ErrSchemaUnknown) {
		t.Fatalf("open of a foreign database: %v, want ErrSchemaUnknown", err)
	}
}
