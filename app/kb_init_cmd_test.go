package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"deskbot/kb"
)

// kb init writes starter privacy and notice articles that load, name the
// business and retention from config, satisfy the policy-link check, and
// are never overwritten.
func TestKBInitStarterArticles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	t.Setenv("DESKBOT_BUSINESS_NAME", "Ada's Shop")
	t.Setenv("DESKBOT_RETENTION_TRANSCRIPTS_DAYS", "21")
	code, stdout, stderr := run(t, "kb", "init", dir)
	if code != 0 || !strings.Contains(stdout, "privacy-policy.md") || !strings.Contains(stdout, "notice-at-collection.md") ||
		!strings.Contains(stdout, "Then set in the configuration: kb_dir: ") || !strings.Contains(stdout, "notice_at_collection_url: /articles/notice-at-collection") {
		t.Fatalf("kb init: exit %d %q %q", code, stdout, stderr)
	}
	body, _ := os.ReadFile(filepath.Join(dir, "privacy-policy.md"))
	if !strings.Contains(string(body), "Ada's Shop") || !strings.Contains(string(body), "**21 days**") {
		t.Fatalf("privacy article not filled in from config:\n%s", body)
	}
	t.Setenv("DESKBOT_NOTICE_AT_COLLECTION_URL", "/articles/notice-at-collection")
	// Until the [bracketed] parts are filled in, lint names them (customers
	// would read "[postal address]" as it is); then the articles lint clean.
	code, stdout, _ = run(t, "kb", "lint", dir, "--strict")
	if code == 0 || !strings.Contains(stdout, "privacy-policy.md: placeholder: answer text still has [postal address]") ||
		!strings.Contains(stdout, "notice-at-collection.md: placeholder:") || !strings.Contains(stdout, "2 findings") {
		t.Fatalf("starter articles with their placeholders: exit %d %q", code, stdout)
	}
	for _, name := range []string{"privacy-policy.md", "notice-at-collection.md"} {
		path := filepath.Join(dir, name)
		b, _ := os.ReadFile(path)
		front, filled, _ := strings.Cut(strings.TrimPrefix(string(b), "---\n"), "\n---\n") // the answer text
		for _, p := range regexp.MustCompile(`\[[^\[\]\n]+\]`).FindAllString(filled, -1) {
			if !slices.Contains(kb.StarterPlaceholders, p) {
				t.Errorf("%s: %s is not in kb.StarterPlaceholders, so lint would not report it", name, p)
			}
			filled = strings.ReplaceAll(filled, p, "filled in")
		}
		os.WriteFile(path, []byte("---\n"+front+"\n---\n"+filled), 0o644)
	}
	code, stdout, _ = run(t, "kb", "lint", dir, "--strict")
	if code != 0 || !strings.Contains(stdout, "2 articles, 0 load problems, 0 findings") {
		t.Fatalf("filled-in starter articles should lint clean: exit %d %q", code, stdout)
	}
	os.WriteFile(filepath.Join(dir, "privacy-policy.md"), []byte("edited"), 0o644)
	// Settings already made are not asked for again.
	t.Setenv("DESKBOT_KB_DIR", dir)
	if code, stdout, _ = run(t, "kb", "init", dir); code != 0 || !strings.Contains(stdout, "kept") || strings.Contains(stdout, "Then set") {
		t.Fatalf("second init, configured: exit %d %q", code, stdout)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "privacy-policy.md")); string(b) != "edited" {
		t.Fatal("kb init overwrote an article")
	}
}
