package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// DISC-1: the session frame comes first, then a disclosure that says in words
// that the customer is talking to an automated assistant.
func TestSocketDisclosureFirst(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c := dial(t, l, chatclient.Options{})
	ctx := ctxT(t)
	first, _ := c.Next(ctx)
	if first.Type != "session" || first.Profile != "eu" || len(first.Session) < 32 {
		t.Fatalf("first frame %+v", first)
	}
	second, _ := c.Next(ctx)
	if second.Type != "message" || !second.Disclosure || second.From != "bot" {
		t.Fatalf("second frame %+v", second)
	}
	if !strings.Contains(strings.ToLower(second.Text), "automated assistant") {
		t.Fatalf("disclosure does not say it is automated: %q", second.Text)
	}
}

// ACC-1: factual answers are the article's text and cite it.
func TestSocketAnswersCiteSources(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	cases := []struct{ q, article string }{
		{"How do I return an item?", "returns-policy"},
		{"What is your warranty?", "warranty"},
		{"how much does shipping cost", "shipping-costs"},
	}
	for _, tc := range cases {
		m := lastMessage(ask(t, c, tc.q))
		if len(m.Sources) == 0 {
			t.Errorf("%q: no sources in %+v", tc.q, m)
			continue
		}
		if m.Sources[0].ID != tc.article {
			t.Errorf("%q: cited %q, want %q", tc.q, m.Sources[0].ID, tc.article)
		}
		a, ok := l.App.KB.Article(m.Sources[0].ID)
		if !ok || m.Text != a.Body || m.Sources[0].Version != a.Version || m.Sources[0].Title != a.Title {
			t.Errorf("%q: answer is not the cited article's own text/version", tc.q)
		}
		if m.Disclosure {
			t.Errorf("answers must not be marked as disclosure")
		}
	}
}

// ACC-1, HUM-2: nothing in the knowledge base means no claim and an offer of a person.
func TestSocketUnknownQuestionOffersHuman(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	m := lastMessage(ask(t, c, "What is the airspeed velocity of an unladen swallow?"))
	if len(m.Sources) != 0 {
		t.Fatalf("unknown question answered with a source: %+v", m)
	}
	if !m.HasAction(protocol.ActionHuman) {
		t.Fatalf("no human offered: %+v", m)
	}
}

// Bad input gets an error frame and the session stays usable.
func TestSocketMalformedInputKeepsSession(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, _ := openSession(t, l)
	ctx := ctxT(t)
	cases := []struct {
		name string
		typ  websocket.MessageType
		body []byte
		code string
	}{
		{"not json", websocket.MessageText, []byte("hello"), "bad_request"},
		{"binary", websocket.MessageBinary, []byte{0, 1, 2}, "bad_request"},
		{"no type", websocket.MessageText, []byte(`{"text":"hi"}`), "bad_request"},
		{"unknown type", websocket.MessageText, []byte(`{"type":"dance"}`), "bad_request"},
		{"empty say", websocket.MessageText, []byte(`{"type":"say","text":"  "}`), "bad_request"},
		{"too long", websocket.MessageText, mustJSON(t, protocol.Inbound{Type: "say", Text: strings.Repeat("a", 2500)}), "too_large"},
		{"bad consent", websocket.MessageText, []byte(`{"type":"consent","purpose":"contact"}`), "bad_request"},
	}
	for _, tc := range cases {
		if err := c.WriteRaw(ctx, tc.typ, tc.body); err != nil {
			t.Fatalf("%s: write: %v", tc.name, err)
		}
		f, err := c.Next(ctx)
		if err != nil || f.Type != "error" || f.Code != tc.code || f.Message == "" {
			t.Fatalf("%s: got %+v, %v; want error %s", tc.name, f, err, tc.code)
		}
	}
	if m := lastMessage(ask(t, c, "How do I return an item?")); len(m.Sources) == 0 {
		t.Fatalf("session unusable after bad input: %+v", m)
	}
}

// A frame over the read limit closes the socket (1009); the session resumes.
func TestSocketOversizedFrameClosesButSessionResumes(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, token := openSession(t, l)
	ctx := ctxT(t)
	c.WriteRaw(ctx, websocket.MessageText, bytes.Repeat([]byte("x"), 200<<10))
	<-c.Done()
	if got := c.CloseStatus(); got != websocket.StatusMessageTooBig {
		t.Fatalf("close status %v, want 1009", got)
	}
	c2 := dial(t, l, chatclient.Options{Session: token})
	f, _ := c2.Next(ctx)
	if f.Session != token {
		t.Fatalf("resume gave session %q, want the same token", f.Session)
	}
	if d, _ := c2.Next(ctx); !d.Disclosure {
		t.Fatalf("resumed connection must start with the disclosure, got %+v", d)
	}
}

func TestSocketRateLimit(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 3; c.Limits.MessagesPerMinute = 1 })
	c, _ := openSession(t, l)
	ctx := ctxT(t)
	limited := false
	for i := 0; i < 6; i++ {
		c.Say(ctx, "hello")
	}
	for i := 0; i < 6; i++ {
		f, err := c.NextOf(ctx, "error")
		if err != nil {
			break
		}
		if f.Code == "rate_limited" {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("no rate_limited error after exceeding the burst")
	}
}

func TestSocketOriginCheck(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.AllowedOrigins = []string{"https://shop.example"} })
	ctx := ctxT(t)
	if _, err := chatclient.Dial(ctx, l.URL, chatclient.Options{Origin: "https://evil.example"}); err == nil {
		t.Fatal("foreign origin was accepted")
	}
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{Origin: "https://shop.example"})
	if err != nil {
		t.Fatalf("configured origin refused: %v", err)
	}
	c.Close()
}

// Many customers at once, each with their own session and answers.
func TestSocketManyConcurrentClients(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.Limits.Burst = 20 })
	const clients = 60
	questions := []string{"How do I return an item?", "What is your warranty?", "how much does shipping cost"}
	var wg sync.WaitGroup
	tokens := make(chan string, clients)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, token := openSession(t, l)
			tokens <- token
			for _, q := range questions {
				if m := lastMessage(ask(t, c, q)); len(m.Sources) == 0 {
					t.Errorf("client got no sourced answer to %q", q)
				}
			}
		}()
	}
	wg.Wait()
	close(tokens)
	seen := map[string]bool{}
	for tok := range tokens {
		if seen[tok] {
			t.Fatal("two clients share a session token")
		}
		seen[tok] = true
	}
}

// Graceful shutdown closes every socket with "going away".
func TestShutdownClosesSockets(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	var cs []*chatclient.Client
	for i := 0; i < 5; i++ {
		c, _ := openSession(t, l)
		cs = append(cs, c)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		<-c.Done()
		if got := c.CloseStatus(); got != websocket.StatusGoingAway {
			t.Errorf("close status %v, want 1001 going away", got)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) { c.FrameAncestors = []string{"https://shop.example"} })
	resp, err := http.Get(l.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'self' https://shop.example"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("missing nosniff")
	}
}

// Idle sessions leave memory but not the disk: a later resume finds them.
func TestIdleSessionsEvictedAndResumable(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, token := openSession(t, l)
	ask(t, c, "How do I return an item?")
	if n := l.App.Engine.Evict(0); n != 0 {
		t.Fatalf("evicted %d sessions with an open socket", n)
	}
	sess, err := l.App.Engine.Lookup(ctxT(t), token)
	if err != nil {
		t.Fatal(err)
	}
	id := sess.ID
	c.Close()
	<-c.Done()
	deadline := time.Now().Add(5 * time.Second)
	n := 0
	for n == 0 && time.Now().Before(deadline) {
		// A frame for the gone socket waits in the hub until eviction.
		l.App.Server.Hub().Deliver(id, protocol.Message{Type: protocol.TypeMessage, Text: "late"})
		n = l.App.Engine.Evict(0) // the handler detaches once it sees the close
		time.Sleep(10 * time.Millisecond)
	}
	if n != 1 {
		t.Fatalf("evicted %d sessions after the socket closed, want 1", n)
	}
	if p := l.App.Server.Hub().Drain(id); len(p) != 0 {
		t.Fatalf("frames kept for an evicted session: %v", p)
	}
	c2 := dial(t, l, chatclient.Options{Session: token})
	ctx := ctxT(t)
	if f, _ := c2.Next(ctx); f.Session != token {
		t.Fatalf("evicted session did not resume from disk: %+v", f)
	}
}
