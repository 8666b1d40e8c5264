package compliance

import (
	"strings"
	"time"
)

// DSR-3: deadlines for answering a data-subject request (access or export,
// erasure, rectification, opt-out), by jurisdiction profile.
//   - GDPR Art. 12(3): answer without undue delay and at the latest within
//     one month of receipt (extensions need a reason given within that month).
//   - CCPA, 11 CCR 7021: confirm receipt within 10 business days and answer
//     within 45 calendar days.
// The strict profile applies both: the acknowledgement within 10 business
// days and the answer within the earlier of the two (one month).

// Request kinds kept in the request log (AUD-1) and counted by DSR-3.
const (
	RequestExport        = "export"
	RequestErasure       = "erasure"
	RequestRectification = "rectification"
	RequestOptOut        = "opt-out"
)

// RequestKinds lists the kinds in a stable order.
func RequestKinds() []string {
	return []string{RequestExport, RequestErasure, RequestRectification, RequestOptOut}
}

// ParseRequestKind accepts a kind or a common alias ("erase", "access",
// "rectify", "optout", "do-not-sell"); ok is false for anything else.
func ParseRequestKind(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "export", "access", "copy":
		return RequestExport, true
	case "erase", "erasure", "delete", "deletion":
		return RequestErasure, true
	case "rectify", "rectification", "correct", "correction":
		return RequestRectification, true
	case "opt-out", "optout", "opt_out", "do-not-sell", "do-not-share":
		return RequestOptOut, true
	}
	return "", false
}

// Deadlines are the dates by which a request must be acknowledged and
// answered. A zero Acknowledge means the profile sets no separate
// acknowledgement deadline.
type Deadlines struct {
	Acknowledge time.Time
	Answer      time.Time
	// Basis names the rule, for reports: "GDPR Art. 12(3): one month".
	Basis string
}

// RequestDeadlines returns the deadlines for a request received at
// received under the named profile (LookupProfile's names; unknown names
// get the strict union).
func RequestDeadlines(profile string, received time.Time) Deadlines {
	switch LookupProfile(profile).Name {
	case ProfileEU:
		return Deadlines{Answer: received.AddDate(0, 1, 0), Basis: "GDPR Art. 12(3): answer within one month"}
	case ProfileUSCA:
		return Deadlines{Acknowledge: AddBusinessDays(received, 10), Answer: received.AddDate(0, 0, 45),
			Basis: "CCPA (11 CCR 7021): acknowledge within 10 business days, answer within 45 days"}
	}
	answer := received.AddDate(0, 1, 0)
	if ca := received.AddDate(0, 0, 45); ca.Before(answer) {
		answer = ca
	}
	return Deadlines{Acknowledge: AddBusinessDays(received, 10), Answer: answer,
		Basis: "strict (GDPR and CCPA): acknowledge within 10 business days, answer within one month"}
}

// RequestWarnDays: an open request whose next deadline is this many days
// away or less, or past, is warned about by `deskbot report`, `deskbot
// privacy request list`, the agent console's open requests and the running
// server's log (DSR-3).
const RequestWarnDays = 7

// AddBusinessDays adds n days that are not Saturday or Sunday. Public
// holidays are not known here, so the result is never later than the true
// deadline.
func AddBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// DaysLeft is the number of days from now until due, counting a part day
// as a day (a deadline at 10:00 tomorrow is "1 day left" all of today);
// negative once the deadline has passed ("-1": less than a day late).
func DaysLeft(now, due time.Time) int {
	const day = 24 * time.Hour
	d := due.Sub(now)
	if d >= 0 {
		return int((d + day - 1) / day)
	}
	return -int((-d + day - 1) / day)
}
