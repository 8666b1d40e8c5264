package features

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// Against a --target with an admin token, a run is a test run of the
// server (docs/agent-api.md, "Test runs"): opened on the first scenario
// that needs the bot, every customer session it opens is a test session
// of the run (the admin token and the run's id sent with the connection),
// `agent "Maria" is online` logs in as a test agent of the run displayed
// as "Maria" (created through the admin API, its password returned once),
// the run's admin reads see its own test sessions only, and ending the
// run (Suite.Close) erases the test sessions and removes the test agents.
// A real account named "Maria" is never used or changed.

// targetRun is the suite's test run on its --target.
type targetRun struct {
	mu     sync.Mutex
	opened bool
	id     string // "" when the target has no test runs (or no token)
	err    error
	agents map[string]protocol.AdminTestAgent // by display name
	ended  bool
}

// testRun opens the suite's test run on first use. It returns "" when
// the run is in-process, has no admin token, or the target's admin API
// has no test runs (an older deskbot: noted once).
func (s *Suite) testRun(ctx context.Context) (string, error) {
	if s.Target == "" || s.AdminToken == "" {
		return "", nil
	}
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	if s.run.opened {
		return s.run.id, s.run.err
	}
	adm := newAdminClient(s.Target, s.AdminToken)
	var r protocol.AdminTestRun
	err := adm.post(ctx, "/api/v1/admin/test-runs", map[string]string{}, &r)
	if err != nil && strings.Contains(err.Error(), "HTTP 404") {
		s.notice("the target's admin API has no test runs (an older deskbot): test sessions are not marked or erased, and agent steps log in to existing accounts with DESKBOT_TEST_AGENT_PASSWORD")
		err = nil
	}
	if err != nil {
		err = fmt.Errorf("opening a test run on the target: %w", err)
	}
	s.run.opened, s.run.id, s.run.err = true, r.Run, err
	return r.Run, err
}

// testAgent returns the run's test agent shown as name, creating it on
// first use. ok is false when the run has no test run (see testRun).
func (s *Suite) testAgent(ctx context.Context, name string) (protocol.AdminTestAgent, bool, error) {
	run, err := s.testRun(ctx)
	if err != nil || run == "" {
		return protocol.AdminTestAgent{}, false, err
	}
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	if a, ok := s.run.agents[name]; ok {
		return a, true, nil
	}
	adm := newAdminClient(s.Target, s.AdminToken)
	var a protocol.AdminTestAgent
	if err := adm.post(ctx, "/api/v1/admin/test-runs/"+url.PathEscape(run)+"/agents", protocol.AdminTestAgentRequest{DisplayName: name}, &a); err != nil {
		return a, false, fmt.Errorf("creating the test agent %q (test run %s) on the target: %w", name, run, err)
	}
	if s.run.agents == nil {
		s.run.agents = map[string]protocol.AdminTestAgent{}
	}
	s.run.agents[name] = a
	return a, true, nil
}

// endTestRun ends the suite's test run, erasing what it left on the
// target, and notes what was erased. It runs once, from Close.
func (s *Suite) endTestRun(ctx context.Context) error {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	if s.run.id == "" || s.run.ended {
		return nil
	}
	s.run.ended = true
	adm := newAdminClient(s.Target, s.AdminToken)
	var r protocol.AdminTestRunEnded
	if err := adm.do(ctx, http.MethodDelete, "/api/v1/admin/test-runs/"+url.PathEscape(s.run.id), nil, &r); err != nil {
		err = fmt.Errorf("ending test run %s on the target (its test sessions and agents stay until the retention purge, at most an hour): %w", s.run.id, err)
		s.notice(err.Error())
		return err
	}
	s.notice(fmt.Sprintf("test run %s ended: erased %d test sessions (%d messages) and removed %d test agents on the target",
		r.Run, r.Sessions, r.Messages, r.Agents))
	return nil
}

// joinTestRun makes this scenario's customer connections and admin reads
// part of the suite's test run (against a --target with a token).
func (w *World) joinTestRun(ctx context.Context) (string, error) {
	if w.inProcess() {
		return "", nil
	}
	run, err := w.suite.testRun(ctx)
	if err != nil {
		return "", err
	}
	if w.admin != nil {
		w.admin.run = run
	}
	return run, nil
}

// testSession adds the test run's credentials to a customer connection.
func (w *World) testSession(ctx context.Context, o chatclient.Options) (chatclient.Options, error) {
	run, err := w.joinTestRun(ctx)
	if err != nil || run == "" {
		return o, err
	}
	h := o.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set(protocol.TestRunHeader, run)
	h.Set("Authorization", "Bearer "+w.suite.AdminToken)
	o.Header = h
	return o, nil
}

// testRequest adds the test run's credentials to an HTTP mirror request.
func (w *World) testRequest(ctx context.Context, r *http.Request) error {
	run, err := w.joinTestRun(ctx)
	if err != nil || run == "" {
		return err
	}
	r.Header.Set(protocol.TestRunHeader, run)
	r.Header.Set("Authorization", "Bearer "+w.suite.AdminToken)
	return nil
}
