package features

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

// prettyFormat is deskbot's pretty report; --format pretty selects it.
// Unlike godog's, each scenario is printed whole once it has finished, under
// its own feature's heading, so scenarios running at once never interleave
// or land under another feature; and steps carry no "# suite.go -> reflect"
// definition comments (every step is deskbot's own; `deskbot steps` lists them).
const prettyFormat = "deskbot-pretty"

func init() {
	godog.Format(prettyFormat, "scenarios printed whole under their own feature", newPretty)
}

const (
	ansiGreen  = "\x1b[32m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGray   = "\x1b[90m"
	ansiReset  = "\x1b[0m"
)

type prettyReport struct {
	stepEvents
	mu          sync.Mutex
	out         io.Writer
	started     time.Time
	docs        map[string]*messages.GherkinDocument
	running     map[string]*prettyScenario // by pickle id
	lastFeature string                     // file of the feature whose heading was printed last
	headed      map[string]bool            // features whose heading was printed
	scenarios   map[string]int             // by status
	steps       map[string]int
	total       int
	stepTotal   int
	failed      []string // "file:line  name" of each failed scenario, in the order printed
	// skipReason says why a scenario was skipped on purpose (nil or "": not known).
	skipReason func(pickleID string) string
}

// prettyFor registers a pretty report that also prints why a scenario was
// skipped on purpose, under the step that skipped it, and returns its
// format name.
func (s *Suite) prettyFor() string {
	name := fmt.Sprintf("%s-%p", prettyFormat, s)
	godog.Format(name, "pretty report with this suite's skip reasons", func(suite string, out io.Writer) formatters.Formatter {
		r := newPretty(suite, out).(*prettyReport)
		r.skipReason = s.skipReason
		return r
	})
	return name
}

type prettyScenario struct {
	pickle  *messages.Pickle
	uri     string
	line    int    // of the scenario, or of its example row
	runLine int    // of the scenario or outline: FILE:LINE selects it
	name    string // as printed
	lines   []string
	done    int
	status  string
}

func newPretty(_ string, out io.Writer) formatters.Formatter {
	r := &prettyReport{out: out, docs: map[string]*messages.GherkinDocument{}, running: map[string]*prettyScenario{}, headed: map[string]bool{},
		scenarios: map[string]int{}, steps: map[string]int{}}
	r.stepEvents = stepEvents{r.step}
	return r
}

func (r *prettyReport) TestRunStarted() {
	r.mu.Lock()
	r.started = time.Now()
	r.mu.Unlock()
}

func (r *prettyReport) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	r.mu.Lock()
	r.docs[uri] = doc
	r.mu.Unlock()
}

func (r *prettyReport) Pickle(p *messages.Pickle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sc := &prettyScenario{pickle: p, uri: p.Uri, status: "passed"}
	line, name := 0, p.Name
	keyword := "Scenario"
	if doc := r.docs[p.Uri]; doc != nil && doc.Feature != nil {
		line, name = pickleLineAndName(doc, p)
		if s := findScenario(doc, p); s != nil {
			keyword = s.Keyword
			sc.runLine = int(s.Location.Line)
		}
	}
	if len(p.AstNodeIds) > 1 {
		keyword = "Example"
	}
	sc.lines = append(sc.lines, fmt.Sprintf("\n  %s: %s %s# %s:%d%s", keyword, name, ansiGray, reLineSuffix.ReplaceAllString(p.Uri, ""), line, ansiReset))
	sc.line, sc.name = line, name
	r.running[p.Id] = sc
	if len(p.Steps) == 0 {
		sc.status = "undefined"
		r.finish(sc)
	}
}

func findScenario(doc *messages.GherkinDocument, p *messages.Pickle) *messages.Scenario {
	if len(p.AstNodeIds) == 0 {
		return nil
	}
	for _, c := range doc.Feature.Children {
		if c.Scenario != nil && c.Scenario.Id == p.AstNodeIds[0] {
			return c.Scenario
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil && rc.Scenario.Id == p.AstNodeIds[0] {
					return rc.Scenario
				}
			}
		}
	}
	return nil
}

// stepKeyword finds the keyword ("Given ", "And ") a pickle step was
// written with.
func stepKeyword(doc *messages.GherkinDocument, st *messages.PickleStep) string {
	if doc == nil || doc.Feature == nil || len(st.AstNodeIds) == 0 {
		return "* "
	}
	id := st.AstNodeIds[0]
	find := func(steps []*messages.Step) string {
		for _, s := range steps {
			if s.Id == id {
				return s.Keyword
			}
		}
		return ""
	}
	scan := func(children []*messages.FeatureChild) string {
		for _, c := range children {
			if c.Background != nil {
				if k := find(c.Background.Steps); k != "" {
					return k
				}
			}
			if c.Scenario != nil {
				if k := find(c.Scenario.Steps); k != "" {
					return k
				}
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					if rc.Background != nil {
						if k := find(rc.Background.Steps); k != "" {
							return k
						}
					}
					if rc.Scenario != nil {
						if k := find(rc.Scenario.Steps); k != "" {
							return k
						}
					}
				}
			}
		}
		return ""
	}
	if k := scan(doc.Feature.Children); k != "" {
		return k
	}
	return "* "
}

var statusColour = map[string]string{
	"passed": ansiGreen, "failed": ansiRed, "undefined": ansiYellow, "pending": ansiYellow,
	"ambiguous": ansiYellow, "skipped": ansiCyan,
}

// statusRank orders a scenario's worst step status.
var statusRank = map[string]int{"passed": 0, "skipped": 1, "pending": 2, "undefined": 3, "ambiguous": 4, "failed": 5}

func (r *prettyReport) step(p *messages.Pickle, st *messages.PickleStep, status string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sc := r.running[p.Id]
	if sc == nil {
		return
	}
	// godog reports the checks run after the scenario (the built-in legal
	// checks) as the last step's failure; that step passed, and the report
	// says what failed after it.
	checks, stepFailed := afterScenarioFailure(err)
	if checks != "" && !stepFailed {
		status, err = "passed", nil
	}
	col := statusColour[status]
	kw := stepKeyword(r.docs[p.Uri], st)
	marker := ""
	if status != "passed" {
		marker = ansiGray + "  # " + status // visible without colours (CI logs)
	}
	sc.lines = append(sc.lines, fmt.Sprintf("    %s%s%s%s%s", col, kw, st.Text, marker, ansiReset))
	if a := st.Argument; a != nil {
		if a.DocString != nil {
			sc.lines = append(sc.lines, col+`      """`)
			for _, l := range strings.Split(a.DocString.Content, "\n") {
				sc.lines = append(sc.lines, "      "+l)
			}
			sc.lines = append(sc.lines, `      """`+ansiReset)
		}
		if a.DataTable != nil {
			sc.lines = append(sc.lines, tableLines(a.DataTable, col)...)
		}
	}
	if err != nil {
		for _, l := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
			sc.lines = append(sc.lines, ansiRed+"      "+l+ansiReset)
		}
	}
	switch {
	case status == "skipped" && sc.status == "passed":
		sc.status = "skipped" // skipped on purpose (in-process only under --target)
		if r.skipReason != nil {
			if why := r.skipReason(p.Id); why != "" {
				sc.lines = append(sc.lines, ansiCyan+"      skipped: "+why+ansiReset)
			}
		}
	case status != "skipped" && statusRank[status] > statusRank[sc.status]:
		sc.status = status
	}
	if checks != "" {
		sc.lines = append(sc.lines, ansiRed+"    checks after the scenario  # failed"+ansiReset)
		for _, l := range strings.Split(strings.TrimRight(checks, "\n"), "\n") {
			sc.lines = append(sc.lines, ansiRed+"      "+l+ansiReset)
		}
		sc.status = "failed"
	}
	r.steps[status]++
	r.stepTotal++
	sc.done++
	if sc.done >= len(p.Steps) {
		r.finish(sc)
	}
}

// afterScenarioFailure splits godog's report of a failed after-scenario
// hook ("after scenario hook failed: CHECKS[, step error: …]") into what
// the checks said and whether the step itself failed too.
func afterScenarioFailure(err error) (checks string, stepFailed bool) {
	if err == nil {
		return "", false
	}
	rest, ok := strings.CutPrefix(err.Error(), "after scenario hook failed: ")
	if !ok {
		return "", false
	}
	if i := strings.LastIndex(rest, ", step error: "); i >= 0 {
		return rest[:i], true
	}
	return rest, false
}

func tableLines(t *messages.PickleTable, col string) []string {
	widths := map[int]int{}
	for _, row := range t.Rows {
		for i, c := range row.Cells {
			widths[i] = max(widths[i], len([]rune(c.Value)))
		}
	}
	var out []string
	for _, row := range t.Rows {
		var b strings.Builder
		b.WriteString("      " + col + "|")
		for i, c := range row.Cells {
			b.WriteString(" " + c.Value + strings.Repeat(" ", widths[i]-len([]rune(c.Value))) + " |")
		}
		b.WriteString(ansiReset)
		out = append(out, b.String())
	}
	return out
}

// finish prints a scenario whole, under its feature's heading when the
// scenario printed before it belonged to another feature.
func (r *prettyReport) finish(sc *prettyScenario) {
	delete(r.running, sc.pickle.Id)
	var b strings.Builder
	file := reLineSuffix.ReplaceAllString(sc.uri, "")
	if file != r.lastFeature {
		if r.lastFeature != "" {
			b.WriteString("\n")
		}
		r.lastFeature = file
		if doc := r.docs[sc.uri]; doc != nil && doc.Feature != nil {
			again := ""
			if r.headed[file] {
				again = " (continued)"
			}
			fmt.Fprintf(&b, "%s: %s%s %s# %s%s\n", doc.Feature.Keyword, doc.Feature.Name, again, ansiGray, file, ansiReset)
			if d := strings.TrimSpace(doc.Feature.Description); d != "" && !r.headed[file] {
				for _, l := range strings.Split(doc.Feature.Description, "\n") {
					if strings.TrimSpace(l) != "" {
						b.WriteString("  " + strings.TrimSpace(l) + "\n")
					}
				}
			}
			r.headed[file] = true
		}
	}
	for _, l := range sc.lines {
		b.WriteString(l + "\n")
	}
	io.WriteString(r.out, b.String())
	r.scenarios[sc.status]++
	r.total++
	if sc.status == "failed" {
		// FILE:LINE runs it again (an outline runs whole: godog selects by
		// the scenario's line, not the example row's).
		f := fmt.Sprintf("%s:%d  %s", file, sc.runLine, sc.name)
		if sc.runLine != sc.line && sc.runLine > 0 {
			f = fmt.Sprintf("%s:%d  %s (example row at line %d)", file, sc.runLine, sc.name, sc.line)
		}
		r.failed = append(r.failed, f)
	}
}

func countsText(total int, by map[string]int, what string) string {
	if total == 0 {
		return "No " + what
	}
	var parts []string
	for _, s := range []string{"passed", "failed", "pending", "ambiguous", "undefined", "skipped"} {
		if n := by[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d %s%s", statusColour[s], n, s, ansiReset))
		}
	}
	return fmt.Sprintf("%d %s (%s)", total, what, strings.Join(parts, ", "))
}

func (r *prettyReport) Summary() {
	r.mu.Lock()
	defer r.mu.Unlock()
	// scenarios that never finished (should not happen) are printed as they are
	var rest []*prettyScenario
	for _, sc := range r.running {
		rest = append(rest, sc)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].pickle.Id < rest[j].pickle.Id })
	for _, sc := range rest {
		r.finish(sc)
	}
	if len(r.failed) > 0 {
		// Where to look first, as a list a CI log can be searched for.
		fmt.Fprintf(r.out, "\n%sFailed scenarios:%s\n", ansiRed, ansiReset)
		for _, f := range r.failed {
			fmt.Fprintf(r.out, "  %s%s%s\n", ansiRed, f, ansiReset)
		}
	}
	fmt.Fprintf(r.out, "\n%s\n%s\n%v\n", countsText(r.total, r.scenarios, "scenarios"), countsText(r.stepTotal, r.steps, "steps"),
		time.Since(r.started).Round(time.Millisecond))
}
