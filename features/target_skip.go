package features

import (
	"errors"
	"fmt"

	"github.com/cucumber/godog"
)

// inProcessOnly are the phrases that arrange the bot itself (its articles,
// configuration, clock or agent roster). Against a --target they cannot
// run, and the scenario is reported as skipped with the reason instead of
// failed: a running shop's bot is not wrong because a test cannot set its
// clock.
var inProcessOnly = map[string]bool{
	`the knowledge base has an article "<title>" answering "<text>"`: true,
	`the knowledge base has an article "<title>" answering:`:         true,
	`the knowledge base has these articles:`:                         true,
	`no agent is online`:                                             true,
	`the time is "<RFC3339>"`:                                        true,
	`<n> days pass`:                                                  true,
	`it is <inside|outside> business hours`:                          true,
	`the bot is configured with:`:                                    true,
	`the configuration is rejected mentioning "<text>"`:              true,
}

// InProcessOnly reports whether a phrase needs the in-process bot; under
// --target such a step skips its scenario with the reason.
func InProcessOnly(phrase string) bool { return inProcessOnly[phrase] }

// skipUnderTarget turns an in-process-only step's "unavailable" error
// into a skip (godog.ErrSkip) that keeps the reason, and notes it.
func (w *World) skipUnderTarget(phrase string, err error, where string) error {
	if w.inProcess() || !inProcessOnly[phrase] || !errors.Is(err, ErrUnavailable) {
		return err
	}
	w.suite.notice(fmt.Sprintf("skipped %q (%s) at %s: %v", w.name, where, phrase, err))
	return fmt.Errorf("%w: in-process only, skipped against --target: %v", godog.ErrSkip, err)
}
