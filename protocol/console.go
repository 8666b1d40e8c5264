package protocol

import "time"

// The agent console's JSON API (docs/agent-api.md): what GET /agent/api/queue,
// /events, /conversations/{id} and /offline answer.

// Agent presence values. An agent sets online or away; offline is what the
// desk reports for one logged out or silent for too long.
const (
	PresenceOnline  = "online"
	PresenceAway    = "away"
	PresenceOffline = "offline"
)

// Kinds of desk event pushed to consoles.
const (
	DeskEventQueue          = "queue"           // the queue or presence changed
	DeskEventMessage        = "message"         // a customer line: for the agent holding the conversation, or for every agent while it waits
	DeskEventOfflineMessage = "offline_message" // a customer left a message
	// DeskEventQueueDropped: a waiting customer had been gone longer than
	// handover.queue_drop_after and left the queue.
	DeskEventQueueDropped = "queue_dropped"
)

// Customer presence on a queue item.
const (
	CustomerOnline = "online" // a chat is open (or the HTTP mirror was called in the last minute)
	CustomerLeft   = "left"   // no chat open since GoneSince
)

// Kinds of console transcript line: what someone wrote, or something that
// happened (a button pressed, a consent decision, a handover), whose Text is
// a marker such as "[pressed: human]". A customer who types such a marker
// wrote a message; only Kind tells an event.
const (
	LineMessage = "message"
	LineEvent   = "event"
)

// ConsoleLine is one transcript line as an agent sees it.
type ConsoleLine struct {
	At   time.Time `json:"at"`
	From string    `json:"from"`
	Name string    `json:"name,omitempty"`
	Text string    `json:"text"`
	Kind string    `json:"kind"` // LineMessage or LineEvent
}

// DeskEvent is one change pushed to agent consoles.
type DeskEvent struct {
	Seq     int64        `json:"seq"`
	Kind    string       `json:"kind"` // DeskEventQueue, DeskEventMessage, DeskEventOfflineMessage
	ID      string       `json:"id,omitempty"`
	Message *ConsoleLine `json:"message,omitempty"`
}

// QueueItem is one conversation waiting for or held by an agent.
type QueueItem struct {
	ID       string    `json:"id"`
	Position int       `json:"position,omitempty"`
	Reason   string    `json:"reason"`
	Since    time.Time `json:"since"`
	Agent    string    `json:"agent,omitempty"`
	State    string    `json:"state"` // HandoverQueued or HandoverJoined
	// Customer is CustomerOnline or CustomerLeft; GoneSince is when the
	// customer's last chat closed (only when left).
	Customer  string     `json:"customer,omitempty"`
	GoneSince *time.Time `json:"gone_since,omitempty"`
}

// AgentStatus is an agent's presence as the console shows it.
type AgentStatus struct {
	Name     string `json:"name"`
	Display  string `json:"display_name"`
	Presence string `json:"presence"`
}

// ConversationView is a transcript as an agent sees it.
type ConversationView struct {
	ID       string        `json:"id"`
	State    string        `json:"state"`
	Agent    string        `json:"agent,omitempty"`
	Reason   string        `json:"reason"`
	Messages []ConsoleLine `json:"messages"`
}

// OfflineView is a left message as agents see it.
type OfflineView struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Text     string    `json:"text"`
	Contacts []string  `json:"contacts"`
}

// AgentMe is GET /agent/api/me (and the log-in's answer).
type AgentMe struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Presence    string `json:"presence"`
	CSRF        string `json:"csrf"`
}

// QueueView is GET /agent/api/queue.
type QueueView struct {
	Agents          []AgentStatus `json:"agents"`
	Queue           []QueueItem   `json:"queue"`
	Mine            []QueueItem   `json:"mine"`
	OfflineMessages int           `json:"offline_messages"`
	OpenHours       bool          `json:"open_hours"`
}

// DeskEvents is GET /agent/api/events: the events after the asked seq and
// the seq to ask after next.
type DeskEvents struct {
	Events []DeskEvent `json:"events"`
	Next   int64       `json:"next"`
	// Instance names the instance that numbered Next (several instances
	// on one database; empty on one). Reset says the cursor came from
	// another instance: Next starts this one's numbering, and the console
	// reloads the queue and the open conversation for what it missed.
	Instance string `json:"instance,omitempty"`
	Reset    bool   `json:"reset,omitempty"`
}

// LoggedOut is GET /agent/api/session before log-in.
type LoggedOut struct {
	LoggedIn bool `json:"logged_in"` // always false
}

// PresenceView is POST /agent/api/logout's answer.
type PresenceView struct {
	Presence string `json:"presence"`
}

// ConversationChange answers take, handback and close: the conversation's
// new handover state and, once taken, the agent holding it.
type ConversationChange struct {
	ID    string `json:"id"`
	State string `json:"state"`
	Agent string `json:"agent,omitempty"`
}

// MessageSent answers an agent's message with its id.
type MessageSent struct {
	ID string `json:"id"`
}

// OfflineInbox is GET /agent/api/offline.
type OfflineInbox struct {
	Messages []OfflineView `json:"messages"`
}

// OfflineHandled answers POST /agent/api/offline/{id}/done.
type OfflineHandled struct {
	ID   int64 `json:"id"`
	Done bool  `json:"done"`
}
