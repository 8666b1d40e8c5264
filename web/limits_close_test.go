package web_test

import (
	"context"
	"crypto/sha256"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
	"deskbot/store"
)

// customerLines counts a session's committed customer lines in st.
func customerLines(t testing.TB, st *store.Store, token string) int {
	t.Helper()
	h := sha256.Sum256([]byte(token))
	sess, err := st.SessionByToken(context.Background(), h[:])
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	es, err := st.Transcript(context.Background(), sess.SubjectID, sess.ID)
	if err != nil {
		t.Fatalf("transcript: %v", err)
	}
	n := 0
	for _, e := range es {
		if e.Sender == "customer" {
			n++
		}
	}
	return n
}

// countReplies reads every frame until the socket closes and counts the
// bot's answers (not the disclosure) and error frames.
func countReplies(c *chatclient.Client, replies, errs *atomic.Int64) {
	for {
		f, err := c.Next(context.Background())
		if err != nil {
			return
		}
		switch {
		case f.Type == protocol.TypeMessage && !f.Disclosure:
			replies.Add(1)
		case f.Type == protocol.TypeError:
			errs.Add(1)
		}
	}
}

// M5(a): a rate-limit flood ends with a close frame 1008 that arrives
// after every committed turn's reply, not with EOF.
func TestRateLimitFloodClosesWith1008AfterReplies(t *testing.T) {
	l := startBot(t, nil) // default limits: burst 10, 30 per minute
	c, token := openSession(t, l)
	var replies, errs atomic.Int64
	done := make(chan struct{})
	go func() { countReplies(c, &replies, &errs); close(done) }()
	ctx := ctxT(t)
	for range 50 {
		if c.Say(ctx, "How do I return an item?") != nil {
			break
		}
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("socket not closed 10 s after the flood")
	}
	if got := c.CloseStatus(); got != websocket.StatusPolicyViolation {
		t.Errorf("close status %v (%v), want 1008 policy violation", got, c.Err())
	}
	committed := customerLines(t, l.App.Store, token)
	t.Logf("committed %d, replies received %d, rate_limited frames %d", committed, replies.Load(), errs.Load())
	if int(replies.Load()) != committed {
		t.Errorf("%d turns committed but %d replies received before the close", committed, replies.Load())
	}
	if errs.Load() == 0 {
		t.Error("no rate_limited frame arrived before the close")
	}
}

// M5(b): on shutdown every turn the server committed has its reply sent
// before the socket closes with 1001 going away.
func TestShutdownFlushesEveryCommittedReply(t *testing.T) {
	cfg := config.Defaults(t.TempDir())
	cfg.Limits.MessagesPerMinute, cfg.Limits.Burst = 60000, 1000
	cfg.Limits.NewSessionsBurst = 1000
	l, err := app.StartLocal(context.Background(), cfg, app.Options{Getenv: testEnv})
	if err != nil {
		t.Fatal(err)
	}
	const clients = 50
	type client struct {
		c              *chatclient.Client
		token          string
		replies, errs  atomic.Int64
		sent           atomic.Int64
		reader, sender chan struct{}
	}
	cs := make([]*client, clients)
	for i := range cs {
		c, token := openSession(t, l)
		cl := &client{c: c, token: token, reader: make(chan struct{}), sender: make(chan struct{})}
		cs[i] = cl
		go func() { countReplies(c, &cl.replies, &cl.errs); close(cl.reader) }()
		go func() {
			defer close(cl.sender)
			for range 400 { // pipelined: several turns in flight per socket
				if c.Say(context.Background(), "How do I return an item?") != nil {
					return
				}
				cl.sent.Add(1)
				time.Sleep(time.Millisecond)
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // conversations under way
	start := time.Now()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	for _, cl := range cs {
		select {
		case <-cl.reader:
		case <-time.After(10 * time.Second):
			t.Fatal("a socket was still open 10 s after shutdown")
		}
	}
	// Read what was committed from the data dir.
	a, err := app.New(context.Background(), cfg, app.Options{Getenv: testEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var sent, committed, replies, missing, wrongClose int
	for _, cl := range cs {
		n := customerLines(t, a.Store, cl.token)
		sent += int(cl.sent.Load())
		committed += n
		replies += int(cl.replies.Load())
		if int(cl.replies.Load()) != n {
			missing += n - int(cl.replies.Load())
		}
		if got := cl.c.CloseStatus(); got != websocket.StatusGoingAway {
			wrongClose++
			t.Logf("close %v: %v", got, cl.c.Err())
		}
	}
	t.Logf("shutdown took %v; %d sent, %d committed, %d replies received; %d committed without a reply; %d sockets not closed with 1001",
		took.Round(time.Millisecond), sent, committed, replies, missing, wrongClose)
	if missing != 0 {
		t.Errorf("%d committed turns had no reply before the close", missing)
	}
	if wrongClose != 0 {
		t.Errorf("%d of %d sockets were not closed with 1001 going away", wrongClose, clients)
	}
}

// F6: a stalled request body is closed after timeouts.read; a socket is
// exempt once upgraded and outlives both read and write timeouts.
func TestStalledRequestBodyIsClosed(t *testing.T) {
	l := startBot(t, func(c *config.Config) {
		c.Timeouts.ReadHeader, c.Timeouts.Read, c.Timeouts.Write = 500*time.Millisecond, time.Second, time.Second
	})
	addr := l.URL[len("http://"):]
	for _, tc := range []struct{ name, req string }{
		{"chat body", "POST /api/v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"te"},
		{"log-in body", "POST /agent/api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na"},
		{"headers", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nc, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			start := time.Now()
			nc.Write([]byte(tc.req))
			nc.SetReadDeadline(time.Now().Add(10 * time.Second))
			io.Copy(io.Discard, nc) // returns when the server closes
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("stalled %s open for %v, want closed within about 1 s", tc.name, took)
			} else {
				t.Logf("stalled %s closed after %v", tc.name, took.Round(10*time.Millisecond))
			}
		})
	}
	// The socket, quiet for longer than both timeouts, still answers.
	c, _ := openSession(t, l)
	time.Sleep(2500 * time.Millisecond)
	if m := lastMessage(ask(t, c, "How do I return an item?")); len(m.Sources) == 0 {
		t.Errorf("socket after the HTTP timeouts: %+v", m)
	}
}

// An agent's long poll neither blocks shutdown nor outlives the write
// timeout's exemption for it.
func TestShutdownEndsAgentLongPoll(t *testing.T) {
	l := startBot(t, func(c *config.Config) { c.Timeouts.Write = time.Second })
	a := agentAtDesk(t, l, "anna", "Anna")
	a.events(0)
	polled := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		a.do("GET", "/agent/api/events?after=1000000&wait=3", nil, nil)
		polled <- time.Since(start)
	}()
	// A 3 s poll is longer than timeouts.write (1 s) and still answers.
	if d := <-polled; d < 2*time.Second || d > 5*time.Second {
		t.Errorf("3 s long poll answered after %v", d)
	}
	go func() {
		if r, err := a.hc.Get(l.URL + "/agent/api/events?after=1000000"); err == nil {
			r.Body.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("shutdown took %v with an agent long poll open, want under 4 s", took)
	} else {
		t.Logf("shutdown with a long poll open took %v", took.Round(time.Millisecond))
	}
}
