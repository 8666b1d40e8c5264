package web_test

import (
	"testing"
	"time"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// atTime parses a message frame's "at" (RFC 3339) or fails the test.
func atTime(t *testing.T, f protocol.Frame) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, f.At)
	if err != nil || at.IsZero() {
		t.Fatalf("message %q has no RFC 3339 \"at\": %q (%v)", f.ID, f.At, err)
	}
	return at
}

// resumeFrames resumes token over a new socket and returns every frame of
// the resumed connection's greeting (session frame first).
func resumeFrames(t *testing.T, url string, token string) []protocol.Frame {
	t.Helper()
	c, err := chatclient.Dial(ctxT(t), url, chatclient.Options{Session: token, Query: map[string][]string{"history": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := ctxT(t)
	if err := c.Send(ctx, endOfTurn); err != nil {
		t.Fatal(err)
	}
	var got []protocol.Frame
	for {
		f, err := c.Next(ctx)
		if err != nil {
			t.Fatalf("resume: %v (got %+v)", err, got)
		}
		if isEndOfTurn(f) {
			return got
		}
		got = append(got, f)
	}
}

// Issue 11: every message frame says when it was written, and a resumed
// connection gets the conversation so far (each line with its id and time),
// then one "welcome back"; a second resume does not replay the first
// resume's greeting.
func TestSocketResumeReplaysHistory(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c, token := openSession(t, l)
	before := time.Now().Add(-time.Second)
	reply := ask(t, c, "How do I return an item?")
	answer := lastMessage(reply)
	if len(answer.Sources) == 0 {
		t.Fatalf("no answer: %+v", reply)
	}
	if at := atTime(t, answer); at.Before(before) || at.After(time.Now().Add(time.Second)) {
		t.Errorf("answer at %v, want about now", at)
	}
	c.Close()

	for round := 1; round <= 2; round++ {
		got := resumeFrames(t, l.URL, token)
		if len(got) < 4 || got[0].Type != protocol.TypeSession {
			t.Fatalf("round %d: resumed frames %+v", round, got)
		}
		s := got[0]
		if s.MaxBytes != l.App.Config.Limits.MaxMessageBytes || s.Storage != "local" || s.ExpiresIn != l.App.Config.Limits.IdleSessionMinutes*60 {
			t.Errorf("session frame %+v: want max_message_bytes, storage local and expires_in from the idle time", s)
		}
		var history, greetings []protocol.Frame
		for _, f := range got[1:] {
			if f.Type != protocol.TypeMessage {
				continue
			}
			atTime(t, f)
			switch {
			case f.History && f.Disclosure && len(history) > 0:
				t.Errorf("round %d: a replayed greeting after the opening one: %q", round, f.Text)
			case f.History:
				if len(greetings) > 0 {
					t.Errorf("round %d: history line %q after the greeting", round, f.Text)
				}
				history = append(history, f)
			case f.Disclosure:
				greetings = append(greetings, f)
			}
		}
		if len(greetings) != 1 {
			t.Errorf("round %d: %d greetings, want one \"welcome back\": %+v", round, len(greetings), got)
		}
		if len(history) != 3 || !history[0].Disclosure {
			t.Fatalf("round %d: history %+v, want the opening disclosure, the question and the answer", round, history)
		}
		q, a := history[1], history[2]
		if q.From != "customer" || q.Text != "How do I return an item?" || q.ID == "" {
			t.Errorf("round %d: first history line %+v, want the customer's question with an id", round, q)
		}
		if a.ID != answer.ID || a.Text != answer.Text || a.At != answer.At || len(a.Sources) == 0 || a.Sources[0].ID != answer.Sources[0].ID {
			t.Errorf("round %d: replayed answer %+v, want %+v (same id, time and source)", round, a, answer)
		}
		if len(a.Actions) != 0 {
			t.Errorf("round %d: replayed answer offers buttons %+v", round, a.Actions)
		}
	}

	// The HTTP mirror gives the same history on request.
	status, res, _ := postChat(t, l, protocol.ChatRequest{Session: token, History: true})
	if status != 200 || len(res.Messages) < 3 || !res.Messages[0].Disclosure || res.Messages[1].Text != "How do I return an item?" || !res.Messages[1].History || res.Messages[2].ID != answer.ID {
		t.Errorf("HTTP history: %d %+v", status, res.Messages)
	}
	status, res, _ = postChat(t, l, protocol.ChatRequest{Session: token})
	if status != 200 || len(res.Messages) != 0 {
		t.Errorf("HTTP poll without history: %d %+v, want nothing", status, res.Messages)
	}
}

// Under the strict profile the page keeps the token for this tab only.
func TestSessionFrameStorageStrict(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	c := dial(t, l, chatclient.Options{Query: map[string][]string{"profile": {"strict"}}})
	f, err := c.Next(ctxT(t))
	if err != nil || f.Type != protocol.TypeSession || f.Profile != "strict" || f.Storage != "session" || f.ExpiresIn != 0 {
		t.Fatalf("strict session frame %+v, %v; want storage session", f, err)
	}
}
