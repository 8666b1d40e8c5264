package kb

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseArticle feeds arbitrary files to the article parser: it must
// never panic, every refusal names the file and one of the documented
// reasons, and every article it accepts satisfies what the index and the
// bot rely on (a valid id, a title, a version, trimmed questions and tags).
func FuzzParseArticle(f *testing.F) {
	for _, s := range []string{
		"---\nid: returns-policy\ntitle: Returning an item\nquestions:\n  - How do I return an item?\ntags: [returns]\nowner: customer-service\nversion: \"3\"\nreviewed: 2026-10-01\nreview_by: 2027-10-01\n---\nYou can return unused items within 30 days.\n",
		"---\nid: a\ntitle: T\n---",
		"---\n---\nbody only",
		"---\nid: a\ntitle: T\n",
		"\xef\xbb\xbf---\r\nid: bom\r\ntitle: CRLF and BOM\r\n---\r\nbody\r\n",
		"---\nid: Bad_ID\ntitle: T\n---\n",
		"---\nid: a\ntitle: T\nversion: [1, 2]\n---\n",
		"---\nid: a\ntitle: T\nreviewed: yesterday\n---\n",
		"---\nid: a\ntitle: T\nquestions: how?\n---\n",
		"---\nid: a\ntitle: T\nquestions: [\"  \", x]\ntags: [\"\"]\n---\n",
		"---\n: [\n---\n",
		"---\nid: &a a\ntitle: *a\n---\n",
		"---\nid: a\ntitle: T\n---\n---\n---\n",
		"no front matter",
		"",
	} {
		f.Add(s)
	}
	// The demo knowledge base: real articles as shops write them.
	if paths, _ := filepath.Glob(filepath.Join("demo", "*.md")); len(paths) > 0 {
		for _, p := range paths[:min(len(paths), 5)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(string(b))
			}
		}
	}
	sentinels := []error{ErrNoFrontMatter, ErrBadYAML, ErrMissingField, ErrBadID, ErrBadDate}
	f.Fuzz(func(t *testing.T, data string) {
		const p = "help/article.md"
		a, err := ParseArticle(p, []byte(data))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != p {
				t.Fatalf("error does not name the file: %v", err)
			}
			known := false
			for _, s := range sentinels {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("error without a documented reason: %v", err)
			}
			return
		}
		if !idPattern.MatchString(a.ID) {
			t.Fatalf("accepted invalid id %q", a.ID)
		}
		if a.Title == "" || a.Title != strings.TrimSpace(a.Title) || !utf8.ValidString(a.Title) {
			t.Fatalf("accepted title %q", a.Title)
		}
		if a.Version == "" || a.Path != p || a.Body != strings.TrimSpace(a.Body) {
			t.Fatalf("accepted article with version %q, path %q, body %q", a.Version, a.Path, a.Body)
		}
		for _, list := range [][]string{a.Questions, a.Tags} {
			for _, s := range list {
				if s == "" || s != strings.TrimSpace(s) {
					t.Fatalf("accepted untrimmed or empty entry %q", s)
				}
			}
		}
		// Windows line endings parse to the same article.
		if !strings.Contains(data, "\r") {
			b, err := ParseArticle(p, []byte(strings.ReplaceAll(data, "\n", "\r\n")))
			if err != nil {
				t.Fatalf("CRLF copy refused: %v", err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("CRLF copy parses differently:\n%#v\n%#v", a, b)
			}
		}
	})
}
