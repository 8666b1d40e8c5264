package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// DSR-5 from the command line: `privacy rectify --email OLD --set
// email=NEW` replaces the kept address; the export then shows only the new
// one, the old one no longer finds the customer, and the audit log records
// a rectification.
func TestPrivacyRectifyByEmail(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir) // keeps Jane.Doe@Example.com with consent
	code, out, errOut := run(t, "privacy", "rectify", "--email", "jane.doe@example.com", "--set", "email=jane.new@example.org", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "email rectified") {
		t.Fatalf("rectify: exit %d %q %q", code, out, errOut)
	}
	code, out, errOut = run(t, "privacy", "export", "--email", "jane.new@example.org", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("export by the new address: exit %d %s", code, errOut)
	}
	var doc struct {
		Contacts []string `json:"contact_details"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Contacts) != 1 || doc.Contacts[0] != "jane.new@example.org" {
		t.Errorf("contacts after rectification: %q", doc.Contacts)
	}
	if strings.Contains(strings.ToLower(out), "jane.doe@example.com") {
		t.Errorf("the export still holds the old address:\n%s", out)
	}
	if code, _, errOut := run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "no data is held") {
		t.Errorf("the old address still finds the customer: exit %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "privacy", "rectify", "--email", "jane.new@example.org", "--set", "email=not-an-address", "--data-dir", dir); code != 2 || !strings.Contains(errOut, "not a valid e-mail address") {
		t.Errorf("an invalid new address: exit %d %q", code, errOut)
	}
	if code, _, _ := run(t, "audit", "verify", "--data-dir", dir); code != 0 {
		t.Error("audit chain broken by the rectification")
	}
}

// DSR-3: a request received by e-mail stays open with its deadline, shows
// in `deskbot report` with the days left, warns once the deadline is near,
// and leaves the open list once closed.
func TestPrivacyRequestDeadlinesInReport(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	code, out, errOut := run(t, "privacy", "request", "add", "--kind", "erase", "--email", "jane.doe@example.com", "--data-dir", dir)
	if code != 0 || !regexp.MustCompile(`request (\d+) recorded: erasure, received .*answer by \d{4}-\d\d-\d\d \((30|31) days left\)`).MatchString(out) {
		t.Fatalf("request add: exit %d %q %q", code, out, errOut)
	}
	id := regexp.MustCompile(`request (\d+) recorded`).FindStringSubmatch(out)[1]
	// One received 28 days ago: its month ends within the week.
	old := "2000-01-01"
	if code, _, errOut := run(t, "privacy", "request", "add", "--kind", "export", "--unidentified", "--received", old, "--data-dir", dir); code != 0 {
		t.Fatalf("request add --received: %s", errOut)
	}
	code, out, errOut = run(t, "report", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	for _, want := range []string{"Open requests (DSR-3)", "erasure", "days left", "OVERDUE", "GDPR Art. 12(3)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(errOut, "warning:") || !strings.Contains(errOut, "OVERDUE") {
		t.Errorf("report does not warn about the overdue request: %q", errOut)
	}
	if strings.Contains(strings.ToLower(out), "jane.doe@example.com") {
		t.Error("report shows personal data")
	}
	if code, out, errOut := run(t, "privacy", "request", "close", id, "--data-dir", dir); code != 0 || !strings.Contains(out, "closed") {
		t.Fatalf("close: exit %d %q %q", code, out, errOut)
	}
	// Closing it again keeps the answer time that proves the deadline.
	if code, _, errOut := run(t, "privacy", "request", "close", id, "--data-dir", dir); code == 0 || !strings.Contains(errOut, "was already closed at") || !strings.Contains(errOut, "nothing changed") {
		t.Fatalf("second close: exit %d %q", code, errOut)
	}
	_, out, _ = run(t, "privacy", "request", "list", "--data-dir", dir)
	if strings.Contains(out, "erasure") {
		t.Errorf("the closed request is still listed as open:\n%s", out)
	}
	if code, _, errOut := run(t, "privacy", "request", "add", "--kind", "refund", "--unidentified", "--data-dir", dir); code != 2 || !strings.Contains(errOut, "--kind") {
		t.Errorf("kind refund: exit %d %q", code, errOut)
	}
}

// BRCH-1: `deskbot incident add` with a time window prints the subjects and
// records affected, counted from the store, and the 72-hour deadline; the
// export lists the subjects without their data unless --contacts is given;
// the incident is audited and in the report.
func TestIncidentAddWindow(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	code, out, errOut := run(t, "incident", "add", "--what", "backup copied to a public bucket", "--from", "2000-01-01", "--to", "2100-01-01", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("incident add: exit %d %q %q", code, out, errOut)
	}
	if !regexp.MustCompile(`incident 1 recorded: 1 subjects affected, \d+ records \(.*transcript_lines=\d+.*\); encrypted: yes`).MatchString(out) ||
		!strings.Contains(out, "notify the supervisory authority by") || !strings.Contains(out, "72 hours after discovery") {
		t.Fatalf("incident add output:\n%s", out)
	}
	code, out, errOut = run(t, "incident", "export", "1", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	var doc struct {
		Subjects []string            `json:"subjects"`
		Contacts map[string][]string `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Subjects) != 1 || doc.Contacts != nil || strings.Contains(strings.ToLower(out), "jane") {
		t.Fatalf("export without --contacts: %v\n%s", err, out)
	}
	p := filepath.Join(t.TempDir(), "incident.json")
	if code, _, errOut := run(t, "incident", "export", "1", "--contacts", "--output", p, "--data-dir", dir); code != 0 {
		t.Fatalf("export --contacts: %s", errOut)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), "Jane.Doe@Example.com") {
		t.Errorf("--contacts lacks the customer's address for notification:\n%s", b)
	}
	if code, _, errOut := run(t, "incident", "notify", "1", "--authority", "now", "--data-dir", dir); code != 0 {
		t.Fatalf("notify: %s", errOut)
	}
	if code, _, errOut := run(t, "incident", "notify", "1", "--authority", "now", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "supervisory authority was notified at") || !strings.Contains(errOut, "nothing changed") {
		t.Errorf("a second notification moved the recorded time (BRCH-1): exit %d %q", code, errOut)
	}
	_, out, _ = run(t, "incident", "list", "--data-dir", dir)
	if !strings.Contains(out, "supervisory authority notified") {
		t.Errorf("list after notifying:\n%s", out)
	}
	_, out, _ = run(t, "report", "--data-dir", dir)
	if !strings.Contains(out, "Personal-data breaches (BRCH-1)") || !strings.Contains(out, "backup copied to a public bucket") {
		t.Error("report lacks the breach record")
	}
	if code, _, errOut := run(t, "incident", "add", "--what", "x", "--data-dir", dir); code != 2 || !strings.Contains(errOut, "time window") {
		t.Errorf("incident without scope: exit %d %q", code, errOut)
	}
	if code, _, _ := run(t, "audit", "verify", "--data-dir", dir); code != 0 {
		t.Error("audit chain broken")
	}
}
