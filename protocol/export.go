package protocol

import (
	"encoding/json"
	"time"
)

// ExportSchema versions the export document (DSR-2).
const ExportSchema = "deskbot.export/v1"

// ExportDoc is the machine-readable copy of everything held about a
// customer: POST /api/v1/export and `deskbot privacy export`.
type ExportDoc struct {
	Schema        string          `json:"schema"`
	GeneratedAt   time.Time       `json:"generated_at"`
	Controller    string          `json:"controller"`
	Subject       string          `json:"subject"`
	Conversations []ExportSession `json:"conversations"`
	Consents      []ExportConsent `json:"consents"`
	Contacts      []string        `json:"contact_details"`
	Unanswered    []string        `json:"unanswered_questions"`
	LeftMessages  []ExportLeft    `json:"left_messages"`
	// AgentNotes are the agents' private notes on the conversations
	// (console_notes.go), shown to the customer only here.
	AgentNotes []ExportNote `json:"agent_notes"`
	// Notes say in words what happened to the data, e.g. that contact
	// details were removed when consent was withdrawn (CONS-5).
	Notes []string `json:"notes"`
	// Unreadable lists stored rows that could not be decrypted (damaged on
	// disk) and are therefore missing from this copy; everything else is
	// included (DSR-1).
	Unreadable []UnreadableRow `json:"unreadable"`
}

// UnreadableRow names a stored row that could not be decrypted.
type UnreadableRow struct {
	Table string `json:"table"`
	ID    int64  `json:"id"`
}

// ExportLeft is a message the customer left for the team.
type ExportLeft struct {
	At        time.Time  `json:"at"`
	Text      string     `json:"text"`
	HandledAt *time.Time `json:"handled_at,omitempty"`
}

// ExportSession is one conversation with its stored lines.
type ExportSession struct {
	ID         string        `json:"id"`
	Profile    string        `json:"profile"`
	StartedAt  time.Time     `json:"started_at"`
	LastSeenAt time.Time     `json:"last_seen_at"`
	Messages   []ExportEntry `json:"messages"`
}

// ExportEntry is one stored line; Content is exactly what is stored
// (redacted where the law required).
type ExportEntry struct {
	At      time.Time       `json:"at"`
	Sender  string          `json:"sender"`
	Content json.RawMessage `json:"content"`
}

// ExportConsent is one consent ledger row.
type ExportConsent struct {
	Purpose     string    `json:"purpose"`
	Decision    string    `json:"decision"`
	TextVersion string    `json:"text_version"`
	TextHash    string    `json:"text_hash"`
	At          time.Time `json:"at"`
}
