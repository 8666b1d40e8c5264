package conversation

import (
	"context"
	"fmt"
	"strconv"

	"deskbot/compliance"
	"deskbot/locale"
	"deskbot/protocol"
)

// rights handles data-subject requests typed or clicked in chat.
func (e *Engine) rights(ctx context.Context, t *turn, kind string) {
	switch kind {
	case protocol.ActionWithdraw:
		e.withdraw(t)
	case protocol.ActionExport:
		e.exportInChat(ctx, t)
	case protocol.ActionErase:
		e.eraseInChat(ctx, t)
	}
}

// exportInChat answers "send me my data" (DSR-1, DSR-2): a summary now and
// the machine-readable copy as a download.
func (e *Engine) exportInChat(ctx context.Context, t *turn) {
	d, err := e.store.Export(ctx, t.s.Subject)
	if err != nil {
		e.log.Error("export failed", "session", t.s.ID, "err", err)
		t.send(e.botMessage(e.text(t.s, locale.ExportFailed), false))
		return
	}
	msgs := 0
	for _, tr := range d.Transcripts {
		msgs += len(tr)
	}
	e.obs.Rights(compliance.EventExport)
	t.audit(compliance.EventExport, "customer", fmt.Sprintf("channel=chat sessions=%d messages=%d", len(d.Sessions), msgs))
	m := e.botMessage(e.text(t.s, locale.ExportSummary, "conversations", strconv.Itoa(len(d.Sessions)), "messages", strconv.Itoa(msgs),
		"consents", strconv.Itoa(len(d.Consents)), "contacts", strconv.Itoa(len(d.Contacts)), "left", strconv.Itoa(len(d.LeftMessages))), false)
	m.Actions = []protocol.Action{{Name: protocol.ActionDownloadExport, Label: e.text(t.s, locale.ExportDownload)}}
	t.send(m)
}

// eraseInChat deletes everything about the customer at once (DSR-4):
// crypto-shredding plus deletion of every row; only the request record
// and audit entry remain. The confirmation is sent but not stored.
func (e *Engine) eraseInChat(ctx context.Context, t *turn) {
	if _, err := e.store.Erase(ctx, t.s.Subject, "customer", t.now); err != nil {
		e.log.Error("erasure failed", "session", t.s.ID, "err", err)
		t.send(e.botMessage(e.text(t.s, locale.EraseFailed), false))
		return
	}
	e.obs.Rights(compliance.EventErasure)
	t.s.erased.Store(true)
	t.s.pendingContact = nil
	t.out = append(t.out, e.botMessage(e.text(t.s, locale.EraseDone), false))
}
