package protocol

import "time"

// Values of OpenRequest.Due: the deadline the request must meet next.
const (
	DueAcknowledge = "acknowledge"
	DueAnswer      = "answer"
)

// OpenRequest is one data-subject request still waiting for an answer, as
// the agent console lists it (DSR-3): its number, kind, how and when it was
// received and its deadlines. It names no customer: no subject id, no
// contact detail.
type OpenRequest struct {
	ID       int64     `json:"id"`
	Kind     string    `json:"kind"`    // export, erasure, rectification, opt-out
	Channel  string    `json:"channel"` // how it was received: email, phone, post, agent, ...
	Status   string    `json:"status"`  // open or acknowledged
	Received time.Time `json:"received"`
	// AcknowledgeBy is the acknowledgement deadline while one is due and
	// not yet given; AnswerBy the answer deadline.
	AcknowledgeBy *time.Time `json:"acknowledge_by,omitempty"`
	AnswerBy      time.Time  `json:"answer_by"`
	// Due is the deadline to meet next (DueAcknowledge or DueAnswer), DueBy
	// its date and DaysLeft the days until it (a part day counts as a day;
	// negative once passed).
	Due      string    `json:"due"`
	DueBy    time.Time `json:"due_by"`
	DaysLeft int       `json:"days_left"`
	// Warn: DueBy is within OpenRequests.WarnDays days, or has passed
	// (then Overdue as well).
	Warn    bool   `json:"warn"`
	Overdue bool   `json:"overdue"`
	Basis   string `json:"basis"` // the rule the deadlines come from
}

// OpenRequests answers GET /agent/api/requests: the open data-subject
// requests, the nearest deadline first.
type OpenRequests struct {
	Requests []OpenRequest `json:"requests"`
	WarnDays int           `json:"warn_days"`
}
