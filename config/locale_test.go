package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/locale"
)

// language, locale.dir and locale.overrides are checked at start; each
// refusal names the key or file.
func TestLocaleKeysRefusedNamingWhy(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "de.json"), []byte(`{"small_talk_thank": "Danke"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, yaml string
		wants      []string
	}{
		{"unknown language", "language: ja\n", []string{"language", `"ja"`, "de, en, es, fr"}},
		{"missing folder", "locale:\n  dir: /nonexistent/locales\n", []string{"locale.dir"}},
		{"bad file", "locale:\n  dir: " + dir + "\n", []string{"de.json", `"small_talk_thank"`, "small_talk_thanks"}},
		{"override of unknown key", "locale:\n  overrides:\n    de:\n      nope: x\n", []string{"locale.overrides.de", `"nope"`}},
		// DISC-1 in the default language's words: a German disclosure.text
		// that says nothing of a machine is refused naming the key.
		{"German disclosure.text without automated", "language: de\ndisclosure:\n  text: \"Hallo, hier ist {bot} von {business}.\"\n", []string{"disclosure.text", "DISC-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(Options{File: writeFile(t, tc.yaml), Getenv: env(nil)})
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

// A German disclosure.text is accepted with language: de (checked with
// German words) and becomes the German disclosure only; overrides come from
// the file and from DESKBOT_LOCALE_OVERRIDES_<LANG>_<KEY>; DATA_DIR/locales
// is the default folder.
func TestLocaleConfigApplied(t *testing.T) {
	data := t.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "locales"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "locales", "fr.json"), []byte(`{"small_talk_goodbye": "Salut !"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := "data_dir: " + data + "\nlanguage: de\ndisclosure:\n  text: \"Hallo, ich bin {bot}, ein Bot von {business}.\"\nlocale:\n  overrides:\n    es:\n      small_talk_thanks: \"¡De nada!\"\n"
	c, err := Load(Options{File: writeFile(t, yaml), Getenv: env(map[string]string{"DESKBOT_LOCALE_OVERRIDES_DE_FALLBACK": "Leider weiß ich das nicht."}),
		Environ: func() []string { return []string{"DESKBOT_LOCALE_OVERRIDES_DE_FALLBACK=Leider weiß ich das nicht."} }})
	if err != nil {
		t.Fatal(err)
	}
	cat, _, err := c.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		key  locale.Key
		want string
	}{
		{"de", locale.Disclosure, "Hallo, ich bin {bot}, ein Bot von {business}."},
		{"de", locale.Fallback, "Leider weiß ich das nicht."},
		{"es", locale.SmallTalkThanks, "¡De nada!"},
		{"fr", locale.SmallTalkGoodbye, "Salut !"},
	} {
		if got := cat.Text(tc.lang, tc.key); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
	if got := cat.Text("en", locale.Disclosure); !strings.Contains(got, "automated assistant") {
		t.Errorf("English disclosure = %q, want the shipped one", got)
	}
	if cat.Default() != "de" {
		t.Errorf("default = %q", cat.Default())
	}
}
