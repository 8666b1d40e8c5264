package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"deskbot/protocol"
)

// Then steps about what the bot kept: stored transcript, consent ledger,
// audit log, contacts and the customer's export.

func (w *World) storedNotContains(ctx context.Context, text string) error {
	adm, err := w.needAdmin(ctx, "scanning the stored data")
	if err != nil {
		return err
	}
	res, err := adm.scan(ctx, []string{text})
	if err != nil {
		return err
	}
	if len(res.Found) > 0 {
		return fmt.Errorf("expected the stored data not to contain %q, but a raw scan of %d files found it: %s", text, res.FilesScanned, fmtHits(res.Found))
	}
	if res.FilesScanned == 0 {
		return errors.New("the raw scan read no files: it cannot prove anything")
	}
	return nil
}

func (w *World) latestConsents(ctx context.Context) ([]protocol.ExportConsent, error) {
	sub, err := w.subject(ctx)
	if err != nil {
		return nil, err
	}
	return w.admin.consents(ctx, sub)
}

func (w *World) ledgerShows(ctx context.Context, purpose, decision string) error {
	switch decision {
	case "granted", "declined", "withdrawn":
	default:
		return fmt.Errorf("the decision must be granted, declined or withdrawn, not %q", decision)
	}
	recs, err := w.latestConsents(ctx)
	if err != nil {
		return err
	}
	var last *protocol.ExportConsent
	for i := range recs {
		if recs[i].Purpose == purpose {
			last = &recs[i]
		}
	}
	if last == nil {
		return fmt.Errorf("expected the consent ledger to show %q as %q, but it has no record for %q (records: %s)", purpose, decision, purpose, fmtConsents(recs))
	}
	if last.Decision != decision {
		return fmt.Errorf("expected the consent ledger to show %q as %q, but the latest record says %q (records: %s)", purpose, decision, last.Decision, fmtConsents(recs))
	}
	if last.TextVersion == "" || len(last.TextHash) < 32 || last.At.IsZero() {
		return fmt.Errorf("CONS-4: the ledger record for %q lacks the text version, hash or time: %+v", purpose, *last)
	}
	return nil
}

func (w *World) ledgerEmpty(ctx context.Context, purpose string) error {
	recs, err := w.latestConsents(ctx)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.Purpose == purpose {
			return fmt.Errorf("expected no consent record for %q, but the ledger has: %s", purpose, fmtConsents(recs))
		}
	}
	return nil
}

// pastSubjects are the customer's subjects up to the latest erasure or
// purge: a conversation started afresh after it is a new customer record.
func (w *World) pastSubjects() []string {
	last := -1
	if len(w.erasures) > 0 {
		last = w.erasures[len(w.erasures)-1]
	}
	var out []string
	for _, s := range w.sessions {
		if s.subject != "" && (last < 0 || s.turn <= last) && !slices.Contains(out, s.subject) {
			out = append(out, s.subject)
		}
	}
	return out
}

func (w *World) noDataRemains(ctx context.Context) error {
	adm, err := w.needAdmin(ctx, "counting what is held about the customer")
	if err != nil {
		return err
	}
	subs := w.pastSubjects()
	if len(subs) == 0 {
		return errors.New("no customer subject is known for this scenario (did the customer open the chat?)")
	}
	for _, s := range subs {
		c, err := adm.subject(ctx, s)
		if err != nil {
			return err
		}
		if c.Exists || c.Sessions+c.Messages+c.Consents+c.Contacts+c.Unanswered+c.Lookups > 0 {
			return fmt.Errorf("expected no data about the customer to remain, but for subject %s the bot still holds: exists=%v sessions=%d messages=%d consents=%d contacts=%d unanswered=%d lookups=%d",
				s, c.Exists, c.Sessions, c.Messages, c.Consents, c.Contacts, c.Unanswered, c.Lookups)
		}
	}
	return nil
}

// subjectlessEvents are written for the whole store, not one customer.
var subjectlessEvents = map[string]bool{"purge": true, "key_rotation": true}

func (w *World) auditEvents(ctx context.Context, event string) ([]protocol.AuditRecord, protocol.AdminAudit, error) {
	adm, err := w.needAdmin(ctx, "reading the audit log")
	if err != nil {
		return nil, protocol.AdminAudit{}, err
	}
	all, err := adm.audit(ctx, "", event)
	if err != nil {
		return nil, all, err
	}
	var subs []string
	for _, s := range w.sessions {
		subs = append(subs, s.subject)
	}
	var mine []protocol.AuditRecord
	for _, r := range all.Records {
		if slices.Contains(subs, r.Subject) || (subjectlessEvents[event] && (w.inProcess() || r.At.After(w.started.Add(-time.Minute)))) {
			mine = append(mine, r)
		}
	}
	return mine, all, nil
}

func (w *World) auditRecords(ctx context.Context, event string) error {
	mine, all, err := w.auditEvents(ctx, event)
	if err != nil {
		return err
	}
	if !all.ChainOK {
		return fmt.Errorf("AUD-1: the audit log's hash chain does not verify: %s", all.ChainError)
	}
	if len(mine) == 0 {
		return fmt.Errorf("expected the audit log to record %q for this customer, but it has none (%d %q records for others)", event, len(all.Records), event)
	}
	return nil
}

func (w *World) auditNotRecords(ctx context.Context, event string) error {
	mine, _, err := w.auditEvents(ctx, event)
	if err != nil {
		return err
	}
	if len(mine) > 0 {
		return fmt.Errorf("expected no %q audit record for this customer, but found %d (first: %s %s)", event, len(mine), mine[0].Actor, mine[0].Detail)
	}
	return nil
}

func (w *World) chainVerifies(ctx context.Context) error {
	adm, err := w.needAdmin(ctx, "verifying the audit log")
	if err != nil {
		return err
	}
	all, err := adm.audit(ctx, "", "")
	if err != nil {
		return err
	}
	if !all.ChainOK {
		return fmt.Errorf("AUD-1: the audit log's hash chain does not verify: %s", all.ChainError)
	}
	return nil
}

func (w *World) transcriptHas(ctx context.Context, text string, want bool) error {
	sub, err := w.subject(ctx)
	if err != nil {
		return err
	}
	entries, err := w.admin.transcript(ctx, sub)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.Contains(strings.ToLower(string(unescapeJSON(e.Content))), strings.ToLower(text)) {
			if !want {
				return fmt.Errorf("expected the stored transcript not to contain %q, but a stored %s line holds it: %s", text, e.Sender, e.Content)
			}
			return nil
		}
	}
	if want {
		return fmt.Errorf("expected the stored transcript to contain %q, but it does not; stored customer lines: %s", text, customerLines(entries))
	}
	return nil
}

// unescapeJSON turns a JSON body into its text, so "[email]" matches
// regardless of how the encoder escaped it.
func unescapeJSON(b []byte) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	var out bytes.Buffer
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				out.WriteString(k + ": ")
				walk(y)
				out.WriteString("\n")
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			out.WriteString(x)
		default:
			fmt.Fprint(&out, x)
		}
	}
	walk(v)
	return out.Bytes()
}

func customerLines(entries []protocol.ExportEntry) string {
	var b []string
	for _, e := range entries {
		if e.Sender == "customer" {
			b = append(b, string(e.Content))
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return strings.Join(b, ", ")
}

func (w *World) contactsKept(ctx context.Context, n int) error {
	sub, err := w.subject(ctx)
	if err != nil {
		return err
	}
	c, err := w.admin.subject(ctx, sub)
	if err != nil {
		return err
	}
	if c.Contacts != n {
		return fmt.Errorf("expected the bot to keep %d contact detail(s) for the customer, but it keeps %d", n, c.Contacts)
	}
	return nil
}

func (w *World) exportSchema(schema string) error {
	if w.exported == nil {
		return errors.New(`nothing was downloaded: add "When the customer downloads their data" first`)
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(w.exported, &doc); err != nil {
		return fmt.Errorf("the export is not a JSON object: %w", err)
	}
	if doc.Schema != schema {
		return fmt.Errorf("expected the export schema %q, but it is %q", schema, doc.Schema)
	}
	return nil
}

// exportText is the downloaded export as searchable text.
func (w *World) exportText() (string, error) {
	if w.exported == nil {
		return "", errors.New(`nothing was downloaded: add "When the customer downloads their data" first`)
	}
	return strings.ToLower(string(unescapeJSON(w.exported))), nil
}

func (w *World) exportNotContains(text string) error {
	got, err := w.exportText()
	if err != nil {
		return err
	}
	if strings.Contains(got, strings.ToLower(text)) {
		return fmt.Errorf("expected the export not to contain %q, but it does", text)
	}
	return nil
}

func (w *World) exportContains(text string) error {
	got, err := w.exportText()
	if err != nil {
		return err
	}
	if !strings.Contains(got, strings.ToLower(text)) {
		return fmt.Errorf("expected the export to contain %q, but it does not (%d bytes)", text, len(w.exported))
	}
	return nil
}
