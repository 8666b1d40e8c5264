package features

import (
	"context"
	"strings"
	"testing"

	"deskbot/protocol"
)

// ACC-3: bot messages claiming a completed action need a confirmed event.
func TestClaimsCheck(t *testing.T) {
	erase := &Turn{In: protocol.Inbound{Type: protocol.TypeAction, Name: protocol.ActionErase},
		Frames: []protocol.Frame{botMsg("Done: I've deleted everything we held about this conversation.")}}
	cases := []struct {
		name string
		w    *World
		want bool // an ACC-3 violation
	}{
		{"cancelled order", world(opening(okDisclosure), say("cancel my order", cited("I've cancelled your order."))), true},
		{"refunded", world(opening(okDisclosure), say("refund", botMsg("I have refunded the payment to your card."))), true},
		{"US spelling", world(opening(okDisclosure), say("cancel", cited("We've canceled it for you."))), true},
		{"passive", world(opening(okDisclosure), say("order?", cited("Your order has been cancelled and your refund has been processed."))), true},
		{"deleted without erasure", world(opening(okDisclosure), say("hi", botMsg("I have deleted your account."))), true},
		{"deleted after the erase button", world(opening(okDisclosure), erase), false},
		{"rule, not claim", world(opening(okDisclosure), say("refund?", cited("Once we have received your return, we refund within 5 days. If you have changed your mind, tell us."))), false},
		{"question", world(opening(okDisclosure), say("?", cited("Have you already placed an order?"))), false},
		{"agent lines exempt", world(opening(okDisclosure), say("hi", protocol.Frame{Type: protocol.TypeMessage, From: "agent", Text: "I've cancelled your order."})), false},
		{"can help", world(opening(okDisclosure), say("cancel", cited("A person from our team can cancel an order that has not shipped yet."))), false},
		{"card masked", world(opening(okDisclosure), say("4111", botMsg("For your security, please don't share card numbers in chat. I have masked it and not kept it."))), false},
	}
	for _, c := range cases {
		vs, err := c.w.checkClaims(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := len(vs) > 0
		if got != c.want {
			t.Errorf("%s: violations %v, want violation %v", c.name, vs, c.want)
		}
		for _, v := range vs {
			if v.Rule != "ACC-3" || !strings.Contains(v.Evidence, "claims a completed action") {
				t.Errorf("%s: %v", c.name, v)
			}
		}
	}
}
