package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"deskbot/chatclient"
	"deskbot/internal/pgtest"
	"deskbot/protocol"
)

// console is an agent's console from outside: log-in cookie and CSRF token.
type console struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func (c *console) do(method, path string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func agentLogin(t *testing.T, base, name, password string) *console {
	jar, _ := cookiejar.New(nil)
	c := &console{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var me struct{ CSRF string }
	if code := c.do("POST", "/agent/api/login", map[string]string{"name": name, "password": password}, &me); code != 200 {
		t.Fatalf("agent log-in on %s: HTTP %d", base, code)
	}
	c.csrf = me.CSRF
	return c
}

// untilFrame reads frames until one satisfies ok.
func untilFrame(t *testing.T, c *chatclient.Client, what string, ok func(protocol.Frame) bool) protocol.Frame {
	t.Helper()
	for {
		f, err := c.Next(ctx(t))
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok(f) {
			return f
		}
	}
}

// Issue 15, from outside: two deskbot processes on one PostgreSQL
// database. A customer on the first asks for a person; an agent logged in
// to the second sees them in the queue, takes the conversation and
// replies; the customer gets it on the first. After kill -9 of the first,
// the customer's token resumes on the second with the conversation so far
// and the agent carries on. The audit chain verifies on the database and
// a dump of it holds nothing the customer typed (SEC-1).
func TestTwoInstancesShareTheDesk(t *testing.T) {
	dsn := pgtest.Database(t, t.Name())
	env := []string{"DESKBOT_DATABASE_URL=" + dsn}

	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600)
	add := exec.Command(binary, "agent", "add", "maria", "--display-name", "Maria", "--password-file", pw, "--data-dir", t.TempDir())
	add.Dir = t.TempDir()
	add.Env = append(os.Environ(), append(env, "DESKBOT_MASTER_KEY="+masterKey)...)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("agent add: %v\n%s", err, out)
	}

	a := start(t, t.TempDir(), freePort(t), env...)
	b := start(t, t.TempDir(), freePort(t), env...)

	maria := agentLogin(t, b.url, "maria", "correct horse battery staple")
	time.Sleep(300 * time.Millisecond) // her presence reaches the first instance

	cust, err := chatclient.Dial(ctx(t), a.url, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := cust.Next(ctx(t))
	token := first.Session
	cust.Say(ctx(t), "My name is Ada Lovelace and my parcel 77-ZEBRA never came")
	cust.NextOf(ctx(t), protocol.TypeMessage)
	cust.Say(ctx(t), "I want to talk to a person")
	h := untilFrame(t, cust, "handover queued", func(f protocol.Frame) bool { return f.Type == protocol.TypeHandover })
	if h.State != protocol.HandoverQueued {
		t.Fatalf("handover on the first instance = %+v, want queued (an agent is online on the second)\nA logs:\n%s", h, a.logs)
	}

	var q struct{ Queue []protocol.QueueItem }
	deadline := time.Now().Add(5 * time.Second)
	for len(q.Queue) == 0 && time.Now().Before(deadline) {
		maria.do("GET", "/agent/api/queue", nil, &q)
		time.Sleep(20 * time.Millisecond)
	}
	if len(q.Queue) != 1 {
		t.Fatalf("the agent on the second instance sees queue %+v", q.Queue)
	}
	id := q.Queue[0].ID
	// The customer's presence, known to the first instance, shows in the
	// second one's queue.
	if q.Queue[0].Customer != protocol.CustomerOnline {
		t.Errorf("queue on the second instance: customer %q, want %q (asked of the instance holding the chat)", q.Queue[0].Customer, protocol.CustomerOnline)
	}
	if code := maria.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/take", map[string]any{}, nil); code != 200 {
		t.Fatalf("take on the second instance: HTTP %d\nB logs:\n%s", code, b.logs)
	}
	untilFrame(t, cust, "joined", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeHandover && f.State == protocol.HandoverJoined
	})
	// The agent typing on the second instance reaches the customer's
	// socket on the first.
	if code := maria.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/typing", map[string]any{}, nil); code != http.StatusNoContent {
		t.Fatalf("typing on the second instance: HTTP %d", code)
	}
	if f := untilFrame(t, cust, "the agent's typing", func(f protocol.Frame) bool { return f.Type == protocol.TypeTyping }); f.Name != "Maria" {
		t.Errorf("typing frame %+v, want from Maria", f)
	}
	// Her console's event poll reaching the other instance (no sticky
	// policy): the cursor B numbered is refused as foreign, the console
	// is told to reload, and A's own events follow from there.
	var evB, evA, evA2 protocol.DeskEvents
	maria.do("GET", "/agent/api/events?after=0&wait=0", nil, &evB)
	mariaOnA := &console{t: t, base: a.url, hc: maria.hc, csrf: maria.csrf}
	mariaOnA.do("GET", fmt.Sprintf("/agent/api/events?after=%d&instance=%s&wait=0", max(evB.Next, 1), url.QueryEscape(evB.Instance)), nil, &evA)
	if !evA.Reset || evA.Instance == "" || evA.Instance == evB.Instance {
		t.Errorf("a poll on A with B's cursor: reset %v, instance %q (B's %q); want a reset naming A", evA.Reset, evA.Instance, evB.Instance)
	}
	cust.Say(ctx(t), "Is there any news about the parcel?")
	mariaOnA.do("GET", fmt.Sprintf("/agent/api/events?after=%d&instance=%s&wait=10", evA.Next, url.QueryEscape(evA.Instance)), nil, &evA2)
	if evA2.Reset || len(evA2.Events) == 0 || evA2.Events[len(evA2.Events)-1].Kind != "message" {
		t.Errorf("the next poll on A with A's cursor: %+v; want the customer's message, no reset", evA2)
	}
	var v protocol.ConversationView
	if code := maria.do("GET", "/agent/api/conversations/"+url.PathEscape(id), nil, &v); code != 200 || !strings.Contains(fmt.Sprint(v.Messages), "77-ZEBRA") {
		t.Fatalf("transcript on the second instance: HTTP %d %+v", code, v.Messages)
	}
	sent := time.Now()
	if code := maria.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/messages", map[string]string{"text": "Hello Ada, I am looking at parcel 77-ZEBRA now"}, nil); code != 200 {
		t.Fatalf("agent reply: HTTP %d", code)
	}
	m := untilFrame(t, cust, "the agent's reply", func(f protocol.Frame) bool { return f.Type == protocol.TypeMessage && f.From == protocol.FromAgent })
	if !strings.Contains(m.Text, "looking at parcel") || m.Name != "Maria" {
		t.Fatalf("agent message %+v", m)
	}
	// Relay latency: the agent's POST on B until the customer's socket on
	// A has the message (stored and delivered by A).
	lat := []time.Duration{time.Since(sent)}
	for i := range 19 {
		text := fmt.Sprintf("relay check %d", i)
		sent := time.Now()
		maria.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/messages", map[string]string{"text": text}, nil)
		untilFrame(t, cust, text, func(f protocol.Frame) bool { return f.Type == protocol.TypeMessage && f.Text == text })
		lat = append(lat, time.Since(sent))
	}
	slices.Sort(lat)
	p95 := lat[len(lat)*95/100]
	t.Logf("agent on B to customer on A, %d messages: p50 %v, p95 %v, max %v", len(lat), lat[len(lat)/2], p95, lat[len(lat)-1])
	if p95 > 500*time.Millisecond { // the target is 50 ms; this bound only catches a relay that polls or stalls
		t.Errorf("relay p95 %v", p95)
	}

	// The customer's words reach the agent's console on the other instance.
	var evs protocol.DeskEvents
	maria.do("GET", "/agent/api/events?after=0&wait=0", nil, &evs)
	after := evs.Next
	cust.Say(ctx(t), "thank you, the tracking number is 77-ZEBRA-2")
	seen := false
	for deadline := time.Now().Add(5 * time.Second); !seen && time.Now().Before(deadline); {
		maria.do("GET", fmt.Sprintf("/agent/api/events?after=%d&wait=2", after), nil, &evs)
		after = evs.Next
		for _, ev := range evs.Events {
			seen = seen || (ev.Message != nil && strings.Contains(ev.Message.Text, "77-ZEBRA-2"))
		}
	}
	if !seen {
		t.Fatal("the customer's message did not reach the agent's console on the second instance")
	}
	cust.Close()

	// The first instance dies; the customer comes back on the second.
	a.cmd.Process.Kill()
	a.cmd.Wait()
	back, err := chatclient.Dial(ctx(t), b.url, chatclient.Options{Session: token, Query: url.Values{"history": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	var history []string
	untilFrame(t, back, "the agent's earlier message in the history", func(f protocol.Frame) bool {
		history = append(history, f.Text)
		return f.Type == protocol.TypeMessage && strings.Contains(f.Text, "looking at parcel")
	})
	if !strings.Contains(strings.Join(history, "\n"), "77-ZEBRA never came") {
		t.Fatalf("history on the second instance lacks the customer's first message: %q", history)
	}
	time.Sleep(200 * time.Millisecond)
	if code := maria.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/messages", map[string]string{"text": "Still here, Ada"}, nil); code != 200 {
		t.Fatalf("agent reply after the first instance died: HTTP %d\nB logs:\n%s", code, b.logs)
	}
	untilFrame(t, back, "the agent's reply on the second instance", func(f protocol.Frame) bool {
		return f.Type == protocol.TypeMessage && f.From == protocol.FromAgent && strings.Contains(f.Text, "Still here")
	})

	// AUD-1 on the database, with no key.
	verify := exec.Command(binary, "audit", "verify", "--database-url", dsn)
	verify.Dir = t.TempDir()
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("audit verify --database-url: %v\n%s", err, out)
	}

	// The admin API's raw scan (what `deskbot test --target` checks) reads
	// the database's rows too: the agent's display name is there in clear,
	// what the customer typed is not.
	scan := adminScan(t, b.url, "Lovelace", "77-ZEBRA", "Maria")
	var hits []string
	for _, h := range scan.Found {
		hits = append(hits, h.Needle+" in "+h.File)
	}
	if len(hits) == 0 || strings.Contains(strings.Join(hits, ","), "Lovelace") || strings.Contains(strings.Join(hits, ","), "ZEBRA") ||
		!strings.Contains(strings.Join(hits, ","), "Maria in table agents") {
		t.Fatalf("admin scan on PostgreSQL found %v", hits)
	}

	// SEC-1: a raw dump of the database holds none of what was typed.
	dump := pgDump(t, dsn)
	for _, typed := range []string{"Lovelace", "77-ZEBRA", "looking at parcel", "Still here"} {
		if strings.Contains(dump, typed) {
			t.Errorf("pg_dump shows %q in clear", typed)
		}
	}
}

func pgDump(t *testing.T, dsn string) string {
	t.Helper()
	bin, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	path, err := exec.LookPath("pg_dump")
	if err != nil && len(bin) == 0 {
		t.Skip("no pg_dump")
	}
	if err != nil {
		path = bin[len(bin)-1]
	}
	out, err := exec.Command(path, "--data-only", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}
