package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"deskbot/protocol"
)

// Hub is the engine's conversation.Delivery. It tracks open customer
// sockets by session so frames produced outside a customer's own turn
// (agent messages, handover changes) reach them. Frames for sessions
// without a socket (HTTP mirror clients) wait, bounded, until the next call
// collects them.
type Hub struct {
	mu      sync.Mutex
	conns   map[string]map[*conn]struct{}
	session map[*conn]string // each socket's current session id
	pending map[string][]protocol.Outbound

	addrs map[string]int // open sockets per client address (under mu)

	turnMu   sync.Mutex
	turns    int           // customer turns in flight (Engine.Handle until replies are queued)
	draining bool          // shutdown began: no new turns
	idle     chan struct{} // closed when turns drops to 0 while draining
}

const (
	sendBuffer     = 64               // frames queued per socket before it counts as slow
	maxPending     = 100              // frames kept per session for HTTP clients
	writeTimeout   = 5 * time.Second  // per frame
	pingInterval   = 25 * time.Second // keeps proxies from dropping idle sockets
	pingTimeout    = 10 * time.Second
	maxFrameBytes  = 64 << 10 // read limit; larger frames close the socket (1009)
	maxRateStrikes = 30       // rate-limited frames in a row before the socket is closed
)

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{conns: make(map[string]map[*conn]struct{}), session: make(map[*conn]string), pending: make(map[string][]protocol.Outbound)}
}

func (h *Hub) add(session string, c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[session] == nil {
		h.conns[session] = make(map[*conn]struct{})
	}
	h.conns[session][c] = struct{}{}
	h.session[c] = session
}

// remove forgets a closed socket under whatever session it serves now.
func (h *Hub) remove(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	session := h.session[c]
	delete(h.session, c)
	delete(h.conns[session], c)
	if len(h.conns[session]) == 0 {
		delete(h.conns, session)
	}
}

// Rename moves a session's sockets to its new id (a conversation restarted
// after erasure) and drops what was waiting for the old one (DSR-4).
func (h *Hub) Rename(from, to string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.pending, from)
	cs := h.conns[from]
	if len(cs) == 0 {
		return
	}
	delete(h.conns, from)
	if h.conns[to] == nil {
		h.conns[to] = make(map[*conn]struct{})
	}
	for c := range cs {
		h.conns[to][c] = struct{}{}
		h.session[c] = to
	}
}

// Forget drops frames waiting for a session that will not come back.
func (h *Hub) Forget(session string) {
	h.mu.Lock()
	delete(h.pending, session)
	h.mu.Unlock()
}

// Deliver sends frames to every socket of a session, or keeps them for the
// session's next HTTP call when it has none.
func (h *Hub) Deliver(session string, frames ...protocol.Outbound) {
	frames = protocol.Stamp(frames, time.Now())
	h.mu.Lock()
	conns := make([]*conn, 0, len(h.conns[session]))
	for c := range h.conns[session] {
		conns = append(conns, c)
	}
	if len(conns) == 0 {
		p := append(h.pending[session], frames...)
		if len(p) > maxPending {
			p = p[len(p)-maxPending:]
		}
		h.pending[session] = p
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.enqueue(frames...)
	}
}

// Drain returns and forgets the frames waiting for a session.
func (h *Hub) Drain(session string) []protocol.Outbound {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.pending[session]
	delete(h.pending, session)
	return p
}

// Connected reports how many sockets are open.
func (h *Hub) Connected() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, cs := range h.conns {
		n += len(cs)
	}
	return n
}

// holdAddr counts one more socket from addr unless it already has limit
// open (limit < 1: no limit); releaseAddr gives it back.
func (h *Hub) holdAddr(addr string, limit int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.addrs == nil {
		h.addrs = make(map[string]int)
	}
	if limit > 0 && h.addrs[addr] >= limit {
		return false
	}
	h.addrs[addr]++
	return true
}

func (h *Hub) releaseAddr(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.addrs[addr]--; h.addrs[addr] <= 0 {
		delete(h.addrs, addr)
	}
}

// beginTurn admits one customer turn, or refuses it once shutdown has
// begun; every admitted turn must call endTurn after its replies are
// queued. A refused frame is not handled (not committed, not answered).
func (h *Hub) beginTurn() bool {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	if h.draining {
		return false
	}
	h.turns++
	return true
}

func (h *Hub) endTurn() {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	if h.turns--; h.turns == 0 && h.idle != nil {
		close(h.idle)
		h.idle = nil
	}
}

// Draining reports whether shutdown has begun.
func (h *Hub) Draining() bool {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	return h.draining
}

// Shutdown closes every socket with 1001 "going away" and keeps the
// promise of a reply: no new turn starts, the turns in flight finish, and
// every frame queued for a socket (their replies) is written before its
// close frame. It returns when every socket is closed or ctx ends.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.turnMu.Lock()
	h.draining = true
	var idle chan struct{}
	if h.turns > 0 {
		if h.idle == nil {
			h.idle = make(chan struct{})
		}
		idle = h.idle
	}
	h.turnMu.Unlock()
	if idle != nil {
		select {
		case <-idle:
		case <-ctx.Done():
			return fmt.Errorf("waiting for turns in flight: %w", ctx.Err())
		}
	}
	all := h.CloseAll()
	for _, c := range all {
		select {
		case <-c.finished:
		case <-ctx.Done():
			return fmt.Errorf("flushing sockets: %w", ctx.Err())
		}
	}
	return nil
}

// CloseAll closes every socket with "going away" once what is queued for
// it is written, and returns them.
func (h *Hub) CloseAll() []*conn {
	h.mu.Lock()
	var all []*conn
	for _, cs := range h.conns {
		for c := range cs {
			all = append(all, c)
		}
	}
	h.mu.Unlock()
	for _, c := range all {
		c.closeAfterFlush(websocket.StatusGoingAway, "server shutting down")
	}
	return all
}

// Close codes the server sends (wire protocol v1, README): 1001 going away
// at shutdown, 1008 policy violation for a flood or a client too slow to
// read, 1009 for a frame over the read limit (sent by the websocket
// library), 1011 when a session cannot be opened, 1013 when the server has
// no room. Every close waits for its frame to go out, bounded by the
// library's own 5 s handshake timeouts.

// conn is one socket with a bounded send queue. A writer goroutine runs
// only while frames are queued, so an idle socket costs one goroutine (its
// reader) and no writer.
type conn struct {
	ws       *websocket.Conn
	ctx      context.Context
	mu       sync.Mutex
	queue    [][]byte
	writing  bool
	closing  bool // no more frames; the close frame follows the queue
	code     websocket.StatusCode
	reason   string
	done     chan struct{} // closed when closing starts
	finished chan struct{} // closed when the close frame is out (or the socket is gone)
	once     sync.Once
	lastSeen atomic.Int64 // unix nanos of the last frame either way or pong
}

func newConn(ctx context.Context, ws *websocket.Conn) *conn {
	c := &conn{ws: ws, ctx: ctx, done: make(chan struct{}), finished: make(chan struct{})}
	c.touch()
	return c
}

func (c *conn) touch() { c.lastSeen.Store(time.Now().UnixNano()) }

// enqueue queues frames without blocking; a client too slow to keep up is
// closed rather than allowed to hold memory or stall the server.
func (c *conn) enqueue(frames ...protocol.Outbound) bool {
	frames = protocol.Stamp(frames, time.Now()) // every message frame says when (issue 11)
	bs := make([][]byte, 0, len(frames))
	for _, f := range frames {
		if b, err := json.Marshal(f); err == nil {
			bs = append(bs, b)
		}
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return false
	}
	if len(c.queue)+len(bs) > sendBuffer {
		c.mu.Unlock()
		c.close(websocket.StatusPolicyViolation, "client too slow")
		return false
	}
	c.queue = append(c.queue, bs...)
	if !c.writing && len(c.queue) > 0 {
		c.writing = true
		go c.drain()
	}
	c.mu.Unlock()
	return true
}

// drain writes queued frames in order and exits when the queue is empty;
// when the socket is closing, the close frame goes out after the last one.
func (c *conn) drain() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.writing = false
			closing := c.closing
			c.mu.Unlock()
			if closing {
				c.finish()
			}
			return
		}
		b := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		c.mu.Unlock()
		wctx, cancel := context.WithTimeout(c.ctx, writeTimeout)
		err := c.ws.Write(wctx, websocket.MessageText, b)
		cancel()
		if err != nil {
			c.mu.Lock()
			c.closing, c.queue, c.writing = true, nil, false
			c.mu.Unlock()
			c.abort()
			return
		}
		c.touch()
	}
}

// close closes the socket now with code, dropping what is queued (a
// client that does not read would not read it either).
func (c *conn) close(code websocket.StatusCode, reason string) {
	if c.startClose(code, reason, false) {
		go c.finish()
	}
}

// closeAfterFlush closes the socket with code once every queued frame is
// written.
func (c *conn) closeAfterFlush(code websocket.StatusCode, reason string) {
	c.startClose(code, reason, true)
}

// startClose stops new frames; it reports whether the caller must send
// the close frame itself (no flush wanted).
func (c *conn) startClose(code websocket.StatusCode, reason string, flush bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return false
	}
	c.closing, c.code, c.reason = true, code, reason
	close(c.done)
	if !flush {
		c.queue = nil
		return true
	}
	if !c.writing { // nothing queued: the close frame goes out now
		c.writing = true
		go c.drain()
	}
	return false
}

// finish sends the close frame and waits for the handshake (the library
// bounds it); it runs once.
func (c *conn) finish() {
	c.once.Do(func() {
		c.ws.Close(c.code, c.reason)
		close(c.finished)
	})
}

// abort tears the socket down without a close frame (it is already broken).
func (c *conn) abort() {
	c.once.Do(func() {
		c.ws.CloseNow()
		close(c.finished)
	})
}

// wait blocks until the close is done or d passes.
func (c *conn) wait(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.finished:
	case <-t.C:
	}
}

// ping checks a quiet socket is still there; proxies also drop idle sockets.
func (c *conn) ping() {
	pctx, cancel := context.WithTimeout(c.ctx, pingTimeout)
	defer cancel()
	if err := c.ws.Ping(pctx); err != nil {
		c.close(websocket.StatusPolicyViolation, "ping timeout")
		return
	}
	c.touch()
}

// pingLoop sweeps the hub once a second and pings sockets quiet for
// pingInterval, spreading pings over time instead of one goroutine per socket.
func (h *Hub) pingLoop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cutoff := time.Now().Add(-pingInterval).UnixNano()
		h.mu.Lock()
		var quiet []*conn
		for _, cs := range h.conns {
			for c := range cs {
				if c.lastSeen.Load() < cutoff {
					quiet = append(quiet, c)
					c.touch() // one ping per interval, even while it is in flight
				}
			}
		}
		h.mu.Unlock()
		for _, c := range quiet {
			go c.ping()
		}
	}
}
