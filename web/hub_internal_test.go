package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"deskbot/protocol"
)

// A quiet socket is pinged by the hub's sweep (the pong refreshes it); a
// socket whose peer never answers is closed.
func TestHubPingsQuietSockets(t *testing.T) {
	t.Parallel()
	h := NewHub()
	serverConn := make(chan *conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := newConn(r.Context(), ws)
		h.add("s", c)
		serverConn <- c
		for { // the reader must run for pongs to be seen
			if _, _, err := ws.Read(r.Context()); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() { // the client's reader answers pings
		for {
			if _, _, err := client.Read(ctx); err != nil {
				return
			}
		}
	}()
	c := <-serverConn
	old := time.Now().Add(-2 * pingInterval).UnixNano()
	c.lastSeen.Store(old)
	go h.pingLoop(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for c.lastSeen.Load() == old && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if c.lastSeen.Load() == old {
		t.Fatal("quiet socket was not pinged")
	}
	select {
	case <-c.done:
		t.Fatal("a socket that answered the ping was closed")
	default:
	}
	client.CloseNow()
}

// enqueue beyond the bound refuses the frame and closes the slow client
// with 1008 instead of growing its queue.
func TestSlowClientClosed(t *testing.T) {
	t.Parallel()
	type report struct {
		refused  bool // some enqueue was refused
		maxQueue int
		code     websocket.StatusCode
	}
	reports := make(chan report, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			reports <- report{}
			return
		}
		c := newConn(r.Context(), ws)
		big := strings.Repeat("x", 64<<10)
		var rep report
		for i := 0; i < 10*sendBuffer && !rep.refused; i++ {
			rep.refused = !c.enqueue(protocol.Message{Type: protocol.TypeMessage, Text: big})
			c.mu.Lock()
			rep.maxQueue = max(rep.maxQueue, len(c.queue))
			c.mu.Unlock()
		}
		c.mu.Lock()
		rep.code = c.code
		c.mu.Unlock()
		reports <- rep
		// Keep the request (and the socket's context) alive until the
		// close frame is out, so the client can read why it was dropped.
		c.wait(10 * time.Second)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.CloseNow()
	client.SetReadLimit(1 << 20)
	// The client reads nothing until the server has given up on it.
	var rep report
	select {
	case rep = <-reports:
	case <-ctx.Done():
		t.Fatal("the server never reported on the slow client")
	}
	if !rep.refused {
		t.Fatalf("%d frames of 64 KiB queued for a client that reads nothing, none refused", 10*sendBuffer)
	}
	if rep.maxQueue > sendBuffer {
		t.Errorf("queue grew to %d, above the bound %d", rep.maxQueue, sendBuffer)
	}
	if rep.code != websocket.StatusPolicyViolation {
		t.Errorf("slow client closed with %v, want %v", rep.code, websocket.StatusPolicyViolation)
	}
	for {
		if _, _, err = client.Read(ctx); err != nil {
			break
		}
	}
	if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
		t.Errorf("client saw %v (%v), want close status %v", got, err, websocket.StatusPolicyViolation)
	}
}

// A restarted conversation's socket is found under its new id, and frames
// waiting for the old one are dropped (DSR-4).
func TestHubRename(t *testing.T) {
	t.Parallel()
	h := NewHub()
	c := &conn{done: make(chan struct{})}
	h.add("old", c)
	h.Deliver("gone", protocol.Message{Type: protocol.TypeMessage})
	h.pending["old"] = []protocol.Outbound{protocol.Message{Text: "stale"}}
	h.Rename("old", "new")
	if len(h.conns["old"]) != 0 || len(h.conns["new"]) != 1 || h.session[c] != "new" {
		t.Fatalf("conns after rename: %v", h.conns)
	}
	if _, ok := h.pending["old"]; ok {
		t.Fatal("frames for the erased conversation kept")
	}
	h.remove(c)
	if len(h.conns) != 0 || len(h.session) != 0 {
		t.Fatalf("remove after rename left %v %v", h.conns, h.session)
	}
}
