package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"deskbot/internal/editdist"
)

// otherEnv are DESKBOT_* variables read outside the configuration keys.
var otherEnv = []string{
	"DESKBOT_MASTER_KEY", "DESKBOT_MASTER_KEY_FILE", // compliance.LoadMasterKey
	"DESKBOT_TEST_AGENT_PASSWORD",                                                                                            // deskbot test --target
	"DESKBOT_INTERNAL_SCAN",                                                                                                  // the admin scan's child process
	"DESKBOT_KNOWN_ISSUES", "DESKBOT_HELPER_DIR", "DESKBOT_HELPER_SYNC", "DESKBOT_HELPER_TURNS", "DESKBOT_WAL_TEST_DURATION", // tests
	"DESKBOT_BIG_BACKUP", "DESKBOT_BIG_BACKUP_MB", // app's backup measurement
}

// EnvName is the environment variable that overrides key.
func EnvName(key string) string {
	return "DESKBOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// warnUnknownEnv reports every DESKBOT_* variable that maps to no key, with
// the closest one, e.g. DESKBOT_LIMITS_BRUST → DESKBOT_LIMITS_BURST.
func warnUnknownEnv(keys []string, opts Options) {
	environ, warn := opts.Environ, opts.Warn
	if environ == nil {
		if opts.Getenv != nil {
			return // a test's environment: only what it passes counts
		}
		environ = os.Environ
	}
	if warn == nil {
		warn = func(msg string) { fmt.Fprintln(os.Stderr, "deskbot: warning:", msg) }
	}
	known := slices.Clone(otherEnv)
	for _, k := range keys {
		known = append(known, EnvName(k))
	}
	for _, k := range secretKeys {
		known = append(known, EnvName(k)+"_FILE")
	}
	for _, kv := range environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "DESKBOT_") || slices.Contains(known, name) || strings.HasPrefix(name, envOverridePrefix) {
			continue
		}
		best, bestD := "", 1<<30
		for _, k := range known {
			if d := editdist.Distance(name, k); d < bestD {
				best, bestD = k, d
			}
		}
		warn(fmt.Sprintf("environment variable %s sets no configuration key and is ignored; did you mean %s?", name, best))
	}
}
