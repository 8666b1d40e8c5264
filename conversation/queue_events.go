package conversation

import (
	"deskbot/compliance"
	"deskbot/protocol"
)

// publishWaiting shows every agent (of the conversation's lane) what a
// customer waiting in the queue just wrote, so the console can count unread
// lines and show a preview before anyone takes the conversation. Only after
// the turn is stored, only the customer's own text as stored (redacted),
// with card numbers masked again (PCI-1). A held conversation's lines go to
// its agent alone (forwardToAgent).
func (e *Engine) publishWaiting(t *turn) {
	if t.stored == "" {
		return
	}
	c, ok := e.desk.Conv(t.s.ID)
	if !ok || c.State != protocol.HandoverQueued {
		return
	}
	e.desk.Publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: t.s.ID, Message: &protocol.ConsoleLine{
		At: t.now, From: "customer", Text: compliance.MaskCards(t.stored), Kind: protocol.LineMessage}}, "")
}
