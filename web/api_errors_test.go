package web_test

import (
	"net/http"
	"strings"
	"testing"

	"deskbot/protocol"
)

// Every refused console call names its reason with a stable code, which
// the console shows in the agent's language (console_err_<code>); the
// English text stays in "error" for scripts and logs.
func TestConsoleAPIErrorCodes(t *testing.T) {
	l := startBot(t, nil)
	anna, bob, stranger := agentAtDesk(t, l, "anna", "Anna"), agentAtDesk(t, l, "bob", "Bob"), newAgentSim(t, l)
	_, _, id := queuedCustomer(t, l)
	if code := bob.take(id); code != http.StatusOK {
		t.Fatalf("bob take: HTTP %d", code)
	}

	cases := []struct {
		name   string
		a      *agentSim
		method string
		path   string
		body   any
		status int
		code   string
		hdr    []string
	}{
		{"no session", stranger, "GET", "/agent/api/queue", nil, http.StatusUnauthorized, "not_logged_in", nil},
		{"wrong password", stranger, "POST", "/agent/api/login", map[string]string{"name": "anna", "password": "not-the-password"}, http.StatusUnauthorized, "login_failed", nil},
		{"no CSRF token", anna, "POST", "/agent/api/presence", map[string]string{"presence": "away"}, http.StatusForbidden, "csrf", []string{"X-CSRF-Token", "wrong"}},
		{"bad presence", anna, "POST", "/agent/api/presence", map[string]string{"presence": "asleep"}, http.StatusBadRequest, "bad_request", nil},
		{"held by another agent", anna, "POST", "/agent/api/conversations/" + id + "/take", map[string]any{}, http.StatusConflict, "held_by_other", nil},
		{"not waiting", anna, "POST", "/agent/api/conversations/no-such-conversation/take", map[string]any{}, http.StatusNotFound, "not_waiting", nil},
		{"empty reply", bob, "POST", "/agent/api/conversations/" + id + "/messages", map[string]string{"text": "  "}, http.StatusBadRequest, "bad_input", nil},
		{"reply over the limit", bob, "POST", "/agent/api/conversations/" + id + "/messages", map[string]string{"text": strings.Repeat("x", 9000)}, http.StatusBadRequest, "bad_input", nil},
		{"body over the limit", bob, "POST", "/agent/api/conversations/" + id + "/messages", map[string]string{"text": strings.Repeat("x", 20000)}, http.StatusRequestEntityTooLarge, "bad_input", nil},
		{"typing in another's conversation", anna, "POST", "/agent/api/conversations/" + id + "/typing", map[string]any{}, http.StatusConflict, "not_yours", nil},
		{"no such language", stranger, "GET", "/agent/locale/tlh.json", nil, http.StatusNotFound, "not_found", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var e protocol.AdminError
			status := tc.a.do(tc.method, tc.path, tc.body, &e, tc.hdr...)
			if status != tc.status || e.Code != tc.code || e.Error == "" {
				t.Errorf("HTTP %d %+v, want HTTP %d with code %q and an English text", status, e, tc.status, tc.code)
			}
		})
	}
}
