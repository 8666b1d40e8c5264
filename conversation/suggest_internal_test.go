package conversation

import (
	"context"
	"testing"

	"deskbot/kb"
)

// articlesOnly is a knowledge base that knows articles by id and decides nothing.
type articlesOnly map[string]*kb.Article

func (a articlesOnly) Decide(context.Context, string, float64) (kb.Decision, error) {
	return kb.Decision{Verdict: kb.VerdictNone}, nil
}

func (a articlesOnly) Article(id string) (*kb.Article, bool) {
	x, ok := a[id]
	return x, ok
}

// What the customer may type to pick a pending suggestion, and look-alikes
// that must go to the knowledge base instead.
func TestTypedPick(t *testing.T) {
	t.Parallel()
	arts := articlesOnly{
		"returns":      {ID: "returns", Title: "Returning an item"},
		"return-costs": {ID: "return-costs", Title: "Return shipping costs"},
		"exchanges":    {ID: "exchanges", Title: "Exchanges"},
	}
	e := newRig(t, arts, nil).e
	three := &suggestion{IDs: []string{"returns", "return-costs", "exchanges"}, Query: "returns"}
	one := &suggestion{IDs: []string{"exchanges"}, Query: "swap"}
	cases := []struct {
		pending *suggestion
		typed   string
		want    string // "" means not a pick
	}{
		{three, "the first one", "returns"},
		{three, "First!", "returns"},
		{three, "1", "returns"},
		{three, "#1", "returns"},
		{three, "the second", "return-costs"},
		{three, "2", "return-costs"},
		{three, "number 2 please", "return-costs"},
		{three, "the 2nd one", "return-costs"},
		{three, "the third", "exchanges"},
		{three, "option 3", "exchanges"},
		{three, "last one", "exchanges"},
		{three, "returning an item", "returns"},
		{three, "Return shipping costs.", "return-costs"},
		{one, "yes", "exchanges"},
		{one, "yes please", "exchanges"},
		{one, "last one", "exchanges"},

		{three, "yes", ""}, // which one?
		{three, "the fourth", ""},
		{three, "4", ""},
		{one, "2", ""},
		{three, "1 2", ""},
		{three, "the first one is wrong", ""},
		{three, "one", ""},
		{three, "no", ""},
		{three, "returning an item I bought in May", ""},
		{three, "returns", ""}, // asked again, not a title
		{nil, "the first one", ""},
	}
	for _, tc := range cases {
		s := &Session{st: sessionState{Suggested: tc.pending}}
		got, ok := e.typedPick(s, tc.typed)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("typedPick(%q) = %q, %v; want %q", tc.typed, got, ok, tc.want)
		}
	}
}
