package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"deskbot/config"
	"deskbot/desk"
	"deskbot/features"
	"deskbot/store"
)

// StartScenarioBot starts an isolated bot for one Gherkin scenario
// (features.BotStarter).
func StartScenarioBot(ctx context.Context, cfg config.Config, o features.BotOptions) (*features.LocalBot, error) {
	l, err := StartLocal(ctx, cfg, Options{Getenv: o.Getenv, Now: o.Now, KB: o.KB, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	createAgent := func(ctx context.Context, name, display, hash string, at time.Time) error {
		return l.App.Store.CreateAgent(ctx, store.Agent{Name: name, DisplayName: display, PasswordHash: hash, CreatedAt: at})
	}
	// The operator's commands run on this bot's own store (DSR-3, DSR-5, BRCH-1).
	return &features.LocalBot{URL: l.URL, CreateAgent: createAgent, Operator: liveOperator(l.App.Store, cfg), Close: l.Close}, nil
}

func cmdTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: deskbot test [PATHS...] [--target URL] [--admin-token TOKEN] [--format pretty|progress|junit|cucumber] [--output FILE] [--tags EXPR] [--allow-empty] [--concurrency N] [--timings] [--config FILE] [--data-dir DIR]")
		fmt.Fprintln(stderr, "Runs Gherkin feature files (default: ./features) against an isolated in-process bot per scenario, or a running one with --target.")
		fs.PrintDefaults()
	}
	var cf commonFlags
	cf.register(fs, false)
	target := fs.String("target", "", "base URL of a running deskbot (default: an isolated in-process bot per scenario)")
	adminToken := fs.String("admin-token", "", "admin API token of the target (default $DESKBOT_ADMIN_TOKEN, then admin_token from the configuration)")
	format := fs.String("format", "pretty", "report format: "+strings.Join(features.Formats, ", "))
	output := fs.String("output", "", "write the report to FILE instead of standard output")
	tags := fs.String("tags", "", `run only scenarios matching the tag expression, e.g. "@CONS-1 and not (@slow or @agent-console)" (the older "@CONS-1 && ~@slow" works too)`)
	allowEmpty := fs.Bool("allow-empty", false, "pass when no scenario is selected (by default that fails the run)")
	concurrency := fs.Int("concurrency", 4, "scenarios run at once")
	timings := fs.Bool("timings", false, "list every scenario's time on standard error, slowest first")
	if err := parseFlags(fs, args); err != nil { // "deskbot test features/ --format junit"
		return err
	}
	paths := fs.Args()
	if !slices.Contains(features.Formats, *format) {
		return usageError{fmt.Sprintf("unknown --format %q; use one of %s", *format, strings.Join(features.Formats, ", "))}
	}
	if *concurrency < 1 {
		return usageError{"--concurrency must be at least 1"}
	}
	if len(paths) == 0 {
		paths = []string{"features"}
	}
	if _, err := features.ParseTagExpression(*tags); err != nil {
		return usageError{"--tags: " + err.Error()}
	}
	if _, err := features.Select(paths, *tags); err != nil && !errors.Is(err, features.ErrNoScenario) {
		return usageError{err.Error()}
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	token := *adminToken
	if token == "" {
		token = os.Getenv("DESKBOT_ADMIN_TOKEN")
	}
	if token == "" && *target != "" {
		token = cfg.AdminToken.Reveal()
	}
	out, closeOut, err := createOutput(*output, stdout)
	if err != nil {
		return err
	}
	defer closeOut()
	s := &features.Suite{
		Target:        strings.TrimRight(*target, "/"),
		AdminToken:    token,
		AgentPassword: os.Getenv("DESKBOT_TEST_AGENT_PASSWORD"),
		BotConfig:     cfg,
		ConfigFile:    configFile(cf.config),
		StartBot:      StartScenarioBot,
		HashPassword:  desk.HashPassword,
		Notices:       stderr,
	}
	start := time.Now()
	code := s.Run(features.RunOptions{Paths: paths, Format: *format, Output: out, Tags: *tags, Concurrency: *concurrency, NoColors: !isTerminal(out), AllowEmpty: *allowEmpty, Errors: io.Discard})
	ts := s.Timings()
	failed := 0
	var sum time.Duration
	for _, t := range ts {
		sum += t.Duration
		if t.Failed {
			failed++
		}
	}
	if *timings {
		for _, t := range ts {
			mark := ""
			if t.Failed {
				mark = "  FAILED"
			}
			fmt.Fprintf(stderr, "%8v  %s  %s%s\n", t.Duration.Round(time.Millisecond), t.Location, t.Name, mark)
		}
	}
	if len(ts) > 0 {
		fmt.Fprintf(stderr, "%d scenario(s) in %v; %v per scenario on average, slowest %v (%s)\n",
			len(ts), time.Since(start).Round(time.Millisecond), (sum / time.Duration(len(ts))).Round(time.Millisecond),
			ts[0].Duration.Round(time.Millisecond), ts[0].Location)
	}
	switch code {
	case features.ExitOK:
		return nil
	case features.ExitEmpty:
		if *tags != "" {
			return fmt.Errorf("no scenario matched --tags %q in %s (pass --allow-empty if that is expected)", *tags, strings.Join(paths, " "))
		}
		return fmt.Errorf("no scenario found in %s (pass --allow-empty if that is expected)", strings.Join(paths, " "))
	case features.ExitOptions:
		return usageError{"the feature files could not be read (see above)"}
	}
	return fmt.Errorf("%d of %d scenario(s) failed, or had undefined or pending steps", max(failed, 1), len(ts))
}

// isTerminal reports whether v is a terminal (colours and prompts only
// there). /dev/null is a character device too, but no terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// configFile is the file cf.load read, if any.
func configFile(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if _, err := os.Stat("config.yaml"); err == nil {
		return "config.yaml"
	}
	return ""
}

func cmdSteps(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("steps", flag.ContinueOnError)
	fs.SetOutput(stderr)
	markdown := fs.Bool("markdown", false, "print a Markdown table (as in features/README.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *markdown {
		fmt.Fprintln(stdout, "| Phrase | Example | What it does |\n|---|---|---|")
		for _, s := range features.Steps() {
			fmt.Fprintf(stdout, "| `%s` | `%s` | %s |\n", s.Phrase, strings.ReplaceAll(s.Example, "|", "\\|"), strings.ReplaceAll(s.Help, "|", "\\|"))
		}
		return nil
	}
	fmt.Fprintln(stdout, "Step phrases (Given, When, Then, And and But all work with every phrase):")
	fmt.Fprintln(stdout)
	for _, s := range features.Steps() {
		help := s.Help
		if features.InProcessOnly(s.Phrase) {
			help += " In-process only: against --target the scenario is skipped with the reason."
		}
		fmt.Fprintf(stdout, "%s\n    example: %s\n    %s\n\n", s.Phrase, s.Example, help)
	}
	fmt.Fprintf(stdout, "After every scenario these legal checks run and fail it with the rule id: %s.\n", strings.Join(features.LegalRules, ", "))
	return nil
}

func cmdRecord(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: deskbot record [--target URL] [--admin-token TOKEN] [--output FILE] [--name SCENARIO]")
		fmt.Fprintln(stderr, "Reads customer lines from standard input (/accept, /decline, /withdraw, /click ACTION press buttons), talks to the bot, and writes a feature file with personal data replaced.")
		fs.PrintDefaults()
	}
	var cf commonFlags
	cf.register(fs, false)
	target := fs.String("target", "", "base URL of a running deskbot (default: an in-process bot)")
	output := fs.String("output", "", "write the feature file to FILE (default: standard output)")
	name := fs.String("name", "Recorded conversation", "scenario name")
	adminToken := fs.String("admin-token", "", "admin API token of the target, to record as a test session erased afterwards (default $DESKBOT_ADMIN_TOKEN, then admin_token from the configuration)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	token := *adminToken
	if token == "" {
		token = os.Getenv("DESKBOT_ADMIN_TOKEN")
	}
	if token == "" && *target != "" {
		token = cfg.AdminToken.Reveal()
	}
	out, closeOut, err := createOutput(*output, stdout)
	if err != nil {
		return err
	}
	defer closeOut()
	// Against a target with the admin token the recording is a test
	// session, erased when the recording ends (Close).
	s := &features.Suite{Target: strings.TrimRight(*target, "/"), AdminToken: token, BotConfig: cfg, StartBot: StartScenarioBot, Notices: stderr}
	err = s.Record(ctx, bufio.NewReader(stdin), out, features.RecordOptions{Name: *name, Echo: stderr})
	return errors.Join(err, s.Close())
}
