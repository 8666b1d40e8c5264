package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

type seen struct {
	RemoteAddr, Host, Proto, For string
	Client                       string
	ViaProxy                     bool
}

// echo serves what the handlers behind the middleware see.
func echo(t *testing.T, trust *Trust) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(trust.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := FromContext(r.Context())
		json.NewEncoder(w).Encode(seen{RemoteAddr: r.RemoteAddr, Host: r.Host, Proto: r.Header.Get(HeaderProto),
			For: r.Header.Get(HeaderFor), Client: c.IP.String(), ViaProxy: c.ViaProxy})
	})))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, h map[string]string) seen {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var s seen
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func prefixes(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range s {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}

// The test client connects from 127.0.0.1: a trusted proxy when
// trusted_proxies lists it, an ordinary client otherwise.
func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	fwd := map[string]string{HeaderFor: "203.0.113.9, 198.51.100.7", HeaderProto: "https", HeaderHost: "chat.shop.example"}

	trusted := echo(t, New(prefixes("127.0.0.1/32"), ""))
	got := get(t, trusted.URL, fwd)
	if !strings.HasPrefix(got.RemoteAddr, "198.51.100.7:") || got.Client != "198.51.100.7" || !got.ViaProxy {
		t.Errorf("trusted proxy: client should be the rightmost untrusted hop 198.51.100.7: %+v", got)
	}
	if got.Proto != "https" || got.Host != "chat.shop.example" {
		t.Errorf("trusted proxy: scheme and host not taken: %+v", got)
	}

	// A chain of trusted proxies is skipped; the hop before them is the client.
	chain := echo(t, New(prefixes("127.0.0.0/8", "10.0.0.0/8"), ""))
	got = get(t, chain.URL, map[string]string{HeaderFor: "192.0.2.1, 203.0.113.9, 10.1.2.3"})
	if got.Client != "203.0.113.9" {
		t.Errorf("trusted chain: client = %q, want 203.0.113.9 (192.0.2.1 could be forged by it)", got.Client)
	}

	untrusted := echo(t, New(prefixes("10.0.0.0/8"), ""))
	got = get(t, untrusted.URL, fwd)
	if !strings.HasPrefix(got.RemoteAddr, "127.0.0.1:") || got.Client != "127.0.0.1" || got.ViaProxy {
		t.Errorf("untrusted peer: forwarded address believed: %+v", got)
	}
	if got.Proto != "http" || got.For != "" || got.Host == "chat.shop.example" {
		t.Errorf("untrusted peer: forwarded headers must be dropped: %+v", got)
	}

	// No trusted_proxies at all: the same.
	none := echo(t, New(nil, ""))
	if got = get(t, none.URL, fwd); got.Client != "127.0.0.1" || got.Proto != "http" {
		t.Errorf("no trusted proxies: %+v", got)
	}
	// A trusted proxy without X-Forwarded-Host: the host is public_url's.
	viaPub := echo(t, New(prefixes("127.0.0.1/32"), "https://chat.shop.example"))
	if got = get(t, viaPub.URL, map[string]string{HeaderFor: "203.0.113.9"}); got.Host != "chat.shop.example" {
		t.Errorf("trusted proxy without X-Forwarded-Host: host %q, want public_url's", got.Host)
	}
	// public_url https makes the scheme https (Secure cookies) whoever asks.
	pub := echo(t, New(nil, "https://chat.shop.example"))
	if got = get(t, pub.URL, nil); got.Proto != "https" {
		t.Errorf("public_url https: scheme %q", got.Proto)
	}
}

type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// socketBehindProxy starts a socket server behind a reverse proxy that
// rewrites Host to the backend's address (as a proxy without
// "proxy_set_header Host" does) and returns the proxy's URL.
func socketBehindProxy(t *testing.T, publicURL string, log *slog.Logger) string {
	t.Helper()
	trust := New(prefixes("127.0.0.1/32"), publicURL)
	origins := NewOrigins(publicURL, nil, log)
	backend := httptest.NewServer(trust.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !origins.Allow(r) {
			http.Error(w, "origin not allowed", http.StatusForbidden)
			return
		}
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		ws.Write(r.Context(), websocket.MessageText, []byte("hello"))
		ws.Close(websocket.StatusNormalClosure, "")
	})))
	t.Cleanup(backend.Close)
	target, _ := url.Parse(backend.URL)
	front := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target) // Host becomes the backend's address
	}})
	t.Cleanup(front.Close)
	return "ws" + strings.TrimPrefix(front.URL, "http")
}

func dial(t *testing.T, u, origin string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, res, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}})
	if err != nil {
		if res == nil {
			t.Fatal(err)
		}
		return res.StatusCode, ""
	}
	defer ws.CloseNow()
	_, msg, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return http.StatusSwitchingProtocols, string(msg)
}

func TestOriginBehindHostRewritingProxy(t *testing.T) {
	var logs logBuf
	log := slog.New(slog.NewTextHandler(&logs, nil))
	without := socketBehindProxy(t, "", log)
	for range 3 {
		if code, _ := dial(t, without, "https://chat.shop.example"); code != http.StatusForbidden {
			t.Fatalf("without public_url the proxied origin should be refused, got %d", code)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "websocket origin refused"); n != 1 {
		t.Errorf("refused origin logged %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, `public_url: \"https://chat.shop.example\"`) || !strings.Contains(out, "origin=https://chat.shop.example") {
		t.Errorf("log should name the origin and the fix (public_url):\n%s", out)
	}

	with := socketBehindProxy(t, "https://chat.shop.example", log)
	if code, msg := dial(t, with, "https://chat.shop.example"); code != http.StatusSwitchingProtocols || msg != "hello" {
		t.Fatalf("with public_url set the socket should open: %d %q", code, msg)
	}
	// Another site is still refused.
	if code, _ := dial(t, with, "https://evil.example"); code != http.StatusForbidden {
		t.Fatalf("a foreign origin must stay refused, got %d", code)
	}
}

func TestOriginsAllowList(t *testing.T) {
	o := NewOrigins("", []string{"https://www.shop.example:443"}, nil)
	for _, tc := range []struct {
		origin, host string
		want         bool
	}{
		{"", "bot.example", true},
		{"https://www.shop.example", "bot.example", true},
		{"http://www.shop.example", "bot.example", false},
		{"https://bot.example", "bot.example", true},
		{"https://evil.example", "bot.example", false},
		{"null", "bot.example", false},
	} {
		r := httptest.NewRequest("GET", "/ws", nil)
		r.Host = tc.host
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if got := o.Allow(r); got != tc.want {
			t.Errorf("origin %q host %q: allowed=%v, want %v", tc.origin, tc.host, got, tc.want)
		}
	}
}
