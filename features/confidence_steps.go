package features

import (
	"fmt"
	"strconv"

	"deskbot/protocol"
)

// Confidence steps: the knowledge base's calibrated probability that its
// best article is the right one, as the bot message of an answer, a
// suggestion or a "cannot confirm" carries it ("confidence" on the wire).

const (
	phraseConfidenceAtLeast = `the reply's confidence is at least <n>`
	phraseConfidenceAtMost  = `the reply's confidence is at most <n>`
)

func init() {
	targetOptional[phraseConfidenceAtLeast] = true
	targetOptional[phraseConfidenceAtMost] = true
}

const reConfidence = `((?:0|1)(?:\.\d+)?|\.\d+)`

func confidenceStepDefs() []stepDef {
	return []stepDef{
		def(`the reply's confidence is at least `+reConfidence, phraseConfidenceAtLeast, `Then the reply's confidence is at least 0.8`,
			"The knowledge base's confidence (0 to 1, the calibrated probability that its best article is right) in the latest turn's answer, suggestion or \"cannot confirm\" is at least n; the failure gives the confidence, the question and what the bot cited or suggested. Small talk, picked buttons and agents carry no confidence and fail it. Against a --target whose replies carry no \"confidence\" (a server before that wire field) the scenario is skipped with the reason.",
			func(w *World) any { return w.confidenceAtLeast }),
		def(`the reply's confidence is at most `+reConfidence, phraseConfidenceAtMost, `Then the reply's confidence is at most 0.5`,
			"Like \"at least\", the other way: e.g. a question the knowledge base should not be sure about.",
			func(w *World) any { return w.confidenceAtMost }),
	}
}

func (w *World) confidenceAtLeast(n string) error { return w.confidenceBound(n, true) }
func (w *World) confidenceAtMost(n string) error  { return w.confidenceBound(n, false) }

func (w *World) confidenceBound(n string, least bool) error {
	want, err := strconv.ParseFloat(n, 64)
	if err != nil || want < 0 || want > 1 {
		return fmt.Errorf("%q is not a confidence: write a number from 0 to 1, e.g. 0.8", n)
	}
	bound := "at most"
	if least {
		bound = "at least"
	}
	t := w.lastTurn()
	if t == nil {
		return ErrNoChat
	}
	m, ok := decidedMessage(t)
	if !ok {
		if !w.inProcess() && !w.sentConfidence() {
			return fmt.Errorf(`%w: the target's replies carry no "confidence" (a deskbot from before that wire field), so the reply's confidence cannot be read; the latest turn sent:
%s`, ErrUnavailable, describeTurn(t))
		}
		return fmt.Errorf(`expected the reply's confidence to be %s %s, but no message of the latest turn (%s) carries one: only the knowledge base's answer, suggestion or "cannot confirm" does, not small talk, a picked button, an agent or a handover; it sent:
%s`, bound, n, turnInput(t), describeTurn(t))
	}
	c := *m.Confidence
	if least && c >= want || !least && c <= want {
		return nil
	}
	return fmt.Errorf("expected the reply's confidence to be %s %s, but it is %s for %s; %s",
		bound, n, fmtConfidence(c), turnInput(t), decidedWhat(m))
}

// turnInput is what the customer sent in the turn: the question typed,
// quoted, or the frame.
func turnInput(t *Turn) string {
	if t.In.Type == protocol.TypeSay {
		return strconv.Quote(t.In.Text)
	}
	return fmtInbound(t.In, "")
}

// decidedMessage is the message of the turn that carries the knowledge
// base's decision and its confidence (the last one, if several).
func decidedMessage(t *Turn) (protocol.Frame, bool) {
	ms := t.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Confidence != nil {
			return ms[i], true
		}
	}
	return protocol.Frame{}, false
}

// sentConfidence reports whether any bot message of the scenario carried
// a confidence (the target knows the field).
func (w *World) sentConfidence() bool {
	for _, m := range w.botMessages() {
		if m.Confidence != nil {
			return true
		}
	}
	return false
}

// decidedWhat says what the bot did with the question: the article it
// cited, the ones it suggested, or that it could not confirm.
func decidedWhat(m protocol.Frame) string {
	if len(m.Sources) > 0 {
		return "it answered citing " + fmtSources(m.Sources)
	}
	if s := suggested([]protocol.Frame{m}); s != "none" {
		return "it suggested " + s
	}
	return fmt.Sprintf("it said it cannot confirm (%q)", clip(m.Text, 120))
}

func fmtConfidence(c float64) string { return strconv.FormatFloat(c, 'f', -1, 64) }
