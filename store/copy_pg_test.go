package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/internal/pgtest"
	"deskbot/store"
)

// The move from SQLite to PostgreSQL always goes one way, so these tests
// run once, in the SQLite pass, each with a new database as the target.
func copySource(t *testing.T) (dir, dbPath, target string) {
	t.Helper()
	if onPostgres {
		t.Skip("the copy always reads SQLite and writes PostgreSQL; tested in the SQLite pass")
	}
	dir = t.TempDir()
	return dir, filepath.Join(dir, "deskbot.db"), pgtest.Database(t, dir+"/copy-target")
}

// fillInstallation writes one of everything a running installation keeps,
// and returns the two customers' sessions.
func fillInstallation(t *testing.T, dbPath string) (a, b store.Session) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dbPath, store.Options{Crypto: crypto(t, key1)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b = newSession(t, s, "a"), newSession(t, s, "b")
	at := a.CreatedAt.Add(time.Minute)
	commitSample(t, s, a, at) // line, consent, contact, lookup, unanswered, audit
	commitSample(t, s, b, at.Add(time.Minute))
	if err := s.AppendTurn(ctx, a.SubjectID, a.ID, at.Add(2*time.Minute), []store.Entry{
		{At: at.Add(2 * time.Minute), Sender: "customer", Body: []byte("my parcel 4711 never came")},
		{At: at.Add(2 * time.Minute), Sender: "bot", Body: []byte("I am bringing in a person")},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAgent(ctx, store.Agent{Name: "maria", DisplayName: "Maria", PasswordHash: "$argon2id$x", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAgentSession(ctx, store.AgentSession{TokenHash: []byte("agent-token"), Agent: "maria", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: a.SubjectID, Session: a.ID, At: at, Text: "please call back"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRequest(ctx, store.Request{Kind: compliance.RequestErasure, Subject: b.SubjectID, Received: at, Profile: "eu", Channel: "email"}, "operator"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddIncident(ctx, store.Incident{What: "laptop lost", Found: at, Recorded: at}, store.Scope{Subjects: []string{a.SubjectID, b.SubjectID}}, "operator"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, a.SubjectID, a.ID, "asked twice about 4711", "maria", at); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, compliance.AuditRecord{At: at, Event: compliance.EventHandover, Subject: a.SubjectID, Detail: "reason=request"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SystemKey(ctx, "lookup"); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func openTarget(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{Crypto: crypto(t, key1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestCopyToPostgres(t *testing.T) {
	ctx := context.Background()
	_, dbPath, dsn := copySource(t)
	a, b := fillInstallation(t, dbPath)
	info, err := store.InspectFile(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}

	rep, err := store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, key1).Wrapper, nil)
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]int64{}
	order := map[string]int{}
	for i, tc := range rep.Tables {
		copied[tc.Table] = tc.Rows
		order[tc.Table] = i
	}
	// Every table of the source moves except the two the report says do not.
	for table, n := range info.Rows {
		if table == "schema_migrations" || strings.HasPrefix(table, "durability") {
			if _, ok := copied[table]; ok {
				t.Errorf("%s copied; it belongs to the SQLite side", table)
			}
			continue
		}
		if copied[table] != n {
			t.Errorf("%s: %d rows copied, %d in the source", table, copied[table], n)
		}
	}
	for table, want := range map[string]int64{"sessions": 2, "messages": 4, "consents": 2, "contacts": 2, "agents": 1,
		"agent_sessions": 1, "offline_messages": 1, "requests": 1, "incidents": 1, "incident_subjects": 2, "agent_notes": 1, "system_keys": 1} {
		if copied[table] != want {
			t.Errorf("%s: %d rows copied; want %d", table, copied[table], want)
		}
	}
	for _, fk := range [][2]string{{"subjects", "sessions"}, {"sessions", "messages"}, {"agents", "agent_sessions"}, {"incidents", "incident_subjects"}, {"sessions", "agent_notes"}} {
		if order[fk[0]] > order[fk[1]] {
			t.Errorf("%s copied after %s, which refers to it", fk[0], fk[1])
		}
	}
	if rep.AuditRecords != info.AuditRecords || rep.AuditRecords < 4 {
		t.Errorf("audit records verified on the target %d; the source has %d", rep.AuditRecords, info.AuditRecords)
	}
	if rep.SchemaVersion != store.SchemaVersion() || rep.KeysChecked != 3 { // 2 subjects + the lookup key
		t.Errorf("report %+v", rep)
	}

	pg := openTarget(t, dsn)
	lines, err := pg.Transcript(ctx, a.SubjectID, a.ID)
	if err != nil || len(lines) != 3 || string(lines[1].Body) != "my parcel 4711 never came" {
		t.Fatalf("transcript on PostgreSQL: %+v, %v", lines, err)
	}
	data, err := pg.Export(ctx, a.SubjectID)
	if err != nil || len(data.Contacts) != 1 || string(data.Contacts[0]) != "jane@example.com" ||
		len(data.LeftMessages) != 1 || data.LeftMessages[0].Text != "please call back" ||
		len(data.Notes) != 1 || data.Notes[0].Text != "asked twice about 4711" || len(data.Unreadable) != 0 {
		t.Fatalf("export on PostgreSQL: %+v, %v", data, err)
	}
	if subs, err := pg.SubjectsByBlind(ctx, "blind-1"); err != nil || len(subs) != 2 {
		t.Errorf("lookup by blind index: %v, %v", subs, err)
	}
	if as, err := pg.AgentSessionByHash(ctx, []byte("agent-token"), a.CreatedAt); err != nil || as.Agent != "maria" {
		t.Errorf("agent session: %+v, %v", as, err)
	}
	if n, err := pg.VerifyAudit(ctx); err != nil || n != rep.AuditRecords {
		t.Errorf("audit verify on PostgreSQL = %d, %v; want %d", n, err, rep.AuditRecords)
	}

	// Sequences moved past the copied ids: new rows get new ids.
	at := a.CreatedAt.Add(time.Hour)
	id, err := pg.LeaveMessage(ctx, store.OfflineMessage{Subject: b.SubjectID, Session: b.ID, At: at, Text: "still waiting"})
	if err != nil || id <= 1 {
		t.Fatalf("left message after the copy: id %d, %v", id, err)
	}
	if err := pg.AppendTurn(ctx, a.SubjectID, a.ID, at, []store.Entry{{At: at, Sender: "customer", Body: []byte("hello again")}}, nil); err != nil {
		t.Fatalf("a turn after the copy: %v", err)
	}
	if lines, err := pg.Transcript(ctx, a.SubjectID, a.ID); err != nil || len(lines) != 4 || lines[3].ID <= lines[2].ID {
		t.Fatalf("transcript after a new turn: %+v, %v", lines, err)
	}
	if _, err := pg.AddRequest(ctx, store.Request{Kind: compliance.RequestExport, Subject: a.SubjectID, Received: at, Profile: "eu", Channel: "email"}, "operator"); err != nil {
		t.Fatalf("a request after the copy: %v", err)
	}
	if _, err := pg.AddIncident(ctx, store.Incident{What: "second", Found: at, Recorded: at}, store.Scope{Subjects: []string{a.SubjectID}}, "operator"); err != nil {
		t.Fatalf("an incident after the copy: %v", err)
	}
	if n, err := pg.VerifyAudit(ctx); err != nil || n <= rep.AuditRecords {
		t.Errorf("audit verify after new records = %d, %v", n, err)
	}

	// A second copy into the same database is refused, and changes nothing.
	_, err = store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, key1).Wrapper, nil)
	if !errors.Is(err, store.ErrTargetNotEmpty) {
		t.Fatalf("second copy: %v; want ErrTargetNotEmpty", err)
	}
	if lines, err := pg.Transcript(ctx, a.SubjectID, a.ID); err != nil || len(lines) != 4 {
		t.Errorf("after the refused copy: %d lines, %v", len(lines), err)
	}
}

// DSR-4: a customer erased after the move is erased on PostgreSQL: the
// foreign keys cascade there as in SQLite, the chain records it.
func TestCopyToPostgresThenErase(t *testing.T) {
	ctx := context.Background()
	_, dbPath, dsn := copySource(t)
	a, b := fillInstallation(t, dbPath)
	if _, err := store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, key1).Wrapper, nil); err != nil {
		t.Fatal(err)
	}
	pg := openTarget(t, dsn)
	at := a.CreatedAt.Add(time.Hour)
	n, err := pg.Erase(ctx, a.SubjectID, "operator", at)
	if err != nil || n.Sessions != 1 || n.Messages != 3 || n.Contacts != 1 || n.Consents != 1 {
		t.Fatalf("erase on PostgreSQL: %+v, %v", n, err)
	}
	if _, err := pg.Export(ctx, a.SubjectID); !errors.Is(err, store.ErrErased) {
		t.Errorf("export after erasure: %v; want ErrErased", err)
	}
	counts, err := pg.CountSubject(ctx, a.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	if counts != (store.SubjectCounts{}) {
		t.Errorf("rows left of the erased subject: %+v", counts)
	}
	if left, err := pg.OfflineMessages(ctx); err != nil || len(left) != 0 {
		t.Errorf("left messages after erasure: %+v, %v", left, err)
	}
	if lines, err := pg.Transcript(ctx, b.SubjectID, b.ID); err != nil || len(lines) != 1 {
		t.Errorf("the other customer: %+v, %v", lines, err)
	}
	if _, err := pg.VerifyAudit(ctx); err != nil {
		t.Errorf("audit verify after erasure: %v", err)
	}
	erasures, err := pg.AuditRecords(ctx, compliance.EventErasure)
	if err != nil || len(erasures) != 1 {
		t.Errorf("erasure audit records: %+v, %v", erasures, err)
	}
}

// A copy that fails part way leaves the target as it was (one
// transaction, schema included), so it can simply be run again; a wrong
// master key or a missing file is refused before anything is written.
func TestCopyToPostgresAllOrNothing(t *testing.T) {
	ctx := context.Background()
	dir, dbPath, dsn := copySource(t)
	if _, err := store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, key1).Wrapper, nil); err == nil || !strings.Contains(err.Error(), dbPath) {
		t.Fatalf("missing file: %v", err)
	}
	fillInstallation(t, dbPath)
	if _, err := store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, "another key, another key, 32 b..").Wrapper, nil); err == nil || !strings.Contains(err.Error(), "master key does not open") {
		t.Fatalf("wrong master key: %v", err)
	}
	// PostgreSQL refuses a NUL in text, SQLite keeps it: the copy fails
	// at the agents table, after the schema and earlier tables were sent.
	raw := rawDB(t, dir)
	if _, err := raw.Exec(`UPDATE agents SET display_name = 'Ma' || char(0) || 'ria'`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, key1).Wrapper, nil); err == nil || !strings.Contains(err.Error(), "copy agents") {
		t.Fatalf("copy of an agent PostgreSQL cannot hold: %v", err)
	}
	target, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	var tables int
	if err := target.QueryRow(`SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("after the failed copy the target has %d tables (%v); want none", tables, err)
	}
	if _, err := raw.Exec(`UPDATE agents SET display_name = 'Maria'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := store.CopyToPostgres(ctx, dbPath, dsn, crypto(t, key1).Wrapper, nil); err != nil {
		t.Fatalf("the copy run again: %v", err)
	}
}
