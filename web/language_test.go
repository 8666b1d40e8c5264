package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// firstFrames dials with o and returns the session frame and the
// disclosure (DISC-1: both before anything else).
func firstFrames(t *testing.T, base string, o chatclient.Options) (*chatclient.Client, protocol.Frame, protocol.Frame) {
	t.Helper()
	c, err := chatclient.Dial(ctxT(t), base, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	f, err := c.Next(ctxT(t))
	if err != nil || f.Type != protocol.TypeSession {
		t.Fatalf("first frame = %+v, %v", f, err)
	}
	d, err := c.Next(ctxT(t))
	if err != nil || !d.Disclosure {
		t.Fatalf("second frame = %+v, %v; want the disclosure", d, err)
	}
	return c, f, d
}

// A browser that prefers German gets a German session and disclosure
// (DISC-1: in the customer's language); the page's ?lang= wins over the
// header; the customer can switch, and a resume keeps the choice.
func TestSocketLanguage(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	_, f, d := firstFrames(t, l.URL, chatclient.Options{Header: http.Header{"Accept-Language": {"de-DE,de;q=0.9,en;q=0.8"}}})
	if f.Lang != "de" || f.Dir != "ltr" || f.UI["placeholder"] == "" || !strings.Contains(d.Text, "automatisierter Assistent") {
		t.Fatalf("Accept-Language de: session %+v, disclosure %q; want German", f, d.Text)
	}

	c, f, d := firstFrames(t, l.URL, chatclient.Options{Header: http.Header{"Accept-Language": {"de"}}, Query: map[string][]string{"lang": {"fr"}}})
	if f.Lang != "fr" || !strings.Contains(d.Text, "assistant automatisé") {
		t.Fatalf("?lang=fr over Accept-Language de: session lang %q, disclosure %q; want French", f.Lang, d.Text)
	}
	token := f.Session

	out := exchange(t, c, protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionLanguage, Value: "es"}, "switch to es")
	if len(out) < 2 || out[0].Type != protocol.TypeSession || out[0].Lang != "es" || out[0].UI["send"] != "Enviar" {
		t.Fatalf("switch: %+v; want a Spanish session frame first", out)
	}
	if m := lastMessage(out); !m.Disclosure || !strings.Contains(m.Text, "automatizado") {
		t.Fatalf("switch: %+v; want the Spanish disclosure (DISC-1)", m)
	}
	if m := lastMessage(ask(t, c, "¿Cómo funciona el entrelazamiento cuántico?")); !strings.Contains(m.Text, "artículos de ayuda") {
		t.Fatalf("fallback after the switch = %q; want Spanish", m.Text)
	}
	c.Close()
	r, err := chatclient.Dial(ctxT(t), l.URL, chatclient.Options{Session: token, Header: http.Header{"Accept-Language": {"de"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if f, err = r.Next(ctxT(t)); err != nil || f.Lang != "es" {
		t.Fatalf("resume: session frame %+v, %v; want es kept", f, err)
	}
	// The greeting is the last disclosure before the reply to a marker
	// frame (a resume may replay the conversation first).
	if err := r.Send(ctxT(t), endOfTurn); err != nil {
		t.Fatal(err)
	}
	var greeting string
	for {
		f, err := r.Next(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if isEndOfTurn(f) {
			break
		}
		if f.Type == protocol.TypeMessage && f.Disclosure {
			greeting = f.Text
		}
	}
	if !strings.Contains(greeting, "automatizado") || !strings.Contains(greeting, "Bienvenido") {
		t.Fatalf("resume greeting %q; want the Spanish welcome back", greeting)
	}
}

// GET /locale/{lang}.json gives the page its strings before a session.
func TestLocaleEndpoint(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	resp, err := http.Get(l.URL + "/locale/de.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Lang string            `json:"lang"`
		Dir  string            `json:"dir"`
		UI   map[string]string `json:"ui"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	if doc.Lang != "de" || doc.Dir != "ltr" || doc.UI["send"] != "Senden" || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Fatalf("doc %+v, Cache-Control %q", doc, resp.Header.Get("Cache-Control"))
	}
	r2, err := http.Get(l.URL + "/locale/tlh.json")
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown language: status %d, want 404", r2.StatusCode)
	}
}

// The HTTP mirror's first call names the page's language ("lang"), which
// wins over its Accept-Language; the disclosure is in it (DISC-1).
func TestHTTPMirrorLanguage(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	for _, tc := range []struct{ body, accept, want string }{
		{`{"lang":"fr"}`, "de", "assistant automatisé"},
		{`{}`, "es-MX,es;q=0.9", "asistente automatizado"},
	} {
		req, _ := http.NewRequest(http.MethodPost, l.URL+"/api/v1/chat", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", tc.accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Messages []protocol.Frame }
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || len(out.Messages) == 0 || !out.Messages[0].Disclosure || !strings.Contains(out.Messages[0].Text, tc.want) {
			t.Fatalf("%s with Accept-Language %s: %+v, %v; want a disclosure containing %q", tc.body, tc.accept, out.Messages, err, tc.want)
		}
	}
}
