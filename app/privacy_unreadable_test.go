package app_test

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// DSR-1, DSR-2: `deskbot privacy export` still answers when one stored row
// is damaged: the rest is exported, the export lists the row (table, id)
// and the operator's log names it without content.
func TestPrivacyExportWithDamagedRow(t *testing.T) {
	dir := t.TempDir()
	chatSession(t, dir)
	db, err := sql.Open("sqlite", filepath.Join(dir, "deskbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.QueryRow(`SELECT id FROM messages ORDER BY id LIMIT 1 OFFSET 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE messages SET body = zeroblob(48) WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := run(t, "privacy", "export", "--email", "jane.doe@example.com", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("DSR-1: one damaged row failed the export: exit %d: %s", code, errOut)
	}
	var doc struct {
		Conversations []struct{ Messages []json.RawMessage }
		Contacts      []string `json:"contact_details"`
		Notes         []string
		Unreadable    []struct {
			Table string
			ID    int64
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	if len(doc.Unreadable) != 1 || doc.Unreadable[0].Table != "messages" || doc.Unreadable[0].ID != id {
		t.Errorf("unreadable = %+v, want messages %d", doc.Unreadable, id)
	}
	if len(doc.Conversations) != 1 || len(doc.Conversations[0].Messages) < 3 || len(doc.Contacts) != 1 {
		t.Errorf("the readable rest must be exported: %s", out)
	}
	if !strings.Contains(strings.Join(doc.Notes, " "), "could not be decrypted") {
		t.Errorf("notes = %q", doc.Notes)
	}
	if !strings.Contains(errOut, "table=messages") || !strings.Contains(errOut, "id="+strconv.FormatInt(id, 10)) {
		t.Errorf("operator log does not name the row:\n%s", errOut)
	}
	if strings.Contains(strings.ToLower(errOut), "jane.doe") {
		t.Errorf("operator log holds personal data:\n%s", errOut)
	}
}
