package kb

import (
	"errors"
	"testing"
)

// Front matter `lang:` is read as a canonical tag; unmarked articles are
// in the default language (empty); a malformed tag names the file.
func TestArticleLang(t *testing.T) {
	for in, want := range map[string]string{"": "", "lang: de\n": "de", "lang: PT_br\n": "pt-BR", "lang: fr-CA\n": "fr-CA"} {
		a, err := ParseArticle("a.md", []byte("---\nid: a\ntitle: A\n"+in+"---\nBody."))
		if err != nil || a.Lang != want {
			t.Errorf("%q: lang %q, %v; want %q", in, a.Lang, err, want)
		}
	}
	_, err := ParseArticle("bad.md", []byte("---\nid: a\ntitle: A\nlang: not a tag!\n---\nBody."))
	if !errors.Is(err, ErrBadLang) {
		t.Fatalf("bad lang: %v, want ErrBadLang", err)
	}
}
