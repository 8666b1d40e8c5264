package bot

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Hub tracks open customer sockets by session so frames produced outside a
// customer's own turn (agent messages, handover changes) reach them. Frames
// for sessions without a socket (HTTP mirror clients) wait, bounded, until
// the next call collects them.
type Hub struct {
	mu      sync.Mutex
	conns   map[string]map[*conn]struct{}
	pending map[string][]any
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
	return &Hub{conns: make(map[string]map[*conn]struct{}), pending: make(map[string][]any)}
}

func (h *Hub) add(session string, c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[session] == nil {
		h.conns[session] = make(map[*conn]struct{})
	}
	h.conns[session][c] = struct{}{}
}

func (h *Hub) remove(session string, c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns[session], c)
	if len(h.conns[session]) == 0 {
		delete(h.conns, session)
	}
}

// Deliver sends frames to every socket of a session, or keeps them for the
// session's next HTTP call when it has none.
func (h *Hub) Deliver(session string, frames ...any) {
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
func (h *Hub) Drain(session string) []any {
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

// CloseAll closes every socket with "going away" (server shutdown).
func (h *Hub) CloseAll() {
	h.mu.Lock()
	var all []*conn
	for _, cs := range h.conns {
		for c := range cs {
			all = append(all, c)
		}
	}
	h.mu.Unlock()
	for _, c := range all {
		c.close(websocket.StatusGoingAway, "server shutting down")
	}
}

// conn is one socket with a bounded send queue drained by its own goroutine.
type conn struct {
	ws   *websocket.Conn
	send chan []byte
	once sync.Once
	done chan struct{}
}

func newConn(ws *websocket.Conn) *conn {
	return &conn{ws: ws, send: make(chan []byte, sendBuffer), done: make(chan struct{})}
}

// enqueue queues frames without blocking; a client too slow to keep up is
// closed rather than allowed to hold memory or stall the server.
func (c *conn) enqueue(frames ...any) bool {
	for _, f := range frames {
		b, err := json.Marshal(f)
		if err != nil {
			continue
		}
		select {
		case <-c.done:
			return false
		case c.send <- b:
		default:
			c.close(websocket.StatusPolicyViolation, "client too slow")
			return false
		}
	}
	return true
}

func (c *conn) close(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		close(c.done)
		go c.ws.Close(code, reason)
	})
}

// writeLoop writes queued frames and pings until the connection ends.
func (c *conn) writeLoop(ctx context.Context) {
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.done:
			return
		case b := <-c.send:
			wctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := c.ws.Write(wctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				c.close(websocket.StatusAbnormalClosure, "write failed")
				return
			}
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, pingTimeout)
			err := c.ws.Ping(pctx)
			cancel()
			if err != nil {
				c.close(websocket.StatusPolicyViolation, "ping timeout")
				return
			}
		}
	}
}
