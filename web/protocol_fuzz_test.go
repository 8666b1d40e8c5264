package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/coder/websocket"

	"deskbot/protocol"
)

// inboundSeeds are client frames as the page, the widget and broken or
// hostile clients send them.
var inboundSeeds = []string{
	`{"type":"say","text":"How do I return an item?"}`,
	`{"type":"consent","purpose":"contact","granted":true}`,
	`{"type":"consent","purpose":"contact","granted":false}`,
	`{"type":"action","name":"article","id":"returns-policy"}`,
	`{"type":"action","name":"human"}`,
	`{"type":"say","text":"mail me at a@b.example or call +44 20 7946 0958"}`,
	`{"type":""}`,
	`{"text":"no type"}`,
	`{"type":"say","text":"\ud800 lone surrogate"}`,
	`{"type":"say","type":"action"}`,
	`{"type":"say","granted":null,"extra":[1,2,{"x":{}}]}`,
	`{"type":1}`,
	`[]`,
	`null`,
	`"say"`,
	`{"type":"say"} trailing`,
	`{"TYPE":"say","Text":"case folded keys"}`,
	"{\"type\":\"say\",\"text\":\"\xff\xfe invalid utf-8\"}",
	``,
}

func FuzzDecodeInbound(f *testing.F) {
	for _, s := range inboundSeeds {
		f.Add(true, []byte(s))
	}
	f.Add(false, []byte(`{"type":"say","text":"binary frame"}`))
	f.Fuzz(func(t *testing.T, text bool, data []byte) {
		typ := websocket.MessageBinary
		if text {
			typ = websocket.MessageText
		}
		in, refusal := decodeInbound(typ, data)
		if refusal != nil {
			e := *refusal
			if e.Type != protocol.TypeError || e.Code != protocol.ErrBadRequest || e.Message == "" {
				t.Fatalf("refusal is not a bad_request error frame: %#v", refusal)
			}
			if in != (protocol.Inbound{}) {
				t.Fatalf("refused frame still decoded: %#v", in)
			}
			return
		}
		if !text {
			t.Fatalf("binary frame accepted: %#v", in)
		}
		if in.Type == "" {
			t.Fatalf("frame without a type accepted: %q", data)
		}
		for _, s := range []string{in.Type, in.Text, in.Purpose, in.Name, in.ID} {
			if !utf8.ValidString(s) {
				t.Fatalf("decoded field is not valid UTF-8: %q", s)
			}
		}
		// The HTTP mirror's "frame" carries the same frame to the same engine.
		body := append(append([]byte(`{"frame":`), data...), '}')
		req, status, refusal := decodeChatRequest(bytes.NewReader(body))
		if refusal != nil {
			t.Fatalf("socket takes %q but the HTTP mirror refuses it as a frame (%d): %#v", data, status, refusal)
		}
		got, ok, msg := inboundOf(req)
		if !ok || msg != "" || !sameInbound(got, in) {
			t.Fatalf("HTTP mirror decodes %q as %#v (ok=%v, %q), socket as %#v", data, got, ok, msg, in)
		}
	})
}

func sameInbound(a, b protocol.Inbound) bool {
	if (a.Granted == nil) != (b.Granted == nil) || (a.Granted != nil && *a.Granted != *b.Granted) {
		return false
	}
	a.Granted, b.Granted = nil, nil
	return a == b
}

// chatSeeds are bodies of POST /api/v1/chat.
var chatSeeds = []string{
	`{}`,
	`{"session":"abc"}`,
	`{"text":"How do I return an item?"}`,
	`{"session":"abc","action":"article","id":"returns-policy"}`,
	`{"action":"human"}`,
	`{"id":"returns-policy"}`,
	`{"consent":{"purpose":"contact","granted":true}}`,
	`{"consent":{"purpose":"contact"}}`,
	`{"consent":{"granted":false}}`,
	`{"consent":null}`,
	`{"frame":{"type":"say","text":"hi"}}`,
	`{"frame":{}}`,
	`{"frame":null,"text":"x"}`,
	`{"text":"x","action":"human"}`,
	`{"text":"x","frame":{"type":"say"}}`,
	`{"text":"x"}{"text":"y"}`,
	`{"text":1}`,
	`[{"text":"x"}]`,
	`nul`,
	``,
}

func FuzzChatRequest(f *testing.F) {
	for _, s := range chatSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rec := httptest.NewRecorder()
		body := http.MaxBytesReader(rec, httpBody(data), maxAPIBody)
		req, status, refusal := decodeChatRequest(body)
		if refusal != nil {
			e := *refusal
			if e.Type != protocol.TypeError || e.Message == "" {
				t.Fatalf("refusal is not an error frame: %#v", refusal)
			}
			switch {
			case status == http.StatusBadRequest && e.Code == protocol.ErrBadRequest:
			case status == http.StatusRequestEntityTooLarge && e.Code == protocol.ErrTooLarge && len(data) > maxAPIBody:
			default:
				t.Fatalf("refused with %d %q for a %d-byte body", status, e.Code, len(data))
			}
			return
		}
		if status != http.StatusOK {
			t.Fatalf("accepted with status %d", status)
		}
		in, ok, msg := inboundOf(req)
		if ok && msg != "" {
			t.Fatalf("both handled and refused: %#v %q", in, msg)
		}
		if msg != "" {
			return
		}
		n := 0
		for _, set := range []bool{req.Text != "", req.Action != "", req.Consent != nil, req.Frame != nil} {
			if set {
				n++
			}
		}
		if n > 1 {
			t.Fatalf("%d inputs in one call accepted: %q", n, data)
		}
		if !ok {
			if n != 0 || in != (protocol.Inbound{}) {
				t.Fatalf("a call with input %q only polls: %#v", data, in)
			}
			return
		}
		if req.ID != "" && req.Action != protocol.ActionArticle {
			t.Fatalf("id without the article action accepted: %q", data)
		}
		switch {
		case req.Frame != nil:
			if !sameInbound(in, *req.Frame) {
				t.Fatalf("frame %#v handled as %#v", *req.Frame, in)
			}
		case req.Text != "":
			if in.Type != protocol.TypeSay || in.Text != req.Text {
				t.Fatalf("text handled as %#v", in)
			}
		case req.Action != "":
			if in.Type != protocol.TypeAction || in.Name != req.Action || in.ID != req.ID {
				t.Fatalf("action handled as %#v", in)
			}
		case req.Consent != nil:
			if in.Type != protocol.TypeConsent || in.Purpose == "" || in.Granted == nil {
				t.Fatalf("incomplete consent accepted: %#v", in)
			}
		}
		if _, err := json.Marshal(in); err != nil {
			t.Fatalf("decoded frame does not encode: %v", err)
		}
	})
}

func httpBody(data []byte) *readCloser { return &readCloser{bytes.NewReader(data)} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
