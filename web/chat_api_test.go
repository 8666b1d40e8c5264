package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"deskbot/app"
	"deskbot/protocol"
)

type chatReply struct {
	Session  string           `json:"session"`
	Messages []protocol.Frame `json:"messages"`
}

func postChat(t testing.TB, l *app.Local, req protocol.ChatRequest) (int, chatReply, protocol.Frame) {
	t.Helper()
	b, _ := json.Marshal(req)
	res, err := http.Post(l.URL+"/api/v1/chat", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var raw json.RawMessage
	if err := json.NewDecoder(res.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	var out chatReply
	var f protocol.Frame
	if res.StatusCode == http.StatusOK {
		err = json.Unmarshal(raw, &out)
	} else {
		err = json.Unmarshal(raw, &f)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out, f
}

// The HTTP mirror carries what the socket carries: a suggestion is picked
// with {"action":"article","id":…} and answered with the article's own text
// and source (ACC-2); the other buttons and consent work the same way.
func TestChatAPIActionsAndConsent(t *testing.T) {
	t.Parallel()
	l := startBotKB(t, smallKB, nil)
	q, hits := suggestedQuery(t, l, 1, "returns", "warranty", "gift")
	_, start, _ := postChat(t, l, protocol.ChatRequest{})
	tok := start.Session
	_, r, _ := postChat(t, l, protocol.ChatRequest{Session: tok, Text: q})
	if b := articleButtons(lastMessage(r.Messages)); len(b) == 0 || b[0].ID != hits[0].Article.ID {
		t.Fatalf("%q over HTTP: want article buttons, got %+v", q, r.Messages)
	}
	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Action: protocol.ActionArticle, ID: hits[0].Article.ID})
	checkAnswer(t, l, lastMessage(r.Messages), hits[0].Article.ID)

	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Action: protocol.ActionArticle, ID: "no-such-article"})
	if len(r.Messages) != 1 || r.Messages[0].Code != protocol.ErrBadRequest {
		t.Fatalf("unknown article over HTTP: %+v", r.Messages)
	}

	// CONS-1: consent is an explicit act, over HTTP too.
	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Text: "my e-mail is jane@example.com"})
	asked := false
	for _, f := range r.Messages {
		asked = asked || f.Type == protocol.TypeConsentRequest
	}
	if !asked {
		t.Fatalf("no consent request: %+v", r.Messages)
	}
	yes := true
	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Consent: &protocol.ConsentChoice{Purpose: "contact", Granted: &yes}})
	if len(r.Messages) == 0 || r.Messages[0].Type == protocol.TypeError {
		t.Fatalf("consent over HTTP: %+v", r.Messages)
	}

	// Any socket frame may be sent as it is.
	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Frame: &protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionArticle, ID: "warranty"}})
	checkAnswer(t, l, lastMessage(r.Messages), "warranty")

	// HUM-2: the "Talk to a person" button over HTTP.
	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Action: protocol.ActionHuman})
	if !hasHandover(r.Messages) {
		t.Fatalf("human action over HTTP: %+v", r.Messages)
	}
}

// A request that mixes text, action and consent, or gives an id without
// the article action, is refused before anything is done.
func TestChatAPIRefusesMixedRequests(t *testing.T) {
	t.Parallel()
	l := startBotKB(t, smallKB, nil)
	yes := true
	for _, req := range []protocol.ChatRequest{
		{Text: "hi", Action: protocol.ActionHuman},
		{Action: protocol.ActionHuman, Consent: &protocol.ConsentChoice{Purpose: "contact", Granted: &yes}},
		{Action: protocol.ActionHuman, ID: "returns"},
		{Consent: &protocol.ConsentChoice{Purpose: "contact"}},
		{Text: "hi", Frame: &protocol.Inbound{Type: protocol.TypeSay, Text: "hi"}},
	} {
		code, _, f := postChat(t, l, req)
		if code != http.StatusBadRequest || f.Code != protocol.ErrBadRequest {
			t.Errorf("%+v: HTTP %d %+v; want 400 bad_request", req, code, f)
		}
	}
}

// DSR-5 over the HTTP mirror: the "rectify" action carries the field to
// correct in "id" ("phone"; default "email"), as the socket's action frame
// does, so the shortcut {"action":"rectify","id":"phone"} is not refused;
// an id that names no field ("fax") is refused with HTTP 400 bad_request.
func TestChatAPIRectifyActionWithField(t *testing.T) {
	t.Parallel()
	l := startBotKB(t, smallKB, nil)
	_, start, _ := postChat(t, l, protocol.ChatRequest{})
	tok := start.Session
	postChat(t, l, protocol.ChatRequest{Session: tok, Text: "call me on 020 7946 0018"})
	yes := true
	postChat(t, l, protocol.ChatRequest{Session: tok, Consent: &protocol.ConsentChoice{Purpose: "contact", Granted: &yes}})
	code, r, f := postChat(t, l, protocol.ChatRequest{Session: tok, Action: "rectify", ID: "phone"})
	if code != http.StatusOK {
		t.Fatalf(`{"action":"rectify","id":"phone"}: HTTP %d %+v`, code, f)
	}
	if m := lastMessage(r.Messages); !strings.Contains(m.Text, "type your correct phone number") {
		t.Fatalf("reply to the rectify action: %+v", r.Messages)
	}
	_, r, _ = postChat(t, l, protocol.ChatRequest{Session: tok, Text: "020 7946 0999"})
	if m := lastMessage(r.Messages); !strings.Contains(m.Text, "phone number we keep for you is now") {
		t.Fatalf("reply to the new number: %+v", r.Messages)
	}
	// Without an id, or with "email", the action asks for the e-mail address.
	for _, id := range []string{"", "email"} {
		code, r, f := postChat(t, l, protocol.ChatRequest{Session: tok, Action: "rectify", ID: id})
		if m := lastMessage(r.Messages); code != http.StatusOK || !strings.Contains(m.Text, "type your correct e-mail address") {
			t.Errorf(`{"action":"rectify","id":%q}: HTTP %d %+v %+v; want the question for the e-mail address`, id, code, f, r.Messages)
		}
	}
	// An id that names no field ("fax") is refused, not read as e-mail.
	if code, _, f := postChat(t, l, protocol.ChatRequest{Session: tok, Action: "rectify", ID: "fax"}); code != http.StatusBadRequest || f.Code != protocol.ErrBadRequest {
		t.Errorf(`{"action":"rectify","id":"fax"}: HTTP %d %+v; want 400 bad_request`, code, f)
	}
	// An id still goes only with the actions that take one.
	if code, _, f := postChat(t, l, protocol.ChatRequest{Session: tok, Action: protocol.ActionHuman, ID: "phone"}); code != http.StatusBadRequest || f.Code != protocol.ErrBadRequest {
		t.Errorf(`{"action":"human","id":"phone"}: HTTP %d %+v; want 400 bad_request`, code, f)
	}
}
