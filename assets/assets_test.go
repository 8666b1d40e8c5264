package assets

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestFSContainsServedFiles(t *testing.T) {
	for _, name := range []string{"chat/index.html", "chat/chat.js", "chat/md.js", "chat/chat.css", "widget.js", "agent/agent.js"} {
		b, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}

// The server's CSP forbids inline scripts, inline handlers and style
// attributes, and allows only same-origin resources.
func TestIndexIsCSPClean(t *testing.T) {
	b, err := fs.ReadFile(FS(), "chat/index.html")
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	checks := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"inline script", regexp.MustCompile(`(?is)<script(?:\s[^>]*)?>\s*[^<\s]`)},
		{"event handler attribute", regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)},
		{"style attribute", regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`)},
		{"style element", regexp.MustCompile(`(?i)<style[\s>]`)},
		{"external resource", regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?(?:https?:)?//`)},
	}
	for _, c := range checks {
		if loc := c.re.FindStringIndex(html); loc != nil {
			t.Errorf("%s found: %q", c.name, html[loc[0]:min(loc[1]+40, len(html))])
		}
	}
	for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("script element without src: %s", tag)
		}
	}
	for _, want := range []string{`src="/static/md.js"`, `src="/static/chat.js"`, `href="/static/chat.css"`} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html does not reference %s", want)
		}
	}
}

// The browser tests and the widget rely on these hooks.
func TestIndexHasHooks(t *testing.T) {
	b, err := fs.ReadFile(FS(), "chat/index.html")
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		`id="log"`, `role="log"`, `aria-live="polite"`, // DISC-2: announced log
		`id="composer"`, `id="input"`, `id="send"`, `id="status"`,
		`data-connected="false"`, `>Talk to a person<`,
		`data-tool="export"`, `data-tool="erase"`, `>Privacy<`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	// D3: a maxlength would cut pasted text silently; the page counts bytes instead.
	if strings.Contains(html, "maxlength") {
		t.Error("index.html sets a maxlength")
	}
	if strings.Contains(html, "autofocus") {
		t.Error("DISC-2: the input must not be focused before the disclosure is shown")
	}
}

// Server text must never be parsed as HTML.
func TestScriptsAvoidHTMLSinks(t *testing.T) {
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function`)
	for _, name := range []string{"chat/chat.js", "chat/md.js", "chat/i18n.js", "chat/store.js", "chat/export.js", "chat/typing.js", "widget.js", "agent/agent.js"} {
		b, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if m := sinks.Find(b); m != nil {
			t.Errorf("%s uses %s", name, m)
		}
		if strings.Contains(string(b), "setAttribute('style'") {
			t.Errorf("%s sets a style attribute, which a strict CSP blocks", name)
		}
	}
}
