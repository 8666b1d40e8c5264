package kb

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNormaliseQuestion(t *testing.T) {
	for in, want := range map[string]string{
		"Do you sell kayaks?":      "do you sell kayaks",
		"  do you  SELL kayaks ":   "do you sell kayaks",
		"Didn't arrive, [email]!!": "didnt arrive email",
		"???":                      "???",
	} {
		if got := NormaliseQuestion(in); got != want {
			t.Errorf("NormaliseQuestion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGroupReview(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	got := GroupReview([]ReviewEntry{
		{At: at(5), Question: "Do you sell kayaks?"},
		{At: at(1), Question: "do you sell kayaks"},
		{At: at(4), Question: "can I send it back", Article: "returns"},
		{At: at(3), Question: "Can I send it back?", Article: "returns"},
		{At: at(2), Question: "can i send it back", Article: "exchanges"},
		{At: at(6), Question: "gift wrap?"},
		{At: at(0), Question: "   "},
	})
	want := []ReviewGroup{
		{Key: "can i send it back", Question: "can I send it back", Count: 3, Last: at(4), Picked: "returns", PickedCount: 2},
		{Key: "do you sell kayaks", Question: "Do you sell kayaks?", Count: 2, Last: at(5)},
		{Key: "gift wrap", Question: "gift wrap?", Count: 1, Last: at(6)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("GroupReview =\n%+v\nwant\n%+v", got, want)
	}
}

const reviewBody = "You can return unused items within 30 days.\n\n---\n\nquestions: not front matter\n"

// AddQuestion keeps everything but the new line byte for byte wherever the
// layout allows, and the body always.
func TestAddQuestion(t *testing.T) {
	for _, tc := range []struct {
		name, front, q string
		want           string // expected front matter after the edit; "" = only check it parses
	}{
		{"block list", "id: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n  - Can I send something back?\ntags: [returns]\n",
			"can i get a refund", "id: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n  - Can I send something back?\n  - can i get a refund\ntags: [returns]\n"},
		{"comments and blank lines kept with the next key", "id: returns\ntitle: Returns\nquestions:\n- How do I return an item? # first\n\n# who owns it\nowner: cs # team\n",
			"refund please", "id: returns\ntitle: Returns\nquestions:\n- How do I return an item? # first\n- refund please\n\n# who owns it\nowner: cs # team\n"},
		{"list last", "id: returns\ntitle: Returns\nquestions:\n    -   one\n",
			"two", "id: returns\ntitle: Returns\nquestions:\n    -   one\n    -   two\n"},
		{"needs quoting", "id: returns\ntitle: Returns\nquestions:\n  - one\n",
			"price: is it #1?", "id: returns\ntitle: Returns\nquestions:\n  - one\n  - 'price: is it #1?'\n"},
		{"no questions key", "id: returns\ntitle: Returns # short\nversion: 3\n",
			"can i return it", "id: returns\ntitle: Returns # short\nversion: 3\nquestions:\n  - can i return it\n"},
		{"empty questions key", "id: returns\ntitle: Returns\nquestions:\nversion: 3\n",
			"can i return it", "id: returns\ntitle: Returns\nquestions:\n  - can i return it\nversion: 3\n"},
		{"flow list", "id: returns\ntitle: Returns\nquestions: [one, two]\nversion: 3\n",
			"three", "id: returns\ntitle: Returns\nquestions:\n  - one\n  - two\n  - three\nversion: 3\n"},
		{"empty flow list", "id: returns\ntitle: Returns\nquestions: []\n", "one", ""},
		{"folded item", "id: returns\ntitle: Returns\nquestions:\n  - >\n    a long\n    question\nversion: 3\n",
			"short", "id: returns\ntitle: Returns\nquestions:\n  - >\n    a long\n    question\n  - short\nversion: 3\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, crlf := range []bool{false, true} {
				in := "---\n" + tc.front + "---\n" + reviewBody
				want := "---\n" + tc.want + "---\n" + reviewBody
				if crlf {
					in, want = strings.ReplaceAll(in, "\n", "\r\n"), strings.ReplaceAll(want, "\n", "\r\n")
				}
				before, err := ParseArticle("a.md", []byte(in))
				if err != nil {
					t.Fatal(err)
				}
				out, err := AddQuestion([]byte(in), tc.q)
				if err != nil {
					t.Fatalf("crlf=%v: %v", crlf, err)
				}
				if tc.want != "" && string(out) != want {
					t.Fatalf("crlf=%v: got\n%s\nwant\n%s", crlf, out, want)
				}
				after, err := ParseArticle("a.md", out)
				if err != nil {
					t.Fatalf("crlf=%v: result does not parse: %v\n%s", crlf, err, out)
				}
				if !slices.Equal(after.Questions, append(before.Questions, tc.q)) || after.Body != before.Body {
					t.Fatalf("crlf=%v: questions %q body %q", crlf, after.Questions, after.Body)
				}
				if !strings.HasSuffix(string(out), strings.ReplaceAll(reviewBody, "\n", map[bool]string{false: "\n", true: "\r\n"}[crlf])) {
					t.Fatalf("crlf=%v: body changed:\n%s", crlf, out)
				}
			}
		})
	}
}

func TestAddQuestionRefuses(t *testing.T) {
	art := "---\nid: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n---\nbody\n"
	for _, tc := range []struct {
		name, data, q string
		want          error
	}{
		{"same question, other case and punctuation", art, "how do i return an ITEM", ErrQuestionExists},
		{"empty", art, "  ", ErrEmptyQuestion},
		{"no front matter", "just text\n", "q", ErrNoFrontMatter},
		{"questions not a list", "---\nid: returns\ntitle: Returns\nquestions: {a: b}\n---\nbody\n", "q", ErrBadYAML},
	} {
		if _, err := AddQuestion([]byte(tc.data), tc.q); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestAddQuestionToFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "returns.md")
	in := "\ufeff---\nid: returns\ntitle: Returns\nquestions:\n  - one\n---\n" + reviewBody
	if err := os.WriteFile(p, []byte(in), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := AddQuestionToFile(p, "two"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if want := "\ufeff---\nid: returns\ntitle: Returns\nquestions:\n  - one\n  - two\n---\n" + reviewBody; string(got) != want {
		t.Fatalf("file =\n%q\nwant\n%q", got, want)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary file left behind: %v", ents)
	}
	if err := AddQuestionToFile(p, "TWO?"); !errors.Is(err, ErrQuestionExists) {
		t.Errorf("second add: %v", err)
	}
}
