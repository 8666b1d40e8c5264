package features

import (
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

// stepEvents turns godog's per-status step callbacks into one call with the
// status as a string, so that each of deskbot's reports (JUnit, pretty)
// handles a finished step in one place.
type stepEvents struct {
	report func(p *messages.Pickle, st *messages.PickleStep, status string, err error)
}

func (e stepEvents) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (e stepEvents) Passed(p *messages.Pickle, st *messages.PickleStep, _ *formatters.StepDefinition) {
	e.report(p, st, "passed", nil)
}
func (e stepEvents) Failed(p *messages.Pickle, st *messages.PickleStep, _ *formatters.StepDefinition, err error) {
	e.report(p, st, "failed", err)
}
func (e stepEvents) Skipped(p *messages.Pickle, st *messages.PickleStep, _ *formatters.StepDefinition) {
	e.report(p, st, "skipped", nil)
}
func (e stepEvents) Undefined(p *messages.Pickle, st *messages.PickleStep, _ *formatters.StepDefinition) {
	e.report(p, st, "undefined", nil)
}
func (e stepEvents) Pending(p *messages.Pickle, st *messages.PickleStep, _ *formatters.StepDefinition) {
	e.report(p, st, "pending", nil)
}
func (e stepEvents) Ambiguous(p *messages.Pickle, st *messages.PickleStep, _ *formatters.StepDefinition, err error) {
	e.report(p, st, "ambiguous", err)
}
