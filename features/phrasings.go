package features

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// Paraphrase lists (Botium's utterance files): `When the customer says one
// of "<file>"` says every phrasing, each in a fresh chat session, and the
// Then steps that follow check each phrasing's reply in turn, so one
// scenario covers every way of asking. The next action step ends this and
// continues in the last phrasing's session.

// variant is one phrasing's place in the scenario's records.
type variant struct {
	question
	transcript, turns, sessions int // lengths of the World's slices after it
}

func phrasingStepDefs() []stepDef {
	return []stepDef{
		def(`the customer says one of `+q, `the customer says one of "<file>"`, `When the customer says one of "returns-phrasings.txt"`,
			"Says every phrasing of the file (one a line, # comments; or a CSV's first column; relative to the feature file), each in a fresh chat session; each Then step that follows is checked against every phrasing's reply and fails naming the phrasings it failed for.",
			func(w *World) any { return w.saysOneOfFile }),
		def(`the customer says one of:`, `the customer says one of:`, `When the customer says one of:  (then a one-column table of phrasings)`,
			"Like the file step, with the phrasings in a data table.",
			func(w *World) any { return w.saysOneOfTable }),
	}
}

func (w *World) saysOneOfFile(ctx context.Context, file string) error {
	qs, err := w.readQuestions(file)
	if err != nil {
		return err
	}
	return w.saysOneOf(ctx, qs)
}

func (w *World) saysOneOfTable(ctx context.Context, t *godog.Table) error {
	return w.saysOneOf(ctx, tableQuestions(t))
}

func (w *World) saysOneOf(ctx context.Context, qs []question) error {
	if len(qs) == 0 {
		return errors.New("no phrasings to say")
	}
	var vs []variant
	for _, qu := range qs {
		if err := w.open(ctx, chatclient.Options{}); err != nil {
			return err
		}
		if _, err := w.send(ctx, protocol.Inbound{Type: protocol.TypeSay, Text: qu.text}); err != nil {
			return fmt.Errorf("saying %q (%s): %w", qu.text, qu.where, err)
		}
		vs = append(vs, variant{question: qu, transcript: len(w.transcript), turns: len(w.turns), sessions: len(w.sessions)})
	}
	w.variants = vs
	return nil
}

// endVariants is called before every step: any step but a check ends the
// per-phrasing checks.
func (w *World) endVariants(st *godog.Step) {
	if st == nil || st.Type != messages.PickleStepType_OUTCOME {
		w.variants = nil
	}
}

// perVariant runs a check step once per phrasing, with the World seeing
// the scenario as it stood right after that phrasing's reply.
func (w *World) perVariant(v reflect.Value, args []reflect.Value) []reflect.Value {
	full := struct {
		transcript []Line
		turns      []*Turn
		sessions   []sessionInfo
	}{w.transcript, w.turns, w.sessions}
	defer func() { w.transcript, w.turns, w.sessions = full.transcript, full.turns, full.sessions }()
	var fails []string
	var out []reflect.Value
	for i, vr := range w.variants {
		w.transcript, w.turns, w.sessions = full.transcript[:vr.transcript], full.turns[:vr.turns], full.sessions[:vr.sessions]
		out = v.Call(args)
		last := out[len(out)-1]
		if last.IsNil() {
			continue
		}
		err, _ := last.Interface().(error)
		if err == nil {
			continue
		}
		msg := strings.ReplaceAll(err.Error(), "\n", "\n      ")
		fails = append(fails, fmt.Sprintf("  phrasing %d of %d, %q (%s):\n      %s", i+1, len(w.variants), vr.text, vr.where, msg))
	}
	if len(fails) > 0 {
		err := fmt.Errorf("failed for %d of %d phrasings:\n%s", len(fails), len(w.variants), strings.Join(fails, "\n"))
		out[len(out)-1] = reflect.ValueOf(&err).Elem()
	}
	return out
}
