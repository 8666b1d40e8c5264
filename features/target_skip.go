package features

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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

// targetOptional are the phrases that check something a --target may not
// send (e.g. the "confidence" of an older server's replies): when it does
// not, the scenario is skipped with the reason, as for inProcessOnly.
var targetOptional = map[string]bool{}

// InProcessOnly reports whether a phrase needs the in-process bot; under
// --target such a step skips its scenario with the reason.
func InProcessOnly(phrase string) bool { return inProcessOnly[phrase] }

// skipUnderTarget turns an in-process-only step's "unavailable" error
// (or a target-optional step's, when the target lacks what it checks)
// into a skip (godog.ErrSkip) that keeps the reason, and notes it.
func (w *World) skipUnderTarget(phrase, step string, err error, where string) error {
	if w.inProcess() || !errors.Is(err, ErrUnavailable) {
		return err
	}
	kind := "in-process only"
	switch {
	case inProcessOnly[phrase]:
	case targetOptional[phrase]:
		kind = "not checkable against this --target"
	default:
		return err
	}
	if step == "" {
		step = phrase
	}
	// The step as written and where it stands, so the note leads to it.
	w.suite.notice(fmt.Sprintf("skipped %q: step %q at %s is %s: %v", w.name, step, where, kind, err))
	w.suite.noteSkip(w.pickleID, fmt.Sprintf("%s, skipped against --target at %s: %v", kind, where, err))
	return fmt.Errorf("%w: %s, skipped against --target: %v", godog.ErrSkip, kind, err)
}

// noteSkip keeps why a scenario was skipped on purpose, for the reports.
func (s *Suite) noteSkip(pickleID, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.skips == nil {
		s.skips = map[string]string{}
	}
	if _, ok := s.skips[pickleID]; !ok {
		s.skips[pickleID] = reason
	}
}

// skipReason is why the scenario was skipped on purpose ("" if it was not).
func (s *Suite) skipReason(pickleID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skips[pickleID]
}

// skippedOnPurpose counts the scenarios skipped on purpose.
func (s *Suite) skippedOnPurpose() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.skips)
}

var reScenarioSummary = regexp.MustCompile(`^(\d+ scenarios \()(.*)\)(\s*)$`)
var rePassed = regexp.MustCompile(`(\d+)( passed)`)

// progressSummary rewrites godog's progress summary, which counts a
// scenario whose steps passed until one skipped as passed, so that the
// scenarios skipped on purpose are counted as skipped:
// "3 scenarios (3 passed)" becomes "3 scenarios (1 passed, 2 skipped)".
func (s *Suite) progressSummary(line []byte) []byte {
	k := s.skippedOnPurpose()
	m := reScenarioSummary.FindSubmatch(line)
	if k == 0 || m == nil {
		return line
	}
	counts := string(m[2])
	p := rePassed.FindStringSubmatchIndex(counts)
	if p == nil {
		return line
	}
	n, _ := strconv.Atoi(counts[p[2]:p[3]])
	if n < k {
		return line
	}
	if n == k {
		// drop "N passed" (and the separator after it)
		rest := counts[:p[0]] + counts[p[1]:]
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "\x1b[0m"), ", ")
		counts = rest
	} else {
		counts = counts[:p[2]] + strconv.Itoa(n-k) + counts[p[3]:]
	}
	if counts != "" {
		counts += ", "
	}
	return []byte(fmt.Sprintf("%s%s%d skipped)%s", m[1], counts, k, m[3]))
}
