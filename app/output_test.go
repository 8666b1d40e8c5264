package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// F10 (SEC-1, DSR-1: an export holds the customer's data): `--output` must not leave a customer export world-readable because
// the file existed with a looser mode, nor write through a planted symlink
// onto another file; and it leaves no temporary file behind.
func TestOutputFileIsPrivateAndNeverFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	out := t.TempDir()

	// An existing 0644 file is replaced by a 0600 one holding the export.
	existing := filepath.Join(out, "export.json")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir, "--output", existing); code != 0 {
		t.Fatalf("privacy export: exit %d %s", code, errOut)
	}
	st, err := os.Stat(existing)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(existing); !strings.Contains(strings.ToLower(string(b)), "jane.doe@example.com") {
		t.Errorf("export file lacks the export: %.100q", b)
	}

	// A symlink at the output path is refused and its target left alone.
	victim := filepath.Join(out, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(out, "report.html")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "report", "--data-dir", dir, "--output", link)
	if code == 0 || !strings.Contains(errOut, "symbolic link") {
		t.Errorf("report --output through a symlink: exit %d, stderr %q; want a refusal naming the link", code, errOut)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("symlink target overwritten: %.100q", b)
	}

	// A new file is 0600, and no temporary file is left in the folder.
	fresh := filepath.Join(out, "new-report.html")
	if code, _, errOut := run(t, "report", "--data-dir", dir, "--output", fresh); code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("new report: %v %v, want mode 0600", st, err)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
