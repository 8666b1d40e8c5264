package app_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/app"
	"deskbot/config"
)

// A kb_dir without the article privacy_policy_url links to (the default
// /articles/privacy-policy exists only in the demo) is warned about at
// start, in kb lint and in the report.
func TestMissingPrivacyArticleWarned(t *testing.T) {
	kbDir := t.TempDir()
	os.WriteFile(filepath.Join(kbDir, "returns.md"), []byte("---\nid: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n---\nWithin 30 days.\n"), 0o600)

	var logs syncBuffer
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	cfg := config.Defaults(t.TempDir())
	cfg.KBDir = kbDir
	a, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), `privacy_policy_url \"/articles/privacy-policy\" links to article \"privacy-policy\", which the knowledge base lacks`) {
		t.Fatalf("no start-up warning naming the missing privacy article:\n%s", logs.String())
	}

	code, stdout, stderr := run(t, "kb", "lint", kbDir)
	if code != 0 || !strings.Contains(stdout, `privacy_policy_url "/articles/privacy-policy" links to article "privacy-policy"`) {
		t.Fatalf("kb lint: exit %d %q %q", code, stdout, stderr)
	}
	if code, _, _ = run(t, "kb", "lint", kbDir, "--strict"); code == 0 {
		t.Fatal("kb lint --strict should fail on a missing policy article")
	}
	if code, stdout, _ = run(t, "kb", "lint"); code != 0 || strings.Contains(stdout, "privacy_policy_url") {
		t.Fatalf("the demo has the privacy article: exit %d %q", code, stdout)
	}

	t.Setenv("DESKBOT_KB_DIR", kbDir)
	code, out, errOut := run(t, "report", "--data-dir", cfg.DataDir)
	if code != 0 || !strings.Contains(out, `privacy_policy_url &#34;/articles/privacy-policy&#34; links to article &#34;privacy-policy&#34;`) {
		t.Fatalf("report: exit %d %s\n%s", code, errOut, out)
	}
}
