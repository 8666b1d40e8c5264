package web_test

import (
	"net/http"
	"testing"

	"deskbot/config"
	"deskbot/protocol"
)

func withCanned(c *config.Config) {
	c.Console.CannedResponses = []config.CannedResponse{
		{Shortcut: "refund", Text: "Your refund is on its way: **5 working days**."},
		{Shortcut: "hours", Text: "We're here Monday to Friday, 9:00 to 17:30."},
	}
}

// SEC-2: canned responses are served to logged-in agents only, in the
// owner's order.
func TestConsoleCannedRequiresLogin(t *testing.T) {
	t.Parallel()
	l := startBot(t, withCanned)
	addAgent(t, l, "anna", "Anna")
	a := newAgentSim(t, l)
	var out protocol.CannedResponses
	if code := a.do("GET", "/agent/api/canned", nil, &out); code != http.StatusUnauthorized || len(out.Responses) != 0 {
		t.Fatalf("without log-in: HTTP %d, %+v; want 401 and nothing", code, out)
	}
	a.login("anna")
	if code := a.do("GET", "/agent/api/canned", nil, &out); code != http.StatusOK {
		t.Fatalf("logged in: HTTP %d", code)
	}
	if len(out.Responses) != 2 || out.Responses[0].Shortcut != "refund" || out.Responses[1].Text != "We're here Monday to Friday, 9:00 to 17:30." {
		t.Fatalf("canned = %+v", out.Responses)
	}
	// None configured: an empty list, not null.
	l2 := startBot(t, nil)
	addAgent(t, l2, "anna", "Anna")
	b := newAgentSim(t, l2)
	b.login("anna")
	var raw map[string]any
	if code := b.do("GET", "/agent/api/canned", nil, &raw); code != http.StatusOK {
		t.Fatalf("none configured: HTTP %d", code)
	}
	if list, ok := raw["responses"].([]any); !ok || len(list) != 0 {
		t.Fatalf("none configured: %v; want an empty list", raw)
	}
}
