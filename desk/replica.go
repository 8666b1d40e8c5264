package desk

import (
	"slices"
	"time"

	"deskbot/protocol"
)

// Several instances on one database share one desk: each keeps a replica
// in memory, sends every change it makes to the others (Broadcaster) and
// applies theirs (ApplyRemote). A conversation is changed only by the
// instance that holds the customer's session (Conv.Owner): agents on other
// instances ask that one (package cluster), so two instances never decide
// about one conversation. Presence is sent by the instance the agent is
// logged in to, events by the instance they happen on.

// Op kinds.
const (
	opPresence    = "presence"
	opLeave       = "leave"
	opEnqueue     = "enqueue"
	opTake        = "take"
	opRelease     = "release"
	opForget      = "forget"
	opEvent       = "event"
	opOwn         = "own"
	opTestSession = "test_session"
	opTestAgent   = "test_agent"
	opEndTestRun  = "end_test_run"
)

// Op is one change of the desk, as sent to the other instances.
type Op struct {
	Kind   string              `json:"kind"`
	ID     string              `json:"id,omitempty"`
	Agent  AgentRef            `json:"agent,omitzero"`
	State  string              `json:"state,omitempty"`
	Reason string              `json:"reason,omitempty"`
	Since  time.Time           `json:"since,omitzero"`
	Owner  string              `json:"owner,omitempty"`
	Run    string              `json:"run,omitempty"`
	Event  *protocol.DeskEvent `json:"event,omitempty"`
	To     string              `json:"to,omitempty"`
}

// Broadcaster sends a change to the other instances. It must not block
// and must not call back into the desk: it is called under the desk's lock.
type Broadcaster interface {
	Broadcast(op Op)
}

// Replicate makes the desk one replica of a shared desk: self names this
// instance in Conv.Owner, out sends its changes, and moved is told the new
// places in line after another instance's change moved the queue (the
// engine tells its own waiting customers).
func (d *Desk) Replicate(self string, out Broadcaster, moved func(map[string]int)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.self, d.out, d.moved = self, out, moved
}

// Self is this instance's name on a shared desk ("" on a single instance).
func (d *Desk) Self() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.self
}

func (d *Desk) emit(op Op) {
	if d.out != nil {
		d.out.Broadcast(op)
	}
}

// Claim makes this instance the owner of a conversation on the desk (the
// customer's session was loaded here, e.g. after the owner stopped); it
// reports whether the conversation is on the desk.
func (d *Desk) Claim(id string) bool {
	d.mu.Lock()
	c, ok := d.convs[id]
	if ok {
		c.Owner = d.self
	}
	d.mu.Unlock()
	if ok {
		d.emit(Op{Kind: opOwn, ID: id, Owner: d.self})
	}
	return ok
}

// ApplyRemote applies another instance's change.
func (d *Desk) ApplyRemote(op Op) {
	d.mu.Lock()
	var moved map[string]int
	switch op.Kind {
	case opPresence:
		p := d.agents[op.Agent.Name]
		if p == nil {
			p = &presence{}
			d.agents[op.Agent.Name] = p
		}
		changed := p.state != op.State || p.display != op.Agent.Display
		p.display, p.state, p.lastSeen, p.local = op.Agent.Display, op.State, d.now(), false
		if changed {
			d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue}, "")
		}
	case opLeave:
		delete(d.agents, op.Agent.Name)
		d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue}, "")
	case opEnqueue:
		if _, ok := d.convs[op.ID]; !ok {
			d.convs[op.ID] = &Conv{State: protocol.HandoverQueued, Reason: op.Reason, Since: op.Since, Owner: op.Owner}
			d.order = append(d.order, op.ID)
			d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue, ID: op.ID}, "")
		}
	case opTake:
		if c, ok := d.convs[op.ID]; ok {
			c.State, c.Agent = protocol.HandoverJoined, op.Agent
			d.order = slices.DeleteFunc(d.order, func(x string) bool { return x == op.ID })
			d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue, ID: op.ID}, "")
			moved = d.positionsLocked()
		}
	case opRelease, opForget:
		if _, ok := d.convs[op.ID]; ok {
			delete(d.convs, op.ID)
			d.order = slices.DeleteFunc(d.order, func(x string) bool { return x == op.ID })
			d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue, ID: op.ID}, "")
			moved = d.positionsLocked()
		}
		if op.Kind == opForget {
			d.events = slices.DeleteFunc(d.events, func(ev event) bool { return ev.ID == op.ID })
		}
	case opOwn:
		if c, ok := d.convs[op.ID]; ok {
			c.Owner = op.Owner
		}
	case opEvent:
		if op.Event != nil {
			d.publishLocked(*op.Event, op.To)
		}
	case opTestSession:
		if d.lanes.sessions == nil {
			d.lanes.sessions = map[string]string{}
		}
		d.lanes.sessions[op.ID] = op.Run
	case opTestAgent:
		if d.lanes.agents == nil {
			d.lanes.agents = map[string]string{}
		}
		d.lanes.agents[op.Agent.Name] = op.Run
	case opEndTestRun:
		d.mu.Unlock()
		d.endTestRun(op.Run)
		d.mu.Lock()
	}
	tell := d.moved
	d.mu.Unlock()
	if tell != nil && len(moved) > 0 {
		tell(moved)
	}
}

// Snapshot is what this instance knows first-hand, for an instance that
// has just joined: the conversations it owns (their queueing and, when
// held, their taking) and the agents logged in here.
func (d *Desk) Snapshot() []Op {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Op
	for name, p := range d.agents {
		if p.local {
			out = append(out, Op{Kind: opPresence, Agent: AgentRef{Name: name, Display: p.display}, State: p.state})
		}
	}
	for name, run := range d.lanes.agents {
		if p := d.agents[name]; p != nil && p.local {
			out = append(out, Op{Kind: opTestAgent, Agent: AgentRef{Name: name}, Run: run})
		}
	}
	// In line order, so the joiner's queue has the same order.
	ids := slices.Clone(d.order)
	for id, c := range d.convs {
		if c.State == protocol.HandoverJoined {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		c := d.convs[id]
		if c.Owner != d.self {
			continue
		}
		if run := d.lanes.sessions[id]; run != "" {
			out = append(out, Op{Kind: opTestSession, ID: id, Run: run})
		}
		out = append(out, Op{Kind: opEnqueue, ID: id, Reason: c.Reason, Since: c.Since, Owner: d.self})
		if c.State == protocol.HandoverJoined {
			out = append(out, Op{Kind: opTake, ID: id, Agent: c.Agent})
		}
	}
	return out
}
