package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The documented config.yaml must say exactly what the built-in defaults are.
func TestRepositoryConfigMatchesDefaults(t *testing.T) {
	fromFile, err := Load(Options{File: "../config.yaml", Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	builtIn, err := Load(Options{Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, builtIn) {
		t.Fatalf("config.yaml and built-in defaults differ:\nfile:     %+v\nbuilt-in: %+v", fromFile, builtIn)
	}
}

func TestOverridesInOrder(t *testing.T) {
	file := writeFile(t, "listen: \"127.0.0.1:9000\"\nbot_name: Ada bot\nlimits:\n  burst: 5\n")
	c, err := Load(Options{
		File:   file,
		Getenv: env(map[string]string{"DESKBOT_BOT_NAME": "Envbot", "DESKBOT_LIMITS_BURST": "7"}),
		Flags:  map[string]string{"listen": "127.0.0.1:9100"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9100" {
		t.Errorf("flag should win: listen = %q", c.Listen)
	}
	if c.BotName != "Envbot" || c.Limits.Burst != 7 {
		t.Errorf("env should override file: bot_name=%q burst=%d", c.BotName, c.Limits.Burst)
	}
}

func TestSecretFromFileAndRedactedDump(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "token")
	os.WriteFile(secret, []byte("s3cret-admin-token-value\n"), 0o600)
	c, err := Load(Options{File: writeFile(t, ""), Getenv: env(map[string]string{"DESKBOT_ADMIN_TOKEN_FILE": secret})})
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminToken.Reveal() != "s3cret-admin-token-value" {
		t.Fatalf("token not read from file: %q", c.AdminToken.Reveal())
	}
	var buf bytes.Buffer
	if err := c.Dump(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "s3cret") {
		t.Fatalf("config dump leaks the secret:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "[redacted]") {
		t.Fatalf("config dump should show the secret as redacted:\n%s", buf.String())
	}
}

func TestInvalidConfigNamesKey(t *testing.T) {
	cases := []struct {
		name, yaml, key string
	}{
		{"DISC-3 disclosure off under eu", "disclosure:\n  enabled: false\n", "disclosure.enabled"},
		{"DISC-3 disclosure off under us-ca", "profile: us-ca\ndisclosure:\n  enabled: false\n", "disclosure.enabled"},
		{"DISC-1 disclosure text without disclosure", "disclosure:\n  text: Hello there, how can I help?\n", "disclosure.text"},
		{"bad listen", "listen: nonsense\n", "listen"},
		{"unknown key", "disclousre:\n  enabled: true\n", "disclousre"},
		{"threshold out of range", "answer:\n  threshold: 1.5\n", "answer.threshold"},
		{"bad origin", "allowed_origins: [\"shop.example\"]\n", "allowed_origins[0]"},
		{"retention zero", "retention:\n  transcripts_days: 0\n", "retention.transcripts_days"},
		{"request records under 24 months (AUD-1)", "retention:\n  requests_days: 365\n", "retention.requests_days"},
		{"short admin token", "admin_token: abc\n", "admin_token"},
		{"wrong type", "limits:\n  burst: lots\n", "burst"},
		{"no policy url", "privacy_policy_url: \"\"\n", "privacy_policy_url"},
		{"unknown profile", "profile: uk\n", "profile: \"uk\" is not a known profile; valid: eu, us-ca, strict"},
		{"DISC-4 greeting claims a person", "answer:\n  small_talk:\n    greeting: \"Hi, I'm Sarah, a real person on the reception desk!\"\n", "answer.small_talk.greeting"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(Options{File: writeFile(t, tc.yaml), Getenv: env(nil)})
			if err == nil {
				t.Fatal("expected an error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error should wrap ErrInvalid: %v", err)
			}
			if !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error should name %q: %v", tc.key, err)
			}
		})
	}
}

func TestDisclosureTextPlaceholders(t *testing.T) {
	c, err := Load(Options{File: writeFile(t, "bot_name: Ada\nbusiness_name: Shop\n"), Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	got := c.DisclosureText()
	if !strings.Contains(got, "Ada") || !strings.Contains(got, "Shop") || strings.Contains(got, "{bot}") {
		t.Fatalf("placeholders not filled: %q", got)
	}
}

// deskbot config prints YAML with config.yaml's keys and units, which reads
// back as the same configuration.
func TestDumpIsConfigYAML(t *testing.T) {
	c, err := Load(Options{File: "../config.yaml", Getenv: env(map[string]string{"DESKBOT_ADMIN_TOKEN": "s3cret-admin-token-value"})})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Dump(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"kb_watch_interval: 2s\n", "  idle: 120s\n", "admin_token: '[redacted]'\n", "\nprofile: eu\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") || strings.Contains(out, "KBWatchInterval") {
		t.Fatalf("dump leaks the secret or Go names:\n%s", out)
	}
	if strings.Contains(out, "!!") {
		t.Errorf("dump shows YAML tags, which config.yaml never needs:\n%s", out)
	}
	var dumped, documented map[string]any
	if err := yaml.Unmarshal(buf.Bytes(), &dumped); err != nil {
		t.Fatalf("dump is not YAML: %v\n%s", err, out)
	}
	raw, _ := os.ReadFile("../config.yaml")
	if err := yaml.Unmarshal(raw, &documented); err != nil {
		t.Fatal(err)
	}
	if got, want := keyPaths("", dumped), keyPaths("", documented); !reflect.DeepEqual(got, want) {
		t.Fatalf("dump keys differ from config.yaml:\ndump:        %v\nconfig.yaml: %v", got, want)
	}
	// Pasted back (without the redacted secret) it is the same configuration.
	back, err := Load(Options{File: writeFile(t, strings.Replace(out, "admin_token: '[redacted]'", "admin_token: s3cret-admin-token-value", 1)), Getenv: env(nil)})
	if err != nil {
		t.Fatalf("dump does not load as config.yaml: %v", err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Fatalf("dump reads back differently:\n%+v\n%+v", back, c)
	}
}

func keyPaths(prefix string, m map[string]any) []string {
	var out []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			out = append(out, keyPaths(prefix+k+".", sub)...)
			continue
		}
		out = append(out, prefix+k)
	}
	slices.Sort(out)
	return out
}

func TestKnownProfilesAccepted(t *testing.T) {
	for _, p := range []string{"eu", "us-ca", "strict", "EU", "california"} {
		if _, err := Load(Options{File: writeFile(t, "profile: "+p+"\n"), Getenv: env(nil)}); err != nil {
			t.Errorf("profile %q: %v", p, err)
		}
	}
}

func TestMisspelledEnvWarns(t *testing.T) {
	var warnings []string
	_, err := Load(Options{NoFile: true, Getenv: env(nil),
		Environ: func() []string {
			return []string{"DESKBOT_LIMITS_BRUST=5", "DESKBOT_MASTER_KEY_FILE=/k", "DESKBOT_LIMITS_BURST=3", "HOME=/root"}
		},
		Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "DESKBOT_LIMITS_BRUST") || !strings.Contains(warnings[0], "did you mean DESKBOT_LIMITS_BURST") {
		t.Fatalf("want one warning naming DESKBOT_LIMITS_BRUST and DESKBOT_LIMITS_BURST, got %q", warnings)
	}
}

func TestStringForListRefused(t *testing.T) {
	_, err := Load(Options{File: writeFile(t, "allowed_origins: https://shop.example\n"), Getenv: env(nil)})
	if err == nil || !strings.Contains(err.Error(), "allowed_origins: must be a list") {
		t.Fatalf("a string for allowed_origins: %v", err)
	}
	// From the environment a comma-separated string is the list.
	c, err := Load(Options{NoFile: true, Getenv: env(map[string]string{"DESKBOT_ALLOWED_ORIGINS": "https://a.example,https://b.example"})})
	if err != nil || len(c.AllowedOrigins) != 2 {
		t.Fatalf("DESKBOT_ALLOWED_ORIGINS: %v %v", c.AllowedOrigins, err)
	}
}

func TestMissingPolicyArticles(t *testing.T) {
	c := Defaults(t.TempDir())
	none := func(string) bool { return false }
	got := c.MissingPolicyArticles(none)
	if len(got) != 2 || !strings.Contains(got[0], "privacy_policy_url") || !strings.Contains(got[0], `"privacy-policy"`) || !strings.Contains(got[1], "notice_at_collection_url") {
		t.Fatalf("want warnings for both links, got %q", got)
	}
	if got := c.MissingPolicyArticles(func(id string) bool { return id == "privacy-policy" }); len(got) != 0 {
		t.Fatalf("article present: %q", got)
	}
	c.PublicURL = "https://chat.shop.example"
	c.PrivacyPolicyURL = "https://chat.shop.example/articles/privacy"
	c.NoticeAtCollectionURL = "https://shop.example/privacy"
	if got := c.MissingPolicyArticles(none); len(got) != 1 || !strings.Contains(got[0], `"privacy"`) {
		t.Fatalf("public_url link to a missing article, external notice: %q", got)
	}
}

// DumpDiff shows only the keys that differ from the built-in defaults, in
// config.yaml's layout.
func TestDumpDiff(t *testing.T) {
	c, err := Load(Options{File: writeFile(t, "limits:\n  burst: 5\ntimeouts:\n  idle: 90s\nadmin_token: s3cret-admin-token-value\n"), Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.DumpDiff(&buf, Defaults(c.DataDir)); err != nil {
		t.Fatal(err)
	}
	want := "limits:\n  burst: 5\ntimeouts:\n  idle: 90s\nadmin_token: '[redacted]'\n"
	if buf.String() != want {
		t.Fatalf("diff:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := Defaults(c.DataDir).DumpDiff(&buf, Defaults(c.DataDir)); err != nil || buf.String() != "{}\n" {
		t.Fatalf("no difference should print {}: %q %v", buf.String(), err)
	}
}

// MIN-3 / DPIA-1: health_mode without dpia_reference is refused naming both
// keys; with it, transcript and contact retention are capped at
// retention.health_days; the environment switches it on too.
func TestHealthModeNeedsDPIA(t *testing.T) {
	_, err := Load(Options{File: writeFile(t, "health_mode: true\n"), Getenv: env(nil)})
	if err == nil || !errors.Is(err, ErrInvalid) {
		t.Fatalf("health_mode without dpia_reference loaded: %v", err)
	}
	for _, key := range []string{"health_mode", "dpia_reference"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error should name %q: %v", key, err)
		}
	}
	_, err = Load(Options{NoFile: true, Getenv: env(map[string]string{"DESKBOT_HEALTH_MODE": "true"})})
	if err == nil || !strings.Contains(err.Error(), "dpia_reference") {
		t.Fatalf("DESKBOT_HEALTH_MODE=true without dpia_reference: %v", err)
	}
	c, err := Load(Options{File: writeFile(t, "health_mode: true\ndpia_reference: \"DPIA-2026-03\"\n"), Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Retention.TranscriptsDays != 7 || c.Retention.ContactDays != 7 {
		t.Errorf("health mode retention: transcripts %d, contacts %d days; want 7 and 7", c.Retention.TranscriptsDays, c.Retention.ContactDays)
	}
	if c.Consent.Health.Text == "" || c.Consent.Health.Text == c.Consent.Contact.Text {
		t.Errorf("health consent text must be set and separate from contact: %q", c.Consent.Health.Text)
	}
	off, err := Load(Options{NoFile: true, Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if off.HealthMode || off.Retention.TranscriptsDays != 30 {
		t.Errorf("default: health_mode %v, transcripts_days %d; want off and 30", off.HealthMode, off.Retention.TranscriptsDays)
	}
	_, err = Load(Options{File: writeFile(t, "health_mode: true\ndpia_reference: x\nconsent:\n  health:\n    text: \"\"\n"), Getenv: env(nil)})
	if err == nil || !strings.Contains(err.Error(), "consent.health") {
		t.Errorf("empty health consent text: %v", err)
	}
}

// A value of the wrong kind, from the file or the environment, is refused
// naming the key, the value and what the key takes, not in the decoder's
// words ("cannot parse value as 'float64': strconv.ParseFloat: …").
func TestWrongKindSaysWhatTheKeyTakes(t *testing.T) {
	for name, tc := range map[string]struct {
		yaml string
		env  map[string]string
		want string
	}{
		"number":     {env: map[string]string{"DESKBOT_ANSWER_THRESHOLD": "abc"}, want: `answer.threshold: "abc" is not a number`},
		"duration":   {env: map[string]string{"DESKBOT_TIMEOUTS_READ": "30"}, want: `timeouts.read: "30" is not a duration: a number with a unit, e.g. 30s`},
		"file dur":   {yaml: "backup:\n  every: daily\n", want: `backup.every: "daily" is not a duration`},
		"bool":       {env: map[string]string{"DESKBOT_HEALTH_MODE": "yes"}, want: `health_mode: "yes" is not true or false`},
		"int":        {yaml: "limits:\n  new_sessions_burst: lots\n", want: `limits.new_sessions_burst: "lots" is not a whole number`},
		"misspelt":   {yaml: "answer:\n  treshold: 0.5\n", want: "answer.treshold: not a configuration key; did you mean answer.threshold?"},
		"top level":  {yaml: "fooo: 1\n", want: "fooo: not a configuration key"},
		"two nested": {yaml: "limits:\n  new_sessions_brust: 3\n  zzz: 1\n", want: "limits.new_sessions_brust: not a configuration key; did you mean limits.new_sessions_burst?; limits.zzz: not a configuration key"},
	} {
		t.Run(name, func(t *testing.T) {
			opts := Options{NoFile: true, Getenv: env(tc.env)}
			if tc.yaml != "" {
				opts = Options{File: writeFile(t, tc.yaml), Getenv: env(tc.env)}
			}
			_, err := Load(opts)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "decoding failed") || strings.Contains(err.Error(), "strconv") {
				t.Errorf("decoder wording left in: %v", err)
			}
		})
	}
}
