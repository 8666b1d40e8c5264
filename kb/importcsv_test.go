package kb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestImportIntentsCSV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "kb")
	csv := "text,category\n" +
		"I am still waiting on my card?,card_arrival\n" +
		"\"Where is my card, it's late\",card_arrival\n" +
		"How do I top up?,top_up_by_card\n"
	n, err := ImportCSV(strings.NewReader(csv), out)
	if err != nil || n != 2 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	arts, problems := LoadFS(os.DirFS(out))
	if len(problems) > 0 || len(arts) != 2 {
		t.Fatalf("arts=%v problems=%v", arts, problems)
	}
	a := arts[0]
	if a.ID != "card-arrival" || a.Title != "Card arrival" || len(a.Questions) != 2 ||
		a.Questions[1] != "Where is my card, it's late" || !strings.Contains(a.Body, "TODO") {
		t.Fatalf("article = %+v", a)
	}
	// Evaluate understands the same categories.
	b := openTest(t, out, t.TempDir())
	res, err := Evaluate(context.Background(), b, strings.NewReader("text,category\nmy card has not arrived yet,card_arrival\n"), 0)
	if err != nil || res.N != 1 || res.Accuracy != 1 {
		t.Fatalf("eval %+v %v", res, err)
	}
}

func TestImportFAQCSV(t *testing.T) {
	out := t.TempDir() // existing but empty folder is fine
	csv := "Question,Answer\nDo you ship abroad?,Yes to 30 countries.\nDo you ship abroad?,Duplicate question.\n"
	n, err := ImportCSV(strings.NewReader(csv), out)
	if err != nil || n != 2 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	arts, problems := LoadFS(os.DirFS(out))
	if len(problems) > 0 || len(arts) != 2 || arts[0].ID != "do-you-ship-abroad" || arts[0].Body != "Yes to 30 countries." ||
		arts[1].ID != "do-you-ship-abroad-2" {
		t.Fatalf("arts=%+v problems=%v", arts, problems)
	}
}

func TestImportRejects(t *testing.T) {
	cases := []struct {
		name, csv string
		want      error
		line      string
	}{
		{"empty", "", ErrBadCSV, ""},
		{"unknown header", "a,b\n1,2\n", ErrUnknownSheet, ""},
		{"empty category", "text,category\nhello,x\nhi,\n", ErrBadCSV, "line 3"},
		{"missing column", "text,category\nhello,x\nhi\n", ErrBadCSV, "line 3"},
		{"bad quote", "text,category\n\"hello,x\n", ErrBadCSV, ""},
		{"no rows", "question,answer\n", ErrBadCSV, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "kb")
			_, err := ImportCSV(strings.NewReader(c.csv), out)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.line) {
				t.Fatalf("err = %v, want %v %s", err, c.want, c.line)
			}
			if _, statErr := os.Stat(out); !errors.Is(statErr, os.ErrNotExist) {
				t.Fatal("output written despite error")
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".kb-import-*"))
			if len(left) > 0 {
				t.Fatalf("temporary folders left: %v", left)
			}
		})
	}
}

func TestImportRefusesToOverwrite(t *testing.T) {
	out := t.TempDir()
	writeArticle(t, out, "existing", "Existing", "keep me")
	_, err := ImportCSV(strings.NewReader("question,answer\nq,a\n"), out)
	if !errors.Is(err, ErrOutNotEmpty) {
		t.Fatalf("err = %v", err)
	}
	data, _ := os.ReadFile(filepath.Join(out, "existing.md"))
	if !strings.Contains(string(data), "keep me") {
		t.Fatal("existing article changed")
	}
}

func TestLint(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	arts := []Article{
		{ID: "a", Title: "Returns", Path: "a.md", Body: "x", Questions: []string{"How do I return an item?"},
			ReviewBy: now.AddDate(0, 0, -1)},
		{ID: "b", Title: "returns!", Path: "b.md", Body: "y", Questions: []string{"how do i return an item"}},
		{ID: "c", Title: "Empty", Path: "c.md", Body: placeholderBody},
		{ID: "a", Title: "Other", Path: "a2.md", Body: "z", Questions: []string{"q"}},
		// An accepted question the exact match cannot tell from d's.
		{ID: "d", Title: "Cancelling", Path: "d.md", Body: "w", Asked: []string{"cancel my order"}},
		{ID: "e", Title: "Orders", Path: "e.md", Body: "v", Questions: []string{"q2"}, Asked: []string{"Cancel my order, pls"}},
	}
	got := map[string]bool{}
	for _, f := range Lint(arts, now) {
		got[f.ID+" "+f.Rule] = true
	}
	for _, want := range []string{"a stale", "a duplicate-id", "b duplicate-title", "b similar-question",
		"c no-questions", "c placeholder", "e similar-question"} {
		if !got[want] {
			t.Errorf("missing finding %q (got %v)", want, got)
		}
	}
	if got["a similar-question"] || got["b stale"] {
		t.Errorf("unexpected findings %v", got)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	a := Article{ID: "x", Title: "Odd: title #1", Version: "2", Body: "Body\n\nwith paragraphs.",
		Questions: []string{"\nAt which ATMs can I use this card?", "- dash first", "quote \" and 'single'", "tab\there", "yes", "no: colon"}}
	data, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseArticle("x.md", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	want := []string{"At which ATMs can I use this card?", "- dash first", "quote \" and 'single'", "tab here", "yes", "no: colon"}
	if b.Title != a.Title || b.Body != a.Body || b.Version != "2" || len(b.Questions) != len(want) {
		t.Fatalf("got %+v", b)
	}
	for i := range want {
		if b.Questions[i] != want[i] {
			t.Errorf("question %d = %q, want %q", i, b.Questions[i], want[i])
		}
	}
}
