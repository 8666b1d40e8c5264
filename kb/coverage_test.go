package kb

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// ACC-1 for small knowledge bases: a question in the article's own words is
// answered; a partly covered, ambiguous or unrelated one is not.
func TestSmallKnowledgeBaseCoverage(t *testing.T) {
	dir := t.TempDir()
	write := func(id, title, body string) {
		os.WriteFile(filepath.Join(dir, id+".md"), []byte("---\nid: "+id+"\ntitle: "+title+"\n---\n"+body+"\n"), 0o600)
	}
	write("gift-wrap", "Gift wrap", "We wrap gifts for 3 EUR.")
	write("returns", "Returns", "You can return items within 30 days for a full refund.")
	write("shipping", "Shipping costs", "Shipping costs 4.95 EUR and is free over 50 EUR.")
	write("vouchers", "Gift vouchers", "Gift vouchers are sold in the shop.")
	b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cases := []struct {
		q      string
		id     string // expected top article
		answer bool   // confidence reaches DefaultThreshold
	}{
		{"Do you wrap gifts?", "gift-wrap", true},
		{"can I return items for a full refund", "returns", true},
		{"can you gift wrap my order", "gift-wrap", false}, // "order" is not covered
		{"gift", "", false},                     // one word, two articles mention it
		{"what is the weather like", "", false}, // nothing covers it
	}
	for _, c := range cases {
		hits, err := b.Search(context.Background(), c.q, 2)
		if err != nil {
			t.Fatal(err)
		}
		answered := len(hits) > 0 && hits[0].Confidence >= DefaultThreshold
		if answered != c.answer {
			t.Errorf("%q: answered=%v (confidence %.3f), want %v", c.q, answered, hits[0].Confidence, c.answer)
		}
		if c.id != "" && (len(hits) == 0 || hits[0].Article.ID != c.id) {
			t.Errorf("%q: top article %v, want %s", c.q, hits, c.id)
		}
	}
}

func TestLexicalConfidence(t *testing.T) {
	set := func(ws ...string) map[string]bool {
		m := map[string]bool{}
		for _, w := range ws {
			m[w] = true
		}
		return m
	}
	cases := []struct {
		content       []string
		top, runnerUp map[string]bool
		want          float64
	}{
		{[]string{"wrap", "gift"}, set("wrap", "gift"), nil, 0.97},
		{[]string{"wrap", "gift"}, set("wrap", "gift"), set("gift"), 0.97},
		{[]string{"wrap", "gift"}, set("wrap", "gift"), set("gift", "wrap"), 0},
		{[]string{"wrap", "gift", "order"}, set("wrap", "gift"), nil, 0.9 * 2.0 / 3},
		{[]string{"gift"}, set("gift"), nil, 0.485},
		{nil, set("gift"), nil, 0},
	}
	for _, c := range cases {
		if got := lexicalConfidence(c.content, c.top, c.runnerUp); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("lexicalConfidence(%v) = %v, want %v", c.content, got, c.want)
		}
	}
}
