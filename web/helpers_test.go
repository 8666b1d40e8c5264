package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// testKey is a fixed master key so tests never write one beside the data.
var testKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

func testEnv(k string) string {
	if k == "DESKBOT_MASTER_KEY" {
		return testKey
	}
	return ""
}

// startBot runs a real deskbot (real store, index, sockets) on loopback.
func startBot(t testing.TB, edit func(*config.Config)) *app.Local {
	t.Helper()
	cfg := config.Defaults(t.TempDir())
	if edit != nil {
		edit(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := app.StartLocal(context.Background(), cfg, app.Options{Getenv: testEnv})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return l
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func dial(t testing.TB, l *app.Local, o chatclient.Options) *chatclient.Client {
	t.Helper()
	c, err := chatclient.Dial(ctxT(t), l.URL, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// openSession dials and checks DISC-1: session frame, then the disclosure.
func openSession(t testing.TB, l *app.Local) (*chatclient.Client, string) {
	t.Helper()
	c := dial(t, l, chatclient.Options{})
	ctx := ctxT(t)
	f, err := c.Next(ctx)
	if err != nil || f.Type != protocol.TypeSession || f.Session == "" {
		t.Fatalf("first frame = %+v, %v; want a session frame", f, err)
	}
	d, err := c.Next(ctx)
	if err != nil || d.Type != protocol.TypeMessage || !d.Disclosure {
		t.Fatalf("second frame = %+v, %v; want the disclosure message (DISC-1)", d, err)
	}
	return c, f.Session
}

// ask says text and returns every frame of the reply to it.
func ask(t testing.TB, c *chatclient.Client, text string) []protocol.Frame {
	t.Helper()
	return exchange(t, c, protocol.Inbound{Type: protocol.TypeSay, Text: text}, fmt.Sprintf("%q", text))
}

// endOfTurn is a frame without a type. The socket refuses it with a
// bad_request error before it reaches the engine, and it answers a
// socket's frames in order, so that refusal marks the end of the reply to
// the frame sent before it.
var endOfTurn = protocol.Inbound{}

func isEndOfTurn(f protocol.Frame) bool {
	return f.Type == protocol.TypeError && f.Code == protocol.ErrBadRequest && strings.HasPrefix(f.Message, "Malformed frame")
}

// exchange sends in and returns every frame of the reply to it (without
// the end-of-turn marker); what names in for failures.
func exchange(t testing.TB, c *chatclient.Client, in protocol.Inbound, what string) []protocol.Frame {
	t.Helper()
	ctx := ctxT(t)
	if err := c.Send(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, endOfTurn); err != nil {
		t.Fatal(err)
	}
	var got []protocol.Frame
	for {
		f, err := c.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for the reply to %s: %v (got %+v)", what, err, got)
		}
		if isEndOfTurn(f) {
			return got
		}
		got = append(got, f)
	}
}

func lastMessage(fs []protocol.Frame) protocol.Frame {
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Type == protocol.TypeMessage {
			return fs[i]
		}
	}
	return protocol.Frame{}
}

func chatclientOptions(region string, gpc bool) chatclient.Options {
	o := chatclient.Options{Query: map[string][]string{"region": {region}}}
	if gpc {
		o.Header = map[string][]string{"Sec-GPC": {"1"}}
	}
	return o
}
