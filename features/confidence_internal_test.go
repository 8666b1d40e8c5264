package features

import (
	"errors"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"deskbot/protocol"
)

// Against a --target whose replies carry no "confidence" (a server from
// before that field) the confidence step skips its scenario with the
// reason; once the target has sent a confidence, a reply without one
// fails instead, and in-process it always fails.
func TestConfidenceStepSkipsWhenTargetSendsNone(t *testing.T) {
	answer := protocol.Frame{Type: protocol.TypeMessage, From: protocol.FromBot, Text: "Within 30 days.",
		Sources: []protocol.Source{{ID: "returns-policy", Title: "Returning an item", Version: "3"}}}
	world := func(target string, earlier *float64) *World {
		w := newWorld(&Suite{Target: target})
		first := answer
		first.Confidence = earlier
		w.transcript = []Line{{Frame: first}}
		w.turns = []*Turn{{In: protocol.Inbound{Type: protocol.TypeSay, Text: "How do I return an item?"}, Frames: []protocol.Frame{answer}}}
		return w
	}
	w := world("http://old.example", nil)
	err := w.confidenceAtLeast("0.8")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), `carry no "confidence"`) {
		t.Fatalf("old target: %v; want unavailable", err)
	}
	if skip := w.skipUnderTarget(phraseConfidenceAtLeast, "", err, "t.feature:5"); !errors.Is(skip, godog.ErrSkip) ||
		!strings.Contains(skip.Error(), "not checkable against this --target") {
		t.Errorf("old target: %v; want a skip with the reason", skip)
	}
	if why := w.suite.skipReason(w.pickleID); !strings.Contains(why, `carry no "confidence"`) {
		t.Errorf("skip reason %q", why)
	}
	c := 0.9
	for name, w := range map[string]*World{"new target": world("http://new.example", &c), "in-process": world("", nil)} {
		err := w.confidenceAtLeast("0.8")
		if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(w.skipUnderTarget(phraseConfidenceAtLeast, "", err, "t.feature:5"), godog.ErrSkip) {
			t.Errorf("%s: %v; want a failure, not a skip", name, err)
		}
	}
}
