package features

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cucumber/godog"
)

// Formats accepted by Run.
var Formats = []string{"pretty", "progress", "junit", "cucumber"}

// RunOptions say which feature files to run and how to report.
type RunOptions struct {
	Paths  []string // files or folders; default "features"
	Format string   // pretty (default), progress, junit or cucumber
	Output io.Writer
	// Tags selects scenarios: a Cucumber tag expression ("@CONS-1 and not
	// @slow") or godog's older form ("@CONS-1 && ~@slow"); see TagExpr.
	Tags        string
	Concurrency int // scenarios run at once; default 1
	NoColors    bool
	// AllowEmpty lets a run in which no scenario is selected pass; by
	// default it fails with ExitEmpty, so a mistyped tag cannot turn a CI
	// job silently green.
	AllowEmpty bool
	// Errors receives option and selection errors (default Output).
	Errors io.Writer
}

// Exit codes of Run (godog's).
const (
	ExitOK      = 0
	ExitFailed  = 1
	ExitOptions = 2
	ExitEmpty   = 3 // no scenario selected (see RunOptions.AllowEmpty)
)

// Run runs the feature files and returns the exit code: non-zero on any
// failed, undefined or pending step (strict mode), or on bad options.
func (s *Suite) Run(o RunOptions) int {
	if o.Format == "" {
		o.Format = "pretty"
	}
	ok := false
	for _, f := range Formats {
		ok = ok || f == o.Format
	}
	if o.Errors == nil {
		o.Errors = o.Output
	}
	if !ok {
		if o.Errors != nil {
			fmt.Fprintf(o.Errors, "unknown format %q; use one of %s\n", o.Format, strings.Join(Formats, ", "))
		}
		return ExitOptions
	}
	if len(o.Paths) == 0 {
		o.Paths = []string{"features"}
	}
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	_, err := Select(o.Paths, o.Tags)
	if errors.Is(err, ErrNoScenario) {
		if o.AllowEmpty {
			return ExitOK
		}
		if o.Errors != nil {
			fmt.Fprintln(o.Errors, err)
		}
		return ExitEmpty
	}
	if err != nil {
		if o.Errors != nil {
			fmt.Fprintln(o.Errors, err)
		}
		return ExitOptions
	}
	expr, _ := ParseTagExpression(o.Tags)
	filter, err := expr.godogFilter()
	if err != nil {
		if o.Errors != nil {
			fmt.Fprintf(o.Errors, "--tags %q: %v\n", o.Tags, err)
		}
		return ExitOptions
	}
	noColors := o.NoColors || o.Format == "junit" || o.Format == "cucumber"
	defer s.Close()
	if err := s.Prepare(context.Background()); err != nil && o.Output != nil {
		fmt.Fprintf(o.Output, "note: %v (each scenario will index on its own)\n", err)
	}
	format, out := o.Format, o.Output
	var snips *snippetFilter
	switch format {
	case "junit":
		format = s.junitFor()
	case "pretty":
		format = s.prettyFor()
	}
	var cucumberJSON *bytes.Buffer
	if o.Format == "cucumber" && out != nil {
		cucumberJSON = &bytes.Buffer{}
		out = cucumberJSON
	}
	if o.Format == "pretty" || o.Format == "progress" {
		if out != nil {
			snips = &snippetFilter{w: out}
			if o.Format == "progress" {
				snips.rewrite = s.progressSummary
			}
			out = snips
		}
	}
	code := godog.TestSuite{
		Name:                "deskbot",
		ScenarioInitializer: s.InitializeScenario,
		Options: &godog.Options{
			Format:      format,
			Output:      out,
			Paths:       o.Paths,
			Tags:        filter,
			Concurrency: o.Concurrency,
			Strict:      true,
			NoColors:    noColors,
		},
	}.Run()
	if snips != nil {
		snips.Close()
	}
	if cucumberJSON != nil {
		if err := rewriteCucumberJSON(cucumberJSON.Bytes(), o.Output); err != nil && o.Errors != nil {
			fmt.Fprintln(o.Errors, err)
		}
	}
	switch {
	case o.Format == "pretty" || o.Format == "progress":
		s.writeUndefined(o.Output)
	case s.Notices != nil:
		s.writeUndefined(s.Notices)
	}
	// A test run the target could not erase fails the run (target_runs.go).
	if err := s.endTestRun(context.Background()); err != nil && code == ExitOK {
		code = ExitFailed
	}
	return code
}
