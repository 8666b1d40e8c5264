package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"deskbot/config"
)

// get fetches path with the given header pairs and returns the response
// and its body, unzipped when the server sent gzip.
func getPage(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// Set by hand, so the transport does not unzip silently.
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// The chat page (/) is sent in the language Accept-Language names (else
// config `language`): <html lang dir>, its static strings and its title,
// before any script runs; each language has its own ETag, revalidates to
// 304, and the response varies on Accept-Language.
func TestChatPageServedInRequestLanguage(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	de, body := getPage(t, l.URL+"/", "Accept-Language", "de-DE,de;q=0.9,en;q=0.5")
	if de.StatusCode != http.StatusOK {
		t.Fatalf("status %d", de.StatusCode)
	}
	for _, want := range []string{`<html lang="de" dir="ltr">`, `placeholder="Ihre Frage…"`, `>Senden</button>`,
		`<title>Kundenservice-Chat (Automatisierter Assistent)</title>`, `aria-label="Gespräch"`, `(öffnet in einem neuen Tab)`} {
		if !strings.Contains(body, want) {
			t.Errorf("German page lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "Type your question") || strings.Contains(body, ">Send<") {
		t.Errorf("German page still has English strings")
	}
	if v := strings.Join(de.Header.Values("Vary"), ","); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("Vary %q, want Accept-Language and Accept-Encoding", v)
	}
	if cl := de.Header.Get("Content-Language"); cl != "de" {
		t.Errorf("Content-Language %q, want de", cl)
	}

	en, enBody := getPage(t, l.URL+"/", "Accept-Language", "en-GB")
	if !strings.Contains(enBody, `<html lang="en" dir="ltr">`) || !strings.Contains(enBody, "<strong>automated assistant</strong>") {
		t.Errorf("English page: want lang en and the subtitle's markup kept:\n%s", enBody)
	}
	if en.Header.Get("ETag") == "" || en.Header.Get("ETag") == de.Header.Get("ETag") {
		t.Errorf("ETags en %q, de %q: want one per language", en.Header.Get("ETag"), de.Header.Get("ETag"))
	}
	// Revalidation: the German ETag is current for German, not for English.
	if r, _ := getPage(t, l.URL+"/", "Accept-Language", "de", "If-None-Match", de.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
		t.Errorf("German revalidation: status %d, want 304", r.StatusCode)
	}
	if r, _ := getPage(t, l.URL+"/", "Accept-Language", "en", "If-None-Match", de.Header.Get("ETag")); r.StatusCode != http.StatusOK {
		t.Errorf("English request with the German ETag: status %d, want 200", r.StatusCode)
	}
	// gzip: its own ETag per language, and the same German page inside.
	gz, gzBody := getPage(t, l.URL+"/", "Accept-Language", "de", "Accept-Encoding", "gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == de.Header.Get("ETag") || gzBody != body {
		t.Errorf("gzip: encoding %q, ETag %q (identity %q), same body %v", gz.Header.Get("Content-Encoding"), gz.Header.Get("ETag"), de.Header.Get("ETag"), gzBody == body)
	}
	// The page's own ?lang= (the widget's data-lang) wins over the header.
	if _, b := getPage(t, l.URL+"/?embed=1&lang=fr", "Accept-Language", "de"); !strings.Contains(b, `<html lang="fr" dir="ltr">`) || !strings.Contains(b, ">Envoyer</button>") {
		t.Errorf("?lang=fr: want the French page")
	}
}

// Without a language the browser names, the page is in config `language`,
// and an owner's override of a page string shows in the served page.
func TestChatPageDefaultLanguageAndOverride(t *testing.T) {
	t.Parallel()
	l := startBot(t, func(c *config.Config) {
		c.Language = "es"
		c.Locale.Overrides = map[string]map[string]string{"es": {"ui_send": "Mandar"}}
	})
	_, body := getPage(t, l.URL+"/", "Accept-Language", "tlh")
	if !strings.Contains(body, `<html lang="es" dir="ltr">`) || !strings.Contains(body, ">Mandar</button>") || !strings.Contains(body, `placeholder="Escriba su pregunta…"`) {
		t.Errorf("want the Spanish page with the owner's send label:\n%s", body)
	}
}
