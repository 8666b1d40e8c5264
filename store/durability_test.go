package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/store"
)

// TestHelperCommitAndDie is not a test: run by commitAndDie in a child
// process, it commits turns and exits without closing the store, as
// kill -9 would leave it: the last commits are in the WAL only.
func TestHelperCommitAndDie(t *testing.T) {
	sqliteOnly(t)
	dir := os.Getenv("DESKBOT_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	n, _ := strconv.Atoi(os.Getenv("DESKBOT_HELPER_TURNS"))
	// No idle checkpoint: a pause between commits on a loaded machine
	// must not move the turns out of the WAL the tests then damage.
	opts := store.WithIdleCheckpointAfter(store.Options{Crypto: crypto(t, key1), Sync: os.Getenv("DESKBOT_HELPER_SYNC")}, time.Hour)
	s, err := store.Open(context.Background(), filepath.Join(dir, "deskbot.db"), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	sess := newSession(t, s, "s1")
	for i := range n {
		now := time.Now()
		turn := store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: now,
			Entries: []store.Entry{{At: now, Sender: "customer", Body: []byte(fmt.Sprintf("question %d", i))}, {At: now, Sender: "bot", Body: []byte("answer")}},
			Audit:   []compliance.AuditRecord{{At: now, Event: compliance.EventRedaction, Subject: sess.SubjectID, Actor: "bot", Detail: "kinds=email"}}}
		if err := s.Commit(context.Background(), turn); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
	}
	os.Exit(0) // no Close: no checkpoint, the WAL keeps the acknowledged turns
}

// commitAndDie runs TestHelperCommitAndDie in a child process: the first
// time it creates the session (writes = 1 + turns), later times add turns
// to a new session each.
func commitAndDie(t *testing.T, dir string, turns int, sync string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCommitAndDie$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DESKBOT_HELPER_DIR="+dir, "DESKBOT_HELPER_TURNS="+strconv.Itoa(turns), "DESKBOT_HELPER_SYNC="+sync)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
}

type logBuf struct{ bytes.Buffer }

func captureLog() (*slog.Logger, *logBuf) {
	b := &logBuf{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// H4, AUD-1, DSR-4: acknowledged writes that only the WAL held are lost
// when the WAL is damaged; SQLite then opens the older database without a
// word. The commit mark beside the database (written after every commit,
// outside the WAL) makes the start report how many acknowledged records
// are missing, at error level, and `audit verify` fail naming the gap.
func TestWALDamageReportsAcknowledgedRecordsMissing(t *testing.T) {
	sqliteOnly(t)
	const turns = 40
	damage := map[string]func(wal string) error{
		"deleted": os.Remove,
		"truncated to half": func(wal string) error {
			fi, err := os.Stat(wal)
			if err != nil {
				return err
			}
			return os.Truncate(wal, fi.Size()/2)
		},
		"header zeroed": func(wal string) error {
			f, err := os.OpenFile(wal, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt(make([]byte, 32), 0)
			return err
		},
	}
	for name, harm := range damage {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "deskbot.db")
			commitAndDie(t, dir, turns, "")
			wal := db + "-wal"
			if fi, err := os.Stat(wal); err != nil || fi.Size() == 0 {
				t.Fatalf("the helper left no WAL to damage: %v", err)
			}
			// Before the damage the chain and the mark agree.
			if n, err := store.VerifyAuditFile(context.Background(), db); err != nil || n != turns {
				t.Fatalf("before damage: verify = %d, %v; want %d records", n, err, turns)
			}
			if err := harm(wal); err != nil {
				t.Fatal(err)
			}
			log, buf := captureLog()
			s, err := store.Open(context.Background(), db, store.Options{Crypto: crypto(t, key1), Logger: log})
			if err != nil {
				t.Fatal(err)
			}
			loss := s.Loss()
			s.Close()
			out := buf.String()
			m := regexp.MustCompile(`level=ERROR msg="store: (\d+) acknowledged records missing`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no error-level report of missing records; log:\n%s", out)
			}
			if n, _ := strconv.Atoi(m[1]); n < 1 || n > turns+1 || loss == nil || int64(n) != loss.Writes {
				t.Fatalf("reported %s missing, loss %+v; want 1..%d", m[1], loss, turns+1)
			}
			if !strings.Contains(out, db+".commit") {
				t.Errorf("the report does not name the commit mark file; log:\n%s", out)
			}
			// audit verify fails naming the gap, also after the start
			// recorded the loss and the mark moved on.
			_, err = store.VerifyAuditFile(context.Background(), db)
			if !errors.Is(err, store.ErrAcknowledgedMissing) {
				t.Fatalf("audit verify after WAL damage: err = %v, want ErrAcknowledgedMissing", err)
			}
			if !strings.Contains(err.Error(), "acknowledged records missing") || !strings.Contains(err.Error(), "audit seq") {
				t.Errorf("verify error does not name the gap: %v", err)
			}
			t.Logf("start: %s", m[0])
			t.Logf("verify: %v", err)
		})
	}
}

// A crash (no close) without damage loses nothing: the mark agrees with
// the database and verify passes; a clean close agrees too.
func TestCommitMarkAgreesAfterCrashAndClose(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "deskbot.db")
	commitAndDie(t, dir, 25, "")
	log, buf := captureLog()
	s, err := store.Open(context.Background(), db, store.Options{Crypto: crypto(t, key1), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if s.Loss() != nil || strings.Contains(buf.String(), "missing") {
		t.Fatalf("false loss report after an undamaged crash: %+v\n%s", s.Loss(), buf.String())
	}
	newSession(t, s, "s2")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := store.VerifyAuditFile(context.Background(), db); err != nil || n != 25 {
		t.Fatalf("verify = %d, %v", n, err)
	}
}

// H4: synchronous=FULL unless store.sync says normal; anything else is refused.
func TestSyncModeFullByDefault(t *testing.T) {
	sqliteOnly(t)
	for _, tc := range []struct{ opt, want string }{{"", "2"}, {store.SyncFull, "2"}, {store.SyncNormal, "1"}} {
		s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "deskbot.db"), store.Options{Crypto: crypto(t, key1), Sync: tc.opt})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Synchronous(context.Background())
		s.Close()
		if err != nil || got != tc.want {
			t.Errorf("Sync %q: PRAGMA synchronous = %q, %v; want %s", tc.opt, got, err, tc.want)
		}
	}
	_, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "deskbot.db"), store.Options{Crypto: crypto(t, key1), Sync: "off"})
	if !errors.Is(err, store.ErrInvalidSync) || !strings.Contains(err.Error(), "store.sync") {
		t.Fatalf("Sync off: err = %v, want ErrInvalidSync naming store.sync", err)
	}
}

// Corruption errors name the file and say how to restore.
func TestCorruptDatabaseNamesFile(t *testing.T) {
	sqliteOnly(t)
	for name, harm := range map[string]func(p string) error{
		"header": func(p string) error {
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt(bytes.Repeat([]byte{0xff}, 16), 0)
			return err
		},
		"truncated": func(p string) error {
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			return os.Truncate(p, fi.Size()/2)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir, key1)
			for i := range 30 {
				newSession(t, s, fmt.Sprintf("s%d", i))
			}
			s.Close()
			db := filepath.Join(dir, "deskbot.db")
			if err := harm(db); err != nil {
				t.Fatal(err)
			}
			_, err := store.Open(context.Background(), db, store.Options{Crypto: crypto(t, key1)})
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			if msg := err.Error(); !strings.Contains(msg, db) || !strings.Contains(msg, "restore") {
				t.Fatalf("error does not name %s or the restore procedure: %v", db, err)
			}
		})
	}
}

// A durability row deleted by hand does not make every commit fail.
func TestCommitCountSurvivesDeletedRow(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	s := open(t, dir, key1)
	defer s.Close()
	db := rawDB(t, dir)
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM durability`); err != nil {
		t.Fatal(err)
	}
	newSession(t, s, "s1")
	var writes int64
	if err := db.QueryRow(`SELECT writes FROM durability WHERE id = 1`).Scan(&writes); err != nil || writes != 1 {
		t.Fatalf("writes = %d, %v; want 1", writes, err)
	}
}

// The loss recorded at a start also fails the store's own audit check
// (deskbot report, the admin API), after the chain itself verified.
func TestRecordedLossFailsStoreVerify(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	commitAndDie(t, dir, 10, "")
	if err := os.Remove(filepath.Join(dir, "deskbot.db-wal")); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, key1)
	defer s.Close()
	if _, err := s.VerifyAudit(context.Background()); !errors.Is(err, store.ErrAcknowledgedMissing) {
		t.Fatalf("VerifyAudit after a recorded loss: %v", err)
	}
}
