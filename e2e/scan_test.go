package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// adminCall sends an admin API request and decodes the JSON answer into out.
func adminCall(t *testing.T, method, url string, body, out any) int {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

type scanAnswer struct {
	FilesScanned int `json:"files_scanned"`
	Found        []struct {
		Needle, File string
	} `json:"found"`
	Skipped []string `json:"skipped"`
}

func adminScan(t *testing.T, base string, needles ...string) scanAnswer {
	t.Helper()
	var r scanAnswer
	if code := adminCall(t, "POST", base+"/api/v1/admin/scan", map[string][]string{"needles": needles}, &r); code != 200 {
		t.Fatalf("admin scan: HTTP %d", code)
	}
	return r
}

// chatHTTP sends text on the HTTP mirror (starting a session when token is
// empty) and returns the session token.
func chatHTTP(t *testing.T, base, token, text string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"session": token, "text": text})
	resp, err := http.Post(base+"/api/v1/chat", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ Session string }
	json.NewDecoder(resp.Body).Decode(&r)
	if resp.StatusCode != 200 || r.Session == "" {
		t.Fatalf("chat: HTTP %d", resp.StatusCode)
	}
	return r.Session
}

// cli runs a deskbot command beside the running server, as an operator would.
func cli(t *testing.T, dataDir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append(args, "--data-dir", dataDir)...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "DESKBOT_MASTER_KEY="+masterKey)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("deskbot %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// deletedDBFiles lists the server's open descriptors on database files
// that no longer exist on disk.
func deletedDBFiles(t *testing.T, pid int) []string {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(fdDir)
	if err != nil {
		t.Skipf("no %s: %v", fdDir, err)
	}
	var out []string
	for _, e := range ents {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err == nil && strings.Contains(target, "deskbot.db") && strings.HasSuffix(target, "(deleted)") {
			out = append(out, target)
		}
	}
	return out
}

// H1 (SEC-1, DSR-4): an admin storage scan must not make the server drop
// SQLite's POSIX locks. After a scan, `deskbot report` and `deskbot privacy
// erase` run beside the server; the WAL must still be in the data dir, the
// server must hold no deleted database file, and after a restart the
// erased subject must stay erased.
func TestScanThenCLIBesideServerKeepsWALAndErasure(t *testing.T) {
	dir, addr := t.TempDir(), freePort(t)
	s := start(t, dir, addr)
	victim := chatHTTP(t, s.url, "", "")
	chatHTTP(t, s.url, victim, "How do I return an item?")
	subject := subjectOf(t, s.url, victim)

	adminScan(t, s.url, "not-in-any-file")
	chatHTTP(t, s.url, victim, "What is your warranty?")
	cli(t, dir, "report", "--output", filepath.Join(t.TempDir(), "report.html"))
	other := chatHTTP(t, s.url, "", "")
	chatHTTP(t, s.url, other, "how much does shipping cost")
	out := cli(t, dir, "privacy", "erase", "--subject", subject)
	t.Logf("privacy erase: %s", strings.TrimSpace(out))
	chatHTTP(t, s.url, other, "How do I return an item?")

	if _, err := os.Stat(filepath.Join(dir, "deskbot.db-wal")); err != nil {
		ents, _ := os.ReadDir(dir)
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("the WAL is gone from the data dir while the server runs (%v): %v", err, names)
	}
	if d := deletedDBFiles(t, s.cmd.Process.Pid); len(d) > 0 {
		t.Errorf("the server writes into deleted database files: %v", d)
	}

	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop after SIGTERM")
	}
	s2 := start(t, dir, addr)
	var c struct {
		Exists   bool
		Sessions int
		Messages int
	}
	if code := adminCall(t, "GET", s2.url+"/api/v1/admin/subject/"+subject, nil, &c); code != 200 {
		t.Fatalf("admin subject: HTTP %d", code)
	}
	if c.Exists || c.Sessions != 0 || c.Messages != 0 {
		t.Fatalf("DSR-4: the subject erased beside the running server came back after a restart: %+v", c)
	}
	body, _ := json.Marshal(map[string]string{"session": victim})
	resp, err := http.Post(s2.url+"/api/v1/export", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	resp.Body.Close()
	if strings.Contains(b.String(), "return an item") {
		t.Fatalf("DSR-4: the erased customer's old token exports the transcript again: HTTP %d", resp.StatusCode)
	}
}

// H1 / F7 (SEC-1, SEC-2, AUD-1): the scan never reads key files, so it
// cannot be used as an oracle for master.key, and every scan is an audit
// event with its actor.
func TestScanSkipsKeyFilesAndIsAudited(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, freePort(t), "DESKBOT_MASTER_KEY=") // the key is generated beside the data
	key, err := os.ReadFile(filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(key))
	r := adminScan(t, s.url, text, text[:8])
	if len(r.Found) != 0 {
		t.Fatalf("the scan found the master key's text: %+v", r.Found)
	}
	if r.FilesScanned == 0 {
		t.Fatal("the scan read no files")
	}
	skipped := strings.Join(r.Skipped, " ")
	if !strings.Contains(skipped, "master.key") {
		t.Errorf("the scan should say it skipped master.key; skipped: %v", r.Skipped)
	}
	var audit struct {
		Records []struct{ Event, Actor, Detail string }
	}
	adminCall(t, "GET", s.url+"/api/v1/admin/audit?event=storage_scan", nil, &audit)
	if len(audit.Records) != 1 || audit.Records[0].Actor != "admin" {
		t.Fatalf("AUD-1/SEC-2: want one storage_scan audit record by admin, got %+v", audit.Records)
	}
	if strings.Contains(audit.Records[0].Detail, text[:8]) {
		t.Errorf("the audit record holds a needle: %q", audit.Records[0].Detail)
	}
}

// The Gherkin steps that use the scan (pii.feature, SEC-1) keep working
// against a served binary (--target, the scan runs in the server's child)
// and in-process (`deskbot test` re-executes itself for the scan).
func TestPIIFeatureScansInProcessAndAgainstTarget(t *testing.T) {
	feature, err := filepath.Abs("../features/suite/pii.feature")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const agentPassword = "e2e-agent-password-0123456789"
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte(agentPassword+"\n"), 0o600)
	os.MkdirAll(dir, 0o700)
	cli(t, dir, "agent", "add", "anna", "--display-name", "Anna", "--password-file", pw) // pii.feature has an agent scenario
	s := start(t, dir, freePort(t))
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(binary, append([]string{"test", feature, "--format", "progress"}, args...)...)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "DESKBOT_MASTER_KEY="+masterKey, "DESKBOT_TEST_AGENT_PASSWORD="+agentPassword)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("deskbot test %v: %v\n%s", args, err, out)
		}
	}
	run("--target", s.url, "--admin-token", admin)
	run()
	var audit struct{ Records []struct{ Actor string } }
	adminCall(t, "GET", s.url+"/api/v1/admin/audit?event=storage_scan", nil, &audit)
	if len(audit.Records) == 0 {
		t.Error("the suite against the target scanned without an audit record")
	}
	if _, err := os.Stat(filepath.Join(dir, "deskbot.db-wal")); err != nil {
		t.Errorf("the WAL is gone after the scans: %v", err)
	}
	if d := deletedDBFiles(t, s.cmd.Process.Pid); len(d) > 0 {
		t.Errorf("the server writes into deleted database files: %v", d)
	}
}
