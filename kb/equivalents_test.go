package kb

import (
	"context"
	"testing"
)

func TestEquivalentsCover(t *testing.T) {
	refunds := map[string]bool{}
	for _, w := range analyze("Refunds: we refund to the card you paid with") {
		refunds[w] = true
	}
	for _, c := range []struct {
		query string
		want  float64
	}{
		{"can I get my money back", 1},            // a phrase for "refund"
		{"how do I get reimbursed", 1},            // one word for it
		{"refund to my card", 1},                  // the article's own words
		{"money for nothing", 0},                  // "money" alone is not "money back"
		{"send my parcel back", 0},                // "back" alone is not "money back"
		{"can I get my money back fast", 2.0 / 3}, // "fast" is covered by nothing
	} {
		toks := analyze(c.query)
		if got := expand(toks).covers(refunds, contentWords(toks)); got != c.want {
			t.Errorf("%q: covers %.2f, want %.2f", c.query, got, c.want)
		}
	}
}

// Every phrase of the table analyses to at least one word, and no group
// repeats a phrase (a typo in the table would silently match nothing).
func TestEquivalentsTable(t *testing.T) {
	seen := map[string]bool{}
	for i, g := range equivalentPhrases {
		if len(g) < 2 {
			t.Errorf("group %d has fewer than two phrases", i)
		}
		for j, p := range g {
			if len(p) == 0 {
				t.Errorf("%q analyses to nothing", equivalents[i][j])
			}
			if seen[equivalents[i][j]] {
				t.Errorf("%q is in two groups", equivalents[i][j])
			}
			seen[equivalents[i][j]] = true
		}
	}
}

// In a real knowledge base a question partly in other words than the
// article's is not held back for covering too few of its words.
func TestDecideCoversEquivalents(t *testing.T) {
	kbDir := t.TempDir()
	writeArticle(t, kbDir, "refunds", "Refunds", "We refund to the card you paid with within 5 working days.")
	writeArticle(t, kbDir, "delivery", "Delivery times", "Delivery takes 2-3 working days after dispatch.")
	writeArticle(t, kbDir, "opening-hours", "Opening hours", "We are open Monday to Saturday, 9 to 5.")
	writeArticle(t, kbDir, "payment", "Payment methods", "We take cards, cash and bank transfer.")
	b := openTest(t, kbDir, t.TempDir())
	for _, c := range []struct{ query, want string }{
		{"is postage included in the delivery", "delivery"}, // postage: dispatch
		{"can I pay by phone", "payment"},                   // pay: payment; phone: nothing
	} {
		g := b.gen.Load()
		hits, info, err := b.search(context.Background(), g, c.query, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Article.ID != c.want {
			t.Fatalf("%q: hits %v, want %s first", c.query, hits, c.want)
		}
		if got := info.exp.covers(g.termsOf(hits[0].Article).cover, info.content); got < minAnswerCoverage {
			t.Errorf("%q: %s covers %.2f of the question, want >= %.2f", c.query, c.want, got, minAnswerCoverage)
		}
		if plain := coverage(g.termsOf(hits[0].Article).cover, info.content); plain >= minAnswerCoverage {
			t.Errorf("%q: covered %.2f without equivalents: the case tests nothing", c.query, plain)
		}
	}
}
