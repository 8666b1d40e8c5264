package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"deskbot/locale"
)

// Locale says where an owner's own wording comes from (locale package).
type Locale struct {
	// Dir holds extra or overriding locale files (it.json, de.json); empty
	// means DATA_DIR/locales when that folder exists.
	Dir string `mapstructure:"dir"`
	// Overrides are single sentences: locale.overrides.<lang>.<key>, e.g.
	// locale.overrides.de.fallback (env DESKBOT_LOCALE_OVERRIDES_DE_FALLBACK).
	Overrides map[string]map[string]string `mapstructure:"overrides"`
}

// legacySentences are the English-only keys that predate locale files,
// with the locale key each one words. An owner who changed one from its
// default wrote it for the shop's own language: it overrides that sentence
// for the configured `language` only (customers in other languages get the
// shipped translation). An explicit locale.overrides entry for the same
// language and key wins over it.
func (c Config) legacySentences() []struct{ key, locale, val, def string } {
	d := defaults()
	str := func(k string) string { s, _ := d[k].(string); return s }
	return []struct{ key, locale, val, def string }{
		{"disclosure.text", "disclosure", c.Disclosure.Text, str("disclosure.text")},
		{"answer.small_talk.greeting", "small_talk_greeting", c.Answer.SmallTalk.Greeting, str("answer.small_talk.greeting")},
		{"answer.small_talk.thanks", "small_talk_thanks", c.Answer.SmallTalk.Thanks, str("answer.small_talk.thanks")},
		{"answer.small_talk.goodbye", "small_talk_goodbye", c.Answer.SmallTalk.Goodbye, str("answer.small_talk.goodbye")},
		{"answer.small_talk.acknowledge", "small_talk_acknowledge", c.Answer.SmallTalk.Acknowledge, str("answer.small_talk.acknowledge")},
		{"consent.contact.text", "consent_contact", c.Consent.Contact.Text, str("consent.contact.text")},
	}
}

// englishDisclosure: disclosure.text is checked for English words only
// when it is the English sentence; in another default language the
// locale check reads it with that language's words (DISC-1).
func (c Config) englishDisclosure() bool {
	lang, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(c.Language)), "-")
	return lang == "" || lang == "en"
}

// LocaleOptions is what locale.New needs: the default language, the
// owner's folder (locale.dir, else DATA_DIR/locales when it exists) and
// the overrides, the legacy English-only keys included (legacySentences).
func (c Config) LocaleOptions() locale.Options {
	dir := c.Locale.Dir
	if dir == "" && c.DataDir != "" {
		if st, err := os.Stat(filepath.Join(c.DataDir, "locales")); err == nil && st.IsDir() {
			dir = filepath.Join(c.DataDir, "locales")
		}
	}
	over := map[string]map[string]string{}
	for lang, m := range c.Locale.Overrides {
		over[lang] = map[string]string{}
		for k, v := range m {
			over[lang][k] = v
		}
	}
	lang := strings.TrimSpace(c.Language)
	if lang == "" {
		lang = locale.Base
	}
	for _, l := range c.legacySentences() {
		if l.val == l.def || strings.TrimSpace(l.val) == "" {
			continue
		}
		if over[lang] == nil {
			over[lang] = map[string]string{}
		}
		if _, set := over[lang][l.locale]; !set {
			over[lang][l.locale] = l.val
		}
	}
	return locale.Options{Default: lang, Dir: dir, Overrides: over}
}

// Catalog builds the sentence catalog this configuration describes; the
// warnings are for the operator's log.
func (c Config) Catalog() (*locale.Catalog, []string, error) {
	return locale.New(c.LocaleOptions())
}

// validateLocale refuses a language, folder, file or override that cannot
// be used, naming the key or file.
func (c Config) validateLocale() error {
	if strings.TrimSpace(c.Language) == "" {
		return fmt.Errorf("%w: language: must not be empty (e.g. \"en\")", ErrInvalid)
	}
	if c.Locale.Dir != "" {
		if st, err := os.Stat(c.Locale.Dir); err != nil || !st.IsDir() {
			return fmt.Errorf("%w: locale.dir: %q is not a readable folder", ErrInvalid, c.Locale.Dir)
		}
	}
	_, _, err := c.Catalog()
	if err == nil {
		return nil
	}
	msg := strings.TrimPrefix(err.Error(), locale.ErrInvalid.Error()+": ")
	// A legacy key's wording is named by its own key.
	for _, l := range c.legacySentences() {
		if l.val != l.def && strings.Contains(msg, "locale.overrides.") && strings.Contains(msg, "\""+l.locale+"\"") {
			msg = l.key + " (" + msg + ")"
			break
		}
		if l.locale == "disclosure" && l.val != l.def && strings.Contains(msg, "DISC-1") {
			msg = l.key + ": " + msg
			break
		}
	}
	if errors.Is(err, locale.ErrInvalid) {
		return fmt.Errorf("%w: %s", ErrInvalid, msg)
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

// overridesFromEnv reads DESKBOT_LOCALE_OVERRIDES_<LANG>_<KEY> (e.g.
// DESKBOT_LOCALE_OVERRIDES_DE_FALLBACK) into locale.overrides; the key is
// the rest of the name in lower case.
func (c *Config) overridesFromEnv(opts Options, getenv func(string) string) error {
	environ := opts.Environ
	if environ == nil {
		if opts.Getenv != nil {
			return nil // a test's environment: only what it passes counts
		}
		environ = os.Environ
	}
	var names []string
	for _, kv := range environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envOverridePrefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		lang, key, ok := strings.Cut(strings.TrimPrefix(name, envOverridePrefix), "_")
		if !ok || lang == "" || key == "" {
			return fmt.Errorf("%w: %s: expected %s<LANG>_<KEY>, e.g. %sDE_FALLBACK", ErrInvalid, name, envOverridePrefix, envOverridePrefix)
		}
		if c.Locale.Overrides == nil {
			c.Locale.Overrides = map[string]map[string]string{}
		}
		lang = strings.ToLower(lang)
		if c.Locale.Overrides[lang] == nil {
			c.Locale.Overrides[lang] = map[string]string{}
		}
		c.Locale.Overrides[lang][strings.ToLower(key)] = getenv(name)
	}
	return nil
}

const envOverridePrefix = "DESKBOT_LOCALE_OVERRIDES_"

// mapNode renders a map[string]… with sorted keys (locale.overrides).
func mapNode(v reflect.Value, render func(reflect.Value) *yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if v.Len() == 0 {
		n.Style = yaml.FlowStyle
	}
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.String()}, render(v.MapIndex(k)))
	}
	return n
}
