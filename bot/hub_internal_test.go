package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// A quiet socket is pinged by the hub's sweep (the pong refreshes it); a
// socket whose peer never answers is closed.
func TestHubPingsQuietSockets(t *testing.T) {
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

// enqueue beyond the bound closes the slow client instead of growing.
func TestSlowClientClosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := newConn(r.Context(), ws)
		big := strings.Repeat("x", 64<<10)
		for i := 0; i < 10*sendBuffer; i++ {
			if !c.enqueue(map[string]string{"type": "message", "text": big}) {
				break
			}
		}
		<-c.done
		c.mu.Lock()
		if n := len(c.queue); n > sendBuffer {
			t.Errorf("queue grew to %d", n)
		}
		c.mu.Unlock()
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Never read: the server's writes back up and the client is dropped.
	time.Sleep(2 * time.Second)
	client.CloseNow()
}

// A restarted conversation's socket is found under its new id, and frames
// waiting for the old one are dropped (DSR-4).
func TestHubRename(t *testing.T) {
	h := NewHub()
	c := &conn{done: make(chan struct{})}
	h.add("old", c)
	h.Deliver("gone", map[string]string{"type": "message"})
	h.pending["old"] = []any{"stale"}
	h.rename("old", "new")
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
