package protocol

import "time"

// ConversationNote answers GET and PUT /agent/api/conversations/{id}/note:
// the agents' private note on a conversation, never shown to the customer.
type ConversationNote struct {
	ID        string     `json:"id"`
	Text      string     `json:"text"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
}

// ExportNote is an agent's note on one of the customer's conversations, in
// the export under "agent_notes" (DSR-1, DSR-2).
type ExportNote struct {
	Conversation string    `json:"conversation"`
	UpdatedAt    time.Time `json:"updated_at"`
	Text         string    `json:"text"`
}
