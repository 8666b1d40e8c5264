package features

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeArticles writes a scenario's own articles as Markdown files with
// front matter into dir, the knowledge-base folder of the in-process bot.
func writeArticles(dir string, arts []article) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for i, a := range arts {
		id := a.id
		if id == "" {
			id = slug(a.title)
			if id == "" {
				id = fmt.Sprintf("article-%d", i+1)
			}
		}
		qs := a.questions
		if len(qs) == 0 {
			qs = []string{a.title}
		}
		var b strings.Builder
		b.WriteString("---\n")
		fmt.Fprintf(&b, "id: %s\n", id)
		fmt.Fprintf(&b, "title: %s\n", yamlQuote(a.title))
		b.WriteString("questions:\n")
		for _, q := range qs {
			fmt.Fprintf(&b, "  - %s\n", yamlQuote(q))
		}
		v := a.version
		if v == "" {
			v = "1"
		}
		fmt.Fprintf(&b, "version: %s\n", yamlQuote(v))
		if a.humanReview {
			b.WriteString("human_review: true\n") // HUM-1
		}
		b.WriteString(langLine(a.lang)) // language_steps.go
		b.WriteString("---\n")
		b.WriteString(a.body)
		b.WriteString("\n")
		if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(b.String()), 0o600); err != nil {
			return fmt.Errorf("writing article %q: %w", a.title, err)
		}
	}
	return nil
}

func yamlQuote(s string) string {
	b, _ := json.Marshal(s) // a JSON string is a valid YAML scalar
	return string(b)
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}
