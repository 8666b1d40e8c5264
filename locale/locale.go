// Package locale holds what deskbot says to customers in each language it
// ships (English, German, French, Spanish), and the agent console's own
// labels, chooses a customer's (or agent's) language, and applies an
// owner's own wording or extra languages.
package locale

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"deskbot/internal/editdist"

	"golang.org/x/text/language"
)

//go:embed messages/*.json
var shipped embed.FS

// Base is the language every other locale falls back to, key by key.
const Base = "en"

// ErrInvalid marks a locale file, override or default that cannot be used;
// the message names the file or key and why.
var ErrInvalid = errors.New("invalid locale")

// Options say where an owner's wording comes from.
type Options struct {
	// Default is the language used when neither the page nor the browser
	// names one the catalog has (config `language`).
	Default string
	// Dir, when set, holds extra or overriding locale files named by
	// language tag (it.json, de.json, pt-BR.json): a key present there
	// replaces the shipped sentence; a missing key falls back to English.
	Dir string
	// Overrides are single sentences by language and key (config
	// `locale.overrides.<lang>.<key>`), applied last.
	Overrides map[string]map[string]string
}

// Catalog is every sentence in every available language. It is read-only
// after New and safe for concurrent use.
type Catalog struct {
	def     string
	texts   map[string]map[string]string
	langs   []string
	matcher language.Matcher
}

// New loads the shipped locales, then opts.Dir, then opts.Overrides. It
// returns warnings an operator should see (e.g. keys an added language
// lacks) and an error wrapping ErrInvalid for anything unusable.
func New(opts Options) (*Catalog, []string, error) {
	c := &Catalog{texts: map[string]map[string]string{}}
	var warnings []string
	entries, err := fs.ReadDir(shipped, "messages")
	if err != nil {
		return nil, nil, fmt.Errorf("reading shipped locales: %w", err)
	}
	for _, e := range entries {
		b, err := shipped.ReadFile("messages/" + e.Name())
		if err != nil {
			return nil, nil, fmt.Errorf("reading shipped locale %s: %w", e.Name(), err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, nil, fmt.Errorf("shipped locale %s: %w", e.Name(), err)
		}
		c.texts[strings.TrimSuffix(e.Name(), ".json")] = m
	}
	base := c.texts[Base]
	if opts.Dir != "" {
		files, err := filepath.Glob(filepath.Join(opts.Dir, "*.json"))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrInvalid, opts.Dir, err)
		}
		sort.Strings(files)
		for _, f := range files {
			tag, err := canonical(strings.TrimSuffix(filepath.Base(f), ".json"))
			if err != nil {
				return nil, nil, fmt.Errorf("%w: %s: the file name must be a language tag such as it.json or pt-BR.json", ErrInvalid, f)
			}
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: %s: %v", ErrInvalid, f, err)
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, nil, fmt.Errorf("%w: %s: not a JSON object of strings: %v", ErrInvalid, f, err)
			}
			if err := c.merge(tag, m, f); err != nil {
				return nil, nil, err
			}
		}
	}
	for lang, m := range opts.Overrides {
		tag, err := canonical(lang)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: locale.overrides.%s: not a language tag", ErrInvalid, lang)
		}
		if err := c.merge(tag, m, "locale.overrides."+lang); err != nil {
			return nil, nil, err
		}
	}
	for lang, m := range c.texts {
		if missing := len(base) - len(m); missing > 0 && lang != Base {
			if _, isShipped := shippedLangs[lang]; !isShipped {
				warnings = append(warnings, fmt.Sprintf("locale %s: %d of %d sentences missing; English is used for them", lang, missing, len(base)))
			}
		}
		// DISC-1: the disclosure must say in the customer's language that
		// this is an automated assistant. Only languages whose words are
		// known can be checked; others are warned about.
		words, known := botWords[primary(lang)]
		// Placeholders are removed first: "{bot}" is a name, not a statement.
		d := strings.ToLower(placeholder.ReplaceAllString(c.lookup(lang, string(Disclosure)), " "))
		switch {
		case known && !containsAny(d, words):
			return nil, nil, fmt.Errorf("%w: locale %s: disclosure must say that the customer talks to an automated assistant (e.g. %q) (DISC-1)", ErrInvalid, lang, words[0])
		case !known:
			warnings = append(warnings, fmt.Sprintf("locale %s: check by hand that its disclosure says the customer talks to an automated assistant (DISC-1)", lang))
		}
	}
	for lang := range c.texts {
		c.langs = append(c.langs, lang)
	}
	sort.Strings(c.langs)
	// The base language first: the matcher falls back to its first tag.
	tags := []language.Tag{language.MustParse(Base)}
	for _, l := range c.langs {
		if l != Base {
			tags = append(tags, language.MustParse(l))
		}
	}
	c.matcher = language.NewMatcher(tags)
	c.def = Base
	if opts.Default != "" {
		d, err := canonical(opts.Default)
		if err != nil || c.texts[d] == nil {
			return nil, nil, fmt.Errorf("%w: language: %q is not an available language; available: %s", ErrInvalid, opts.Default, strings.Join(c.langs, ", "))
		}
		c.def = d
	}
	return c, warnings, nil
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// merge applies one source's sentences to lang after checking each key
// exists and uses only the placeholders the English sentence has.
func (c *Catalog) merge(lang string, m map[string]string, from string) error {
	base := c.texts[Base]
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		en, ok := base[k]
		if !ok {
			return fmt.Errorf("%w: %s: unknown key %q%s", ErrInvalid, from, k, closest(k, base))
		}
		allowed := placeholder.FindAllString(en, -1)
		for _, p := range placeholder.FindAllString(m[k], -1) {
			if !slices.Contains(allowed, p) {
				return fmt.Errorf("%w: %s: key %q uses %s; it may use only %s", ErrInvalid, from, k, p, orNone(allowed))
			}
		}
		if strings.TrimSpace(m[k]) == "" {
			return fmt.Errorf("%w: %s: key %q is empty", ErrInvalid, from, k)
		}
	}
	if c.texts[lang] == nil {
		c.texts[lang] = map[string]string{}
	}
	for _, k := range keys {
		c.texts[lang][k] = m[k]
	}
	return nil
}

// Default is the language used when nothing better is known.
func (c *Catalog) Default() string { return c.def }

// Languages lists the available languages, sorted.
func (c *Catalog) Languages() []string { return slices.Clone(c.langs) }

// Has reports whether lang is an available language (exactly).
func (c *Catalog) Has(lang string) bool { return c.texts[lang] != nil }

// Choose picks the customer's language from preferences in order, each a
// language tag (the page's or widget's attribute, a language the customer
// picked) or an Accept-Language header; the first that matches an
// available language wins, else the default.
func (c *Catalog) Choose(prefs ...string) string {
	for _, p := range prefs {
		if lang, ok := c.Match(p); ok {
			return lang
		}
	}
	return c.def
}

// Match is the available language that pref (a tag or an Accept-Language
// header) names, and false when it names none.
func (c *Catalog) Match(pref string) (string, bool) {
	pref = strings.TrimSpace(pref)
	if pref == "" || len(pref) > 200 {
		return "", false
	}
	tags, _, err := language.ParseAcceptLanguage(pref)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return "", false
	}
	lang := Base
	if idx > 0 {
		lang = c.nonBase()[idx-1]
	}
	// The matcher falls back to English at low confidence for a language
	// it does not know (e.g. "tlh"): only a named language counts.
	for _, t := range tags {
		if b, _ := t.Base(); b.String() == primary(lang) {
			return lang, true
		}
	}
	return "", false
}

func (c *Catalog) nonBase() []string {
	out := make([]string, 0, len(c.langs))
	for _, l := range c.langs {
		if l != Base {
			out = append(out, l)
		}
	}
	return out
}

// Text is the sentence key in lang with its placeholders filled from
// name/value pairs, e.g. Text("de", Identity, "bot", "Sam"). A language or
// key the catalog lacks falls back to English.
func (c *Catalog) Text(lang string, key Key, pairs ...string) string {
	s := c.lookup(lang, string(key))
	if len(pairs) == 0 {
		return s
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(args...).Replace(s)
}

func (c *Catalog) lookup(lang, key string) string {
	if s, ok := c.texts[lang][key]; ok {
		return s
	}
	if p := primary(lang); p != lang {
		if s, ok := c.texts[p][key]; ok {
			return s
		}
	}
	return c.texts[Base][key]
}

// UI is the page's own strings in lang, keyed without the "ui_" prefix,
// English where lang lacks one.
func (c *Catalog) UI(lang string) map[string]string {
	out := map[string]string{}
	for k := range c.texts[Base] {
		if name, ok := strings.CutPrefix(k, "ui_"); ok {
			out[name] = c.lookup(lang, k)
		}
	}
	return out
}

// Console is the agent console's own strings in lang, keyed without the
// "console_" prefix, English where lang lacks one. The console's language
// is the agent's browser's (Accept-Language), else the default; owner
// files and overrides apply to these keys as to every other.
func (c *Catalog) Console(lang string) map[string]string {
	out := map[string]string{}
	for k := range c.texts[Base] {
		if name, ok := strings.CutPrefix(k, ConsolePrefix); ok {
			out[name] = c.lookup(lang, k)
		}
	}
	return out
}

// ConsolePrefix starts every key of the agent console's strings.
const ConsolePrefix = "console_"

// Direction is "rtl" for languages written right to left, else "ltr".
func Direction(lang string) string {
	if rtl[primary(lang)] {
		return "rtl"
	}
	return "ltr"
}

var rtl = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ps": true, "sd": true, "ug": true, "yi": true, "dv": true, "ckb": true}

// shippedLangs are complete by construction (a test checks it).
var shippedLangs = map[string]struct{}{"en": {}, "de": {}, "fr": {}, "es": {}}

// botWords are words that say "automated assistant" per language (DISC-1).
var botWords = map[string][]string{
	"en": {"automated", "bot", " ai ", "artificial"},
	"de": {"automatisiert", "bot", " ki ", "künstlich"},
	"fr": {"automatisé", "bot", " ia ", "artificiel"},
	"es": {"automatizado", "bot", " ia ", "artificial"},
	"it": {"automatico", "automatizzato", "bot", " ia ", "artificiale"},
	"nl": {"geautomatiseerd", "bot", " ai ", "kunstmatig"},
	"pl": {"automatyczny", "bot", " ai ", " si ", "sztuczn"},
	"pt": {"automático", "automatizado", "bot", " ia ", "artificial"},
}

func containsAny(s string, words []string) bool {
	s = " " + s + " "
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// canonical turns "pt_br" or "DE" into the tag form files and the
// catalog use ("pt-BR", "de").
func canonical(s string) (string, error) {
	t, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", err
	}
	return t.String(), nil
}

func primary(lang string) string {
	base, _, _ := strings.Cut(lang, "-")
	return base
}

func orNone(p []string) string {
	if len(p) == 0 {
		return "no placeholders"
	}
	return strings.Join(p, ", ")
}

// closest suggests the known key nearest to a misspelt one.
func closest(k string, base map[string]string) string {
	best, bestD := "", 4
	for cand := range base {
		if d := editdist.Distance(k, cand); d < bestD || (d == bestD && cand < best) {
			best, bestD = cand, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Name is lang's name written in the language in, for sentences such as
// "this answer is in English"; the tag itself when no name is known.
func Name(lang, in string) string {
	if n, ok := names[primary(in)][primary(lang)]; ok {
		return n
	}
	if n, ok := names[Base][primary(lang)]; ok {
		return n
	}
	return lang
}

var names = map[string]map[string]string{
	"en": {"en": "English", "de": "German", "fr": "French", "es": "Spanish"},
	"de": {"en": "Englisch", "de": "Deutsch", "fr": "Französisch", "es": "Spanisch"},
	"fr": {"en": "anglais", "de": "allemand", "fr": "français", "es": "espagnol"},
	"es": {"en": "inglés", "de": "alemán", "fr": "francés", "es": "español"},
}
