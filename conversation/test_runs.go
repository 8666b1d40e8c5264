package conversation

// A test run's sessions (`deskbot test` or `deskbot record` against a live
// server, marked by the transport only after checking the admin token)
// wait on the desk in their run's own lane, for their run's test agents
// only, and never notify anyone of a left message. They are stored marked
// with the run and erased when it ends (store/test_runs.go).

// markTest puts a test run's session in its lane on the desk.
func (e *Engine) markTest(s *Session) {
	if s.st.TestRun != "" {
		e.desk.MarkTestSession(s.ID, s.st.TestRun)
	}
}
