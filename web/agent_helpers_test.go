package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/desk"
	"deskbot/protocol"
	"deskbot/store"
)

const agentPassword = "correct horse battery staple"

// addAgent creates an agent account the way `deskbot agent add` does.
func addAgent(t testing.TB, l *app.Local, name, display string) {
	t.Helper()
	h, err := desk.HashPassword(agentPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.App.Store.CreateAgent(context.Background(), store.Agent{Name: name, DisplayName: display, PasswordHash: h, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

// agentSim drives the agent console API like the page does.
type agentSim struct {
	t    testing.TB
	base string
	hc   *http.Client
	csrf string
	name string
	next int64
}

func newAgentSim(t testing.TB, l *app.Local) *agentSim {
	jar, _ := cookiejar.New(nil)
	return &agentSim{t: t, base: l.URL, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// agentAtDesk adds the agent name (shown as display) and returns a console
// logged in as them.
func agentAtDesk(t testing.TB, l *app.Local, name, display string) *agentSim {
	t.Helper()
	addAgent(t, l, name, display)
	a := newAgentSim(t, l)
	a.login(name)
	return a
}

// do sends a request and decodes the JSON answer into out (if not nil).
func (a *agentSim) do(method, path string, body any, out any, hdr ...string) int {
	a.t.Helper()
	code, err := a.try(method, path, body, out, hdr...)
	if err != nil {
		a.t.Fatal(err)
	}
	return code
}

// try is do without the test: it returns the error instead.
func (a *agentSim) try(method, path string, body any, out any, hdr ...string) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if method != http.MethodGet && a.csrf != "" {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, nil
}

func (a *agentSim) login(name string) {
	a.t.Helper()
	var me struct {
		Name, CSRF string
	}
	if code := a.do("POST", "/agent/api/login", map[string]string{"name": name, "password": agentPassword}, &me); code != http.StatusOK {
		a.t.Fatalf("agent %s log-in: HTTP %d", name, code)
	}
	a.csrf, a.name = me.CSRF, name
}

type queueResp struct {
	Queue, Mine []protocol.QueueItem
	Offline     int `json:"offline_messages"`
	OpenHours   bool
}

func (a *agentSim) queue() queueResp {
	a.t.Helper()
	var q queueResp
	if code := a.do("GET", "/agent/api/queue", nil, &q); code != http.StatusOK {
		a.t.Fatalf("queue: HTTP %d", code)
	}
	return q
}

// take joins the conversation of the customer whose session id is given.
func (a *agentSim) take(id string) int {
	a.t.Helper()
	return a.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/take", map[string]any{}, nil)
}

func (a *agentSim) say(id, text string) int {
	a.t.Helper()
	return a.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/messages", map[string]string{"text": text}, nil)
}

func (a *agentSim) handBack(id string) int {
	a.t.Helper()
	return a.do("POST", "/agent/api/conversations/"+url.PathEscape(id)+"/handback", map[string]any{}, nil)
}

func (a *agentSim) view(id string) (protocol.ConversationView, int) {
	a.t.Helper()
	var v protocol.ConversationView
	code := a.do("GET", "/agent/api/conversations/"+url.PathEscape(id), nil, &v)
	return v, code
}

// events polls once (waiting up to wait seconds) and returns new events.
func (a *agentSim) events(wait int) []protocol.DeskEvent {
	a.t.Helper()
	evs, err := a.poll(wait)
	if err != nil {
		a.t.Fatal(err)
	}
	return evs
}

// poll is events for other goroutines than the test's: it reports a
// failure instead of failing the test (t.Fatal must not be called there).
func (a *agentSim) poll(wait int) ([]protocol.DeskEvent, error) {
	var r protocol.DeskEvents
	code, err := a.try("GET", fmt.Sprintf("/agent/api/events?after=%d&wait=%d", a.next, wait), nil, &r)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("events: HTTP %d", code)
	}
	if err != nil {
		return nil, err
	}
	a.next = r.Next
	return r.Events, nil
}

// tryQueue is queue without failing the test, for other goroutines.
func (a *agentSim) tryQueue() (queueResp, error) {
	var q queueResp
	code, err := a.try("GET", "/agent/api/queue", nil, &q)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("queue: HTTP %d", code)
	}
	return q, err
}

// sessionID maps a customer's bearer token to the session id agents see.
func sessionID(t testing.TB, l *app.Local, token string) string {
	t.Helper()
	s, err := l.App.Engine.Lookup(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// queuedCustomer opens a chat whose customer asks for a person and is
// queued; it returns the connection, the session token and the
// conversation's id.
func queuedCustomer(t testing.TB, l *app.Local) (c *chatclient.Client, token, id string) {
	t.Helper()
	c, token = openSession(t, l)
	if err := c.Send(ctxT(t), protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionHuman}); err != nil {
		t.Fatal(err)
	}
	if h := nextHandover(t, c); h.State != protocol.HandoverQueued {
		t.Fatalf("handover %+v, want queued", h)
	}
	return c, token, sessionID(t, l, token)
}

// nextHandover reads frames until a handover frame and returns it.
func nextHandover(t testing.TB, c *chatclient.Client) protocol.Frame {
	t.Helper()
	f, err := c.NextOf(ctxT(t), protocol.TypeHandover)
	if err != nil {
		t.Fatalf("waiting for a handover frame: %v", err)
	}
	return f
}

// nextMessageFrom reads frames until a message from the given sender.
func nextMessageFrom(t testing.TB, c *chatclient.Client, from string) protocol.Frame {
	t.Helper()
	ctx := ctxT(t)
	for {
		f, err := c.NextOf(ctx, protocol.TypeMessage)
		if err != nil {
			t.Fatalf("waiting for a %s message: %v", from, err)
		}
		if f.From == from {
			return f
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
