package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SEC-2: agent accounts are added from the command line; weak passwords
// are refused and only a hash is stored.
func TestAgentAddAndList(t *testing.T) {
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("short\n"), 0o600)
	if code, _, errs := run(t, "agent", "add", "anna", "--data-dir", dir, "--password-file", pw); code == 0 || !strings.Contains(errs, "at least 12") {
		t.Fatalf("weak password: exit %d, stderr %q; want a refusal naming the minimum", code, errs)
	}
	secret := "a long enough passphrase 42"
	os.WriteFile(pw, []byte(secret+"\n"), 0o600)
	if code, out, errs := run(t, "agent", "add", "anna", "--display-name", "Anna K.", "--data-dir", dir, "--password-file", pw); code != 0 {
		t.Fatalf("agent add: exit %d, %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "agent", "add", "anna", "--data-dir", dir, "--password-file", pw); code == 0 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate agent: exit %d, %q", code, errs)
	}
	code, out, errs := run(t, "agent", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "anna") || !strings.Contains(out, "Anna K.") {
		t.Fatalf("agent list: exit %d, %q %q", code, out, errs)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "deskbot.db*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), secret) {
			t.Fatalf("password in clear in %s", filepath.Base(f))
		}
	}
	if code, _, _ := run(t, "agent", "add"); code != 2 {
		t.Fatalf("agent add without NAME: exit %d, want 2", code)
	}
}
