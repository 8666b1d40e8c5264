package web

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"deskbot/conversation"
	"deskbot/desk"
	"deskbot/protocol"
	"deskbot/store"
)

// Test runs (docs/agent-api.md, "Test runs"). `deskbot test --target` and
// `deskbot record` open a run with the admin token, create the test agents
// their steps name, open their customer sessions as test sessions of the
// run and end the run, which erases all of it (store/test_runs.go). Test
// sessions and test agents live in their run's own lane on the desk
// (desk/test_runs.go): no real agent sees a test conversation and no real
// customer waits for a test agent.

// TestRunStore is what test runs need of the store; app passes the
// *store.Store as Admin.Store, which has it.
type TestRunStore interface {
	CreateTestRun(ctx context.Context, id string, at time.Time) error
	TestRunExists(ctx context.Context, id string) (bool, error)
	CreateTestAgent(ctx context.Context, run string, a store.Agent) error
	EndTestRun(ctx context.Context, run, actor string, at time.Time) (store.TestRunCounts, error)
	SubjectTestRun(ctx context.Context, subject string) (run string, exists bool, err error)
}

// maxTestAgentName bounds a test agent's display name.
const maxTestAgentName = 100

func (s *Server) testRuns() TestRunStore {
	ts, _ := s.admin.Store.(TestRunStore)
	return ts
}

// testRunRoutes adds the test-run endpoints to the admin API (h checks the
// admin token).
func (s *Server) testRunRoutes(mux *http.ServeMux, h func(http.HandlerFunc) http.HandlerFunc) {
	if s.testRuns() == nil {
		return
	}
	mux.HandleFunc("POST /api/v1/admin/test-runs", h(s.adminTestRunCreate))
	mux.HandleFunc("POST /api/v1/admin/test-runs/{run}/agents", h(s.adminTestAgentCreate))
	mux.HandleFunc("DELETE /api/v1/admin/test-runs/{run}", h(s.adminTestRunEnd))
}

func (s *Server) adminTestRunCreate(w http.ResponseWriter, r *http.Request) {
	id := "t" + store.NewID(10)
	if err := s.testRuns().CreateTestRun(r.Context(), id, s.now()); err != nil {
		s.adminError(w, err)
		return
	}
	s.log.Info("test run opened", "run", id)
	writeJSON(w, http.StatusOK, protocol.AdminTestRun{Run: id})
}

// adminTestAgentCreate creates a test agent of the run whose name shows
// exactly as asked (case kept) and returns its password once. Its log-in
// name is its own, so a real account of the same name is never touched.
func (s *Server) adminTestAgentCreate(w http.ResponseWriter, r *http.Request) {
	run := r.PathValue("run")
	var in protocol.AdminTestAgentRequest
	r.Body = http.MaxBytesReader(w, r.Body, 1<<14)
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, protocol.AdminError{Error: `send {"display_name":"..."}`})
		return
	}
	display := strings.TrimSpace(in.DisplayName)
	if display == "" || utf8.RuneCountInString(display) > maxTestAgentName || strings.ContainsAny(display, "\r\n") {
		writeJSON(w, http.StatusBadRequest, protocol.AdminError{Error: "display_name must be 1 to 100 characters on one line"})
		return
	}
	password := newToken()
	hash, err := desk.HashPassword(password)
	if err != nil {
		s.adminError(w, err)
		return
	}
	name := display + " (test " + run + ")"
	err = s.testRuns().CreateTestAgent(r.Context(), run, store.Agent{Name: name, DisplayName: display, PasswordHash: hash, CreatedAt: s.now()})
	switch {
	case errors.Is(err, store.ErrNoTestRun):
		writeJSON(w, http.StatusNotFound, protocol.AdminError{Error: "no such test run (never opened, or already ended)"})
		return
	case errors.Is(err, store.ErrExists):
		writeJSON(w, http.StatusConflict, protocol.AdminError{Error: "this test run already has a test agent of that name"})
		return
	case err != nil:
		s.adminError(w, err)
		return
	}
	s.desk.MarkTestAgent(name, run)
	writeJSON(w, http.StatusOK, protocol.AdminTestAgent{Name: name, DisplayName: display, Password: password, Run: run})
}

// adminTestRunEnd erases the run's test sessions and test agents (audited
// as store.EventTestCleanup with counts only) and clears its desk lane.
func (s *Server) adminTestRunEnd(w http.ResponseWriter, r *http.Request) {
	run := r.PathValue("run")
	n, err := s.testRuns().EndTestRun(r.Context(), run, "admin", s.now())
	if errors.Is(err, store.ErrNoTestRun) {
		writeJSON(w, http.StatusNotFound, protocol.AdminError{Error: "no such test run (never opened, or already ended)"})
		return
	}
	if err != nil {
		s.adminError(w, err)
		return
	}
	s.desk.EndTestRun(run)
	s.log.Info("test run ended", "run", run, "sessions", n.Sessions, "agents", n.Agents)
	writeJSON(w, http.StatusOK, protocol.AdminTestRunEnded{Run: run, Sessions: n.Sessions, Subjects: n.Subjects, Messages: n.Messages,
		Consents: n.Consents, Contacts: n.Contacts, Unanswered: n.Unanswered, LeftMessages: n.LeftMessages, Agents: n.Agents})
}

// adminTokenOK compares the request's bearer token with the admin token
// in constant time.
func (s *Server) adminTokenOK(r *http.Request) bool {
	if s.admin.Token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+s.admin.Token)) == 1
}

// testRunOf is the test run a customer connection opens a session in: the
// TestRunHeader's run, only with the admin token and only if the run is
// open. Anything else is an ordinary customer.
func (s *Server) testRunOf(r *http.Request) string {
	run := r.Header.Get(protocol.TestRunHeader)
	ts := s.testRuns()
	if run == "" || ts == nil || !s.adminTokenOK(r) {
		return ""
	}
	if ok, err := ts.TestRunExists(r.Context(), run); err != nil || !ok {
		return ""
	}
	return run
}

// runScoped restricts an admin read made by a test run (TestRunHeader
// set) to that run's test sessions, unless the operator allows a run to
// read everything (Admin.TestRunsReadAll). subject reads the request's
// subject; "" means the request names none.
func (s *Server) runScoped(subject func(*http.Request) string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		run := r.Header.Get(protocol.TestRunHeader)
		if run == "" || s.admin.TestRunsReadAll || s.testRuns() == nil {
			next(w, r)
			return
		}
		if sub := subject(r); sub != "" && !s.runMayRead(r.Context(), run, sub) {
			writeJSON(w, http.StatusForbidden, protocol.AdminError{Error: "a test run reads only its own test sessions (admin_test_runs_read_all is off)"})
			return
		}
		next(w, r)
	}
}

// runMayRead: the subject is one of the run's test customers, or nothing
// of it is left to read (erased or purged).
func (s *Server) runMayRead(ctx context.Context, run, subject string) bool {
	got, exists, err := s.testRuns().SubjectTestRun(ctx, subject)
	if err != nil {
		return false
	}
	return !exists || got == run
}

func pathSubject(r *http.Request) string { return r.PathValue("subject") }

func querySubject(r *http.Request) string { return r.URL.Query().Get("subject") }

// sessionSubject resolves the customer token of GET /api/v1/admin/session.
func (s *Server) sessionSubject(r *http.Request) string {
	token := r.Header.Get(protocol.SessionHeader)
	if token == "" {
		token = r.URL.Query().Get("session")
	}
	sess, err := s.engine.Lookup(r.Context(), token)
	if err != nil {
		return ""
	}
	return sess.Subject
}

// markTestAgent puts a test agent back in its run's lane when it logs in
// (the desk lives in memory).
func (s *Server) markTestAgent(ctx context.Context, st AgentStore, name string) {
	if ts, ok := st.(interface {
		AgentTestRun(ctx context.Context, name string) (string, error)
	}); ok {
		if run, err := ts.AgentTestRun(ctx, name); err == nil {
			s.desk.MarkTestAgent(name, run)
		}
	}
}

// auditKeep says which audit records an audit read of a test run may see:
// those of its own test customers and those of no customer.
func (s *Server) auditKeep(r *http.Request) func(subject string) bool {
	run := r.Header.Get(protocol.TestRunHeader)
	if run == "" || s.admin.TestRunsReadAll || s.testRuns() == nil {
		return func(string) bool { return true }
	}
	seen := map[string]bool{}
	return func(subject string) bool {
		if subject == "" {
			return true
		}
		ok, done := seen[subject]
		if !done {
			ok = s.runMayRead(r.Context(), run, subject)
			seen[subject] = ok
		}
		return ok
	}
}

// withTestRun marks a new session as a test run's when the client proved
// it holds the admin token (testRunOf).
func (s *Server) withTestRun(r *http.Request, m conversation.ConnMeta) conversation.ConnMeta {
	m.TestRun = s.testRunOf(r)
	return m
}
