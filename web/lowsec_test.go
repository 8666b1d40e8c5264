package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"deskbot/app"
	"deskbot/config"
	"deskbot/protocol"
)

// Hardening items from the outside security review (issue 10, Low list).

func get(t *testing.T, url string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func cspDirective(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if strings.HasPrefix(d, name+" ") {
			return strings.TrimSpace(strings.TrimPrefix(d, name))
		}
	}
	return ""
}

// F8 (SEC-2: only authorised staff reach the console): with frame_ancestors set for the widget, the shop's site must still
// not be able to frame the agent console or the admin API. A CSP with
// frame-ancestors makes browsers ignore X-Frame-Options, so those routes
// must send frame-ancestors 'none' themselves.
func TestConsoleNeverFramedEvenWithFrameAncestors(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) {
		c.FrameAncestors = []string{"https://shop.example"}
		c.AdminToken = "admin-token-for-the-frame-test-0123456789"
	})
	for _, p := range []string{"/agent", "/agent/", "/agent/assets/agent.js", "/agent/api/me", "/api/v1/admin/audit"} {
		resp := get(t, l.URL+p)
		if fa := cspDirective(resp.Header.Get("Content-Security-Policy"), "frame-ancestors"); fa != "'none'" {
			t.Errorf("%s: frame-ancestors %q, want 'none'", p, fa)
		}
		if xfo := resp.Header.Get("X-Frame-Options"); xfo != "DENY" {
			t.Errorf("%s: X-Frame-Options %q, want DENY", p, xfo)
		}
	}
	// The chat page itself stays frameable by the shop (the widget needs it).
	resp := get(t, l.URL+"/")
	if fa := cspDirective(resp.Header.Get("Content-Security-Policy"), "frame-ancestors"); !strings.Contains(fa, "https://shop.example") {
		t.Errorf("/: frame-ancestors %q, want the shop's origin", fa)
	}
}

// F9 (SEC-1): allowed_origins compares scheme, host and port: https://shop.example
// does not admit http://shop.example (plain HTTP, injectable on path) nor
// another port.
func TestAllowedOriginsMatchScheme(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) {
		c.AllowedOrigins = []string{"https://shop.example", "http://dev.shop.example:8443"}
	})
	wsURL := "ws" + strings.TrimPrefix(l.URL, "http") + "/ws"
	for origin, want := range map[string]bool{
		"https://shop.example":          true,
		"https://SHOP.example":          true,
		"http://shop.example":           false,
		"https://shop.example:8443":     false,
		"http://dev.shop.example:8443":  true,
		"https://dev.shop.example:8443": false,
		"http://dev.shop.example":       false,
		"https://evil.example":          false,
	} {
		c, resp, err := websocket.Dial(context.Background(), wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}})
		if c != nil {
			c.CloseNow()
		}
		if got := err == nil; got != want {
			code := 0
			if resp != nil {
				code = resp.StatusCode
			}
			t.Errorf("Origin %s: accepted=%v (HTTP %d, %v), want %v", origin, got, code, err, want)
		}
	}
}

// F17: no directory listings under /static/ or /agent/assets/; files still load.
func TestNoDirectoryListings(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	for _, p := range []string{"/static/", "/agent/assets/", "/static/.", "/agent/assets/./"} {
		resp := get(t, l.URL+p)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404; body %.80q", p, resp.StatusCode, body)
		}
	}
	for _, p := range []string{"/static/chat.js", "/static/chat.css", "/agent/assets/agent.js"} {
		if resp := get(t, l.URL+p); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, resp.StatusCode)
		}
	}
}

// F16 (SEC-1): connect-src allows the page's own origin (and the public origin's
// ws/wss form), never every WebSocket host.
func TestCSPConnectSrcNotAnyHost(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ public, want string }{
		"no public url":  {"", "'self'"},
		"https":          {"https://chat.shop.example", "'self' wss://chat.shop.example"},
		"http with port": {"http://chat.shop.example:8080/", "'self' ws://chat.shop.example:8080"},
	} {
		t.Run(name, func(t *testing.T) {
			l := startBot(t, func(c *config.Config) { c.PublicURL = tc.public })
			for _, p := range []string{"/", "/agent"} {
				cs := cspDirective(get(t, l.URL+p).Header.Get("Content-Security-Policy"), "connect-src")
				if cs != tc.want {
					t.Errorf("%s: connect-src %q, want %q", p, cs, tc.want)
				}
			}
		})
	}
}

// F11 (SEC-1): an article file in kb_dir that is a symbolic link out of the folder
// is not published (anyone who can write to the folder could otherwise
// publish any Markdown file the service user can read); a link to another
// article inside the folder still works.
func TestKBDirDoesNotFollowLinksOutOfTheFolder(t *testing.T) {
	t.Parallel()
	outside, dir := t.TempDir(), t.TempDir()
	article := func(id, body string) []byte {
		return []byte("---\nid: " + id + "\ntitle: " + id + "\nquestions:\n  - what is " + id + "\n---\n" + body + "\n")
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.md"), article("outside-secret", "TOP SECRET CONTENT FROM OUTSIDE KB DIR"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "real", "returns.md"), article("returns", "Send it back within 30 days."), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "secret.md")); err != nil {
		t.Fatal(err)
	}
	l := startBot(t, func(c *config.Config) { c.KBDir = dir })
	resp := get(t, l.URL+"/articles/outside-secret")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), "TOP SECRET") {
		t.Errorf("/articles/outside-secret: %d %.120q; want 404 (the link leads out of kb_dir)", resp.StatusCode, body)
	}
	if resp := get(t, l.URL+"/articles/returns"); resp.StatusCode != http.StatusOK {
		t.Errorf("/articles/returns: %d, want 200", resp.StatusCode)
	}
}

// Invalid UTF-8 in a socket frame or an HTTP body is refused with
// bad_request, never silently turned into U+FFFD and stored as something the
// customer did not send; and the HTTP mirror takes exactly one JSON object,
// not one followed by trailing bytes.
func TestInvalidUTF8AndTrailingBytesRefused(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	ctx := ctxT(t)
	if err := c.WriteRaw(ctx, websocket.MessageText, []byte("{\"type\":\"say\",\"text\":\"caf\xe9 hours?\"}")); err != nil {
		t.Fatal(err)
	}
	f, err := c.Next(ctx)
	if err != nil || f.Type != protocol.TypeError || f.Code != protocol.ErrBadRequest {
		t.Errorf("socket frame with invalid UTF-8: got %+v, %v; want a bad_request error frame", f, err)
	}
	// The socket stays usable.
	if fs := ask(t, c, "How do I return an item?"); lastMessage(fs).Text == "" {
		t.Errorf("no answer after the refused frame: %+v", fs)
	}

	post := func(path, body string) (int, protocol.Frame) {
		t.Helper()
		res, err := http.Post(l.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var f protocol.Frame
		json.NewDecoder(res.Body).Decode(&f)
		return res.StatusCode, f
	}
	for _, body := range []string{
		"{\"text\":\"caf\xe9 hours?\"}",
		`{"text":"opening hours?"} trailing garbage`,
		`{"text":"opening hours?"}{"text":"again"}`,
	} {
		if code, f := post("/api/v1/chat", body); code != http.StatusBadRequest || f.Code != protocol.ErrBadRequest {
			t.Errorf("POST /api/v1/chat %q: %d %+v; want 400 bad_request", body, code, f)
		}
	}
	if code, f := post("/api/v1/export", `{"session":"x"} {}`); code != http.StatusBadRequest || f.Code != protocol.ErrBadRequest {
		t.Errorf("POST /api/v1/export with trailing bytes: %d %+v; want 400 bad_request", code, f)
	}
	// A body with trailing white space is still one object.
	if code, _ := post("/api/v1/chat", "{\"text\":\"opening hours?\"}\n"); code != http.StatusOK {
		t.Errorf("POST /api/v1/chat with a trailing newline: %d, want 200", code)
	}
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// F15 (SEC-1, DSR-4: whoever holds the token can export or erase the chat):
// the customer's bearer token need not travel in a URL (proxy and
// access logs keep URLs): the socket takes it as the subprotocol
// "deskbot.session.TOKEN" (answering "deskbot.v1", never the token), the
// admin API from the X-Deskbot-Session header; ?session= keeps working for
// protocol v1 clients. The token is never written to the server log.
func TestSessionTokenOutOfURLsAndLogs(t *testing.T) {
	t.Parallel()
	var logs lockedBuf
	cfg := config.Defaults(t.TempDir())
	cfg.AdminToken = adminToken
	cfg.LogLevel = "debug"
	l, err := app.StartLocal(context.Background(), cfg, app.Options{Getenv: testEnv,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	c, token := openSession(t, l)
	ask(t, c, "How do I return an item?")
	c.Close()

	ctx := ctxT(t)
	wsURL := "ws" + strings.TrimPrefix(l.URL, "http") + "/ws"
	ws, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{
		HTTPHeader:   http.Header{"Origin": {l.URL}},
		Subprotocols: []string{protocol.Subprotocol, protocol.SessionSubprotocolPrefix + token},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sp := ws.Subprotocol(); sp != protocol.Subprotocol {
		t.Errorf("selected subprotocol %q, want %q", sp, protocol.Subprotocol)
	}
	_, data, err := ws.Read(ctx)
	ws.CloseNow()
	var f protocol.Frame
	if err != nil || json.Unmarshal(data, &f) != nil || f.Type != protocol.TypeSession || f.Session != token {
		t.Errorf("resume by subprotocol: first frame %s (%v); want the same session", data, err)
	}

	// Protocol v1 compatibility: ?session= still resumes.
	old, _, err := websocket.Dial(ctx, wsURL+"?session="+token, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {l.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	_, data, err = old.Read(ctx)
	old.CloseNow()
	if err != nil || json.Unmarshal(data, &f) != nil || f.Session != token {
		t.Errorf("resume by ?session=: first frame %s (%v); want the same session", data, err)
	}

	// Admin API: the token in a header.
	req, _ := http.NewRequest("GET", l.URL+"/api/v1/admin/session", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set(protocol.SessionHeader, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("admin session by %s header: %d, want 200", protocol.SessionHeader, resp.StatusCode)
	}

	if strings.Contains(logs.String(), token) {
		t.Errorf("the bearer token was written to the log")
	}
}
