package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/app"
	"deskbot/config"
)

// Issue 12 item 5: with the master key beside the data, the warning is
// given when the key is generated and at every start of serve, not again
// by every other command.
func TestKeyBesideDataWarnsAtServeNotOnEveryCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKBOT_MASTER_KEY", "")
	t.Setenv("DESKBOT_MASTER_KEY_FILE", "")
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("a long enough password 1"), 0o600)
	const warning = "MASTER KEY STORED BESIDE THE DATA"
	code, _, errs := run(t, "agent", "add", "maria", "--data-dir", dir, "--password-file", pw)
	if code != 0 {
		t.Fatalf("agent add: %s", errs)
	}
	if !strings.Contains(errs, warning) {
		t.Errorf("generating the key beside the data said nothing:\n%s", errs)
	}
	for _, args := range [][]string{
		{"agent", "list", "--data-dir", dir},
		{"audit", "verify", "--data-dir", dir},
		{"privacy", "export", "--subject", "nobody", "--data-dir", dir},
		{"backup", "--data-dir", dir, "--output", filepath.Join(t.TempDir(), "b.tar.gz")},
	} {
		_, _, errs := run(t, args...)
		if strings.Contains(errs, warning) {
			t.Errorf("deskbot %s repeats the key warning:\n%s", strings.Join(args[:2], " "), errs)
		}
	}
	var logBuf bytes.Buffer
	a, err := app.New(context.Background(), config.Defaults(dir), app.Options{Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if n := strings.Count(logBuf.String(), warning); n != 1 {
		t.Errorf("serve's start logs the key warning %d times, want once:\n%s", n, logBuf.String())
	}
}
