package features

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"deskbot/config"
	"deskbot/desk"
)

// Business-hours steps: move the scenario's clock to the next moment
// inside or outside the configured opening hours, so a scenario says what
// it needs instead of a date that happens to fall there.

func hoursStepDefs() []stepDef {
	return []stepDef{
		def(`it is (inside|outside) business hours`, `it is <inside|outside> business hours`, `Given it is outside business hours`,
			"Moves the scenario's clock to the next quarter hour inside (or outside) the configured business_hours (in-process only; business hours must be enabled, e.g. with \"the bot is configured with\"). Outside them a customer asking for a person is told when the team is there (HUM-2).",
			func(w *World) any { return w.businessHours }),
	}
}

func (w *World) scenarioConfig() (config.Config, error) {
	if w.cfgErr != nil {
		return config.Config{}, w.cfgErr
	}
	cfg := w.suite.BotConfig
	if cfg.DataDir == "" {
		cfg = config.Defaults(filepath.Join(os.TempDir(), "deskbot-unused"))
	}
	if len(w.cfgEdits) > 0 {
		return w.suite.botConfig(w.cfgEdits, filepath.Join(os.TempDir(), "deskbot-unused"))
	}
	return cfg, nil
}

func (w *World) businessHours(where string) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: the clock of a --target bot cannot be set", ErrUnavailable)
	}
	cfg, err := w.scenarioConfig()
	if err != nil {
		return fmt.Errorf("the scenario's configuration is invalid: %w", err)
	}
	if !cfg.BusinessHours.Enabled {
		return errors.New("business hours are off in this configuration (the team is always reachable when an agent is online): add \"Given the bot is configured with:\" | business_hours.enabled | true | first")
	}
	h, err := desk.NewHours(cfg.BusinessHours)
	if err != nil {
		return err
	}
	want := where == "inside"
	t := w.clock.Now().Truncate(15 * time.Minute)
	for i := 0; i < 8*24*4; i++ {
		if h.Open(t) == want {
			w.clock.Set(t.Add(time.Minute))
			return nil
		}
		t = t.Add(15 * time.Minute)
	}
	return fmt.Errorf("no moment %s business hours within a week (%s)", where, h.Describe())
}
