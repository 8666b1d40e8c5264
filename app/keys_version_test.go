package app_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"deskbot/compliance"
)

// deskbot version reports what build info knows, not just "dev".
func TestVersionFromBuildInfo(t *testing.T) {
	code, stdout, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "deskbot ") || !strings.Contains(stdout, runtime.Version()) || strings.TrimSpace(stdout) == "deskbot dev" {
		t.Fatalf("version: exit %d %q", code, stdout)
	}
}

// deskbot keys generate writes a 0600 key that the server accepts, and
// never overwrites one.
func TestKeysGenerate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "master.key")
	code, stdout, stderr := run(t, "keys", "generate", "--out", file)
	if code != 0 || !strings.Contains(stdout, "DESKBOT_MASTER_KEY_FILE="+file) {
		t.Fatalf("keys generate: exit %d %q %q", code, stdout, stderr)
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	before, _ := os.ReadFile(file)
	if _, _, err := compliance.LoadMasterKey(func(k string) string {
		if k == compliance.EnvMasterKeyFile {
			return file
		}
		return ""
	}, t.TempDir(), nil); err != nil {
		t.Fatalf("generated key not accepted: %v", err)
	}
	code, _, stderr = run(t, "keys", "generate", "--out", file)
	if after, _ := os.ReadFile(file); code == 0 || string(after) != string(before) || !strings.Contains(stderr, file) {
		t.Fatalf("second generate must refuse to overwrite: exit %d %q", code, stderr)
	}
	// Without --out the key goes to standard output.
	code, stdout, _ = run(t, "keys", "generate")
	if code != 0 || len(strings.TrimSpace(stdout)) != 44 {
		t.Fatalf("keys generate to stdout: exit %d %q", code, stdout)
	}
}
