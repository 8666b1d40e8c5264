package features_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"deskbot/desk"
	"deskbot/features"
	"deskbot/store"
)

// Against a --target, `agent "Maria" is online` logs in as a test agent
// of the run when the admin token is given (target_runs_test.go), and
// without it to the account named as the step writes it; a refused
// log-in names the accounts tried and the server's answer.
func TestAgentLogsInAsWrittenOnTarget(t *testing.T) {
	const token = "target-admin-token-0123456789"
	l := startTarget(t, token)
	h, err := desk.HashPassword("maria-password-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.App.Store.CreateAgent(context.Background(), store.Agent{Name: "Maria", DisplayName: "Maria", PasswordHash: h, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	feature := `Feature: agent on target
  Scenario: Maria takes a customer
    Given agent "Maria" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human
`
	s := &features.Suite{Target: l.URL, AdminToken: token, AgentPassword: "maria-password-0123456789"}
	if code, out := run(t, s, feature, "progress"); code != features.ExitOK {
		t.Fatalf("agent \"Maria\" against the target:\n%s", out)
	}
	s = &features.Suite{Target: l.URL, AgentPassword: "wrong-password-0123456789"}
	code, out := run(t, s, feature, "progress")
	if code == features.ExitOK {
		t.Fatalf("a wrong password passed:\n%s", out)
	}
	for _, want := range []string{`agent "Maria" could not log in to the console`, `as account "Maria"`, `HTTP 401`, `deskbot agent list`} {
		if !strings.Contains(out, want) {
			t.Errorf("the failure lacks %q:\n%s", want, out)
		}
	}
}

// A target whose log-in is busy (429 with Retry-After: its one password
// check at a time is taken, e.g. by another scenario's agent logging in at
// the same moment) is asked again after the wait it names, so a run with
// --concurrency does not fail `agent "Maria" is online` by chance.
func TestAgentLogInRetriesABusyTarget(t *testing.T) {
	const token = "target-admin-token-0123456789"
	l := startTarget(t, token)
	u, err := url.Parse(l.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var busy atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/agent/api/login" && busy.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":"too many log-in attempts; try again later"}`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	feature := `Feature: busy log-in
  Scenario: Maria logs in when the console is free again
    Given agent "Maria" is online
    And a customer opens the chat
    When the customer says "I want to talk to a human"
    Then the conversation is handed over to a human
`
	s := &features.Suite{Target: front.URL, AdminToken: token}
	if code, out := run(t, s, feature, "progress"); code != features.ExitOK {
		t.Fatalf("a log-in refused once as busy failed the step:\n%s", out)
	}
	if n := busy.Load(); n < 2 {
		t.Fatalf("log-in attempts: %d, want the busy one and a retry", n)
	}
}
