package web_test

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deskbot/config"
	"deskbot/desk"
)

func TestPasswordHashing(t *testing.T) {
	if _, err := desk.HashPassword("too short"); err == nil {
		t.Fatal("a 9-character password was accepted")
	}
	h, err := desk.HashPassword(agentPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, agentPassword) {
		t.Fatalf("hash %q is not an argon2id encoding", h)
	}
	if !desk.CheckPassword(h, agentPassword) || desk.CheckPassword(h, agentPassword+"x") || desk.CheckPassword("garbage", agentPassword) {
		t.Fatal("CheckPassword accepts the wrong password or rejects the right one")
	}
	if h2, _ := desk.HashPassword(agentPassword); h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

// SEC-2: the console is served, and its API needs a log-in, secure cookies,
// a CSRF token and the same origin for every change.
func TestAgentConsoleLoginAndCSRF(t *testing.T) {
	// The test client plays the TLS proxy: X-Forwarded-Proto is believed
	// only from trusted_proxies.
	l := startBot(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	addAgent(t, l, "anna", "Anna")

	resp, err := http.Get(l.URL + "/agent")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/agent/assets/agent.js") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("GET /agent: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	for _, p := range []string{"/agent/assets/agent.js", "/agent/assets/agent.css"} {
		r, err := http.Get(l.URL + p)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", p, r, err)
		}
		r.Body.Close()
	}

	a := newAgentSim(t, l)
	if code := a.do("GET", "/agent/api/queue", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("queue without log-in: HTTP %d, want 401", code)
	}
	if code := a.do("POST", "/agent/api/login", map[string]string{"name": "anna", "password": "wrong password!!"}, nil); code != http.StatusUnauthorized {
		t.Fatalf("wrong password: HTTP %d, want 401", code)
	}
	// Cookie attributes, plain HTTP and behind a TLS proxy.
	for _, proxied := range []bool{false, true} {
		req, _ := http.NewRequest("POST", l.URL+"/agent/api/login", strings.NewReader(`{"name":"anna","password":"`+agentPassword+`"}`))
		if proxied {
			req.Header.Set("X-Forwarded-Proto", "https")
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		sc := r.Header.Get("Set-Cookie")
		if r.StatusCode != 200 || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") || !strings.Contains(sc, "Path=/agent") {
			t.Fatalf("log-in cookie %q (HTTP %d)", sc, r.StatusCode)
		}
		if strings.Contains(sc, "Secure") != proxied {
			t.Fatalf("cookie %q: Secure must be set exactly when served over https", sc)
		}
		// Only a hash of the token is stored.
		token := strings.TrimPrefix(strings.SplitN(sc, ";", 2)[0], "deskbot_agent=")
		files, _ := filepath.Glob(filepath.Join(l.App.Config.DataDir, "deskbot.db*"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if strings.Contains(string(b), token) {
				t.Fatalf("session token in clear in %s", filepath.Base(f))
			}
		}
	}

	a.login("anna")
	csrf := a.csrf
	a.csrf = ""
	if code := a.do("POST", "/agent/api/presence", map[string]string{"presence": "away"}, nil); code != http.StatusForbidden {
		t.Fatalf("change without CSRF token: HTTP %d, want 403", code)
	}
	a.csrf = "forged"
	if code := a.do("POST", "/agent/api/presence", map[string]string{"presence": "away"}, nil); code != http.StatusForbidden {
		t.Fatalf("change with a wrong CSRF token: HTTP %d, want 403", code)
	}
	a.csrf = csrf
	if code := a.do("POST", "/agent/api/presence", map[string]string{"presence": "away"}, nil, "Origin", "https://evil.example"); code != http.StatusForbidden {
		t.Fatalf("cross-origin change: HTTP %d, want 403", code)
	}
	var me struct{ Presence string }
	if code := a.do("POST", "/agent/api/presence", map[string]string{"presence": "away"}, &me, "Origin", l.URL); code != 200 || me.Presence != "away" {
		t.Fatalf("same-origin change: HTTP %d, presence %q", code, me.Presence)
	}
	// Away means nobody is available for customers.
	c, _ := openSession(t, l)
	if got := ask(t, c, "human"); got[0].State != "offline" {
		t.Fatalf("with the only agent away: %+v, want offline", got[0])
	}
	if code := a.do("POST", "/agent/api/logout", map[string]any{}, nil); code != 200 {
		t.Fatalf("logout: HTTP %d", code)
	}
	if code := a.do("GET", "/agent/api/me", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("after log-out: HTTP %d, want 401", code)
	}
}

// clientFrom returns an HTTP client whose connections come from a given
// loopback address, so tests can log in from "different" IPs.
func clientFrom(ip string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

// Log-in attempts are limited per address over all accounts too (a spray
// of names from one address), without touching other addresses. Not run in
// parallel with others: the backoff is counted in seconds and every attempt
// hashes with argon2id.
func TestAgentLoginRateLimit(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	addAgent(t, l, "ben", "Ben")
	login := func(hc *http.Client, name, pw string) (int, string) {
		r, err := hc.Post(l.URL+"/agent/api/login", "application/json", strings.NewReader(`{"name":"`+name+`","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode, r.Header.Get("Retry-After")
	}
	first, second := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
	if c, err := second.Get(l.URL + "/healthz"); err != nil {
		t.Skipf("cannot connect from 127.0.0.2: %v", err)
	} else {
		c.Body.Close()
	}
	for i := range 20 {
		if code, _ := login(first, "user"+string(rune('a'+i)), "guess number "+string(rune('a'+i))); code != http.StatusUnauthorized {
			t.Fatalf("failed attempt %d: HTTP %d, want 401", i+1, code)
		}
	}
	// This address must wait now, even with the right password for an account.
	if code, retry := login(first, "anna", agentPassword); code != http.StatusTooManyRequests || retry == "" {
		t.Fatalf("21st attempt from the same address: HTTP %d (Retry-After %q), want 429", code, retry)
	}
	// Other addresses are not affected.
	if code, _ := login(second, "ben", agentPassword); code != http.StatusOK {
		t.Fatalf("other address: HTTP %d, want 200", code)
	}
}
