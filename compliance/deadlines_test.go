package compliance

import (
	"testing"
	"time"
)

// DSR-3: the profile's deadlines for a data-subject request.
func TestRequestDeadlines(t *testing.T) {
	// Wednesday 2 December 2026, 10:00 UTC.
	rcv := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	eu := RequestDeadlines("eu", rcv)
	if !eu.Acknowledge.IsZero() || !eu.Answer.Equal(time.Date(2027, 1, 2, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("eu: %+v; want answer 2027-01-02, no acknowledgement deadline", eu)
	}
	ca := RequestDeadlines("california", rcv)
	// 10 business days from a Wednesday: the Wednesday two weeks later.
	if !ca.Acknowledge.Equal(time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("us-ca acknowledge %v; want 2026-12-16", ca.Acknowledge)
	}
	if !ca.Answer.Equal(time.Date(2027, 1, 16, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("us-ca answer %v; want 2027-01-16 (45 days)", ca.Answer)
	}
	strict := RequestDeadlines("somewhere", rcv)
	if !strict.Acknowledge.Equal(ca.Acknowledge) || !strict.Answer.Equal(eu.Answer) {
		t.Errorf("strict: %+v; want the CCPA acknowledgement and the GDPR month", strict)
	}
	// Friday + 1 business day is Monday.
	if got := AddBusinessDays(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC), 1); got.Weekday() != time.Monday {
		t.Errorf("Friday + 1 business day = %v", got.Weekday())
	}
	if d := DaysLeft(rcv, eu.Answer); d != 31 {
		t.Errorf("days left %d; want 31", d)
	}
	if d := DaysLeft(eu.Answer.Add(-time.Minute), eu.Answer); d != 1 {
		t.Errorf("a minute before the deadline: %d days left; want 1", d)
	}
	if d := DaysLeft(eu.Answer.Add(time.Hour), eu.Answer); d != -1 {
		t.Errorf("an hour late: %d days left; want -1", d)
	}
	for in, want := range map[string]string{"erase": RequestErasure, "rectify": RequestRectification, "access": RequestExport, "opt-out": RequestOptOut} {
		if got, ok := ParseRequestKind(in); !ok || got != want {
			t.Errorf("ParseRequestKind(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseRequestKind("refund"); ok {
		t.Error("refund is not a data-subject request")
	}
}
