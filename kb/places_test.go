package kb

import (
	"testing"
)

// ACC-1: a question about one country is not answered with an article
// about another (a boutique's "UK delivery" answered "how much is delivery
// to germany" at 0.995); the article naming that country or its region is
// offered first.
func TestQuestionAboutAnotherPlace(t *testing.T) {
	b := openArticles(t,
		[]string{"uk-delivery", "UK delivery times and costs", "UK standard delivery is £3.95 and takes 2-3 working days.",
			"How long does delivery take?", "How much is postage?"},
		[]string{"eu-shipping", "Shipping to the EU", "We ship to all EU countries for £9.95, taking 4-7 working days. No USA or Australia.",
			"Do you ship to Europe?"},
		[]string{"returns", "Returns", "Send items back within 30 days for a refund."},
		[]string{"hours", "Opening hours", "The shop is open 10 to 5, Monday to Saturday."},
		[]string{"gift-cards", "Gift cards", "Gift cards are sold online and in the shop."})
	cases := []struct {
		q      string
		want   Verdict
		first  string
		reason string
	}{
		{"how much is delivery to germany", VerdictSuggest, "eu-shipping", "another place"},
		{"how long does delivery take to spain", VerdictSuggest, "eu-shipping", "another place"},
		{"how much is delivery", VerdictAnswer, "uk-delivery", ""},
		{"how much is delivery to the uk", VerdictAnswer, "uk-delivery", ""},
	}
	for _, c := range cases {
		d, got := decide(t, b, c.q)
		if d.Verdict != c.want || got[0] != c.first || (c.reason != "" && d.Reason != c.reason) {
			t.Errorf("%q: %s (%s) %v, want %s %s first (%s)", c.q, d.Verdict, d.Reason, got, c.want, c.first, c.reason)
		}
	}
}

func TestOtherPlace(t *testing.T) {
	cover := func(text string) map[string]bool {
		m := map[string]bool{}
		for _, w := range analyze(text) {
			m[w] = true
		}
		return m
	}
	for _, c := range []struct {
		q, article string
		other      bool
	}{
		{"delivery to germany", "UK delivery is 3.95", true},
		{"delivery to germany", "We ship to all EU countries", false},      // "countries": everywhere
		{"delivery to germany", "We ship within the EU", false},            // Germany is in the EU
		{"delivery to scotland", "UK delivery is 3.95", false},             // Scotland is in the UK
		{"delivery to germany", "Delivery takes 3 days", false},            // names no place
		{"delivery to germany", "We ship worldwide from the UK", false},    // everywhere
		{"delivery to new zealand", "We deliver in Australia", true},       // two-word name
		{"delivery", "UK delivery is 3.95", false},                         // the question names none
		{"do you ship to the united states", "We ship to the USA", false},  // one place, two names
		{"shipping to the uk", "Delivery in Great Britain is free", false}, // so here
		{"shipping to america", "We ship to Canada", true},                 // America is the USA, not the continent
	} {
		if got := otherPlace(placesIn(contentWords(analyze(c.q))), cover(c.article)); got != c.other {
			t.Errorf("%q against %q: other place %v, want %v", c.q, c.article, got, c.other)
		}
	}
}

// openArticles opens a knowledge base of articles given as id, title,
// answer text and any example questions, in a fresh folder.
func openArticles(t *testing.T, arts ...[]string) *Base {
	t.Helper()
	dir := t.TempDir()
	for _, a := range arts {
		writeArticle(t, dir, a[0], a[1], a[2], a[3:]...)
	}
	return openTest(t, dir, t.TempDir())
}
