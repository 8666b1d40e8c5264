package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

var testKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// chatSession runs a real conversation in which the customer consents to
// keeping an e-mail address, then stops the server cleanly.
func chatSession(t *testing.T, dir string) {
	t.Helper()
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	cfg := config.Defaults(dir)
	l, err := app.StartLocal(context.Background(), cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.NextOf(ctx, "message") // disclosure
	c.Say(ctx, "please write to Jane.Doe@Example.com")
	c.NextOf(ctx, "message") // the reply, then the consent request
	c.NextOf(ctx, protocol.TypeConsentRequest)
	yes := true
	c.Send(ctx, protocol.Inbound{Type: "consent", Purpose: "contact", Granted: &yes})
	c.NextOf(ctx, "message")
	c.Close()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// AUD-1: `deskbot audit verify` exits 0 on an intact log and non-zero, naming
// the first broken link, after one row is edited with SQL.
func TestAuditVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	code, out, errOut := run(t, "audit", "verify", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify on intact log: exit %d, %q %q", code, out, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "deskbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit SET detail = 'tampered' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, errOut = run(t, "audit", "verify", "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, "seq 2") {
		t.Fatalf("verify after tampering: exit %d, stderr %q", code, errOut)
	}
}

// DSR-2, DSR-4 from the command line, finding the customer by e-mail.
func TestPrivacyExportAndEraseByEmail(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	code, out, errOut := run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	var doc struct {
		Schema        string
		Conversations []json.RawMessage
		Contacts      []string `json:"contact_details"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	if doc.Schema != "deskbot.export/v1" || len(doc.Conversations) != 1 || len(doc.Contacts) != 1 {
		t.Fatalf("export = %+v", doc)
	}
	code, out, errOut = run(t, "privacy", "erase", "--email", "jane.doe@example.com", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "data key destroyed") {
		t.Fatalf("erase: exit %d %q %q", code, out, errOut)
	}
	code, _, errOut = run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, "no data is held") {
		t.Fatalf("export after erase: exit %d, %q", code, errOut)
	}
	if code, _, _ := run(t, "audit", "verify", "--data-dir", dir); code != 0 {
		t.Fatal("audit chain broken by erasure")
	}
}

// SEC-1: after rotation the new key opens the data and the old one does not.
func TestKeysRotate(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	newKey := filepath.Join(t.TempDir(), "new.key")
	code, out, errOut := run(t, "keys", "rotate", "--new-key-file", newKey, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "re-wrapped") {
		t.Fatalf("rotate: exit %d %q %q", code, out, errOut)
	}
	if fi, err := os.Stat(newKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new key file: %v %v", fi, err)
	}
	// Old key: the export fails to unwrap.
	if code, _, _ := run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir); code == 0 {
		t.Fatal("old master key still opens the data after rotation")
	}
	t.Setenv("DESKBOT_MASTER_KEY", "")
	t.Setenv("DESKBOT_MASTER_KEY_FILE", newKey)
	if code, _, errOut := run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir); code != 0 {
		t.Fatalf("new key cannot open the data: %s", errOut)
	}
	if code, out, _ := run(t, "audit", "verify", "--data-dir", dir); code != 0 || !strings.Contains(out, "intact") {
		t.Fatal("audit chain broken after rotation")
	}
}

// DISC-3: a configuration that turns the disclosure off refuses to start.
func TestServeRefusesUnsafeConfig(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(cfgFile, []byte("disclosure:\n  enabled: false\n"), 0o600)
	code, _, errOut := run(t, "serve", "--config", cfgFile, "--data-dir", t.TempDir(), "--listen", "127.0.0.1:0")
	if code == 0 || !strings.Contains(errOut, "disclosure.enabled") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	code, out, errOut := run(t, "report", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	for _, want := range []string{"Record of processing", "Hash chain intact", "Granted", "Controller"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(out), "jane.doe@example.com") {
		t.Error("report shows personal data")
	}
}

// Key rotation refuses to run beside a live server on the same data dir.
func TestKeysRotateRefusedWhileServing(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	unlock, err := app.LockDataDirForTest(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "keys", "rotate", "--new-key-file", filepath.Join(t.TempDir(), "k"), "--data-dir", dir)
	unlock()
	if code == 0 || !strings.Contains(errOut, "stop the server") {
		t.Fatalf("rotation beside a server: exit %d, %q", code, errOut)
	}
}

// A misspelt DESKBOT_* variable is reported naming the closest key.
func TestMisspelledEnvWarning(t *testing.T) {
	t.Setenv("DESKBOT_ANSWER_TRESHOLD", "0.5")
	code, stdout, stderr := run(t, "config", "--data-dir", t.TempDir())
	if code != 0 || !strings.Contains(stderr, "DESKBOT_ANSWER_TRESHOLD") || !strings.Contains(stderr, "DESKBOT_ANSWER_THRESHOLD") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "kb_watch_interval: 2s") {
		t.Fatalf("deskbot config should print YAML: %q", stdout)
	}
}

// deskbot config --diff prints only what differs from the defaults.
func TestConfigDiff(t *testing.T) {
	t.Setenv("DESKBOT_LIMITS_BURST", "7")
	code, stdout, stderr := run(t, "config", "--diff", "--data-dir", "./deskbot-data")
	if code != 0 || stdout != "limits:\n  burst: 7\n" {
		t.Fatalf("config --diff: exit %d %q %q", code, stdout, stderr)
	}
}

// deskbot --help lists the commands (it printed only serve's flags).
func TestHelpListsCommands(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help", "-help"} {
		code, stdout, _ := run(t, arg)
		if code != 0 || !strings.Contains(stdout, "deskbot backup --output FILE") || !strings.Contains(stdout, "deskbot version") {
			t.Errorf("deskbot %s: exit %d, stdout %q", arg, code, stdout)
		}
	}
	if code, _, stderr := run(t, "serve", "--help"); code != 0 || !strings.Contains(stderr, "-listen") {
		t.Errorf("deskbot serve --help: exit %d, stderr %q", code, stderr)
	}
}

// deskbot privacy and deskbot incident without a subcommand show every form.
func TestPrivacyAndIncidentUsage(t *testing.T) {
	code, _, stderr := run(t, "privacy")
	if code != 2 || !strings.Contains(stderr, "privacy rectify") || !strings.Contains(stderr, "privacy request") {
		t.Errorf("deskbot privacy: exit %d, %q", code, stderr)
	}
	code, _, stderr = run(t, "incident")
	if code != 2 || !strings.Contains(stderr, "--from TIME [--to TIME]") {
		t.Errorf("deskbot incident: exit %d, %q", code, stderr)
	}
}
