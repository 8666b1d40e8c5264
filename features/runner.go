package features

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cucumber/godog"
)

// Formats accepted by Run.
var Formats = []string{"pretty", "progress", "junit", "cucumber"}

// RunOptions say which feature files to run and how to report.
type RunOptions struct {
	Paths       []string // files or folders; default "features"
	Format      string   // pretty (default), progress, junit or cucumber
	Output      io.Writer
	Tags        string // godog tag expression, e.g. "@CONS-1 && ~@slow"
	Concurrency int    // scenarios run at once; default 1
	NoColors    bool
}

// Exit codes of Run (godog's).
const (
	ExitOK      = 0
	ExitFailed  = 1
	ExitOptions = 2
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
	if !ok {
		if o.Output != nil {
			fmt.Fprintf(o.Output, "unknown format %q; use one of %s\n", o.Format, strings.Join(Formats, ", "))
		}
		return ExitOptions
	}
	if len(o.Paths) == 0 {
		o.Paths = []string{"features"}
	}
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	noColors := o.NoColors || o.Format == "junit" || o.Format == "cucumber"
	defer s.Close()
	if err := s.Prepare(context.Background()); err != nil && o.Output != nil {
		fmt.Fprintf(o.Output, "note: %v (each scenario will index on its own)\n", err)
	}
	return godog.TestSuite{
		Name:                "deskbot",
		ScenarioInitializer: s.InitializeScenario,
		Options: &godog.Options{
			Format:      o.Format,
			Output:      o.Output,
			Paths:       o.Paths,
			Tags:        o.Tags,
			Concurrency: o.Concurrency,
			Strict:      true,
			NoColors:    noColors,
		},
	}.Run()
}
