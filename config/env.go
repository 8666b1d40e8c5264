package config

import (
	"fmt"
	"os"
	"slices"
	"strings"
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
			if d := editDistance(name, k); d < bestD {
				best, bestD = k, d
			}
		}
		warn(fmt.Sprintf("environment variable %s sets no configuration key and is ignored; did you mean %s?", name, best))
	}
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
