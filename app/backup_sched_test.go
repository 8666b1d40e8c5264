package app

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/config"
)

// Scheduled backups: written through the server's own connection into
// backup.dir while it serves, the oldest deleted beyond backup.keep, and
// each one restorable.
func TestScheduledBackupsKeepAndRestore(t *testing.T) {
	dir := t.TempDir()
	key := hex.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	t.Setenv("DESKBOT_MASTER_KEY", key)
	cfg := config.Defaults(dir)
	cfg.Backup.Keep = 2
	cfg.Backup.Dir = filepath.Join(t.TempDir(), "backups")
	clock := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	var logBuf bytes.Buffer
	l, err := StartLocal(context.Background(), cfg, Options{Now: func() time.Time { return clock }, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	var outs []string
	for i := 0; i < 3; i++ {
		out, err := l.App.runScheduledBackup(ctx)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
		clock = clock.Add(time.Hour)
	}
	entries, err := os.ReadDir(cfg.Backup.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if fi, _ := e.Info(); fi != nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v; backups must be 0600", e.Name(), fi.Mode().Perm())
		}
	}
	if len(names) != 2 || names[0] != filepath.Base(outs[1]) || names[1] != filepath.Base(outs[2]) {
		t.Fatalf("backup.keep=2 left %v; want the two newest of %v (no snapshot left over)", names, outs)
	}
	// The server kept serving: a new chat session can still be stored.
	if _, err := l.App.Store.SystemKey(ctx, "lookup"); err != nil {
		t.Fatal(err)
	}
	l.Close()
	var out bytes.Buffer
	err = restore(ctx, restoreOptions{Input: outs[2], DataDir: filepath.Join(t.TempDir(), "r"), Cfg: config.Defaults(t.TempDir()),
		NoLedger: true, Getenv: os.Getenv, Log: slog.New(slog.DiscardHandler)}, &out)
	if err != nil || !strings.Contains(out.String(), "audit chain intact") {
		t.Fatalf("restore of a scheduled backup: %v\n%s", err, out.String())
	}
}

// The server runs backup.every on its own while serving.
func TestBackupLoopRunsWhileServing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKBOT_MASTER_KEY", hex.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	cfg := config.Defaults(dir)
	cfg.Backup.Every = 150 * time.Millisecond // below the 1m minimum config allows; set directly for the test
	cfg.Backup.Keep = 1
	var logBuf syncBuffer
	l, err := StartLocal(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logBuf.String(), "backup written") {
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled backup within 20s:\n%s", logBuf.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if entries, _ := os.ReadDir(cfg.BackupDir()); len(entries) == 0 {
		t.Fatal("backup.dir is empty after a scheduled backup")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
