package features

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

// junitFormat is the name the JUnit report is registered under; --format
// junit selects it. Unlike godog's own, its test cases name an outline's
// example values ("Refund time (country: FR, days: 14)") instead of "#1",
// and carry the feature file and the line of the scenario or example row,
// so a CI page links each result to its source.
const junitFormat = "deskbot-junit"

func init() {
	godog.Format(junitFormat, "JUnit XML with example values, file and line per test case", newJUnit)
}

// junitFor registers a JUnit report that also carries the suite's text
// per scenario (e.g. each question an answer-quality step asked) and
// returns its format name.
func (s *Suite) junitFor() string {
	name := fmt.Sprintf("%s-%p", junitFormat, s)
	godog.Format(name, "JUnit XML with this suite's per-scenario output", func(suite string, out io.Writer) formatters.Formatter {
		r := newJUnit(suite, out).(*junitReport)
		r.output = s.scenarioOutput
		r.skipReason = s.skipReason
		r.duration = s.duration
		r.questions = s.scenarioQuestions
		return r
	})
	return name
}

func (s *Suite) noteOutput(pickleID, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.output == nil {
		s.output = map[string]string{}
	}
	s.output[pickleID] += text
}

func (s *Suite) noteQuestions(pickleID string, rs []questionResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.questions == nil {
		s.questions = map[string][]questionResult{}
	}
	s.questions[pickleID] = append(s.questions[pickleID], rs...)
}

func (s *Suite) scenarioQuestions(pickleID string) []questionResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]questionResult(nil), s.questions[pickleID]...)
}

func (s *Suite) scenarioOutput(pickleID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.output[pickleID]
}

type junitReport struct {
	stepEvents
	mu      sync.Mutex
	out     io.Writer
	suite   string
	started time.Time
	docs    map[string]*messages.GherkinDocument // by feature URI as godog reports it
	order   []string                             // feature URIs in the order seen
	cases   map[string]*junitCase                // by pickle id
	pickles map[string][]*messages.Pickle        // by feature URI
	output  func(pickleID string) string         // extra text per scenario (nil: none)
	// skipReason says why a scenario was skipped on purpose (nil or "": not known).
	skipReason func(pickleID string) string
	// duration is how long a scenario ran as the suite measured it (nil or
	// 0: the time between godog's reports of its first and last step, which
	// godog may deliver together when the scenario ends).
	duration func(pickleID string) time.Duration
	// questions are the questions an answer-quality step asked in a
	// scenario, each written as a test case of its own after the
	// scenario's (nil: none).
	questions func(pickleID string) []questionResult
}

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"`
	Line      int           `xml:"line,attr"`
	Status    string        `xml:"status,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Errors    []*junitError `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`

	start, end time.Time
	skipped    string // the first step skipped on purpose
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitError struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
}

type junitSuite struct {
	XMLName  xml.Name     `xml:"testsuite"`
	Name     string       `xml:"name,attr"`
	File     string       `xml:"file,attr"`
	Tests    int          `xml:"tests,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Cases    []*junitCase `xml:"testcase"`
}

type junitSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Time     string        `xml:"time,attr"`
	Suites   []*junitSuite `xml:"testsuite"`
}

func newJUnit(suite string, out io.Writer) formatters.Formatter {
	r := &junitReport{out: out, suite: suite, docs: map[string]*messages.GherkinDocument{},
		cases: map[string]*junitCase{}, pickles: map[string][]*messages.Pickle{}}
	r.stepEvents = stepEvents{r.step}
	return r
}

func (r *junitReport) TestRunStarted() {
	r.mu.Lock()
	r.started = time.Now()
	r.mu.Unlock()
}

func (r *junitReport) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.docs[uri]; !ok {
		r.order = append(r.order, uri)
	}
	r.docs[uri] = doc
}

func (r *junitReport) Pickle(p *messages.Pickle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	file := reLineSuffix.ReplaceAllString(p.Uri, "")
	c := &junitCase{Name: p.Name, File: file, Status: "skipped", start: now, end: now}
	if doc := r.docs[p.Uri]; doc != nil && doc.Feature != nil {
		c.Classname = doc.Feature.Name
		c.Line, c.Name = pickleLineAndName(doc, p)
	}
	r.cases[p.Id] = c
	r.pickles[p.Uri] = append(r.pickles[p.Uri], p)
}

// pickleLineAndName finds the line of a pickle's scenario (or, for an
// outline, of its example row) and names an outline's row by its values.
func pickleLineAndName(doc *messages.GherkinDocument, p *messages.Pickle) (int, string) {
	if len(p.AstNodeIds) == 0 {
		return 0, p.Name
	}
	var scenarios []*messages.Scenario
	for _, c := range doc.Feature.Children {
		if c.Scenario != nil {
			scenarios = append(scenarios, c.Scenario)
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil {
					scenarios = append(scenarios, rc.Scenario)
				}
			}
		}
	}
	for _, sc := range scenarios {
		if sc.Id != p.AstNodeIds[0] {
			continue
		}
		if len(p.AstNodeIds) < 2 {
			return int(sc.Location.Line), p.Name
		}
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				if row.Id != p.AstNodeIds[1] || ex.TableHeader == nil {
					continue
				}
				var vals []string
				for i, cell := range row.Cells {
					if i < len(ex.TableHeader.Cells) {
						vals = append(vals, ex.TableHeader.Cells[i].Value+": "+cell.Value)
					}
				}
				name := p.Name
				if ex.Name != "" {
					name += " — " + ex.Name
				}
				return int(row.Location.Line), name + " (" + strings.Join(vals, ", ") + ")"
			}
		}
		return int(sc.Location.Line), p.Name
	}
	return 0, p.Name
}

// step records one step's result on its pickle's case; later steps
// overwrite the status as godog's own report does.
func (r *junitReport) step(p *messages.Pickle, st *messages.PickleStep, status string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cases[p.Id]
	if c == nil {
		return
	}
	c.end = time.Now()
	switch status {
	case "passed":
		if c.Status == "skipped" {
			c.Status = "passed"
		}
	case "failed":
		c.Status = "failed"
		msg := fmt.Sprintf("Step %s: %v", st.Text, err)
		if checks, stepFailed := afterScenarioFailure(err); checks != "" && !stepFailed {
			// godog blames the built-in checks run after the scenario on
			// its last step, which passed (as the pretty report says).
			msg = "Checks after the scenario: " + checks
		}
		c.Failure = &junitFailure{Message: msg, Body: msg}
	case "skipped":
		if c.Status == "passed" || c.Status == "skipped" && c.skipped == "" {
			// skipped on purpose (in-process only under --target), not after a failure
			c.Status, c.skipped = "skipped", "Step "+st.Text
			if r.skipReason != nil {
				if why := r.skipReason(p.Id); why != "" {
					c.skipped += ": " + why
				}
			}
		}
	default: // undefined, pending, ambiguous
		c.Status = status
		m := "Step " + st.Text
		if err != nil {
			m += ": " + err.Error()
		}
		c.Errors = append(c.Errors, &junitError{Type: status, Message: m})
	}
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

func (r *junitReport) Summary() {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := junitSuites{Name: r.suite, Time: seconds(time.Since(r.started))}
	for _, uri := range r.order {
		ps := r.pickles[uri]
		if len(ps) == 0 {
			continue
		}
		doc := r.docs[uri]
		s := &junitSuite{File: reLineSuffix.ReplaceAllString(uri, "")}
		if doc != nil && doc.Feature != nil {
			s.Name = doc.Feature.Name
		}
		var first, last time.Time
		seen := map[string]int{}
		for _, p := range ps {
			seen[r.cases[p.Id].Name]++
		}
		no := map[string]int{}
		// Scenarios in line order (an outline's rows by their lines), each
		// followed by the test cases of the questions it asked, so the
		// report is the same at any --concurrency.
		sort.SliceStable(ps, func(i, j int) bool { return r.cases[ps[i].Id].Line < r.cases[ps[j].Id].Line })
		for _, p := range ps {
			c := r.cases[p.Id]
			if seen[c.Name] > 1 { // the same values twice: number them
				no[c.Name]++
				c.Name += fmt.Sprintf(" #%d", no[c.Name])
			}
			if first.IsZero() || c.start.Before(first) {
				first = c.start
			}
			if c.end.After(last) {
				last = c.end
			}
			took := c.end.Sub(c.start)
			if r.duration != nil {
				if d := r.duration(p.Id); d > 0 {
					took = d
				}
			}
			c.Time = seconds(took)
			if r.output != nil {
				c.SystemOut = r.output(p.Id)
			}
			s.Tests++
			switch c.Status {
			case "failed":
				s.Failures++
			case "undefined", "pending", "ambiguous":
				s.Errors++
			case "skipped":
				s.Skipped++
				c.Skipped = &junitSkipped{Message: c.skipped}
			}
			s.Cases = append(s.Cases, c)
			if r.questions != nil {
				for _, q := range questionCases(c, r.questions(p.Id)) {
					s.Tests++
					switch q.Status {
					case "failed":
						s.Failures++
					case "skipped":
						s.Skipped++
					}
					s.Cases = append(s.Cases, q)
				}
			}
		}
		s.Time = seconds(last.Sub(first))
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
		all.Suites = append(all.Suites, s)
	}
	io.WriteString(r.out, xml.Header)
	enc := xml.NewEncoder(r.out)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		fmt.Fprintln(r.out, "<!-- failed to write the report:", err, "-->")
	}
	io.WriteString(r.out, "\n")
}

// questionCases makes a test case of each question a scenario's
// answer-quality step asked: named after the scenario and the question,
// with the scenario's feature, file and line, failed with what the bot did
// and its confidence when the question missed its article and the
// scenario failed (a miss its threshold allows passes, saying so). The same
// question asked twice in a scenario is numbered.
func questionCases(sc *junitCase, rs []questionResult) []*junitCase {
	seen := map[string]int{}
	for _, q := range rs {
		seen[q.text]++
	}
	no := map[string]int{}
	var cases []*junitCase
	for _, q := range rs {
		name := fmt.Sprintf("%s — %q", sc.Name, q.text)
		if seen[q.text] > 1 {
			no[q.text]++
			name += fmt.Sprintf(" #%d", no[q.text])
		}
		c := &junitCase{Name: name, Classname: sc.Classname, File: sc.File, Line: sc.Line,
			Status: q.status, Time: seconds(q.took), SystemOut: q.where + ": " + q.detail + "\n"}
		if q.status == "failed" && sc.Status == "passed" {
			// The scenario's threshold allows this miss: a failed case would
			// turn a CI page red for a run that passed. It says so instead.
			c.Status = "passed"
			c.SystemOut += "missed, within the scenario's threshold: " + q.message + "\n"
		}
		switch c.Status {
		case "failed":
			c.Failure = &junitFailure{Message: q.message, Body: fmt.Sprintf("%s (%s): %s", q.text, q.where, q.message)}
		case "skipped":
			c.Skipped = &junitSkipped{Message: q.message}
		}
		cases = append(cases, c)
	}
	return cases
}
