package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"deskbot/compliance"
	"deskbot/protocol"
	"deskbot/store"
)

// DSR-3: GET /agent/api/requests lists the open data-subject requests with
// their next deadline and days left, flags those within
// compliance.RequestWarnDays of it or past it, leaves closed requests out,
// names no customer, and answers only a logged-in agent (SEC-2).
func TestConsoleOpenRequestsAPI(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	ctx := context.Background()
	now := time.Now().UTC()
	const subject = "subj-DSR3-private-ref"
	add := func(kind string, received time.Time, profile string) int64 {
		t.Helper()
		id, err := l.App.Store.AddRequest(ctx, store.Request{Kind: kind, Subject: subject, Received: received, Profile: profile, Channel: "email"}, "operator")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	overdue := add(compliance.RequestErasure, now.AddDate(0, 0, -40), "eu")    // answer by received + 1 month: past
	soon := add(compliance.RequestRectification, now.AddDate(0, 0, -26), "eu") // 4 or 5 days left
	fresh := add(compliance.RequestExport, now.Add(-time.Hour), "us-ca")       // acknowledge within 10 business days
	closed := add(compliance.RequestOptOut, now.AddDate(0, 0, -27), "eu")
	if err := l.App.Store.UpdateRequest(ctx, closed, store.RequestClosed, "operator", now); err != nil {
		t.Fatal(err)
	}

	nobody := newAgentSim(t, l)
	if code := nobody.do("GET", "/agent/api/requests", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("GET without log-in: HTTP %d, want 401", code)
	}
	anna := agentAtDesk(t, l, "anna", "Anna")
	var got protocol.OpenRequests
	if code := anna.do("GET", "/agent/api/requests", nil, &got); code != http.StatusOK {
		t.Fatalf("GET: HTTP %d", code)
	}
	if got.WarnDays != compliance.RequestWarnDays {
		t.Errorf("warn_days %d, want %d", got.WarnDays, compliance.RequestWarnDays)
	}
	byID := map[int64]protocol.OpenRequest{}
	var order []int64
	for _, r := range got.Requests {
		byID[r.ID] = r
		order = append(order, r.ID)
	}
	if len(got.Requests) != 3 || order[0] != overdue || order[1] != soon || order[2] != fresh {
		t.Fatalf("requests %v, want %d, %d, %d (nearest deadline first) and not the closed %d: %+v", order, overdue, soon, fresh, closed, got.Requests)
	}
	if _, ok := byID[closed]; ok {
		t.Errorf("closed request %d listed", closed)
	}

	o := byID[overdue]
	wantDue := now.AddDate(0, 0, -40).AddDate(0, 1, 0)
	if o.Kind != compliance.RequestErasure || o.Due != protocol.DueAnswer || !o.Overdue || !o.Warn || o.DaysLeft >= 0 ||
		o.DaysLeft != compliance.DaysLeft(time.Now(), wantDue) || o.AcknowledgeBy != nil || o.Status != store.RequestOpen {
		t.Errorf("overdue request: %+v", o)
	}
	s := byID[soon]
	if s.Overdue || !s.Warn || s.DaysLeft < 1 || s.DaysLeft > compliance.RequestWarnDays || s.Due != protocol.DueAnswer {
		t.Errorf("request near its deadline: %+v", s)
	}
	f := byID[fresh]
	if f.Warn || f.Overdue || f.Due != protocol.DueAcknowledge || f.AcknowledgeBy == nil || f.DaysLeft < 10 ||
		!f.DueBy.Equal(compliance.AddBusinessDays(now.Add(-time.Hour), 10).Truncate(time.Millisecond)) || f.AnswerBy.Sub(f.Received) != 45*24*time.Hour {
		t.Errorf("fresh us-ca request: %+v", f)
	}

	// Acknowledged: the answer deadline is the next one.
	if err := l.App.Store.UpdateRequest(ctx, fresh, store.RequestAcknowledged, "operator", now); err != nil {
		t.Fatal(err)
	}
	got = protocol.OpenRequests{}
	anna.do("GET", "/agent/api/requests", nil, &got)
	found := false
	for _, r := range got.Requests {
		if r.ID == fresh {
			found = true
			if r.Due != protocol.DueAnswer || r.AcknowledgeBy != nil || r.Status != store.RequestAcknowledged || r.DaysLeft < 44 {
				t.Errorf("acknowledged request: %+v", r)
			}
		}
	}
	if !found {
		t.Errorf("acknowledged request %d no longer listed: %+v", fresh, got.Requests)
	}

	// No personal data: the subject reference is not in the answer.
	req, _ := http.NewRequest("GET", l.URL+"/agent/api/requests", nil)
	resp, err := anna.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(raw), subject) || strings.Contains(string(raw), "subject") {
		t.Errorf("the answer names the customer: %s", raw)
	}
}
