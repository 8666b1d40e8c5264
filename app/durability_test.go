package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/app"
	"deskbot/compliance"
	"deskbot/config"
	"deskbot/store"
)

// SEC-1, L5: with the key file gone and the database still there, the
// start refuses, naming the key file and the fix, and writes no new key.
func TestMissingMasterKeyNotRegeneratedBesideDatabase(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	a, err := app.New(context.Background(), config.Defaults(dir), app.Options{Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	keyPath := filepath.Join(dir, compliance.MasterKeyFileName)
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	_, err = app.New(context.Background(), config.Defaults(dir), app.Options{Getenv: noEnv})
	if !errors.Is(err, app.ErrMasterKeyMissing) || !strings.Contains(err.Error(), keyPath) || !strings.Contains(err.Error(), compliance.EnvMasterKeyFile) {
		t.Fatalf("err = %v; want ErrMasterKeyMissing naming %s and %s", err, keyPath, compliance.EnvMasterKeyFile)
	}
	if _, err := os.Stat(keyPath); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a new key file was left at %s (stat err %v)", keyPath, err)
	}
	// The offline commands refuse the same way.
	t.Setenv(compliance.EnvMasterKey, "")
	code, _, errOut := run(t, "privacy", "export", "--subject", "nobody", "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, keyPath) {
		t.Fatalf("privacy export: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(keyPath); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("privacy export generated a key file")
	}
}

// H4, AUD-1: a database older than what was acknowledged (lost WAL, or a
// restored copy) is reported at the start at error level, and
// `deskbot audit verify` exits non-zero naming the gap.
func TestAuditVerifyFailsWhenAcknowledgedRecordsAreMissing(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	db := filepath.Join(dir, "deskbot.db")
	old, err := os.ReadFile(db) // the store is closed: no lock to lose
	if err != nil {
		t.Fatal(err)
	}
	chatSession(t, dir) // more acknowledged turns and audit records
	if code, out, errOut := run(t, "audit", "verify", "--data-dir", dir); code != 0 {
		t.Fatalf("verify before the loss: exit %d %q %q", code, out, errOut)
	}
	for _, p := range []string{db + "-wal", db + "-shm"} {
		os.Remove(p)
	}
	if err := os.WriteFile(db, old, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "audit", "verify", "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, "acknowledged records missing") || !strings.Contains(errOut, "audit seq") {
		t.Fatalf("verify after the loss: exit %d, stderr %q", code, errOut)
	}
	var logs bytes.Buffer
	a, err := app.New(context.Background(), config.Defaults(dir), app.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "acknowledged records missing") {
		t.Fatalf("no error-level report at start:\n%s", logs.String())
	}
	// Still failing after the start recorded the loss and moved the mark on.
	if code, _, errOut := run(t, "audit", "verify", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "detected at start") {
		t.Fatalf("verify after the start: exit %d, stderr %q", code, errOut)
	}
	// Until the operator accepts it, with a note that goes into the audit log.
	if code, _, errOut := run(t, "audit", "accept-loss", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "--note") {
		t.Fatalf("accept-loss without a note: exit %d, %q", code, errOut)
	}
	code, out, errOut := run(t, "audit", "accept-loss", "--note", "INC-42 restored from backup", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "acknowledged records missing") || !strings.Contains(out, "1 recorded losses accepted") {
		t.Fatalf("accept-loss: exit %d, %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, "audit", "verify", "--data-dir", dir); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify after accept-loss: exit %d, %q %q", code, out, errOut)
	}
	a, err = app.New(context.Background(), config.Defaults(dir), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	recs, err := a.Store.AuditRecords(context.Background(), store.EventLossAccepted)
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].Detail, "INC-42") || recs[0].Actor != "operator" {
		t.Fatalf("acceptance audit records = %+v, %v", recs, err)
	}
}
