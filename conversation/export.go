package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"deskbot/compliance"
	"deskbot/protocol"
	"deskbot/store"
)

// BuildExport turns stored data into the export document.
func BuildExport(d store.SubjectData, controller string, now time.Time) protocol.ExportDoc {
	doc := protocol.ExportDoc{Schema: protocol.ExportSchema, GeneratedAt: now.UTC(), Controller: controller, Subject: d.Subject,
		Conversations: []protocol.ExportSession{}, Consents: []protocol.ExportConsent{}, Contacts: []string{}, Unanswered: []string{},
		LeftMessages: []protocol.ExportLeft{}, AgentNotes: []protocol.ExportNote{}, Notes: []string{}, Unreadable: []protocol.UnreadableRow{}}
	for _, s := range d.Sessions {
		es := protocol.ExportSession{ID: s.ID, Profile: s.Profile, StartedAt: s.CreatedAt, LastSeenAt: s.LastSeen, Messages: []protocol.ExportEntry{}}
		for _, e := range d.Transcripts[s.ID] {
			content := json.RawMessage(e.Body)
			if !json.Valid(content) {
				content, _ = json.Marshal(string(e.Body))
			}
			es.Messages = append(es.Messages, protocol.ExportEntry{At: e.At, Sender: e.Sender, Content: content})
		}
		doc.Conversations = append(doc.Conversations, es)
	}
	for _, c := range d.Consents {
		doc.Consents = append(doc.Consents, protocol.ExportConsent{Purpose: string(c.Purpose), Decision: string(c.Decision), TextVersion: c.TextVersion, TextHash: c.TextHash, At: c.At})
	}
	for _, c := range d.Contacts {
		doc.Contacts = append(doc.Contacts, string(c))
	}
	doc.Unanswered = append(doc.Unanswered, d.Unanswered...)
	for _, m := range d.LeftMessages {
		l := protocol.ExportLeft{At: m.At, Text: m.Text}
		if !m.HandledAt.IsZero() {
			h := m.HandledAt
			l.HandledAt = &h
		}
		doc.LeftMessages = append(doc.LeftMessages, l)
	}
	for _, n := range d.Notes { // DSR-1, DSR-2: "agent notes"
		doc.AgentNotes = append(doc.AgentNotes, protocol.ExportNote{Conversation: n.Session, UpdatedAt: n.UpdatedAt, Text: n.Text})
	}
	for _, c := range d.Consents {
		if c.Purpose != compliance.PurposeContact || c.Decision != compliance.DecisionWithdrawn {
			continue
		}
		note := fmt.Sprintf("%s: consent to keep contact details was withdrawn and the contact details kept were deleted.", c.At.UTC().Format(time.RFC3339))
		if rescrubbedAt(d.Rescrubbed, c.At) {
			note = strings.TrimSuffix(note, ".") + ", and e-mail addresses and phone numbers typed while consent was given were removed from the stored conversations and left messages (shown as [email] and [phone])."
		}
		doc.Notes = append(doc.Notes, note)
	}
	if len(d.Unreadable) > 0 {
		for _, u := range d.Unreadable {
			doc.Unreadable = append(doc.Unreadable, protocol.UnreadableRow{Table: u.Table, ID: u.ID})
		}
		doc.Notes = append(doc.Notes, fmt.Sprintf("%d stored records could not be decrypted (damaged) and are missing from this copy; they are listed under \"unreadable\".", len(d.Unreadable)))
	}
	return doc
}

// rescrubbedAt reports whether the stored text was re-redacted by the
// withdrawal recorded at at (same commit: same time, to the millisecond the
// ledger keeps). Withdrawals before re-redaction existed have no such record.
func rescrubbedAt(times []time.Time, at time.Time) bool {
	for _, t := range times {
		if d := t.Sub(at); d > -time.Second && d < time.Second {
			return true
		}
	}
	return false
}

// Export returns a session's customer's export and records the request (DSR-1, DSR-2, AUD-1).
func (e *Engine) Export(ctx context.Context, token, channel string) (protocol.ExportDoc, error) {
	s, err := e.Lookup(ctx, token)
	if err != nil {
		return protocol.ExportDoc{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := e.store.Export(ctx, s.Subject)
	if errors.Is(err, store.ErrErased) {
		// Erased meanwhile, maybe by `deskbot privacy erase` in another
		// process: the session in memory must not be resumed (DSR-4).
		s.erased.Store(true)
	}
	if err != nil {
		return protocol.ExportDoc{}, err
	}
	now := e.now()
	doc := BuildExport(d, e.cfg.BusinessName, now)
	n := 0
	for _, c := range doc.Conversations {
		n += len(c.Messages)
	}
	e.obs.Rights(compliance.EventExport)
	if err := e.store.RecordRequest(ctx, compliance.EventExport, s.Subject, "customer", now, fmt.Sprintf("channel=%s sessions=%d messages=%d", channel, len(doc.Conversations), n)); err != nil {
		return protocol.ExportDoc{}, err
	}
	return doc, nil
}
