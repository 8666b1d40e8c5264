package protocol

// Test runs of the admin API (docs/agent-api.md, "Test runs"): `deskbot
// test` and `deskbot record` against a live server open one, create their
// test agents in it, mark their customer sessions with it and end it.

// TestRunHeader carries a test run's id. On /ws and /api/v1/chat, together
// with "Authorization: Bearer <admin token>", it opens a test session of
// that run; without the right token it is ignored (an ordinary session).
// On admin API calls it scopes the reads to the run's test sessions.
const TestRunHeader = "X-Deskbot-Test-Run"

// AdminTestRun is POST /api/v1/admin/test-runs: the new run's id.
type AdminTestRun struct {
	Run string `json:"run"`
}

// AdminTestAgentRequest is the body of POST
// /api/v1/admin/test-runs/{run}/agents.
type AdminTestAgentRequest struct {
	DisplayName string `json:"display_name"`
}

// AdminTestAgent is a test agent created for a run: its log-in name, the
// name customers and the console show (exactly as requested), and its
// password, returned this once and never stored in clear.
type AdminTestAgent struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password"`
	Run         string `json:"run"`
}

// AdminTestRunEnded is DELETE /api/v1/admin/test-runs/{run}: what was
// erased (counts only).
type AdminTestRunEnded struct {
	Run          string `json:"run"`
	Sessions     int64  `json:"sessions"`
	Subjects     int64  `json:"subjects"`
	Messages     int64  `json:"messages"`
	Consents     int64  `json:"consents"`
	Contacts     int64  `json:"contacts"`
	Unanswered   int64  `json:"unanswered"`
	LeftMessages int64  `json:"left_messages"`
	Agents       int64  `json:"agents"`
}
