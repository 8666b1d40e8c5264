// Package features is deskbot's Gherkin step library and runner. Steps
// drive the bot only through its public surfaces (the WebSocket protocol,
// the export endpoint, the agent console API, and the admin API for
// storage, ledger and audit checks), so one scenario runs unchanged
// against an isolated in-process bot or a deployed one (--target). After
// every scenario the built-in legal checks run (see LegalRules).
package features

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	gherkin "github.com/cucumber/gherkin/go/v26"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"deskbot/config"
	"deskbot/kb"
)

// Suite configures how scenarios run. With only StartBot set, every
// scenario runs against its own in-process bot with the default
// configuration and the demo knowledge base.
type Suite struct {
	// Target is the base URL of a running deskbot; empty runs an isolated
	// in-process bot per scenario.
	Target string
	// AdminToken authenticates storage, ledger and audit steps against the
	// Target (in-process bots get a random one).
	AdminToken string
	// AgentPassword logs agent steps in to the Target's console.
	AgentPassword string
	// BotConfig is the base configuration of in-process bots (data_dir and
	// admin_token are replaced per scenario). Zero means the defaults.
	BotConfig config.Config
	// ConfigFile is the file BotConfig came from; scenario overrides
	// ("the bot is configured with") are applied on top of it.
	ConfigFile string
	// KB overrides the knowledge base of in-process bots for scenarios
	// that define no articles (nil: BotConfig.KBDir, else the demo).
	KB fs.FS
	// StartBot starts in-process bots (app.StartScenarioBot); required
	// unless Target is set.
	StartBot BotStarter
	// HashPassword creates agent accounts in-process (bot.HashPassword).
	HashPassword func(string) (string, error)
	// Logger receives the in-process bots' logs (nil discards them).
	Logger *slog.Logger
	// Notices receives run-wide notes, e.g. checks that could not run.
	Notices io.Writer
	// StartTime is the time every in-process scenario's clock starts at
	// (zero: DefaultStartTime); "Given the time is" overrides it. A fixed
	// start keeps business hours, retention and dates the same on every run.
	StartTime time.Time

	run       targetRun // the test run on the Target (target_runs.go)
	mu        sync.Mutex
	timings   []ScenarioTiming
	noticed   map[string]bool
	undefined []undefinedStep             // steps no phrase matched, for the closest phrases
	output    map[string]string           // per scenario (godog pickle id): text for the JUnit report
	questions map[string][]questionResult // per scenario (godog pickle id): each question an answer-quality step asked
	skips     map[string]string           // per scenario skipped on purpose (godog pickle id): the reason
	durations map[string]time.Duration    // per scenario (godog pickle id): how long it ran
	kbText    map[string]string           // lower-cased article text per KB, for SEC-1
	index     struct {
		once sync.Once
		dir  string
		err  error
	}
}

// Prepare indexes the shared knowledge base before the first scenario, so
// scenario timings do not include it. Run calls it; callers of godog
// directly may.
func (s *Suite) Prepare(ctx context.Context) error {
	if s.Target != "" {
		return nil
	}
	src := s.KB
	if src == nil && s.BotConfig.KBDir != "" {
		src = os.DirFS(s.BotConfig.KBDir)
	}
	if src == nil {
		src = kb.DemoFS()
	}
	_, err := s.indexTemplate(ctx, src)
	return err
}

// indexTemplate builds the shared knowledge base's index once per run.
func (s *Suite) indexTemplate(ctx context.Context, src fs.FS) (string, error) {
	s.index.once.Do(func() {
		dir, err := os.MkdirTemp("", "deskbot-kb-index-")
		if err != nil {
			s.index.err = err
			return
		}
		s.index.dir = filepath.Join(dir, "index")
		b, err := kb.Open(ctx, kb.Options{Source: src, IndexDir: s.index.dir})
		if err != nil {
			s.index.err = fmt.Errorf("indexing the knowledge base: %w", err)
			return
		}
		s.index.err = b.Close()
	})
	return s.index.dir, s.index.err
}

// botConfig loads the configuration with a scenario's overrides, validated
// as at start-up, so errors name the key.
func (s *Suite) botConfig(edits map[string]string, dataDir string) (config.Config, error) {
	flags := map[string]string{"data_dir": dataDir}
	for k, v := range edits {
		flags[k] = v
	}
	return config.Load(config.Options{File: s.ConfigFile, NoFile: s.ConfigFile == "", Getenv: func(string) string { return "" }, Flags: flags})
}

// Close ends the test run on the Target, erasing its test sessions and
// agents (target_runs.go), and removes what the suite keeps between
// scenarios.
func (s *Suite) Close() error {
	if err := s.endTestRun(context.Background()); err != nil {
		return err
	}
	if s.index.dir != "" {
		return os.RemoveAll(filepath.Dir(s.index.dir))
	}
	return nil
}

// ScenarioTiming is how long one scenario took, hooks and checks included.
type ScenarioTiming struct {
	Name     string
	Location string // file:line
	Duration time.Duration
	Failed   bool
}

// Timings returns the scenarios run so far, slowest first.
func (s *Suite) Timings() []ScenarioTiming {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]ScenarioTiming(nil), s.timings...)
	sort.Slice(out, func(i, j int) bool { return out[i].Duration > out[j].Duration })
	return out
}

// duration is how long the scenario ran (0 if not known).
func (s *Suite) duration(pickleID string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.durations[pickleID]
}

func (s *Suite) notice(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noticed == nil {
		s.noticed = map[string]bool{}
	}
	if s.noticed[msg] || s.Notices == nil {
		return
	}
	s.noticed[msg] = true
	fmt.Fprintln(s.Notices, "note: "+msg)
}

// InitializeScenario is the godog scenario initializer: a fresh World per
// scenario, every step bound to it, and the legal checks after it.
func (s *Suite) InitializeScenario(sc *godog.ScenarioContext) {
	w := newWorld(s)
	for _, d := range stepDefs() {
		sc.Step(d.Pattern, w.decorate(d.bind(w), d.Phrase))
	}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		w.uri, w.name, w.started = reLineSuffix.ReplaceAllString(p.Uri, ""), p.Name, time.Now()
		w.pickleID = p.Id
		w.lines = s.locate(p)
		return ctx, nil
	})
	sc.StepContext().Before(func(ctx context.Context, st *godog.Step) (context.Context, error) {
		w.step = st
		w.endVariants(st)
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, _ error) (context.Context, error) {
		if status == godog.StepUndefined {
			s.noteUndefined(st.Text, w.where(st.Id))
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, stepErr error) (context.Context, error) {
		var err error
		if w.base != "" {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			vs, cerr := w.legalChecks(cctx)
			cancel()
			if verr := violationsError(vs); verr != nil {
				err = fmt.Errorf("%w\n\n  scenario: %s (%s)\n  conversation:\n%s", verr, w.name, w.where(""), w.Transcript())
			}
			if cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
		if len(w.asked) > 0 || len(w.questionsDone) > 0 {
			s.noteOutput(w.pickleID, w.allAskedReport())
			s.noteQuestions(w.pickleID, w.allQuestionResults())
		}
		err = errors.Join(err, w.close())
		s.mu.Lock()
		took := time.Since(w.started)
		s.timings = append(s.timings, ScenarioTiming{Name: p.Name, Location: w.where(""), Duration: took, Failed: stepErr != nil || err != nil})
		if s.durations == nil {
			s.durations = map[string]time.Duration{}
		}
		s.durations[p.Id] = took
		s.mu.Unlock()
		return ctx, err
	})
}

// reLineSuffix is the ":LINE" filter godog leaves on a scenario's URI.
var reLineSuffix = regexp.MustCompile(`:\d+$`)

// where is the feature file and line of a step (or of the scenario).
func (w *World) where(stepID string) string {
	if line, ok := w.lines[stepID]; ok && stepID != "" {
		if row, ok := w.lines[stepID+"#row"]; ok {
			return fmt.Sprintf("%s:%d (example row at line %d)", w.uri, line, row)
		}
		return fmt.Sprintf("%s:%d", w.uri, line)
	}
	if line, ok := w.lines[""]; ok {
		return fmt.Sprintf("%s:%d", w.uri, line)
	}
	return w.uri
}

// decorate wraps a step handler so that its failure says where the step is
// and what the conversation was so far.
func (w *World) decorate(h any, phrase string) any {
	v := reflect.ValueOf(h)
	t := v.Type()
	errType := reflect.TypeFor[error]()
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		var out []reflect.Value
		if len(w.variants) > 0 && t.NumOut() > 0 && t.Out(t.NumOut()-1) == errType {
			out = w.perVariant(v, args) // after "says one of": each phrasing's reply
		} else {
			out = v.Call(args)
		}
		last := out[len(out)-1]
		if t.Out(t.NumOut()-1) != errType || last.IsNil() {
			return out
		}
		err := last.Interface().(error)
		if errors.Is(err, godog.ErrPending) || errors.Is(err, godog.ErrSkip) {
			return out
		}
		stepID := ""
		text := ""
		if w.step != nil {
			stepID, text = w.step.Id, w.step.Text
		}
		if skip := w.skipUnderTarget(phrase, text, err, w.where(stepID)); errors.Is(skip, godog.ErrSkip) {
			out[len(out)-1] = reflect.ValueOf(&skip).Elem()
			return out
		}
		err = &StepError{Err: err, Step: text, Location: w.where(stepID), Transcript: w.Transcript()}
		out[len(out)-1] = reflect.ValueOf(&err).Elem()
		return out
	}).Interface()
}

// StepError is a failed step with what a QA person needs to act on it.
type StepError struct {
	Err        error
	Step       string
	Location   string // feature file:line
	Transcript string
}

func (e *StepError) Error() string {
	return fmt.Sprintf("%v\n\n  step: %q at %s\n  conversation so far:\n%s", e.Err, e.Step, e.Location, e.Transcript)
}

func (e *StepError) Unwrap() error { return e.Err }

// locate maps the scenario's step ids (and "" for the scenario) to lines
// in its feature file, by parsing the file again and matching the pickle.
func (s *Suite) locate(p *godog.Scenario) map[string]int {
	out := map[string]int{}
	uri := reLineSuffix.ReplaceAllString(p.Uri, "")
	data, err := os.ReadFile(uri)
	if err != nil {
		return out
	}
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId)
	if err != nil || doc.Feature == nil {
		return out
	}
	lines := map[string]int{}
	addSteps := func(steps []*messages.Step) {
		for _, st := range steps {
			lines[st.Id] = int(st.Location.Line)
		}
	}
	addScenario := func(c *messages.Scenario) {
		lines[c.Id] = int(c.Location.Line)
		addSteps(c.Steps)
		for _, ex := range c.Examples {
			for _, row := range ex.TableBody {
				lines[row.Id] = int(row.Location.Line)
			}
		}
	}
	for _, c := range doc.Feature.Children {
		if c.Background != nil {
			addSteps(c.Background.Steps)
		}
		if c.Scenario != nil {
			addScenario(c.Scenario)
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Background != nil {
					addSteps(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					addScenario(rc.Scenario)
				}
			}
		}
	}
	for _, mine := range gherkin.Pickles(*doc, uri, (&messages.Incrementing{}).NewId) {
		if mine.Name != p.Name || len(mine.Steps) != len(p.Steps) {
			continue
		}
		same := true
		for i := range mine.Steps {
			if mine.Steps[i].Text != p.Steps[i].Text {
				same = false
				break
			}
		}
		if !same {
			continue
		}
		if len(mine.AstNodeIds) > 0 {
			out[""] = lines[mine.AstNodeIds[0]]
		}
		for i, st := range mine.Steps {
			if len(st.AstNodeIds) > 0 {
				out[p.Steps[i].Id] = lines[st.AstNodeIds[0]]
			}
			if len(st.AstNodeIds) > 1 { // an outline step: its example row
				out[p.Steps[i].Id+"#row"] = lines[st.AstNodeIds[1]]
			}
		}
		break
	}
	return out
}

// inKB reports whether a customer sentence occurs in the scenario's
// knowledge base, where it is legitimately in plain text (SEC-1).
func (s *Suite) inKB(w *World, sentence string) bool {
	needle := strings.ToLower(sentence)
	if len(w.articles) > 0 {
		for _, a := range w.articles {
			hay := strings.ToLower(a.title + "\n" + a.body + "\n" + strings.Join(a.questions, "\n"))
			if strings.Contains(hay, needle) {
				return true
			}
		}
		return false
	}
	return strings.Contains(s.baseKBText(), needle)
}

func (s *Suite) baseKBText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kbText == nil {
		s.kbText = map[string]string{}
	}
	if t, ok := s.kbText["base"]; ok {
		return t
	}
	fsys := s.KB
	if fsys == nil && s.BotConfig.KBDir != "" {
		fsys = os.DirFS(s.BotConfig.KBDir)
	}
	if fsys == nil {
		fsys = kb.DemoFS()
	}
	var b strings.Builder
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := fs.ReadFile(fsys, p); err == nil {
				b.Write(data)
				b.WriteByte('\n')
			}
		}
		return nil
	})
	t := strings.ToLower(b.String())
	s.kbText["base"] = t
	return t
}
