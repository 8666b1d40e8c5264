package kb

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestEvalLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    EvalResult
		want string
	}{
		{"in scope only", EvalResult{N: 10, Accuracy: 0.9, Answered: 0.5, Precision: 1, Shown: 0.7},
			"accuracy=0.9000 answered=0.5000 precision=1.0000 shown=0.7000 oos_answered=0.0000 n=10 oos=0"},
		{"with oos", EvalResult{N: 4, OOS: 2, Accuracy: 0.75, Answered: 0.25, Precision: 1, Shown: 0.5, OOSAnswered: 0.5},
			"accuracy=0.7500 answered=0.2500 precision=1.0000 shown=0.5000 oos_answered=0.5000 n=4 oos=2"},
	} {
		if got := tc.r.Line(); got != tc.want {
			t.Errorf("%s: Line() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReadQueriesOutOfScope(t *testing.T) {
	qs, err := ReadQueries(strings.NewReader("text,category\nwhere is my card,Card_Arrival\ndo you sell kayaks,\nopen on sunday,oos\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []EvalQuery{{"where is my card", "card-arrival"}, {"do you sell kayaks", ""}, {"open on sunday", "oos"}}
	if !reflect.DeepEqual(qs, want) {
		t.Fatalf("ReadQueries = %+v, want %+v", qs, want)
	}
	if _, err := ReadQueries(strings.NewReader("text,category\n,returns\n")); err == nil {
		t.Fatal("a row without text was accepted")
	}
}

// tally is the scoring behind EvaluateQueries, checked on decisions made
// by hand so every verdict and scope is covered whatever the ranking does.
func TestTally(t *testing.T) {
	art := func(id string) Hit { return Hit{Article: &Article{ID: id}} }
	known := func(id string) bool { return id == "returns" || id == "shipping" }
	qs := []EvalQuery{
		{"a", "returns"},  // answered right
		{"b", "returns"},  // answered wrong
		{"c", "returns"},  // suggested, right one among them
		{"d", "shipping"}, // suggested, right one not among them
		{"e", "shipping"}, // refused, but ranked first
		{"f", ""},         // out of scope, answered: wrong
		{"g", "oos"},      // out of scope, suggested: fine
		{"h", "kayaks"},   // id not in the kb: out of scope, refused
	}
	ds := []Decision{
		{Verdict: VerdictAnswer, Hits: []Hit{art("returns")}},
		{Verdict: VerdictAnswer, Hits: []Hit{art("shipping"), art("returns")}},
		{Verdict: VerdictSuggest, Hits: []Hit{art("shipping"), art("returns")}},
		{Verdict: VerdictSuggest, Hits: []Hit{art("returns")}},
		{Verdict: VerdictNone, Hits: []Hit{art("shipping")}},
		{Verdict: VerdictAnswer, Hits: []Hit{art("returns")}},
		{Verdict: VerdictSuggest, Hits: []Hit{art("returns")}},
		{Verdict: VerdictNone},
	}
	r := tally(qs, ds, known)
	if got, want := r.Line(), "accuracy=0.4000 answered=0.4000 precision=0.5000 shown=0.4000 oos_answered=0.3333 n=5 oos=3"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	wantPer := []ArticleEval{
		{ID: "returns", Queries: 3, Answered: 2, Right: 1, SuggestedRight: 1, Missed: 1},
		{ID: "shipping", Queries: 2, Missed: 2},
	}
	if !reflect.DeepEqual(r.PerArticle, wantPer) {
		t.Errorf("PerArticle = %+v, want %+v", r.PerArticle, wantPer)
	}
	var outcomes []string
	for i, o := range r.PerQuery {
		if o.Query != qs[i] {
			t.Errorf("PerQuery[%d] is for %+v, want %+v", i, o.Query, qs[i])
		}
		outcomes = append(outcomes, o.Outcome)
	}
	if want := []string{"right", "wrong", "suggested", "missed", "missed", "wrong", "refused", "refused"}; !reflect.DeepEqual(outcomes, want) {
		t.Errorf("PerQuery outcomes = %q, want %q", outcomes, want)
	}
	wantConf := map[Confusion]bool{
		{Want: "returns", Got: "shipping", Count: 2}:        true,
		{Want: "shipping", Got: "returns", Count: 1}:        true,
		{Want: "oos (not in kb)", Got: "returns", Count: 1}: true,
	}
	if len(r.Confusions) != len(wantConf) || r.Confusions[0] != (Confusion{Want: "returns", Got: "shipping", Count: 2}) {
		t.Errorf("Confusions = %+v", r.Confusions)
	}
	for _, c := range r.Confusions {
		if !wantConf[c] {
			t.Errorf("unexpected confusion %+v", c)
		}
	}
}

// EvaluateQueries on a real knowledge base: questions written as examples
// are answered with their article, out-of-scope rows are counted apart
// and the line keeps its format.
func TestEvaluateQueriesOnKB(t *testing.T) {
	dir := t.TempDir()
	for _, a := range []Article{
		{ID: "returns", Title: "Returning an item", Body: "Return within 30 days.",
			Questions: []string{"How do I return an item?", "Can I send something back?", "I want to return my order"}},
		{ID: "shipping-times", Title: "How long delivery takes", Body: "Orders arrive in 3-5 days.",
			Questions: []string{"When will my order arrive?", "How long does shipping take?", "delivery time"}},
		{ID: "opening-hours", Title: "Store opening hours", Body: "Mon-Sat 9-18.",
			Questions: []string{"When are you open?", "What time does the store close?", "opening hours"}},
	} {
		data, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, a.ID+".md"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	csv := "text,category\nHow do I return an item?,returns\nHow long does shipping take?,shipping_times\nWhen are you open?,opening-hours\n" +
		"do you repair bicycles,\nquantum chromodynamics lecture notes,oos\nHow do I return an item?,gift-cards\n"
	res, err := Evaluate(context.Background(), b, strings.NewReader(csv), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 3 || res.OOS != 3 {
		t.Fatalf("n=%d oos=%d, want 3 in scope and 3 out of scope", res.N, res.OOS)
	}
	if res.Accuracy != 1 || res.Precision != 1 || res.Answered != 1 || res.Shown != 1 {
		t.Errorf("example questions not all answered right: %s", res.Line())
	}
	// The last row is an example question of "returns" labelled with a
	// missing article: answering it counts as a wrong answer.
	if res.OOSAnswered < 1.0/3-1e-9 {
		t.Errorf("the answered out-of-scope row was not counted: %s", res.Line())
	}
	if res.Calibration.Target != DefaultThreshold {
		t.Errorf("calibration target %v, want %v", res.Calibration.Target, DefaultThreshold)
	}
	line := regexp.MustCompile(`^accuracy=\d\.\d{4} answered=\d\.\d{4} precision=\d\.\d{4} shown=\d\.\d{4} oos_answered=\d\.\d{4} n=3 oos=3$`)
	if !line.MatchString(res.Line()) {
		t.Errorf("line %q does not follow the format", res.Line())
	}
}
