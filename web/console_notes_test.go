package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"deskbot/protocol"
	"deskbot/store"
)

// A private note on a conversation: CSRF and origin checked like every
// console write (SEC-2); read and written only by agents who may see the
// conversation (waiting, or held by them); never sent to the customer;
// in the customer's export as "agent_notes" (DSR-1, DSR-2); audited as
// agent_note without its text.
func TestConsoleNoteAPI(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	anna, ben, nobody := agentAtDesk(t, l, "anna", "Anna"), agentAtDesk(t, l, "ben", "Ben"), newAgentSim(t, l)
	c, tok, id := queuedCustomer(t, l)
	path := "/agent/api/conversations/" + url.PathEscape(id) + "/note"
	const text = "Prefers a call back; parcel NOTE-7731 lost twice."
	body := map[string]string{"text": text}

	// Not logged in, no CSRF token, another origin: refused.
	if code := nobody.do("GET", path, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("GET without log-in: %d", code)
	}
	if code := nobody.do("PUT", path, body, nil); code != http.StatusUnauthorized {
		t.Fatalf("PUT without log-in: %d", code)
	}
	csrf := anna.csrf
	anna.csrf = ""
	if code := anna.do("PUT", path, body, nil); code != http.StatusForbidden {
		t.Fatalf("PUT without X-CSRF-Token: %d, want 403", code)
	}
	if code := anna.do("PUT", path, body, nil, "X-CSRF-Token", "wrong"); code != http.StatusForbidden {
		t.Fatalf("PUT with a wrong X-CSRF-Token: %d, want 403", code)
	}
	anna.csrf = csrf
	if code := anna.do("PUT", path, body, nil, "Origin", "https://evil.example"); code != http.StatusForbidden {
		t.Fatalf("PUT from another origin: %d, want 403", code)
	}
	if code := anna.do("PUT", path, map[string]string{}, nil); code != http.StatusBadRequest {
		t.Fatalf("PUT without text: %d, want 400", code)
	}
	if code := anna.do("PUT", path, map[string]string{"text": strings.Repeat("x", 8001)}, nil); code != http.StatusBadRequest {
		t.Fatalf("PUT of an over-long note: %d, want 400", code)
	}

	// While it waits, any agent of its lane may read and write it.
	var n protocol.ConversationNote
	if code := anna.do("GET", path, nil, &n); code != http.StatusOK || n.Text != "" || n.UpdatedAt != nil {
		t.Fatalf("no note yet: %d %+v", code, n)
	}
	if code := anna.do("PUT", path, body, &n); code != http.StatusOK || n.Text != text || n.UpdatedBy != "anna" || n.UpdatedAt == nil {
		t.Fatalf("save: %d %+v", code, n)
	}
	if code := ben.do("GET", path, nil, &n); code != http.StatusOK || n.Text != text {
		t.Fatalf("ben reads the waiting conversation's note: %d %+v", code, n)
	}
	// Once anna holds it, it is hers: ben gets 409; a conversation not on
	// the desk is 404.
	if code := anna.take(id); code != http.StatusOK {
		t.Fatalf("take: %d", code)
	}
	if code := ben.do("GET", path, nil, nil); code != http.StatusConflict {
		t.Fatalf("ben reads anna's conversation's note: %d, want 409", code)
	}
	if code := ben.do("PUT", path, map[string]string{"text": "ben was here"}, nil); code != http.StatusConflict {
		t.Fatalf("ben writes anna's conversation's note: %d, want 409", code)
	}
	if code := anna.do("GET", "/agent/api/conversations/no-such-id/note", nil, nil); code != http.StatusNotFound {
		t.Fatalf("unknown conversation: %d, want 404", code)
	}
	if code := anna.do("GET", path, nil, &n); code != http.StatusOK || n.Text != text {
		t.Fatalf("anna reads it back: %d %+v", code, n)
	}

	// The customer never receives it: the next frames they get are the
	// join and anna's own message, none holding the note.
	if code := anna.say(id, "Hello, Anna here."); code != http.StatusOK {
		t.Fatalf("say: %d", code)
	}
	ctx := ctxT(t)
	for {
		f, err := c.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(f)
		if strings.Contains(string(raw), "NOTE-7731") || strings.Contains(string(raw), "call back") {
			t.Fatalf("the note reached the customer's socket: %s", raw)
		}
		if f.Type == protocol.TypeMessage && f.From == protocol.FromAgent {
			break
		}
	}

	// DSR-1, DSR-2: in the customer's export as an agent note.
	doc, err := l.App.Engine.Export(context.Background(), tok, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.AgentNotes) != 1 || doc.AgentNotes[0].Text != text || doc.AgentNotes[0].Conversation != id {
		t.Fatalf("export agent_notes = %+v", doc.AgentNotes)
	}
	for _, conv := range doc.Conversations {
		for _, m := range conv.Messages {
			if strings.Contains(string(m.Content), "NOTE-7731") {
				t.Fatalf("the note is in the transcript: %s", m.Content)
			}
		}
	}

	// Audited without its text.
	recs, err := l.App.Store.AuditRecords(context.Background(), store.EventAgentNote)
	if err != nil || len(recs) != 1 || recs[0].Actor != "anna" {
		t.Fatalf("agent_note audit = %+v, %v", recs, err)
	}
	if strings.Contains(recs[0].Detail, "NOTE") || strings.Contains(recs[0].Detail, "parcel") {
		t.Fatalf("audit detail holds the note: %q", recs[0].Detail)
	}

	// Clearing it: "" deletes the note.
	if code := anna.do("PUT", path, map[string]string{"text": ""}, &n); code != http.StatusOK || n.Text != "" {
		t.Fatalf("clear: %d %+v", code, n)
	}
	if code := anna.do("GET", path, nil, &n); code != http.StatusOK || n.Text != "" {
		t.Fatalf("after clearing: %d %+v", code, n)
	}
}
