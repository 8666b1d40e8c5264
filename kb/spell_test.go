package kb

import (
	"math"
	"testing"
)

func TestSpellerRewrite(t *testing.T) {
	arts := []*Article{
		{ID: "refunds", Title: "Refunds", Body: "We refund to the card you paid with within 5 days."},
		{ID: "delivery", Title: "Delivery times", Questions: []string{"When will my order arrive?"},
			Body: "Delivery takes 2-3 working days. Check your account for the tracking information."},
		{ID: "browser", Title: "Supported browser", Body: "Use a recent browser."},
		{ID: "patch-test", Title: "Allergy patch test", Body: "Biological and organic colours both need one. Party bookings welcome."},
	}
	s := newSpeller(arts)
	for _, c := range []struct{ in, want string }{
		{"how long for a refnd", "how long for a refund"},              // letter left out
		{"delivry to my adress", "delivery to my adress"},              // "adress" is no article's word
		{"when will it arive", "when will it arrive"},                  // inside the word
		{"where is my ordeer", "where is my order"},                    // doubled letter
		{"recieve my refund", "recieve my refund"},                     // unknown word, nothing close
		{"my refudn please", "my refund please"},                       // swapped neighbours
		{"can I browse", "can I browse"},                               // last letter: another word
		{"stuff", "stuff"},                                             // one letter changed: another word
		{"card", "card"},                                               // known: kept as typed
		{"pls check my acct info", "pls check my account information"}, // shorthand
		{"Refunds?", "Refunds?"},                                       // nothing changed: query as typed
		{"refnd 123", "refund 123"},
		{"crd", "crd"},                              // too short to correct
		{"im allergic to dye", "im allergy to dye"}, // adjective to the articles' noun
		{"biology degree", "biological degree"},     // noun to the articles' adjective
		{"is it organic", "is it organic"},          // known: kept
		{"spare parts", "spare parts"},              // "part" is not "party"
	} {
		if got := s.rewrite(c.in); got != c.want {
			t.Errorf("rewrite(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	var none *speller
	if got := none.rewrite("refnd"); got != "refnd" {
		t.Errorf("nil speller changed the query: %q", got)
	}
}

func TestSpellerTieGoesToCommonerWord(t *testing.T) {
	// "chaning" is "changing" or "chaining" with a letter left out; more
	// articles use "changing".
	arts := []*Article{
		{ID: "a", Title: "Changing an order"},
		{ID: "b", Title: "Changing your address"},
		{ID: "c", Title: "Chaining locks"},
	}
	if got := newSpeller(arts).correct("chaning"); got != "changing" {
		t.Errorf("correct(chaning) = %q, want changing", got)
	}
}

func TestLikelyTypo(t *testing.T) {
	for _, c := range []struct {
		typed, known string
		want         bool
	}{
		{"refnd", "refund", true},
		{"recieve", "receive", true},
		{"adddress", "address", true},
		{"wheere", "where", true},
		{"browse", "browser", false}, // last letter dropped
		{"cross", "across", false},   // first letter dropped
		{"stuff", "staff", false},    // one letter changed
		{"heard", "hard", false},     // a letter inserted that doubles nothing
		{"refund", "refund", false},
		{"rfnd", "refund", false}, // two edits
	} {
		if got := likelyTypo(c.typed, c.known); got != c.want {
			t.Errorf("likelyTypo(%q, %q) = %v, want %v", c.typed, c.known, got, c.want)
		}
	}
}

// A misspelt question ranks and scores like the spelt one in a real
// knowledge base (the model's calibration included).
func TestSearchCorrectsTypos(t *testing.T) {
	kbDir := t.TempDir()
	writeArticle(t, kbDir, "refunds", "Refunds", "We refund to the card you paid with within 5 working days.")
	writeArticle(t, kbDir, "delivery", "Delivery times", "Delivery takes 2-3 working days after dispatch.")
	writeArticle(t, kbDir, "opening-hours", "Opening hours", "We are open Monday to Saturday, 9 to 5.")
	writeArticle(t, kbDir, "payment", "Payment methods", "We take cards, cash and bank transfer.")
	b := openTest(t, kbDir, t.TempDir())
	for _, c := range []struct{ typed, spelt string }{
		{"how long does a refnd take", "how long does a refund take"},
		{"how long is delivry", "how long is delivery"},
		{"what paymnet methods", "what payment methods"},
	} {
		got := top(t, b, c.typed)
		want := top(t, b, c.spelt)
		if got.Article.ID != want.Article.ID || math.Abs(got.Confidence-want.Confidence) > 1e-9 {
			t.Errorf("%q: %s at %.3f, spelt %q: %s at %.3f", c.typed, got.Article.ID, got.Confidence, c.spelt, want.Article.ID, want.Confidence)
		}
	}
}
