package features

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"deskbot/protocol"
)

// world builds a World from turns as if they had been received.
func world(turns ...*Turn) *World {
	w := newWorld(&Suite{})
	for i, t := range turns {
		w.turns = append(w.turns, t)
		if !t.Opening {
			in := t.In
			w.transcript = append(w.transcript, Line{Outbound: true, In: in, Turn: i})
		}
		for _, f := range t.Frames {
			w.transcript = append(w.transcript, Line{Frame: f, Turn: i})
		}
	}
	return w
}

func opening(disclosure protocol.Frame) *Turn {
	return &Turn{Opening: true, Frames: []protocol.Frame{{Type: protocol.TypeSession, Session: "t", Profile: "eu"}, disclosure}}
}

var okDisclosure = protocol.Frame{Type: protocol.TypeMessage, From: "bot", Disclosure: true, Text: "Hi, I'm an automated assistant, not a human."}

func say(text string, frames ...protocol.Frame) *Turn {
	return &Turn{In: protocol.Inbound{Type: protocol.TypeSay, Text: text}, Frames: frames}
}

func botMsg(text string) protocol.Frame {
	return protocol.Frame{Type: protocol.TypeMessage, From: "bot", Text: text}
}

func cited(text string) protocol.Frame {
	f := botMsg(text)
	f.Sources = []protocol.Source{{ID: "a", Title: "A", Version: "1"}}
	return f
}

func TestChecks(t *testing.T) {
	handover := protocol.Frame{Type: protocol.TypeHandover, State: protocol.HandoverOffline}
	offline := botMsg("No one is available.")
	offline.Actions = []protocol.Action{{Name: protocol.ActionLeaveMessage}}
	cases := []struct {
		name string
		w    *World
		rule string // "" means no violation
	}{
		{"DISC-1 ok", world(opening(okDisclosure)), ""},
		{"DISC-1 answer first", world(opening(cited("Refunds take 5 days."))), "DISC-1"},
		{"DISC-1 refused as rate_limited: nothing said", world(&Turn{Opening: true, Frames: []protocol.Frame{{Type: protocol.TypeError, Code: protocol.ErrRateLimited}}}), ""},
		{"DISC-1 other error before the session", world(&Turn{Opening: true, Frames: []protocol.Frame{{Type: protocol.TypeError, Code: protocol.ErrInternal}}}), "DISC-1"},
		{"DISC-1 flag without words", world(opening(protocol.Frame{Type: protocol.TypeMessage, From: "bot", Disclosure: true, Text: "Welcome to the shop!"})), "DISC-1"},
		{"DISC-4 claim", world(opening(okDisclosure), say("who are you", cited("I'm a real person from the team."))), "DISC-4"},
		{"DISC-4 not a bot", world(opening(okDisclosure), say("bot?", cited("Don't worry, I am not a bot."))), "DISC-4"},
		{"DISC-4 adverb", world(opening(okDisclosure), say("sure?", cited("Yes, I am really a human."))), "DISC-4"},
		{"DISC-4 German", world(opening(okDisclosure), say("Mensch?", cited("Ja, ich bin ein echter Mensch."))), "DISC-4"},
		{"DISC-4 Spanish", world(opening(okDisclosure), say("¿persona?", cited("Sí, soy una persona real."))), "DISC-4"},
		{"DISC-4 German negation is fine", world(opening(okDisclosure), say("Mensch?", cited("Ich bin kein Mensch, sondern ein automatischer Assistent."))), ""},
		{"DISC-4 negation is fine", world(opening(okDisclosure), say("human?", cited("I'm an automated assistant, not a human."))), ""},
		{"DISC-4 named persona", world(opening(okDisclosure), say("hi", botMsg("Hi, I'm Sarah, a real person on the reception desk!"))), "DISC-4"},
		{"DISC-4 named role", world(opening(okDisclosure), say("thanks", botMsg("You're welcome, this is Tom, a real vet nurse here."))), "DISC-4"},
		{"DISC-4 real role", world(opening(okDisclosure), say("who?", cited("I'm a real receptionist."))), "DISC-4"},
		{"DISC-4 offering a person is fine", world(opening(okDisclosure), say("help", cited("I'm the shop's assistant, a bot. I can put you through to a real person."))), ""},
		{"DISC-4 agent lines exempt", world(opening(okDisclosure), say("hi", protocol.Frame{Type: protocol.TypeMessage, From: "agent", Text: "I am a human, Anna."})), ""},
		{"HUM-2 missing handover", world(opening(okDisclosure), say("I want to talk to a human", cited("Our opening hours are 9 to 5."))), "HUM-2"},
		{"HUM-2 answered", world(opening(okDisclosure), say("I want to talk to a human", handover, offline)), ""},
		{"HUM-2 button", world(opening(okDisclosure), &Turn{In: protocol.Inbound{Type: protocol.TypeAction, Name: "human"}, Frames: []protocol.Frame{botMsg("Sure.")}}), "HUM-2"},
		{"HUM-2 question about humans is not a request", world(opening(okDisclosure), say("is a human reviewing my refund?", cited("Refunds are checked by our team."))), ""},
		{"ACC-1 uncited claim", world(opening(okDisclosure), say("is shipping free?", botMsg("Shipping is free over 50 pounds."))), "ACC-1"},
		{"ACC-1 cited", world(opening(okDisclosure), say("is shipping free?", cited("Shipping is free over 50 pounds."))), ""},
		{"ACC-1 article text without source", world(opening(okDisclosure), say("vouchers?", botMsg("A person from our team can still apply a forgotten code within 7 days of ordering."))), "ACC-1"},
		{"ACC-1 can't confirm", world(opening(okDisclosure), say("pizza?", botMsg("I'm sorry, I can't confirm that from our help articles."))), ""},
		{"ACC-2 source without version", world(opening(okDisclosure), say("q", protocol.Frame{Type: protocol.TypeMessage, From: "bot", Text: "x", Sources: []protocol.Source{{ID: "a"}}})), "ACC-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var vs []Violation
			vs = append(vs, c.w.checkDisclosure()...)
			vs = append(vs, c.w.checkNeverHuman()...)
			vs = append(vs, c.w.checkHandover()...)
			vs = append(vs, c.w.checkCitations()...)
			if c.rule == "" {
				if len(vs) > 0 {
					t.Fatalf("unexpected violations: %v", vs)
				}
				return
			}
			if len(vs) == 0 {
				t.Fatalf("no violation; want %s", c.rule)
			}
			for _, v := range vs {
				if v.Rule != c.rule {
					t.Errorf("violation %v; want only %s", v, c.rule)
				}
				if !strings.Contains(v.Error(), c.rule+" violated: ") {
					t.Errorf("message %q does not lead with the rule id", v.Error())
				}
			}
		})
	}
}

// CONS-1/MIN-1: an admin transcript holding what was typed before consent
// is a violation; placeholders are not.
func TestRedactionCheck(t *testing.T) {
	cases := []struct {
		name, typed, stored string
		granted             bool
		want                bool
	}{
		{"placeholder", "mail me at a@example.com", "mail me at [email]", false, false},
		{"clear before consent", "mail me at a@example.com", "mail me at a@example.com", false, true},
		{"clear after consent", "mail me at a@example.com", "mail me at a@example.com", true, false},
		{"card even with consent", "card 4111 1111 1111 1111", "card 4111-1111-1111-1111", true, true},
		{"masked card", "card 4111 1111 1111 1111", "card [card ****1111]", true, false},
		{"no placeholder at all", "my number is 07700 900123", "my number is", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				body, _ := json.Marshal(map[string]string{"text": c.stored})
				json.NewEncoder(rw).Encode(map[string]any{"entries": []map[string]any{{"sender": "customer", "content": json.RawMessage(body)}}})
			}))
			defer srv.Close()
			w := world(opening(okDisclosure), say(c.typed, cited("ok")))
			w.turns[1].Subject, w.turns[1].Granted = "s1", c.granted
			w.sessions = []sessionInfo{{token: "t", subject: "s1"}}
			w.admin = newAdminClient(srv.URL, "x")
			vs, err := w.checkRedaction(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := len(vs) > 0; got != c.want {
				t.Fatalf("violations %v; want violation: %v", vs, c.want)
			}
			for _, v := range vs {
				if v.Rule != "CONS-1/MIN-1" || !strings.Contains(v.Evidence, c.stored) {
					t.Errorf("violation %v lacks the rule or the stored text as evidence", v)
				}
			}
		})
	}
}

// An answer followed by another message (the health pointer) still cites
// its article for "one of the bot's replies cites the article"; "the
// reply cites" reads only the last message.
func TestTurnCites(t *testing.T) {
	answer := cited("Order repeat prescriptions online.")
	pointer := botMsg("A person from our team can advise on your situation.")
	w := world(opening(okDisclosure), say("repeat prescription?", answer, pointer))
	if err := w.turnCites("A"); err != nil {
		t.Errorf("turnCites(A): %v", err)
	}
	if err := w.turnCites("B"); err == nil {
		t.Error("turnCites(B) passed; no message cites B")
	}
	if err := w.cites("A"); err == nil {
		t.Error("cites(A) passed on the pointer, which cites nothing")
	}
}
