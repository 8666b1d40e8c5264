package desk

import (
	"slices"

	"deskbot/protocol"
)

// Test runs: `deskbot test` against a live server opens a test run, its
// customers' sessions and its test agents are marked with the run's id,
// and each run is a lane of its own on the desk. A real customer waits
// only for real agents and is counted in line only among real customers;
// a test session is seen, counted and taken only by the test agents of
// its run. Real agents never see a test conversation, test agents never
// see a real one, and a test agent online does not make the desk
// available to customers.

// testLanes maps session ids and agent log-in names to their test run;
// everything not in them is real (lane "").
type testLanes struct {
	sessions map[string]string
	agents   map[string]string
}

// MarkTestSession puts a session in a test run's lane.
func (d *Desk) MarkTestSession(id, run string) {
	if run == "" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lanes.sessions == nil {
		d.lanes.sessions = map[string]string{}
	}
	d.lanes.sessions[id] = run
	d.emit(Op{Kind: opTestSession, ID: id, Run: run})
}

// MarkTestAgent puts an agent account in a test run's lane.
func (d *Desk) MarkTestAgent(name, run string) {
	if run == "" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lanes.agents == nil {
		d.lanes.agents = map[string]string{}
	}
	d.lanes.agents[name] = run
	d.emit(Op{Kind: opTestAgent, Agent: AgentRef{Name: name}, Run: run})
}

// TestRunOf returns the test run of a session, "" for a real customer.
func (d *Desk) TestRunOf(id string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lanes.sessions[id]
}

// EndTestRun removes a test run's conversations, agents and events from
// the desk.
func (d *Desk) EndTestRun(run string) {
	d.emit(Op{Kind: opEndTestRun, Run: run})
	d.endTestRun(run)
}

func (d *Desk) endTestRun(run string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, r := range d.lanes.sessions {
		if r != run {
			continue
		}
		delete(d.convs, id)
		d.order = slices.DeleteFunc(d.order, func(x string) bool { return x == id })
		d.events = slices.DeleteFunc(d.events, func(ev event) bool { return ev.ID == id })
		delete(d.lanes.sessions, id)
	}
	for name, r := range d.lanes.agents {
		if r == run {
			delete(d.agents, name)
			d.events = slices.DeleteFunc(d.events, func(ev event) bool { return ev.to == name })
			delete(d.lanes.agents, name)
		}
	}
}

// AvailableFor reports whether the session can be put through now: within
// business hours and with an agent of its own lane online.
func (d *Desk) AvailableFor(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if !d.hours.Open(now) {
		return false
	}
	lane := d.lanes.sessions[id]
	for name := range d.agents {
		if d.lanes.agents[name] == lane && d.presenceLocked(name, now) == protocol.PresenceOnline {
			return true
		}
	}
	return false
}

// sameLaneLocked reports whether session id and agent are in one lane.
func (d *Desk) sameLaneLocked(id, agent string) bool {
	return d.lanes.sessions[id] == d.lanes.agents[agent]
}

// laneOrderLocked is the waiting sessions of id's lane, first in line first.
func (d *Desk) laneOrderLocked(lane string) []string {
	var out []string
	for _, w := range d.order {
		if d.lanes.sessions[w] == lane {
			out = append(out, w)
		}
	}
	return out
}

// AgentTestRun returns the test run of an agent, "" for a real agent.
func (d *Desk) AgentTestRun(name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lanes.agents[name]
}
