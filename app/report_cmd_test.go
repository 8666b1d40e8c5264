package app_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
	"deskbot/store"
)

// The report lists the review questions grouped with counts, and the
// calibration the bot answers with.
func TestReportReviewList(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	reviewStore(t, dir, []store.Turn{
		{At: now.Add(-3 * time.Hour), Unanswered: []string{"Do you sell kayaks?"}},
		{At: now.Add(-2 * time.Hour), Unanswered: []string{"do you sell kayaks"}},
		{At: now.Add(-1 * time.Hour), Picked: []store.Pick{{Question: "can I send it back <b>now</b>", Article: "returns-policy"}}},
	})
	code, out, errOut := run(t, "report", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	for _, want := range []string{
		`<h2>Questions to review</h2>`,
		`<tr><td>1</td><td><code>[a-z]{5}</code></td><td>2</td><td>[0-9-]+</td><td>do you sell kayaks</td>`,
		`<tr><td>2</td><td><code>[a-z]{5}</code></td><td>1</td><td>[0-9-]+</td><td>can I send it back &lt;b&gt;now&lt;/b&gt;</td><td>returns-policy \(picked 1×\)</td>`,
		`Answering: target precision 0\.95: answer at confidence &gt;= [0-9.]+, suggest at &gt;= [0-9.]+`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("report does not match %s", want)
		}
	}
	if strings.Contains(out, "<b>now</b>") {
		t.Error("customer text reached the report unescaped")
	}
}

// serve logs the effective calibration when it opens the knowledge base.
func TestStartupLogsCalibration(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	a, err := app.New(context.Background(), config.Defaults(t.TempDir()), app.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !regexp.MustCompile(`level=INFO msg="knowledge base calibrated" articles=\d+ target=0\.95 answer_at=[0-9.]+ suggest_at=[0-9.]+ method=`).MatchString(logs.String()) {
		t.Fatalf("no calibration line at start-up:\n%s", logs.String())
	}
}

// The report names the key source the key was really loaded from: with
// both variables set, DESKBOT_MASTER_KEY is the one used (SEC-1).
func TestReportNamesTheKeySourceUsed(t *testing.T) {
	dir := t.TempDir()
	reviewStore(t, dir, nil)
	keyFile := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(keyFile, []byte(testKey), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DESKBOT_MASTER_KEY_FILE", keyFile)
	code, out, errOut := run(t, "report", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	if !strings.Contains(out, "master key source: DESKBOT_MASTER_KEY)") {
		t.Errorf("report does not name DESKBOT_MASTER_KEY as the key source")
	}
}
