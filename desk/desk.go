// Package desk is the live side of the human handover (HUM-2): which
// agents are present, which conversations wait for one and in what order,
// who holds which, the team's opening hours, the e-mail notice that a
// message was left, and agent password hashing. It knows conversations by
// session id only and holds no HTTP or engine types.
package desk

import (
	"errors"
	"slices"
	"sync"
	"time"

	"deskbot/protocol"
)

// presenceTTL is how long an agent counts as present after its last call;
// the console's event poll refreshes it every 25 seconds.
const presenceTTL = 90 * time.Second

// maxDeskEvents bounds the event backlog kept for polling consoles.
const maxDeskEvents = 1000

// Desk errors.
var (
	ErrNotQueued   = errors.New("conversation is not waiting for or held by an agent")
	ErrHeldByOther = errors.New("another agent holds this conversation")
	// ErrHolderGone: several instances share the desk and the one holding
	// the customer's session stopped answering; the conversation moves to
	// the instance the customer reconnects to.
	ErrHolderGone = errors.New("the customer's conversation is on an instance that is not answering; it comes back when the customer reconnects")
)

// AgentRef names an agent: the log-in name (audit actor) and the name
// customers see.
type AgentRef struct {
	Name    string
	Display string
}

// event is a desk event and who may see it.
type event struct {
	protocol.DeskEvent
	to string // only this agent (log-in name); empty means all
}

type presence struct {
	display  string
	state    string
	lastSeen time.Time
	local    bool      // the agent is logged in here, not on another instance
	sent     time.Time // when other instances last heard of it (replica.go)
}

// Conv is a conversation on the desk.
type Conv struct {
	State  string // protocol.HandoverQueued or protocol.HandoverJoined
	Agent  AgentRef
	Reason string
	Since  time.Time
	// Owner is the instance that holds the customer's session (several
	// instances on one database, replica.go); empty on a single instance.
	Owner string
}

// Desk is the live side of the handover: who is present, which
// conversations wait (in order) and who holds which. It lives in memory;
// a restart empties the queue and customers simply ask again.
type Desk struct {
	mu     sync.Mutex
	now    func() time.Time
	hours  Hours
	agents map[string]*presence
	convs  map[string]*Conv // by session id
	order  []string         // waiting session ids, first in line first
	events []event
	seq    int64
	wake   chan struct{} // closed and replaced on every event
	lanes  testLanes     // test runs' sessions and agents (test_runs.go)

	// Several instances (replica.go): changes made here are sent to the
	// others, theirs are applied here.
	self  string
	out   Broadcaster
	moved func(map[string]int)
}

// New returns an empty desk using the given clock and opening hours.
func New(now func() time.Time, hours Hours) *Desk {
	if now == nil {
		now = time.Now
	}
	return &Desk{now: now, hours: hours, agents: map[string]*presence{}, convs: map[string]*Conv{}, wake: make(chan struct{})}
}

// Hours returns the opening hours the desk applies.
func (d *Desk) Hours() Hours { return d.hours }

// SetPresence records an agent as online or away (and seen now).
func (d *Desk) SetPresence(a AgentRef, state string) {
	d.mu.Lock()
	p := d.agents[a.Name]
	if p == nil {
		p = &presence{}
		d.agents[a.Name] = p
	}
	p.display, p.state, p.lastSeen = a.Display, state, d.now()
	p.local, p.sent = true, d.now()
	d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue}, "")
	d.mu.Unlock()
	d.emit(Op{Kind: opPresence, Agent: a, State: state})
}

// Seen keeps an agent's presence alive.
func (d *Desk) Seen(name string) {
	d.mu.Lock()
	var op *Op
	if p := d.agents[name]; p != nil {
		p.lastSeen = d.now()
		// Other instances hear of it now and then, well within presenceTTL.
		if d.out != nil && p.lastSeen.Sub(p.sent) > presenceTTL/4 {
			p.sent = p.lastSeen
			op = &Op{Kind: opPresence, Agent: AgentRef{Name: name, Display: p.display}, State: p.state}
		}
	}
	d.mu.Unlock()
	if op != nil {
		d.emit(*op)
	}
}

// Leave marks an agent offline (log-out).
func (d *Desk) Leave(name string) {
	d.mu.Lock()
	delete(d.agents, name)
	d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue}, "")
	d.mu.Unlock()
	d.emit(Op{Kind: opLeave, Agent: AgentRef{Name: name}})
}

// Presence returns an agent's presence: online, away or offline.
func (d *Desk) Presence(name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.presenceLocked(name, d.now())
}

func (d *Desk) presenceLocked(name string, now time.Time) string {
	p := d.agents[name]
	if p == nil || now.Sub(p.lastSeen) > presenceTTL {
		return protocol.PresenceOffline
	}
	return p.state
}

// Open reports whether the team is within business hours now.
func (d *Desk) Open() bool { return d.hours.Open(d.now()) }

// Available reports whether a customer can be put through now: within
// business hours and with at least one agent online.
func (d *Desk) Available() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if !d.hours.Open(now) {
		return false
	}
	for name := range d.agents {
		if d.lanes.agents[name] == "" && d.presenceLocked(name, now) == protocol.PresenceOnline {
			return true // test agents do not count (test_runs.go)
		}
	}
	return false
}

// Agents lists present agents by name.
func (d *Desk) Agents() []protocol.AgentStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	out := []protocol.AgentStatus{}
	for name, p := range d.agents {
		if d.lanes.agents[name] != "" {
			continue // a test run's agent (test_runs.go)
		}
		if st := d.presenceLocked(name, now); st != protocol.PresenceOffline {
			out = append(out, protocol.AgentStatus{Name: name, Display: p.display, Presence: st})
		}
	}
	slices.SortFunc(out, func(a, b protocol.AgentStatus) int {
		if a.Name < b.Name {
			return -1
		}
		return 1
	})
	return out
}

// Enqueue puts a session in line (once) and returns its 1-based position.
func (d *Desk) Enqueue(id, reason string) int {
	d.mu.Lock()
	if _, ok := d.convs[id]; ok {
		defer d.mu.Unlock()
		return d.positionLocked(id)
	}
	c := &Conv{State: protocol.HandoverQueued, Reason: reason, Since: d.now(), Owner: d.self}
	d.convs[id] = c
	d.order = append(d.order, id)
	d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue, ID: id}, "")
	pos := d.positionLocked(id)
	d.mu.Unlock()
	d.emit(Op{Kind: opEnqueue, ID: id, Reason: reason, Since: c.Since, Owner: d.self})
	return pos
}

// positionLocked is id's place in line among its own lane (test_runs.go).
func (d *Desk) positionLocked(id string) int {
	return slices.Index(d.laneOrderLocked(d.lanes.sessions[id]), id) + 1
}

// Position returns a waiting session's place in line, 0 if not waiting.
func (d *Desk) Position(id string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.positionLocked(id)
}

// Conv returns a conversation on the desk.
func (d *Desk) Conv(id string) (Conv, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.convs[id]
	if !ok {
		return Conv{}, false
	}
	return *c, true
}

// Take assigns a waiting conversation to an agent. It returns the session
// ids still waiting with their new positions, to tell them.
func (d *Desk) Take(id string, a AgentRef) (map[string]int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.convs[id]
	if !ok || !d.sameLaneLocked(id, a.Name) {
		return nil, ErrNotQueued
	}
	if c.State == protocol.HandoverJoined {
		if c.Agent.Name == a.Name {
			return nil, nil
		}
		return nil, ErrHeldByOther
	}
	c.State, c.Agent = protocol.HandoverJoined, a
	d.order = slices.DeleteFunc(d.order, func(x string) bool { return x == id })
	d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue, ID: id}, "")
	d.emit(Op{Kind: opTake, ID: id, Agent: a})
	return d.positionsLocked(), nil
}

// Holder checks that an agent holds a conversation.
func (d *Desk) Holder(id string, a AgentRef) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.convs[id]
	if !ok || c.State != protocol.HandoverJoined {
		return ErrNotQueued
	}
	if c.Agent.Name != a.Name {
		return ErrHeldByOther
	}
	return nil
}

// Release removes a conversation from the desk (hand-back, close,
// erasure) and returns the waiting session ids with their new positions.
func (d *Desk) Release(id string) map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.convs[id]; !ok {
		return nil
	}
	delete(d.convs, id)
	d.order = slices.DeleteFunc(d.order, func(x string) bool { return x == id })
	d.publishLocked(protocol.DeskEvent{Kind: protocol.DeskEventQueue, ID: id}, "")
	d.emit(Op{Kind: opRelease, ID: id})
	return d.positionsLocked()
}

// positionsLocked is every waiting session id with its place in line.
func (d *Desk) positionsLocked() map[string]int {
	moved := map[string]int{}
	lane := map[string]int{} // places counted per lane (test_runs.go)
	for _, w := range d.order {
		l := d.lanes.sessions[w]
		lane[l]++
		moved[w] = lane[l]
	}
	return moved
}

// Queue lists waiting conversations in order and those the agent holds.
func (d *Desk) Queue(agent string) (waiting, mine []protocol.QueueItem) {
	d.mu.Lock()
	defer d.mu.Unlock()
	waiting, mine = []protocol.QueueItem{}, []protocol.QueueItem{}
	// Only the conversations of the agent's own lane (test_runs.go).
	for i, id := range d.laneOrderLocked(d.lanes.agents[agent]) {
		c := d.convs[id]
		waiting = append(waiting, protocol.QueueItem{ID: id, Position: i + 1, Reason: c.Reason, Since: c.Since, State: c.State})
	}
	for id, c := range d.convs {
		if c.State == protocol.HandoverJoined && c.Agent.Name == agent {
			mine = append(mine, protocol.QueueItem{ID: id, Reason: c.Reason, Since: c.Since, Agent: c.Agent.Name, State: c.State})
		}
	}
	slices.SortFunc(mine, func(a, b protocol.QueueItem) int { return a.Since.Compare(b.Since) })
	return waiting, mine
}

// Publish adds an event for every console, or for one agent when to is set.
func (d *Desk) Publish(ev protocol.DeskEvent, to string) {
	d.mu.Lock()
	d.publishLocked(ev, to)
	d.mu.Unlock()
	d.emit(Op{Kind: opEvent, Event: &ev, To: to})
}

func (d *Desk) publishLocked(ev protocol.DeskEvent, to string) {
	d.seq++
	ev.Seq = d.seq
	d.events = append(d.events, event{DeskEvent: ev, to: to})
	if len(d.events) > maxDeskEvents {
		d.events = slices.Clone(d.events[len(d.events)-maxDeskEvents:])
	}
	close(d.wake)
	d.wake = make(chan struct{})
}

// Forget releases a conversation and removes its lines from the event
// feed, for a customer whose data was erased (DSR-4).
func (d *Desk) Forget(id string) {
	d.Release(id)
	d.mu.Lock()
	d.events = slices.DeleteFunc(d.events, func(ev event) bool { return ev.ID == id })
	d.mu.Unlock()
	d.emit(Op{Kind: opForget, ID: id})
}

// Events returns the events after seq that the agent may see, and a
// channel closed when a newer event arrives.
func (d *Desk) Events(agent string, after int64) ([]protocol.DeskEvent, int64, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := []protocol.DeskEvent{}
	for _, ev := range d.events {
		if ev.Seq > after && (ev.to == "" || ev.to == agent) && (ev.ID == "" || d.sameLaneLocked(ev.ID, agent)) {
			out = append(out, ev.DeskEvent)
		}
	}
	next := after
	if d.seq > next || after > d.seq {
		next = d.seq // a restarted server restarts the sequence
	}
	return out, next, d.wake
}
