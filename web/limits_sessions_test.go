package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// waitClosed waits (bounded) for the server to close a client's socket.
func waitClosed(t testing.TB, c *chatclient.Client) {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("socket still open after 10 s")
	}
}

// postChatFrom sends one POST /api/v1/chat and returns the status and the
// session token it carried.
func postChatFrom(hc *http.Client, base string, body any) (int, string, error) {
	b, _ := json.Marshal(body)
	r, err := hc.Post(base+"/api/v1/chat", "application/json", bytes.NewReader(b))
	if err != nil {
		return 0, "", err
	}
	defer r.Body.Close()
	var resp protocol.ChatResponse
	json.NewDecoder(r.Body).Decode(&resp)
	io.Copy(io.Discard, r.Body)
	return r.StatusCode, resp.Session, nil
}

// flood sends n session-creating POSTs from hc with a few workers and
// counts the answers by status.
func flood(t testing.TB, hc *http.Client, base string, n, workers int) map[int]int {
	var mu sync.Mutex
	counts := map[int]int{}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				code, _, err := postChatFrom(hc, base, map[string]string{})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				counts[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return counts
}

func keepAliveClient(ip string, conns int) *http.Client {
	hc := clientFrom(ip)
	hc.Transport.(*http.Transport).MaxIdleConnsPerHost = conns
	return hc
}

// F5/M7: one address cannot open sessions without limit, over HTTP or the
// socket; another address is not affected, and resuming is not creating.
func TestNewSessionsLimitedPerAddress(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	hc := keepAliveClient("127.0.0.1", 16)
	code, token, err := postChatFrom(hc, l.URL, map[string]string{})
	if err != nil || code != http.StatusOK || token == "" {
		t.Fatalf("first session: HTTP %d, %v", code, err)
	}
	counts := flood(t, hc, l.URL, 2000, 16)
	t.Logf("2,000 session-creating POSTs from one address: %v", counts)
	if counts[http.StatusTooManyRequests] < 1800 {
		t.Errorf("%d of 2,000 answered 429, want at least 1,800", counts[http.StatusTooManyRequests])
	}
	// The limited answer says when to come back.
	r, err := hc.Post(l.URL+"/api/v1/chat", "application/json", bytes.NewReader([]byte(`{}`)))
	if err != nil {
		t.Fatal(err)
	}
	var e protocol.Frame
	json.NewDecoder(r.Body).Decode(&e)
	r.Body.Close()
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || e.Code != protocol.ErrRateLimited {
		t.Errorf("limited answer: HTTP %d Retry-After %q code %q, want 429 with Retry-After and rate_limited", r.StatusCode, r.Header.Get("Retry-After"), e.Code)
	}
	// An existing session still works from the same address.
	if code, _, _ := postChatFrom(hc, l.URL, map[string]string{"session": token, "text": "How do I return an item?"}); code != http.StatusOK {
		t.Errorf("existing session from the limited address: HTTP %d, want 200", code)
	}
	// A socket from the limited address: told why, closed with 1008.
	ctx := ctxT(t)
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Next(ctx)
	if err != nil || f.Type != protocol.TypeError || f.Code != protocol.ErrRateLimited {
		t.Errorf("new socket from the limited address: first frame %+v, %v; want a rate_limited error", f, err)
	}
	waitClosed(t, c)
	if got := c.CloseStatus(); got != websocket.StatusPolicyViolation {
		t.Errorf("close status %v, want 1008 policy violation", got)
	}
	// Resuming over the socket is not a new session.
	c2 := dial(t, l, chatclient.Options{Session: token})
	if f, err := c2.Next(ctx); err != nil || f.Session != token {
		t.Errorf("resume from the limited address: %+v, %v", f, err)
	}
	// Another address is not affected.
	if c, err := clientFrom("127.0.0.2").Get(l.URL + "/healthz"); err != nil {
		t.Skipf("cannot connect from 127.0.0.2: %v", err)
	} else {
		c.Body.Close()
	}
	if code, _, _ := postChatFrom(clientFrom("127.0.0.2"), l.URL, map[string]string{}); code != http.StatusOK {
		t.Errorf("new session from another address: HTTP %d, want 200", code)
	}
}

// Sessions in memory are capped: beyond limits.max_live_sessions the
// idlest without a socket are released, and come back from disk intact.
func TestLiveSessionsCappedAndReadBack(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) {
		c.Limits.NewSessionsBurst = 1000
		c.Limits.MaxLiveSessions = 50
	})
	hc := keepAliveClient("127.0.0.1", 4)
	var tokens []string
	for i := range 200 {
		code, tok, err := postChatFrom(hc, l.URL, map[string]string{"text": "How do I return an item?"})
		if err != nil || code != http.StatusOK {
			t.Fatalf("session %d: HTTP %d, %v", i, code, err)
		}
		tokens = append(tokens, tok)
	}
	if n := l.App.Engine.Live(); n > 50 {
		t.Errorf("%d sessions in memory, want at most 50", n)
	}
	// The first (long released) session answers as before.
	code, tok, _ := postChatFrom(hc, l.URL, map[string]string{"session": tokens[0], "text": "What is your warranty?"})
	if code != http.StatusOK || tok != tokens[0] {
		t.Errorf("released session: HTTP %d token kept %v", code, tok == tokens[0])
	}
}

func dirSize(t testing.TB, dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// M7 measured: 40,000 session-creating requests from one address leave
// RSS within 30 MB of idle and the data dir within 20 MB.
func TestSessionFloodBoundsMemoryAndDisk(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("40,000 requests")
	}
	cfg := config.Defaults(t.TempDir())
	l, err := app.StartLocal(ctxT(t), cfg, app.Options{Getenv: testEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	hc := keepAliveClient("127.0.0.1", 16)
	if code, _, _ := postChatFrom(hc, l.URL, map[string]string{}); code != http.StatusOK {
		t.Fatalf("first session: HTTP %d", code)
	}
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	idleRSS, idleDisk := rssBytes(t), dirSize(t, cfg.DataDir)
	peaks := samplePeaks(t)
	start := time.Now()
	counts := flood(t, hc, l.URL, 40000, 16)
	took := time.Since(start)
	peakRSS, _ := peaks.end()
	runtime.GC()
	time.Sleep(200 * time.Millisecond)
	afterRSS, afterDisk := rssBytes(t), dirSize(t, cfg.DataDir)
	t.Logf("40,000 POSTs in %v: %v; RSS idle %.1f MB, peak %.1f MB, after %.1f MB; data dir %.2f MB -> %.2f MB",
		took.Round(time.Millisecond), counts, float64(idleRSS)/1e6, float64(peakRSS)/1e6, float64(afterRSS)/1e6, float64(idleDisk)/1e6, float64(afterDisk)/1e6)
	if g := afterRSS - idleRSS; g > 30<<20 {
		t.Errorf("RSS grew %d MB, want within 30 MB of idle", g>>20)
	}
	if g := afterDisk - idleDisk; g > 20<<20 {
		t.Errorf("data dir grew %d MB, want within 20 MB", g>>20)
	}
	_ = os.Stdout
}

// With no room for another live session (every one has a socket), a new
// socket is told so and closed with 1013 try again later; HTTP gets 503.
func TestServerFullClosesWith1013(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.Limits.MaxLiveSessions = 2 })
	openSession(t, l)
	openSession(t, l)
	ctx := ctxT(t)
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := c.Next(ctx); err != nil || f.Code != protocol.ErrRateLimited {
		t.Errorf("first frame %+v, %v; want a rate_limited error", f, err)
	}
	waitClosed(t, c)
	if got := c.CloseStatus(); got != websocket.StatusTryAgainLater {
		t.Errorf("close status %v, want 1013 try again later", got)
	}
	if code, _, _ := postChatFrom(keepAliveClient("127.0.0.1", 1), l.URL, map[string]string{}); code != http.StatusServiceUnavailable {
		t.Errorf("HTTP with no room: %d, want 503", code)
	}
}

// A session that cannot be opened (the store is gone) closes with 1011.
func TestSessionOpenFailureClosesWith1011(t *testing.T) {
	t.Parallel()
	cfg := config.Defaults(t.TempDir())
	l, err := app.StartLocal(ctxT(t), cfg, app.Options{Getenv: testEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.App.Store.Close()
	ctx := ctxT(t)
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c)
	if got := c.CloseStatus(); got != websocket.StatusInternalError {
		t.Errorf("close status %v, want 1011 internal error", got)
	}
}

// Open sockets are capped per address too (resuming one token over and
// over opens no session but holds a socket each).
func TestSocketsPerAddressCapped(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.Limits.SocketsPerAddress = 3 })
	c, token := openSession(t, l)
	for range 2 {
		dial(t, l, chatclient.Options{Session: token})
	}
	ctx := ctxT(t)
	if _, err := chatclient.Dial(ctx, l.URL, chatclient.Options{Session: token}); err == nil || !strings.Contains(err.Error(), "429") {
		t.Fatalf("4th socket from one address: %v, want refused with HTTP 429", err)
	}
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c4, err := chatclient.Dial(ctx, l.URL, chatclient.Options{Session: token})
		if err == nil {
			c4.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after one socket closed, a new one is still refused: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Resuming writes a greeting and an audit record (DISC-6), so resumes per
// address are limited too, at four times the new-session allowance.
func TestSocketResumesLimitedPerAddress(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.Limits.NewSessionsBurst, c.Limits.NewSessionsPerMinute = 2, 1 })
	_, token := openSession(t, l)
	ctx := ctxT(t)
	for i := range 9 {
		c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{Session: token})
		if err != nil {
			t.Fatal(err)
		}
		f, err := c.Next(ctx)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if i < 8 && f.Session != token {
			t.Fatalf("resume %d: %+v, want the session", i+1, f)
		}
		if i == 8 {
			if f.Code != protocol.ErrRateLimited {
				t.Fatalf("resume 9 with an allowance of 8: %+v, want rate_limited", f)
			}
		}
	}
}
