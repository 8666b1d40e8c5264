package kb

import (
	"testing"

	"deskbot/wordvec"
)

// Thin articles that share no word with the questions below: only the
// meaning of the words ranks the right one first.
func TestSemanticRanksOtherWordsForTheSameThing(t *testing.T) {
	dir := t.TempDir()
	writeArticle(t, dir, "refunds", "Refunds", "We refund the full price to the card you paid with.")
	writeArticle(t, dir, "hours", "Opening hours", "The workshop is open Monday to Saturday, 9am to 6pm.")
	writeArticle(t, dir, "delivery", "Delivery", "Parcels are sent with a courier and arrive in two days.")
	writeArticle(t, dir, "allergens", "Allergens", "Our cakes may contain nuts, gluten and dairy.")
	b := openTest(t, dir, t.TempDir())
	for _, c := range []struct{ q, want string }{
		{"reimbursement", "refunds"},
		{"is there peanut in the brownies", "allergens"},
		{"shipment", "delivery"},
		{"can i have my money back", "refunds"},
	} {
		if got := top(t, b, c.q); got.Article.ID != c.want {
			t.Errorf("%q: first is %s, want %s", c.q, got.Article.ID, c.want)
		}
	}
}

func TestSemanticScore(t *testing.T) {
	arts := []*Article{
		{ID: "refunds", Title: "Refunds", Body: "We refund the full price."},
		{ID: "names", Title: "Xqzv", Body: placeholderBody},
	}
	s := newSemantic(wordvec.English(), arts)
	near, far := s.score(s.vector("money back reimbursement"), 0), s.score(s.vector("bicycle saddle"), 0)
	if !(near > far) {
		t.Errorf("refunds: %.3f for a reimbursement, %.3f for a saddle; want the first higher", near, far)
	}
	// Words the table does not know (another language, names) give no
	// vector and move no score; nor does an article without a known word.
	for _, q := range []string{"", "Öffnungszeiten xqzv", "the and of",
		"Wie kann ich einen Artikel zurückgeben", // German: only "wie" and "ich" are in the table
	} {
		if v := s.vector(q); v != nil {
			t.Errorf("vector(%q) = %v, want nil", q, v[:3])
		}
		if got := s.score(s.vector(q), 0); got != 0 {
			t.Errorf("score(%q) = %f, want 0", q, got)
		}
	}
	if got := s.score(s.vector("refund"), 1); got != 0 {
		t.Errorf("an article with no known word scores %f, want 0", got)
	}
	// An article in another language gets no vector, even where its words
	// exist in English.
	de := newSemantic(wordvec.English(), []*Article{{ID: "r", Title: "Refund", Body: "We refund.", Lang: "de"}, {ID: "e", Title: "Refund", Lang: "en-GB"}})
	if got := de.score(de.vector("refund"), 0); got != 0 {
		t.Errorf("a German article scores %f, want 0", got)
	}
	if got := de.score(de.vector("refund"), 1); got < 0.99 {
		t.Errorf("an en-GB article titled Refund scores %f for \"refund\", want 1", got)
	}
}
