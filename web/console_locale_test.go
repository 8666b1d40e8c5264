package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"deskbot/config"
)

// The agent console is sent in the agent's language (Accept-Language):
// <html lang dir>, its title and labels; its scripts' strings come from
// /agent/locale/<lang>.json with an ETag; an English browser gets English.
func TestConsoleServedInRequestLanguage(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	resp, body := getPage(t, l.URL+"/agent/", "Accept-Language", "de-DE,de;q=0.9")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`<html lang="de" dir="ltr">`, `<title data-i18n="title">Agenten-Konsole</title>`, `<h1 data-i18n="title">Agenten-Konsole</h1>`,
		`>Anmelden</button>`, `>Passwort</label>`, `>Übernehmen</button>`, `>An den Bot zurückgeben</button>`, `aria-label="Verlauf"`,
		`placeholder="Ihre Antwort… (Eingabetaste sendet, Umschalt+Eingabetaste für eine neue Zeile)"`,
		`>Markiert, wenn die nächste Frist höchstens 7 Tage entfernt oder bereits verstrichen ist.</span>`,
		`<script src="/agent/assets/i18n.js" defer=""></script>`} {
		if !strings.Contains(body, want) {
			t.Errorf("German console lacks %s", want)
		}
	}
	for _, english := range []string{">Log in<", ">Take<", ">Password<", "Agent console", `aria-label="Transcript"`} {
		if strings.Contains(body, english) {
			t.Errorf("German console still has %s", english)
		}
	}
	if v := strings.Join(resp.Header.Values("Vary"), ","); !strings.Contains(v, "Accept-Language") || resp.Header.Get("Content-Language") != "de" {
		t.Errorf("Vary %q, Content-Language %q", v, resp.Header.Get("Content-Language"))
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}

	if _, en := getPage(t, l.URL+"/agent", "Accept-Language", "en-US,en;q=0.9"); !strings.Contains(en, `<html lang="en" dir="ltr">`) || !strings.Contains(en, ">Log in</button>") {
		t.Errorf("English console: want lang en and English labels")
	}

	lr, doc := getPage(t, l.URL+"/agent/locale/de.json")
	var d struct {
		Lang, Dir string
		Strings   map[string]string
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil || lr.StatusCode != http.StatusOK {
		t.Fatalf("/agent/locale/de.json: status %d, %v", lr.StatusCode, err)
	}
	if d.Lang != "de" || d.Strings["take"] != "Übernehmen" || d.Strings["ev_queued"] == "" || d.Strings["disclosure"] != "" {
		t.Errorf("console strings %+v", d)
	}
	etag := lr.Header.Get("ETag")
	if r, _ := getPage(t, l.URL+"/agent/locale/de.json", "If-None-Match", etag); etag == "" || r.StatusCode != http.StatusNotModified {
		t.Errorf("revalidating ETag %q: status %d, want 304", etag, r.StatusCode)
	}
	if r, _ := getPage(t, l.URL+"/agent/locale/tlh.json"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown language: status %d, want 404", r.StatusCode)
	}
}

// Without a language the browser names, the console is in config
// `language`; an owner's override of a console string (locale.overrides)
// shows in the page and in the scripts' strings.
func TestConsoleDefaultLanguageAndOverride(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) {
		c.Language = "fr"
		c.Locale.Overrides = map[string]map[string]string{"fr": {"console_take": "Je prends"}}
	})
	_, body := getPage(t, l.URL+"/agent/")
	if !strings.Contains(body, `<html lang="fr" dir="ltr">`) || !strings.Contains(body, ">Je prends</button>") || !strings.Contains(body, ">Se connecter</button>") {
		t.Errorf("want the French console with the owner's take label:\n%s", body)
	}
	if _, doc := getPage(t, l.URL+"/agent/locale/fr.json"); !strings.Contains(doc, `"take":"Je prends"`) {
		t.Errorf("French console strings lack the override: %s", doc)
	}
}
