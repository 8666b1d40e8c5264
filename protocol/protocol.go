// Package protocol defines wire protocol v1: the JSON frames exchanged over
// GET /ws and mirrored by POST /api/v1/chat. Customers' pages, QA suites and
// third-party clients depend on these shapes; change them only by adding a
// new version. The package is also the one home of the other JSON the
// server and its clients share: the admin API records (admin.go), the agent
// console's (console*.go), test runs (test_runs.go) and the export document
// (export.go).
package protocol

import "time"

// Version is the wire protocol version served at /ws and /api/v1/chat.
const Version = 1

// How a client presents its bearer token without putting it in a URL (URLs
// end up in reverse-proxy and access logs). On the socket it offers two
// subprotocols, Subprotocol and SessionSubprotocolPrefix+TOKEN; the server
// selects Subprotocol and never echoes the token. On the admin API it sends
// the SessionHeader. The older ?session=TOKEN still works in protocol v1.
const (
	Subprotocol              = "deskbot.v1"
	SessionSubprotocolPrefix = "deskbot.session."
	SessionHeader            = "X-Deskbot-Session"
)

// Frame types sent by the server.
const (
	TypeSession        = "session"
	TypeMessage        = "message"
	TypeConsentRequest = "consent_request"
	TypeHandover       = "handover"
	TypeError          = "error"
	// TypeDelivered acknowledges a client frame that carried a "ref": the
	// server took it (it is stored before this frame is sent).
	TypeDelivered = "delivered"
	// TypeTyping says a person from the team is typing (sent at most every
	// few seconds while they type; the bot sends none).
	TypeTyping = "typing"
)

// Frame types sent by the client.
const (
	TypeSay     = "say"
	TypeConsent = "consent"
	TypeAction  = "action"
)

// Message senders.
const (
	FromBot    = "bot"
	FromAgent  = "agent"
	FromSystem = "system"
)

// Action names a client may send or a message may offer.
const (
	ActionHuman          = "human"
	ActionExport         = "export"
	ActionErase          = "erase"
	ActionWithdraw       = "withdraw"
	ActionConsentAccept  = "consent.accept"
	ActionConsentDecline = "consent.decline"
	ActionLeaveMessage   = "leave_message"
	// ActionArticle offers (and, sent back with the article's id, picks) a
	// suggested article: "did you mean …?" (ACC-1: a suggestion is not an answer).
	ActionArticle = "article"
	// ActionDownloadExport is offered with an export summary; the page then
	// fetches POST /api/v1/export with the session token (DSR-1, DSR-2).
	ActionDownloadExport = "download_export"
)

// Handover states. The agent desk uses HandoverQueued and HandoverJoined
// for its conversations too.
const (
	HandoverQueued  = "queued"
	HandoverJoined  = "joined"
	HandoverLeft    = "left"
	HandoverOffline = "offline"
)

// Why an "offline" handover found nobody (the handover frame's "why"):
// outside business hours, or inside them with no agent online. Added to
// protocol v1 as an optional field; other states carry none.
const (
	OfflineClosed  = "closed"
	OfflineNoAgent = "no_agent"
)

// Error codes.
const (
	ErrBadRequest  = "bad_request"
	ErrTooLarge    = "too_large"
	ErrRateLimited = "rate_limited"
	ErrNoSession   = "no_session"
	ErrInternal    = "internal"
)

// Source names the knowledge-base article an answer was taken from (ACC-1, ACC-2).
type Source struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
	URL     string `json:"url,omitempty"`
}

// Action is a button the client may render; pressing it sends
// {"type":"action","name":Name}, plus "id":ID when the action has one
// (an "article" button carries the suggested article's id).
type Action struct {
	Name  string `json:"name"`
	ID    string `json:"id,omitempty"`
	Label string `json:"label"`
}

// Outbound is any frame the server sends: Session, Message,
// ConsentRequest, Handover or Error (or a decoded Frame). It is sealed: only
// this package's frame types implement it.
type Outbound interface{ outbound() }

func (Session) outbound()        {}
func (Message) outbound()        {}
func (ConsentRequest) outbound() {}
func (Handover) outbound()       {}
func (Error) outbound()          {}
func (Frame) outbound()          {}
func (Delivered) outbound()      {}
func (Typing) outbound()         {}

// Delivered acknowledges the client frame whose "ref" it echoes.
type Delivered struct {
	Type string `json:"type"` // "delivered"
	Ref  string `json:"ref"`
}

// Typing: an agent is typing a reply; a client shows it for a few seconds.
type Typing struct {
	Type string `json:"type"` // "typing"
	From string `json:"from"` // "agent"
	Name string `json:"name,omitempty"`
}

// Session is always the first frame of a connection.
type Session struct {
	Type    string `json:"type"` // "session"
	Session string `json:"session"`
	Profile string `json:"profile"`
	// MaxMessageBytes is the longest "say" text the server takes, in UTF-8
	// bytes after trimming white space (limits.max_message_bytes).
	MaxMessageBytes int `json:"max_message_bytes,omitempty"`
	// Storage is where a browser keeps the token: "local" (shared by tabs,
	// kept for ExpiresIn seconds) or "session" (this tab only), as the
	// jurisdiction profile allows.
	Storage   string `json:"storage,omitempty"`
	ExpiresIn int    `json:"expires_in,omitempty"`
	// The session's language and writing direction, the page's own
	// strings in it (keys as in locale/messages without "ui_") and the
	// languages the customer can switch to (language.go).
	Lang      string            `json:"lang,omitempty"`
	Dir       string            `json:"dir,omitempty"`
	UI        map[string]string `json:"ui,omitempty"`
	Languages []Language        `json:"languages,omitempty"`
}

// Message is a chat line from the bot, an agent or the system.
type Message struct {
	Type       string   `json:"type"` // "message"
	ID         string   `json:"id"`
	From       string   `json:"from"`
	Name       string   `json:"name,omitempty"`
	Text       string   `json:"text"`
	Disclosure bool     `json:"disclosure"`
	Sources    []Source `json:"sources"`
	Actions    []Action `json:"actions"`
	// At is when the message was written, in RFC 3339 (UTC).
	At string `json:"at,omitempty"`
	// History marks a line replayed to a resumed connection (the
	// conversation so far); a client draws each id once.
	History bool `json:"history,omitempty"`
	// Confidence is the knowledge base's calibrated probability (0..1,
	// three decimals) that its best article is the right one, on the bot
	// message that answers a question, suggests articles or says it cannot
	// confirm (0 when nothing matched); absent on every other message. An
	// optional v1 field: clients that do not know it ignore it.
	Confidence *float64 `json:"confidence,omitempty"`
}

// ConsentRequest asks for opt-in consent for one purpose (CONS-1, CONS-2, CONS-4).
type ConsentRequest struct {
	Type      string `json:"type"` // "consent_request"
	Purpose   string `json:"purpose"`
	Text      string `json:"text"`
	PolicyURL string `json:"policy_url"`
	Version   string `json:"version"`
}

// Handover reports the human-handover state of the conversation (HUM-2, DISC-6).
type Handover struct {
	Type     string `json:"type"` // "handover"
	State    string `json:"state"`
	Agent    string `json:"agent,omitempty"`
	Position int    `json:"position,omitempty"`
	// Why says, on an "offline" handover, why nobody was available:
	// OfflineClosed or OfflineNoAgent.
	Why string `json:"why,omitempty"`
}

// Error reports a rejected client frame; the session stays alive.
type Error struct {
	Type    string `json:"type"` // "error"
	Code    string `json:"code"`
	Message string `json:"message"`
	// Ref echoes the "ref" of the client frame refused.
	Ref string `json:"ref,omitempty"`
}

// Inbound is any client frame. Fields unused by a type are ignored.
type Inbound struct {
	Type    string `json:"type"`
	Text    string `json:"text,omitempty"`
	Purpose string `json:"purpose,omitempty"`
	Granted *bool  `json:"granted,omitempty"`
	Name    string `json:"name,omitempty"`
	ID      string `json:"id,omitempty"`    // the article id of an "article" action; "email" (default) or "phone" for "rectify"
	Value   string `json:"value,omitempty"` // the language tag of a "language" action
	// Ref is the client's own name for this frame (at most 64 bytes); the
	// server echoes it on a "delivered" frame or on the error refusing it.
	Ref string `json:"ref,omitempty"`
}

// Frame is the union of every server frame, for clients that decode frames
// without knowing their type in advance (tests, the step library, tools).
type Frame struct {
	Type       string            `json:"type"`
	Session    string            `json:"session,omitempty"`
	Profile    string            `json:"profile,omitempty"`
	ID         string            `json:"id,omitempty"`
	From       string            `json:"from,omitempty"`
	Name       string            `json:"name,omitempty"`
	Text       string            `json:"text,omitempty"`
	Disclosure bool              `json:"disclosure,omitempty"`
	Sources    []Source          `json:"sources,omitempty"`
	Actions    []Action          `json:"actions,omitempty"`
	Purpose    string            `json:"purpose,omitempty"`
	PolicyURL  string            `json:"policy_url,omitempty"`
	Version    string            `json:"version,omitempty"`
	State      string            `json:"state,omitempty"`
	Agent      string            `json:"agent,omitempty"`
	Position   int               `json:"position,omitempty"`
	Why        string            `json:"why,omitempty"`
	MaxBytes   int               `json:"max_message_bytes,omitempty"`
	Storage    string            `json:"storage,omitempty"`
	ExpiresIn  int               `json:"expires_in,omitempty"`
	Code       string            `json:"code,omitempty"`
	Message    string            `json:"message,omitempty"`
	At         string            `json:"at,omitempty"`
	History    bool              `json:"history,omitempty"`
	Confidence *float64          `json:"confidence,omitempty"`
	Ref        string            `json:"ref,omitempty"`
	Lang       string            `json:"lang,omitempty"`
	Dir        string            `json:"dir,omitempty"`
	UI         map[string]string `json:"ui,omitempty"`
}

// ChatRequest is the body of POST /api/v1/chat. At most one of Text,
// Action, Consent and Frame is set; none only polls (or, without a session,
// starts one).
type ChatRequest struct {
	Session string         `json:"session,omitempty"`
	Text    string         `json:"text,omitempty"`
	Action  string         `json:"action,omitempty"` // as {"type":"action","name":Action}
	ID      string         `json:"id,omitempty"`     // the article id when Action is "article"; "email" (default) or "phone" for "rectify", any other refused
	Consent *ConsentChoice `json:"consent,omitempty"`
	Frame   *Inbound       `json:"frame,omitempty"` // any client frame, as sent over the socket
	Lang    string         `json:"lang,omitempty"`  // the page's language, read when a session starts
	// History asks for the conversation so far (the last messages, each
	// marked "history") before this call's own frames, as a resumed socket
	// gets it.
	History bool `json:"history,omitempty"`
}

// ConsentChoice is a consent decision sent over the HTTP mirror, as the
// socket's {"type":"consent","purpose":…,"granted":…}.
type ConsentChoice struct {
	Purpose string `json:"purpose"`
	Granted *bool  `json:"granted"`
}

// ChatResponse is the reply of POST /api/v1/chat: the frames the call produced.
type ChatResponse struct {
	Session  string     `json:"session"`
	Profile  string     `json:"profile"`
	Messages []Outbound `json:"messages"`
}

// HasAction reports whether a message frame offers the named action.
func (f Frame) HasAction(name string) bool {
	for _, a := range f.Actions {
		if a.Name == name {
			return true
		}
	}
	return false
}

// Timestamp formats a message time for the "at" field: RFC 3339 in UTC,
// with milliseconds.
func Timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// Stamp gives every message frame without a time the time at. The slice
// passed in is not changed: a copy is returned when a frame needed a time.
func Stamp(frames []Outbound, at time.Time) []Outbound {
	var out []Outbound
	for i, f := range frames {
		if m, ok := f.(Message); ok && m.At == "" {
			if out == nil {
				out = append([]Outbound(nil), frames...)
			}
			m.At = Timestamp(at)
			out[i] = m
		}
	}
	if out == nil {
		return frames
	}
	return out
}
