package features_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"deskbot/chatclient"
	"deskbot/desk"
	"deskbot/features"
	"deskbot/protocol"
	"deskbot/store"
)

const targetToken = "target-admin-token-0123456789"

// A live server with a human agent "Maria": `deskbot test --target` with
// the admin token runs a handover to `agent "Maria"` through a test agent
// of its own, and leaves the server as it found it: the same roster (and
// Maria's password still works), an empty agent queue, no test question
// in the report, the test sessions erased (audited as test_cleanup), and
// in-process-only steps reported skipped.
func TestTargetRunLeavesLiveServerUntouched(t *testing.T) {
	ctx := context.Background()
	l := startTarget(t, targetToken)
	const mariaPassword = "maria-password-0123456789"
	h, err := desk.HashPassword(mariaPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.App.Store.CreateAgent(ctx, store.Agent{Name: "Maria", DisplayName: "Maria", PasswordHash: h, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	before, err := l.App.Store.Agents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	feature := `Feature: a live server
  Scenario: Maria takes over from the bot
    Given agent "Maria" is online
    And a customer opens the chat
    When the customer says "zebra quantum marmalade sprocket"
    And the customer says "I want to talk to a human"
    Then the conversation is handed over to a human
    When agent "Maria" takes the conversation
    And agent "Maria" says "Hello, Maria here."
    Then the reply comes from "agent"

  Scenario: the clock cannot be set on a live server
    Given the time is "2026-03-02T10:00:00Z"
    And a customer opens the chat
`
	var notices bytes.Buffer
	s := &features.Suite{Target: l.URL, AdminToken: targetToken, Notices: &notices}
	code, out := run(t, s, feature, "junit")
	if code != features.ExitOK {
		t.Fatalf("the run against the target failed (%d):\n%s\n%s", code, out, notices.String())
	}
	if !strings.Contains(out, `status="skipped"`) || !strings.Contains(out, `<skipped message=`) {
		t.Errorf("the in-process-only step is not reported skipped:\n%s", out)
	}
	if !strings.Contains(notices.String(), "test run ") || !strings.Contains(notices.String(), "ended: erased") {
		t.Errorf("no note of the test run's clean-up:\n%s", notices.String())
	}

	after, err := l.App.Store.Agents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(before, after, func(a, b store.Agent) bool { return a.Name == b.Name && a.DisplayName == b.DisplayName }) {
		t.Errorf("the roster changed: before %+v, after %+v", before, after)
	}
	if code, body := agentLogin(t, l.URL, "Maria", mariaPassword); code != http.StatusOK {
		t.Errorf("Maria's own password no longer works: HTTP %d %s", code, body)
	}
	if waiting, _ := l.App.Engine.Desk().Queue("Maria"); len(waiting) != 0 {
		t.Errorf("the agent queue is not empty after the run: %+v", waiting)
	}
	if ags := l.App.Engine.Desk().Agents(); len(ags) != 1 || ags[0].Name != "Maria" {
		t.Errorf("agents present after the run (only the real Maria, who logged in above): %+v", ags)
	}
	qs, err := l.App.Store.UnansweredQuestions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if strings.Contains(q, "zebra") {
			t.Errorf("a test question is in the report's unanswered list: %q", q)
		}
	}
	cleanups, err := l.App.Store.AuditRecords(ctx, store.EventTestCleanup)
	if err != nil {
		t.Fatal(err)
	}
	if len(cleanups) != 1 || !strings.Contains(cleanups[0].Detail, "sessions=1") || !strings.Contains(cleanups[0].Detail, "agents=1") ||
		!strings.Contains(cleanups[0].Detail, "unanswered=1") {
		t.Fatalf("want one test_cleanup audit record of 1 session, 1 unanswered question and 1 agent, got %+v", cleanups)
	}
	disclosures, err := l.App.Store.AuditRecords(ctx, "disclosure")
	if err != nil {
		t.Fatal(err)
	}
	if len(disclosures) < 1 {
		t.Fatalf("want the test sessions' disclosures in the audit log, got %d", len(disclosures))
	}
	for _, d := range disclosures {
		c, err := l.App.Store.CountSubject(ctx, d.Subject)
		if err != nil {
			t.Fatal(err)
		}
		if c.Exists || c.Sessions > 0 || c.Messages > 0 {
			t.Errorf("test customer %s not erased: %+v", d.Subject, c)
		}
	}
	st, err := l.App.Store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions != 0 || st.Subjects != 0 || st.Messages != 0 {
		t.Errorf("the report counts test data: %+v", st)
	}
}

// A connection that names a test run without the admin token (or with a
// wrong one) is an ordinary customer: its session is not marked, it waits
// for real agents, and the run's clean-up does not erase it.
func TestTestRunClaimWithoutTokenIsOrdinary(t *testing.T) {
	ctx := context.Background()
	l := startTarget(t, targetToken)
	var r protocol.AdminTestRun
	if code, body := adminCall(t, l.URL, http.MethodPost, "/api/v1/admin/test-runs", targetToken, "", &r); code != http.StatusOK || r.Run == "" {
		t.Fatalf("opening a test run: HTTP %d %s", code, body)
	}
	open := func(auth string) string {
		h := http.Header{protocol.TestRunHeader: {r.Run}}
		if auth != "" {
			h.Set("Authorization", auth)
		}
		c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{Header: h})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		f, err := c.NextOf(ctx, protocol.TypeSession)
		if err != nil {
			t.Fatal(err)
		}
		var a protocol.AdminSession
		if code, body := adminCall(t, l.URL, http.MethodGet, "/api/v1/admin/session?session="+f.Session, targetToken, "", &a); code != http.StatusOK {
			t.Fatalf("admin session: HTTP %d %s", code, body)
		}
		run, exists, err := l.App.Store.SubjectTestRun(ctx, a.Subject)
		if err != nil || !exists {
			t.Fatalf("subject %s: %v %v", a.Subject, exists, err)
		}
		if l.App.Engine.Desk().TestRunOf(a.SessionID) != run {
			t.Errorf("the desk's lane of %s differs from the store's %q", a.SessionID, run)
		}
		return run
	}
	if run := open(""); run != "" {
		t.Errorf("a session claiming test run %s without a token was marked %q", r.Run, run)
	}
	if run := open("Bearer wrong-token-0123456789abc"); run != "" {
		t.Errorf("a session claiming test run %s with a wrong token was marked %q", r.Run, run)
	}
	if run := open("Bearer " + targetToken); run != r.Run {
		t.Errorf("a session with the admin token was marked %q, want %q", run, r.Run)
	}
	// The run's reads see its own test sessions only.
	var a protocol.AdminSession
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.NextOf(ctx, protocol.TypeSession)
	if err != nil {
		t.Fatal(err)
	}
	adminCall(t, l.URL, http.MethodGet, "/api/v1/admin/session?session="+f.Session, targetToken, "", &a)
	if code, body := adminCall(t, l.URL, http.MethodGet, "/api/v1/admin/transcript/"+a.Subject, targetToken, r.Run, nil); code != http.StatusForbidden {
		t.Errorf("a test run read a real customer's transcript: HTTP %d %s", code, body)
	}
	if code, _ := adminCall(t, l.URL, http.MethodGet, "/api/v1/admin/transcript/"+a.Subject, targetToken, "", nil); code != http.StatusOK {
		t.Errorf("the operator's own read of a transcript: HTTP %d", code)
	}
	var ended protocol.AdminTestRunEnded
	if code, body := adminCall(t, l.URL, http.MethodDelete, "/api/v1/admin/test-runs/"+r.Run, targetToken, "", &ended); code != http.StatusOK || ended.Sessions != 1 {
		t.Fatalf("ending the run: HTTP %d %s (%+v)", code, body, ended)
	}
	st, err := l.App.Store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions != 3 {
		t.Errorf("the ordinary sessions did not survive the run's end: %d sessions", st.Sessions)
	}
	if code, _ := adminCall(t, l.URL, http.MethodPost, "/api/v1/admin/test-runs", "wrong-token-0123456789abc", "", nil); code != http.StatusUnauthorized {
		t.Errorf("opening a test run without the admin token: HTTP %d", code)
	}
}

func adminCall(t *testing.T, base, method, path, token, run string, out any) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if run != "" {
		req.Header.Set(protocol.TestRunHeader, run)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode, b.String()
}

func agentLogin(t *testing.T, base, name, password string) (int, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"name": name, "password": password})
	req, _ := http.NewRequest(http.MethodPost, base+"/agent/api/login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	return resp.StatusCode, body.String()
}

// Messages left by a run's test customers are seen by its test agents
// only, and a real customer's left message stays out of the test agents'
// inbox and survives the run's clean-up.
func TestTargetRunLeftMessagesStaySeparate(t *testing.T) {
	ctx := context.Background()
	l := startTarget(t, targetToken)
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.NextOf(ctx, protocol.TypeMessage); err != nil { // the disclosure
		t.Fatal(err)
	}
	for _, in := range []protocol.Inbound{
		{Type: protocol.TypeSay, Text: "I want to talk to a human"},
		{Type: protocol.TypeAction, Name: protocol.ActionLeaveMessage},
		{Type: protocol.TypeSay, Text: "Please call me back about my parcel"},
	} {
		if err := c.Send(ctx, in); err != nil {
			t.Fatal(err)
		}
		if _, err := c.NextOf(ctx, protocol.TypeMessage); err != nil {
			t.Fatal(err)
		}
	}
	waitLeft := func(want int) []store.OfflineMessage {
		deadline := time.Now().Add(5 * time.Second)
		for {
			ms, err := l.App.Store.OfflineMessages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) == want || time.Now().After(deadline) {
				return ms
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if ms := waitLeft(1); len(ms) != 1 || ms[0].TestRun != "" {
		t.Fatalf("the real customer's left message: %+v", ms)
	}
	feature := `Feature: left messages on a live server
  Scenario: a test customer leaves a message for the team
    Given a customer opens the chat
    When the customer says "I want to talk to a human"
    And the customer leaves the message "Please call me back about order 1234"
    And agent "Maria" is online
    Then agent "Maria" sees 1 message left
`
	s := &features.Suite{Target: l.URL, AdminToken: targetToken}
	if code, out := run(t, s, feature, "progress"); code != features.ExitOK {
		t.Fatalf("the run failed:\n%s", out)
	}
	ms := waitLeft(1)
	if len(ms) != 1 || ms[0].TestRun != "" || !strings.Contains(ms[0].Text, "parcel") {
		t.Fatalf("after the run the inbox holds %+v, want only the real customer's message", ms)
	}
}

// A scenario's test agent goes offline when the scenario ends: against a
// --target it stayed logged in for the rest of the run, so a later
// scenario's request for a person was queued for it instead of being told
// nobody is available (a QA suite failed in every full run, passed alone).
func TestTargetRunAgentsGoOfflineWithTheirScenario(t *testing.T) {
	l := startTarget(t, targetToken)
	feature := `Feature: two scenarios on a live server
  Scenario: Priya takes over
    Given agent "Priya" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human

  Scenario: nobody is there afterwards
    Given a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the customer is told no agent is available and offered to leave a message
`
	dir := t.TempDir()
	p := filepath.Join(dir, "t.feature")
	if err := os.WriteFile(p, []byte(feature), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, notices bytes.Buffer
	s := &features.Suite{Target: l.URL, AdminToken: targetToken, Notices: &notices}
	code := s.Run(features.RunOptions{Paths: []string{p}, Format: "pretty", Output: &out, NoColors: true, Concurrency: 1})
	if code != features.ExitOK {
		t.Fatalf("the second scenario met the first one's agent (%d):\n%s\n%s", code, out.String(), notices.String())
	}
}
