package features

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The operator's side of data-subject requests and breaches (DSR-3,
// DSR-5, BRCH-1): commands a shop owner runs beside the server, run here
// against the scenario's own bot (its database and its clock). In-process
// only: a --target's operator runs them on the server itself.

const (
	phraseOperatorRuns     = `the operator runs "<deskbot command>"`
	phraseOperatorContains = `the operator's output contains "<text>"`
)

// Only running a command arranges anything; reading its output follows it
// (and is skipped with it against a --target).
func init() { inProcessOnly[phraseOperatorRuns] = true }

func operatorStepDefs() []stepDef {
	return []stepDef{
		def(`the operator runs `+q, phraseOperatorRuns, `When the operator runs "deskbot privacy request add --kind erase --email ana@example.com"`,
			"Runs an operator command beside the scenario's bot, on its data and at its clock (in-process only): deskbot privacy request add|list|ack|close, privacy rectify, incident add|list|notify|export. {subject} stands for the customer's pseudonymous id; single quotes group words. The command must succeed.",
			func(w *World) any { return w.operatorRuns }),
		def(`the operator's output contains `+q, phraseOperatorContains, `Then the operator's output contains "31 days left"`,
			"What the last operator command printed contains the text (ignoring case).",
			func(w *World) any { return w.operatorContains }),
	}
}

// splitCommand splits a command line at spaces; single quotes group words.
func splitCommand(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	quoted, have := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, have = !quoted, true
		case r == ' ' && !quoted:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if quoted {
		return nil, errors.New("unbalanced single quote")
	}
	if have {
		out = append(out, cur.String())
	}
	return out, nil
}

func (w *World) operatorRuns(ctx context.Context, line string) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: operator commands run on the server itself, not from a test run", ErrUnavailable)
	}
	if err := w.ensureBot(ctx); err != nil {
		return err
	}
	if w.local == nil || w.local.Operator == nil {
		return fmt.Errorf("%w: this bot takes no operator commands", ErrUnavailable)
	}
	if strings.Contains(line, "{subject}") {
		id, err := w.subject(ctx)
		if err != nil {
			return err
		}
		line = strings.ReplaceAll(line, "{subject}", id)
	}
	args, err := splitCommand(line)
	if err != nil {
		return fmt.Errorf("the command %q: %w", line, err)
	}
	out, err := w.local.Operator(ctx, args, w.clock.Now())
	w.operatorOut = out
	if err != nil {
		return fmt.Errorf("the operator's command %q failed: %v\noutput:\n%s", line, err, out)
	}
	return nil
}

func (w *World) operatorContains(text string) error {
	if !strings.Contains(strings.ToLower(w.operatorOut), strings.ToLower(text)) {
		return fmt.Errorf("expected the operator's output to contain %q, but it was:\n%s", text, indent(w.operatorOut))
	}
	return nil
}

func indent(s string) string {
	if strings.TrimSpace(s) == "" {
		return "  (nothing)"
	}
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
