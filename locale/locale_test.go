package locale

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func newCatalog(t *testing.T, opts Options) *Catalog {
	t.Helper()
	c, _, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// Every shipped language is complete: the same keys as English, each with
// the same placeholders, none empty.
func TestShippedLocalesComplete(t *testing.T) {
	c := newCatalog(t, Options{})
	if got := c.Languages(); !slices.Equal(got, []string{"de", "en", "es", "fr"}) {
		t.Fatalf("languages = %v", got)
	}
	en := c.texts[Base]
	for _, lang := range c.Languages() {
		m := c.texts[lang]
		if len(m) != len(en) {
			t.Errorf("%s has %d keys, English %d", lang, len(m), len(en))
		}
		for k, s := range en {
			tr, ok := m[k]
			if !ok {
				t.Errorf("%s lacks %q", lang, k)
				continue
			}
			want := placeholder.FindAllString(s, -1)
			got := placeholder.FindAllString(tr, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s %q placeholders %v, English %v", lang, k, got, want)
			}
			if lang != Base && tr == s && !strings.HasPrefix(k, "ui_source") && !slices.Contains(sameAsEnglish[lang], k) {
				t.Errorf("%s %q is the English text untranslated", lang, k)
			}
		}
	}
}

// sameAsEnglish are the shipped strings that read the same as in English
// in that language (a word both languages use).
var sameAsEnglish = map[string][]string{
	"de": {"console_online", "console_team", "console_bot", "console_from_system", "console_col_status"},
	"fr": {"console_conversation", "console_conv_title", "console_from_bot", "console_bot"},
	"es": {"console_from_bot", "console_bot"},
}

// The agent console's strings (console_*) are part of every shipped
// language: Console gives each language the same keys as English, in its
// own words, and an owner's override reaches it.
func TestConsoleStringsComplete(t *testing.T) {
	c := newCatalog(t, Options{Overrides: map[string]map[string]string{"de": {"console_take": "Annehmen"}}})
	en := c.Console(Base)
	if len(en) < 100 || en["take"] != "Take" || en["title"] != "Agent console" {
		t.Fatalf("English console strings: %d, take %q, title %q", len(en), en["take"], en["title"])
	}
	for _, lang := range []string{"de", "fr", "es"} {
		m := c.Console(lang)
		if len(m) != len(en) {
			t.Errorf("%s console strings: %d, English %d", lang, len(m), len(en))
		}
		for k := range en {
			if _, ok := c.texts[lang][ConsolePrefix+k]; !ok {
				t.Errorf("%s lacks %s%s", lang, ConsolePrefix, k)
			}
		}
	}
	if got := c.Console("de")["take"]; got != "Annehmen" {
		t.Errorf("override: take = %q, want Annehmen", got)
	}
	if got := c.Console("de")["log_in"]; got != "Anmelden" {
		t.Errorf("de log_in = %q, want Anmelden", got)
	}
	if got := c.Console("pt-BR")["log_in"]; got != "Log in" {
		t.Errorf("unknown language: log_in = %q, want the English", got)
	}
	for k := range c.UI(Base) {
		if strings.HasPrefix(k, ConsolePrefix) {
			t.Errorf("page strings carry console key %q", k)
		}
	}
}

// DISC-1: every shipped disclosure, identity answer and welcome-back says
// in its own language that the customer talks to an automated assistant.
func TestDisclosureSaysAutomatedInEveryLanguage(t *testing.T) {
	c := newCatalog(t, Options{})
	for _, lang := range c.Languages() {
		for _, k := range []Key{Disclosure, Identity, WelcomeBack} {
			if s := strings.ToLower(c.Text(lang, k, "bot", "Sam", "business", "Shop")); !containsAny(s, botWords[lang]) {
				t.Errorf("%s %s does not say automated: %q", lang, k, s)
			}
		}
	}
}

// The constants in keys.go and the English file name the same sentences,
// so no sentence is dead and no constant is missing its text.
func TestKeyConstantsMatchEnglish(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				consts = append(consts, s)
			}
		}
		return true
	})
	c := newCatalog(t, Options{})
	for _, k := range consts {
		if _, ok := c.texts[Base][k]; !ok {
			t.Errorf("constant %q has no English text", k)
		}
	}
	for k := range c.texts[Base] {
		if !strings.HasPrefix(k, "ui_") && !strings.HasPrefix(k, ConsolePrefix) && !slices.Contains(consts, k) {
			t.Errorf("English key %q has no constant in keys.go", k)
		}
	}
}

func TestChoose(t *testing.T) {
	c := newCatalog(t, Options{})
	cases := []struct {
		name  string
		prefs []string
		want  string
	}{
		{"browser German", []string{"", "de-DE,de;q=0.9,en;q=0.8"}, "de"},
		{"Canadian French", []string{"fr-CA"}, "fr"},
		{"Mexican Spanish", []string{"es-MX,es;q=0.9"}, "es"},
		{"British English", []string{"en-GB"}, "en"},
		{"quality order wins over header order", []string{"en;q=0.5, de;q=0.9"}, "de"},
		{"page attribute before the browser", []string{"es", "de-DE"}, "es"},
		{"unknown language falls to the default", []string{"ja-JP,ja"}, "en"},
		{"unparseable then German", []string{"@@", "de"}, "de"},
		{"nothing", nil, "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Choose(tc.prefs...); got != tc.want {
				t.Fatalf("Choose(%q) = %q, want %q", tc.prefs, got, tc.want)
			}
		})
	}
	fr := newCatalog(t, Options{Default: "fr"})
	if got := fr.Choose("ja"); got != "fr" {
		t.Fatalf("default fr: Choose(ja) = %q", got)
	}
}

func TestTextFillsPlaceholdersAndFallsBack(t *testing.T) {
	c := newCatalog(t, Options{})
	got := c.Text("de", HandoverQueued, "position", "2", "bot", "Sam")
	if !strings.Contains(got, "Nummer 2") || !strings.Contains(got, "Sam") || strings.Contains(got, "{") {
		t.Fatalf("German handover = %q", got)
	}
	if got := c.Text("de-AT", SmallTalkThanks); !strings.HasPrefix(got, "Gern geschehen") {
		t.Fatalf("de-AT falls back to de: %q", got)
	}
	if got := c.Text("ja", SmallTalkThanks); got != c.Text("en", SmallTalkThanks) {
		t.Fatalf("unknown language falls back to English: %q", got)
	}
	if got := c.UI("fr")["send"]; got != "Envoyer" {
		t.Fatalf("UI(fr)[send] = %q", got)
	}
	if got := Name("en", "de"); got != "Englisch" {
		t.Fatalf("Name(en, de) = %q", got)
	}
	if Direction("ar-EG") != "rtl" || Direction("de") != "ltr" {
		t.Fatal("direction")
	}
}

func writeLocale(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// An owner's folder adds a language (partial: English fills the gaps, and
// the operator is told) and rewords a shipped one.
func TestOwnerFolderAddsAndOverrides(t *testing.T) {
	dir := t.TempDir()
	writeLocale(t, dir, "it.json", `{"disclosure": "Ciao, sono {bot}, un assistente automatico di {business}, non una persona.", "small_talk_thanks": "Prego!"}`)
	writeLocale(t, dir, "de.json", `{"small_talk_goodbye": "Tschüss!"}`)
	c, warnings, err := New(Options{Dir: dir, Default: "it"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Choose("it-IT"); got != "it" {
		t.Fatalf("Choose(it-IT) = %q", got)
	}
	if got := c.Text("it", SmallTalkThanks); got != "Prego!" {
		t.Fatalf("it thanks = %q", got)
	}
	if got := c.Text("it", SmallTalkGoodbye); got != c.Text("en", SmallTalkGoodbye) {
		t.Fatalf("missing it sentence should be English, got %q", got)
	}
	if got := c.Text("de", SmallTalkGoodbye); got != "Tschüss!" {
		t.Fatalf("de override = %q", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "locale it:") || !strings.Contains(warnings[0], "missing") {
		t.Fatalf("warnings = %q", warnings)
	}
	if got := c.Default(); got != "it" {
		t.Fatalf("default = %q", got)
	}
}

func TestBadLocalesRefusedNamingWhy(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		body  string
		opts  Options
		wants []string
	}{
		{name: "misspelt key", file: "de.json", body: `{"small_talk_thank": "Danke"}`, wants: []string{"de.json", `"small_talk_thank"`, `did you mean "small_talk_thanks"`}},
		{name: "foreign placeholder", file: "fr.json", body: `{"small_talk_thanks": "Merci {agent}"}`, wants: []string{"small_talk_thanks", "{agent}", "no placeholders"}},
		{name: "not JSON strings", file: "es.json", body: `{"fallback": 3}`, wants: []string{"es.json", "JSON object of strings"}},
		{name: "file not a language", file: "shop.json", body: `{}`, wants: []string{"shop.json", "language tag"}},
		{name: "empty sentence", file: "de.json", body: `{"fallback": "  "}`, wants: []string{"fallback", "empty"}},
		{name: "disclosure without saying automated (DISC-1)", file: "it.json", body: `{"disclosure": "Ciao, sono {bot} di {business}."}`, wants: []string{"locale it", "DISC-1"}},
		{name: "unknown default", opts: Options{Default: "ja"}, wants: []string{"language:", `"ja"`, "de, en, es, fr"}},
		{name: "override of unknown key", opts: Options{Overrides: map[string]map[string]string{"de": {"nope": "x"}}}, wants: []string{"locale.overrides.de", `"nope"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			if tc.file != "" {
				opts.Dir = t.TempDir()
				writeLocale(t, opts.Dir, tc.file, tc.body)
			}
			_, _, err := New(opts)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// Placeholders are lower-case words in braces; a typo such as "{Bot}"
// would be left unfilled in front of customers.
func TestShippedPlaceholdersWellFormed(t *testing.T) {
	c := newCatalog(t, Options{})
	brace := regexp.MustCompile(`\{[^}]*\}`)
	for lang, m := range c.texts {
		for k, s := range m {
			for _, p := range brace.FindAllString(s, -1) {
				if !placeholder.MatchString(p) {
					t.Errorf("%s %q has malformed placeholder %s", lang, k, p)
				}
			}
		}
	}
}
