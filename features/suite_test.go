package features_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"deskbot/app"
	"deskbot/desk"
	"deskbot/features"
)

// TestSuite runs the project's own scenarios (features/suite) in parallel,
// each against its own in-process bot, with the built-in legal checks.
func TestSuite(t *testing.T) {
	s := &features.Suite{Notices: os.Stderr, StartBot: app.StartScenarioBot, HashPassword: desk.HashPassword}
	defer s.Close()
	if err := s.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	status := godog.TestSuite{
		Name:                "deskbot",
		ScenarioInitializer: s.InitializeScenario,
		Options: &godog.Options{
			TestingT:    t,
			Paths:       []string{"suite"},
			Format:      "progress",
			Concurrency: 4,
			Strict:      true,
			Tags:        "~@known-issue",
		},
	}.Run()
	if status != 0 {
		t.Errorf("suite failed with status %d", status)
	}
	ts := s.Timings()
	var sum time.Duration
	for _, x := range ts {
		sum += x.Duration
	}
	if len(ts) > 0 {
		t.Logf("%d scenarios in %v (wall); per scenario mean %v, slowest %v (%s)", len(ts), time.Since(start).Round(time.Millisecond),
			(sum / time.Duration(len(ts))).Round(time.Millisecond), ts[0].Duration.Round(time.Millisecond), ts[0].Name)
	}
}
