// Package config loads, validates and redacts deskbot's configuration.
//
// Sources in rising priority: built-in defaults (documented in config.yaml
// at the repository root), a YAML file (config.yaml in the working
// directory or --config), DESKBOT_<KEY> environment variables (dots become
// underscores), DESKBOT_<KEY>_FILE for secrets, and command-line flags.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"deskbot/compliance"
	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// ErrInvalid wraps every validation failure; the message names the key.
var ErrInvalid = errors.New("invalid configuration")

// Config is the whole configuration. Field tags are the YAML / env key names.
type Config struct {
	Listen                string        `mapstructure:"listen"`
	DataDir               string        `mapstructure:"data_dir"`
	KBDir                 string        `mapstructure:"kb_dir"`
	KBWatchInterval       time.Duration `mapstructure:"kb_watch_interval"`
	PublicURL             string        `mapstructure:"public_url"`
	TrustedProxies        []string      `mapstructure:"trusted_proxies"`
	TLS                   TLS           `mapstructure:"tls"`
	Metrics               Metrics       `mapstructure:"metrics"`
	LogLevel              string        `mapstructure:"log_level"`
	Profile               string        `mapstructure:"profile"`
	BusinessName          string        `mapstructure:"business_name"`
	BotName               string        `mapstructure:"bot_name"`
	Disclosure            Disclosure    `mapstructure:"disclosure"`
	PrivacyPolicyURL      string        `mapstructure:"privacy_policy_url"`
	NoticeAtCollectionURL string        `mapstructure:"notice_at_collection_url"`
	AllowedOrigins        []string      `mapstructure:"allowed_origins"`
	FrameAncestors        []string      `mapstructure:"frame_ancestors"`
	Limits                Limits        `mapstructure:"limits"`
	Timeouts              Timeouts      `mapstructure:"timeouts"`
	Answer                Answer        `mapstructure:"answer"`
	Consent               Consent       `mapstructure:"consent"`
	Retention             Retention     `mapstructure:"retention"`
	AdminToken            Secret        `mapstructure:"admin_token"`
	AdminTestRunsReadAll  bool          `mapstructure:"admin_test_runs_read_all"` // a test run's admin reads see every conversation, not only its test sessions
	Handover              Handover      `mapstructure:"handover"`
	BusinessHours         BusinessHours `mapstructure:"business_hours"`
	SMTP                  SMTP          `mapstructure:"smtp"`
	Store                 Storage       `mapstructure:"store"`
	// DatabaseURL, when set (postgres://…), keeps the data in that
	// PostgreSQL database instead of data_dir's SQLite file, so several
	// instances can share it. A secret: it may hold a password.
	DatabaseURL Secret `mapstructure:"database_url"`
	Backup      Backup `mapstructure:"backup"`
	// HealthMode keeps health information with consent for the purpose
	// "health" (a clinic, a pharmacy); it needs DPIAReference (MIN-3,
	// DPIA-1; see health.go).
	HealthMode    bool   `mapstructure:"health_mode"`
	DPIAReference string `mapstructure:"dpia_reference"`
	// Language is the default language of a session when neither the page
	// nor the browser names one the catalog has (locale.go).
	Language string  `mapstructure:"language"`
	Locale   Locale  `mapstructure:"locale"`
	Console  Console `mapstructure:"console"` // console.go
}

// Storage tunes the database (H4).
type Storage struct {
	// Sync is "full" (a reply is sent only after its commit reached the
	// disk: survives a power loss) or "normal" (survives a process crash,
	// not a power loss).
	Sync string `mapstructure:"sync"`
}

// Handover tunes when the bot brings in a person besides an explicit
// request and low confidence (HUM-2).
type Handover struct {
	// SensitiveTopics lists built-in topic names that always go to a person:
	// legal, complaint, medical, cancellation.
	SensitiveTopics []string `mapstructure:"sensitive_topics"`
	// Frustration hands over on visible frustration (shouting, swearing,
	// "this is useless").
	Frustration bool `mapstructure:"frustration"`
	// QueueDropAfter: a customer waiting for a person who has had no chat
	// open (and made no HTTP call) for this long leaves the queue, and the
	// agents are told; 0 keeps them waiting until they come back.
	QueueDropAfter time.Duration `mapstructure:"queue_drop_after"`
}

// profileNames are the profile values compliance.LookupProfile recognises,
// aliases included; "strict" is the union of eu and us-ca.
var profileNames = []string{"", "eu", "eea", "gdpr", "us-ca", "us_ca", "california", "ca", "strict"}

// ValidProfiles returns the profile names the profile key accepts.
func ValidProfiles() []string { return []string{"eu", "us-ca", "strict"} }

// KnownSensitiveTopics returns the topic names handover.sensitive_topics accepts.
func KnownSensitiveTopics() []string {
	return []string{"legal", "complaint", "medical", "cancellation"}
}

// BusinessHours says when agents can be reached; outside them the bot says
// so and offers to leave a message. Days hold "HH:MM-HH:MM" or "" (closed).
type BusinessHours struct {
	Enabled  bool   `mapstructure:"enabled"`
	Timezone string `mapstructure:"timezone"`
	Mon      string `mapstructure:"mon"`
	Tue      string `mapstructure:"tue"`
	Wed      string `mapstructure:"wed"`
	Thu      string `mapstructure:"thu"`
	Fri      string `mapstructure:"fri"`
	Sat      string `mapstructure:"sat"`
	Sun      string `mapstructure:"sun"`
}

// Days returns the opening hours indexed by time.Weekday (Sunday first).
func (b BusinessHours) Days() [7]string {
	return [7]string{b.Sun, b.Mon, b.Tue, b.Wed, b.Thu, b.Fri, b.Sat}
}

// SMTP configures the optional e-mail to the shop when a customer leaves a
// message. An empty host disables it.
type SMTP struct {
	Host     string `mapstructure:"host"`
	Port     int    `mapstructure:"port"`
	From     string `mapstructure:"from"`
	To       string `mapstructure:"to"`
	Username string `mapstructure:"username"`
	Password Secret `mapstructure:"password"`
}

// Disclosure is the AI disclosure shown first in every session (DISC-1..3).
type Disclosure struct {
	Enabled bool   `mapstructure:"enabled"`
	Text    string `mapstructure:"text"`
}

// Limits bound what one session may send.
type Limits struct {
	MaxMessageBytes   int `mapstructure:"max_message_bytes"`
	MessagesPerMinute int `mapstructure:"messages_per_minute"`
	Burst             int `mapstructure:"burst"`
	// MinFreeDiskMB is the free space the data directory's filesystem must
	// keep for /readyz to answer 200.
	MinFreeDiskMB int `mapstructure:"min_free_disk_mb"`
	// New sessions per client address (socket and HTTP together).
	NewSessionsPerMinute int `mapstructure:"new_sessions_per_minute"`
	NewSessionsBurst     int `mapstructure:"new_sessions_burst"`
	// Sessions kept in memory; beyond it the idlest are released (their
	// state is on disk and is read back on the next message).
	MaxLiveSessions int `mapstructure:"max_live_sessions"`
	// Minutes without a message or socket before a session leaves memory.
	IdleSessionMinutes int `mapstructure:"idle_session_minutes"`
	// Agent log-in password checks (argon2id, 19 MiB each) run at once.
	LoginHashes int `mapstructure:"login_hashes"`
	// Sockets open at once from one client address.
	SocketsPerAddress int `mapstructure:"sockets_per_address"`
}

// Timeouts bound each phase of an HTTP request. Sockets are exempt once
// upgraded: they have their own ping and write deadlines.
type Timeouts struct {
	ReadHeader time.Duration `mapstructure:"read_header"`
	Read       time.Duration `mapstructure:"read"`
	Write      time.Duration `mapstructure:"write"`
	Idle       time.Duration `mapstructure:"idle"`
	Shutdown   time.Duration `mapstructure:"shutdown"`
}

// Answer tunes when the bot answers and when it hands over (ACC-1, HUM-2).
type Answer struct {
	Threshold            float64   `mapstructure:"threshold"`
	MissesBeforeHandover int       `mapstructure:"misses_before_handover"`
	SmallTalk            SmallTalk `mapstructure:"small_talk"`
}

// SmallTalk holds the bot's replies to messages that are only a greeting,
// thanks, a goodbye or an acknowledgement; they are never a miss.
type SmallTalk struct {
	Greeting    string `mapstructure:"greeting"`
	Thanks      string `mapstructure:"thanks"`
	Goodbye     string `mapstructure:"goodbye"`
	Acknowledge string `mapstructure:"acknowledge"`
}

// Consent holds the versioned consent texts per purpose (CONS-2, CONS-4).
type Consent struct {
	Contact ConsentText `mapstructure:"contact"`
	// Health is asked only in health_mode, separately from contact (MIN-3).
	Health ConsentText `mapstructure:"health"`
}

// ConsentText is one purpose's plain-language request and its version.
type ConsentText struct {
	Version string `mapstructure:"version"`
	Text    string `mapstructure:"text"`
}

// Retention is the number of days each category is kept (RET-1).
type Retention struct {
	TranscriptsDays int `mapstructure:"transcripts_days"`
	ContactDays     int `mapstructure:"contact_days"`
	ConsentDays     int `mapstructure:"consent_days"`
	AuditDays       int `mapstructure:"audit_days"`
	// RequestsDays keeps data-subject request records (export, erasure) as
	// proof of compliance after the data they concern is gone (AUD-1: at
	// least 24 months).
	RequestsDays int `mapstructure:"requests_days"`
	// HealthDays caps transcripts_days and contact_days in health_mode
	// (MIN-3: shorter retention by default when health information is kept).
	HealthDays int `mapstructure:"health_days"`
}

// Secret is a string that never prints; config dumps show "[redacted]".
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// Reveal returns the secret value; call it only where the secret is used.
func (s Secret) Reveal() string { return string(s) }

// MarshalText keeps secrets out of JSON/YAML dumps.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// DefaultDataDir is data_dir when nothing sets it.
const DefaultDataDir = "./deskbot-data"

// defaults mirrors config.yaml at the repository root; a test keeps the two equal.
func defaults() map[string]any {
	return map[string]any{
		"listen":                         ":8080",
		"data_dir":                       DefaultDataDir,
		"kb_dir":                         "",
		"kb_watch_interval":              "2s",
		"public_url":                     "",
		"trusted_proxies":                []string{},
		"tls.cert_file":                  "",
		"tls.key_file":                   "",
		"tls.acme_domains":               []string{},
		"tls.acme_email":                 "",
		"tls.http_listen":                "",
		"metrics.listen":                 "",
		"log_level":                      "info",
		"profile":                        "eu",
		"business_name":                  "Northwind Outfitters",
		"bot_name":                       "Northwind assistant",
		"disclosure.enabled":             true,
		"disclosure.text":                "Hi, I'm {bot}, an automated assistant for {business}, not a human. I answer from our help articles and can bring in a person from our team whenever you ask.",
		"privacy_policy_url":             "/articles/privacy-policy",
		"notice_at_collection_url":       "/articles/privacy-policy",
		"allowed_origins":                []string{},
		"frame_ancestors":                []string{},
		"limits.max_message_bytes":       2000,
		"limits.messages_per_minute":     30,
		"limits.burst":                   10,
		"limits.new_sessions_per_minute": 30,
		"limits.new_sessions_burst":      60,
		"limits.max_live_sessions":       10000,
		"limits.idle_session_minutes":    30,
		"limits.login_hashes":            1,
		"limits.sockets_per_address":     200,
		"timeouts.read_header":           "10s",
		"timeouts.read":                  "30s",
		"timeouts.write":                 "30s",
		"timeouts.idle":                  "120s",
		"timeouts.shutdown":              "10s",
		"limits.min_free_disk_mb":        64,
		"answer.threshold":               0.0,
		"answer.misses_before_handover":  3,
		"answer.small_talk.greeting":     "Hello! What can I help you with?",
		"answer.small_talk.thanks":       "You're welcome! Is there anything else I can help you with?",
		"answer.small_talk.goodbye":      "Thanks for chatting. Goodbye!",
		"answer.small_talk.acknowledge":  "All right. If there's anything else, just ask.",
		"consent.contact.version":        "1",
		"consent.contact.text":           "May we keep the contact details you typed, so our team can reply to you by e-mail or phone? We keep them encrypted, use them only to answer this request, and delete them after the retention period. You can withdraw at any time by saying \"withdraw consent\".",
		"retention.transcripts_days":     30,
		"retention.contact_days":         90,
		"retention.consent_days":         730,
		"retention.audit_days":           730,
		"retention.requests_days":        1095,
		"retention.health_days":          7,
		"health_mode":                    false,
		"dpia_reference":                 "",
		"consent.health.version":         "1",
		"consent.health.text":            DefaultHealthConsentText,
		"admin_token":                    "",
		"admin_test_runs_read_all":       false,
		"handover.sensitive_topics":      []string{"legal", "complaint", "medical", "cancellation"},
		"handover.frustration":           true,
		"handover.queue_drop_after":      "10m",
		"business_hours.enabled":         false,
		"business_hours.timezone":        "UTC",
		"business_hours.mon":             "09:00-17:30",
		"business_hours.tue":             "09:00-17:30",
		"business_hours.wed":             "09:00-17:30",
		"business_hours.thu":             "09:00-17:30",
		"business_hours.fri":             "09:00-17:30",
		"business_hours.sat":             "",
		"business_hours.sun":             "",
		"smtp.host":                      "",
		"smtp.port":                      587,
		"smtp.from":                      "",
		"smtp.to":                        "",
		"smtp.username":                  "",
		"smtp.password":                  "",
		"store.sync":                     "full",
		"database_url":                   "",
		"backup.every":                   "0s",
		"backup.keep":                    7,
		"backup.dir":                     "",
		"backup.erasure_ledger":          "",
		"language":                       "en",
		"locale.dir":                     "",
		"console.canned_responses":       []map[string]any{},
		"console.canned_file":            "",
	}
}

// secretKeys may also be read from DESKBOT_<KEY>_FILE.
var secretKeys = []string{"admin_token", "smtp.password", "database_url"}

// Options says where to read configuration from.
type Options struct {
	File   string // explicit --config; empty looks for ./config.yaml
	NoFile bool   // use built-in defaults only (tests, isolated scenario bots)
	Getenv func(string) string
	Flags  map[string]string // flag overrides by key, e.g. "listen"
	// Environ lists the environment (default os.Environ) to find DESKBOT_*
	// variables that map to no key; Warn receives one warning for each
	// (default: printed to stderr).
	Environ func() []string
	Warn    func(msg string)
}

// Load reads, merges and validates configuration. Errors name the key and reason.
func Load(opts Options) (Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	v := viper.New()
	for k, val := range defaults() {
		v.SetDefault(k, val)
	}
	v.SetConfigType("yaml")
	switch {
	case opts.File != "":
		v.SetConfigFile(opts.File)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("%w: reading %s: %v", ErrInvalid, opts.File, err)
		}
	case opts.NoFile:
	default:
		if _, err := os.Stat("config.yaml"); err == nil {
			v.SetConfigFile("config.yaml")
			if err := v.ReadInConfig(); err != nil {
				return Config{}, fmt.Errorf("%w: reading config.yaml: %v", ErrInvalid, err)
			}
		}
	}
	// A list key given a single string in the file would be read as a
	// one-element list (or split at commas): refuse it naming the key.
	for key, val := range defaults() {
		if _, isList := val.([]string); !isList || !v.InConfig(key) {
			continue
		}
		if s, ok := v.Get(key).(string); ok {
			return Config{}, fmt.Errorf("%w: %s: must be a list, e.g. %s: [%q], not the string %q", ErrInvalid, key, key, s, s)
		}
	}
	warnUnknownEnv(v.AllKeys(), opts)
	// A key with an empty part (".x", "a..b", "x.") would be refused by the
	// decoder under an empty name; refuse it here, naming it.
	for _, key := range v.AllKeys() {
		if slices.Contains(strings.Split(key, "."), "") {
			return Config{}, fmt.Errorf("%w: %q: not a valid key (empty part between dots)", ErrInvalid, key)
		}
	}
	// Environment: DESKBOT_<KEY> with dots as underscores, for every known key.
	for _, key := range v.AllKeys() {
		env := "DESKBOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
		if val, ok := lookup(getenv, env); ok {
			v.Set(key, val)
		}
	}
	for _, key := range secretKeys {
		env := "DESKBOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_")) + "_FILE"
		if path := getenv(env); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return Config{}, fmt.Errorf("%w: %s: %v", ErrInvalid, env, err)
			}
			v.Set(key, strings.TrimSpace(string(b)))
		}
	}
	for key, val := range opts.Flags {
		v.Set(key, val)
	}
	var c Config
	err := v.Unmarshal(&c, func(dc *mapstructure.DecoderConfig) {
		dc.ErrorUnused = true // a misspelt key must not silently fall back to a default
		dc.WeaklyTypedInput = true
		dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		)
	})
	if err != nil {
		return Config{}, decodeError(err, v.Get)
	}
	if err := c.overridesFromEnv(opts, getenv); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	c.applyHealthRetention()
	return c, nil
}

func lookup(getenv func(string) string, key string) (string, bool) {
	val := getenv(key)
	return val, val != ""
}

// Validate checks every key and returns the first problem, naming the key.
func (c Config) Validate() error {
	bad := func(key, why string) error { return fmt.Errorf("%w: %s: %s", ErrInvalid, key, why) }
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return bad("listen", fmt.Sprintf("%q is not host:port (e.g. \":8080\" or \"127.0.0.1:8080\")", c.Listen))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return bad("data_dir", "must not be empty")
	}
	if u := c.DatabaseURL.Reveal(); u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "postgres" && pu.Scheme != "postgresql") || pu.Host == "" {
			return bad("database_url", "must be a PostgreSQL URL such as postgres://deskbot@db.example:5432/deskbot (empty: the SQLite file in data_dir)")
		}
		if c.Backup.Every > 0 {
			return bad("backup.every", "scheduled backups copy the SQLite file; with database_url set, back up the PostgreSQL database with pg_dump (README: Several instances) and leave backup.every at 0")
		}
	}
	if c.KBWatchInterval < 100*time.Millisecond {
		return bad("kb_watch_interval", "must be at least 100ms")
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("public_url", "must be an absolute http(s) URL")
		}
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		return bad("log_level", "must be one of debug, info, warn, error")
	}
	if !slices.Contains(profileNames, strings.ToLower(strings.TrimSpace(c.Profile))) {
		return bad("profile", fmt.Sprintf("%q is not a known profile; valid: %s (aliases: eea, gdpr for eu; california, ca for us-ca)", c.Profile, strings.Join(ValidProfiles(), ", ")))
	}
	if strings.TrimSpace(c.BotName) == "" {
		return bad("bot_name", "must not be empty")
	}
	// DISC-3: no "obvious" switch for consumer deployments; every known
	// profile, and the strict fallback, requires the disclosure.
	if !c.Disclosure.Enabled {
		return bad("disclosure.enabled", fmt.Sprintf("the disclosure cannot be switched off under profile %q (DISC-3: AI Act Art. 50(1), Cal. B&P 17941)", c.Profile))
	}
	if t := strings.ToLower(c.Disclosure.Text); c.englishDisclosure() && !strings.Contains(t, "automated") && !strings.Contains(t, "bot") && !strings.Contains(t, " ai") && !strings.Contains(t, "artificial") {
		return bad("disclosure.text", "must say in words that the customer talks to an automated assistant (e.g. contain \"automated\" or \"bot\") (DISC-1)")
	}
	for _, u := range []struct{ key, val string }{{"privacy_policy_url", c.PrivacyPolicyURL}, {"notice_at_collection_url", c.NoticeAtCollectionURL}} {
		if u.val == "" {
			return bad(u.key, "must be set (NOTC-1: the notice must be linked before personal data is collected)")
		}
		if _, err := url.Parse(u.val); err != nil {
			return bad(u.key, err.Error())
		}
	}
	for i, o := range c.AllowedOrigins {
		if err := checkOrigin(o); err != nil {
			return bad(fmt.Sprintf("allowed_origins[%d]", i), err.Error())
		}
	}
	for i, o := range c.FrameAncestors {
		if err := checkOrigin(o); err != nil {
			return bad(fmt.Sprintf("frame_ancestors[%d]", i), err.Error())
		}
	}
	if c.Limits.MaxMessageBytes < 16 || c.Limits.MaxMessageBytes > 64<<10 {
		return bad("limits.max_message_bytes", "must be between 16 and 65536")
	}
	if c.Limits.MessagesPerMinute < 1 {
		return bad("limits.messages_per_minute", "must be at least 1")
	}
	if c.Limits.Burst < 1 {
		return bad("limits.burst", "must be at least 1")
	}
	for _, l := range []struct {
		key string
		val int
	}{{"limits.new_sessions_per_minute", c.Limits.NewSessionsPerMinute}, {"limits.new_sessions_burst", c.Limits.NewSessionsBurst},
		{"limits.max_live_sessions", c.Limits.MaxLiveSessions}, {"limits.idle_session_minutes", c.Limits.IdleSessionMinutes}, {"limits.login_hashes", c.Limits.LoginHashes},
		{"limits.sockets_per_address", c.Limits.SocketsPerAddress}} {
		if l.val < 1 {
			return bad(l.key, "must be at least 1")
		}
	}
	for _, d := range []struct {
		key string
		val time.Duration
	}{{"timeouts.read_header", c.Timeouts.ReadHeader}, {"timeouts.read", c.Timeouts.Read}, {"timeouts.write", c.Timeouts.Write},
		{"timeouts.idle", c.Timeouts.Idle}, {"timeouts.shutdown", c.Timeouts.Shutdown}} {
		if d.val < 100*time.Millisecond || d.val > time.Hour {
			return bad(d.key, "must be between 100ms and 1h")
		}
	}
	if c.Timeouts.Read < c.Timeouts.ReadHeader {
		return bad("timeouts.read", "must not be shorter than timeouts.read_header (it includes the headers)")
	}
	if c.Limits.MinFreeDiskMB < 0 {
		return bad("limits.min_free_disk_mb", "must be 0 or more")
	}
	if c.Answer.Threshold < 0 || c.Answer.Threshold > 1 {
		return bad("answer.threshold", "must be between 0 and 1 (0 uses the calibrated default)")
	}
	if c.Answer.MissesBeforeHandover < 1 {
		return bad("answer.misses_before_handover", "must be at least 1")
	}
	for _, st := range []struct{ key, val string }{
		{"answer.small_talk.greeting", c.Answer.SmallTalk.Greeting}, {"answer.small_talk.thanks", c.Answer.SmallTalk.Thanks},
		{"answer.small_talk.goodbye", c.Answer.SmallTalk.Goodbye}, {"answer.small_talk.acknowledge", c.Answer.SmallTalk.Acknowledge},
	} {
		if strings.TrimSpace(st.val) == "" {
			return bad(st.key, "must not be empty (the bot always replies to small talk)")
		}
		if claim := compliance.FindHumanClaim(st.val); claim != "" {
			return bad(st.key, fmt.Sprintf("claims the assistant is a person (%q); an automated assistant must not (DISC-4)", claim))
		}
	}
	if strings.TrimSpace(c.Consent.Contact.Text) == "" || strings.TrimSpace(c.Consent.Contact.Version) == "" {
		return bad("consent.contact", "text and version must both be set (CONS-4)")
	}
	for _, r := range []struct {
		key  string
		days int
	}{{"retention.transcripts_days", c.Retention.TranscriptsDays}, {"retention.contact_days", c.Retention.ContactDays}, {"retention.consent_days", c.Retention.ConsentDays}, {"retention.audit_days", c.Retention.AuditDays}} {
		if r.days < 1 || r.days > 3650 {
			return bad(r.key, "must be between 1 and 3650 days")
		}
	}
	if d := c.Retention.RequestsDays; d < 730 || d > 3650 {
		return bad("retention.requests_days", "must be between 730 and 3650 days (AUD-1: request records are kept at least 24 months)")
	}
	if t := c.AdminToken.Reveal(); t != "" && len(t) < 16 {
		return bad("admin_token", "must be at least 16 characters")
	}
	if err := c.validateNetwork(bad); err != nil {
		return err
	}
	if c.Store.Sync != "full" && c.Store.Sync != "normal" {
		return bad("store.sync", fmt.Sprintf("%q must be \"full\" (default: every reply follows a commit that reached the disk) or \"normal\" (survives a process crash, not a power loss)", c.Store.Sync))
	}
	if err := c.validateHealth(bad); err != nil {
		return err
	}
	if err := c.validateBackup(bad); err != nil {
		return err
	}
	if _, err := c.CannedResponses(); err != nil {
		return err
	}
	if err := c.validateLocale(); err != nil {
		return err
	}
	return c.validateHandover(bad)
}

func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("%q must be an origin like https://shop.example", o)
	}
	return nil
}

// DisclosureText is the disclosure with {bot} and {business} filled in.
func (c Config) DisclosureText() string {
	return strings.NewReplacer("{bot}", c.BotName, "{business}", c.BusinessName).Replace(c.Disclosure.Text)
}

// Defaults returns the built-in configuration with data_dir set, ignoring
// files and the environment.
func Defaults(dataDir string) Config {
	c, err := Load(Options{NoFile: true, Getenv: func(string) string { return "" }, Flags: map[string]string{"data_dir": dataDir}})
	if err != nil {
		panic("config: built-in defaults are invalid: " + err.Error())
	}
	return c
}

// MissingPolicyArticles returns a warning for each of privacy_policy_url and
// notice_at_collection_url that links to a local article (/articles/ID, or
// public_url + /articles/ID) for which has(ID) is false: customers would get
// a 404 from the chat footer and every consent request.
func (c Config) MissingPolicyArticles(has func(id string) bool) []string {
	var out []string
	for _, u := range []struct{ key, val string }{{"privacy_policy_url", c.PrivacyPolicyURL}, {"notice_at_collection_url", c.NoticeAtCollectionURL}} {
		id, ok := localArticleID(u.val, c.PublicURL)
		if !ok || has(id) {
			continue
		}
		out = append(out, fmt.Sprintf("%s %q links to article %q, which the knowledge base lacks: customers get a 404 from the chat footer and consent requests; add %s.md to kb_dir or point %s at your policy page", u.key, u.val, id, id, u.key))
	}
	return out
}

func localArticleID(link, publicURL string) (string, bool) {
	if base := strings.TrimRight(publicURL, "/"); base != "" && strings.HasPrefix(link, base+"/") {
		link = strings.TrimPrefix(link, base)
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "", false
	}
	id, ok := strings.CutPrefix(u.Path, "/articles/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}
