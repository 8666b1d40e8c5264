package bot

import (
	"context"

	"deskbot/compliance"
	"deskbot/protocol"
)

// handover brings in a person or, when nobody is available, says so
// honestly and offers to leave a message (HUM-2).
func (e *Engine) handover(ctx context.Context, t *turn, reason string) {
	t.s.st.Handover = protocol.HandoverOffline
	t.audit(compliance.EventHandover, "bot", "reason="+reason+" state=offline")
	m := e.botMessage("No one from our team is available right now. You can leave a message and we will get back to you, or keep asking me.", false)
	m.Actions = []protocol.Action{{Name: protocol.ActionLeaveMessage, Label: "Leave a message"}}
	t.send(protocol.Handover{Type: protocol.TypeHandover, State: protocol.HandoverOffline}, m)
}
