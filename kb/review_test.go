package kb

import (
	"cmp"
	"context"
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
		list           QuestionList
	}{
		{"block list", "id: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n  - Can I send something back?\ntags: [returns]\n",
			"can i get a refund", "id: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n  - Can I send something back?\n  - can i get a refund\ntags: [returns]\n", ""},
		{"comments and blank lines kept with the next key", "id: returns\ntitle: Returns\nquestions:\n- How do I return an item? # first\n\n# who owns it\nowner: cs # team\n",
			"refund please", "id: returns\ntitle: Returns\nquestions:\n- How do I return an item? # first\n- refund please\n\n# who owns it\nowner: cs # team\n", ""},
		{"list last", "id: returns\ntitle: Returns\nquestions:\n    -   one\n",
			"two", "id: returns\ntitle: Returns\nquestions:\n    -   one\n    -   two\n", ""},
		{"needs quoting", "id: returns\ntitle: Returns\nquestions:\n  - one\n",
			"price: is it #1?", "id: returns\ntitle: Returns\nquestions:\n  - one\n  - 'price: is it #1?'\n", ""},
		{"no questions key", "id: returns\ntitle: Returns # short\nversion: 3\n",
			"can i return it", "id: returns\ntitle: Returns # short\nversion: 3\nquestions:\n  - can i return it\n", ""},
		{"empty questions key", "id: returns\ntitle: Returns\nquestions:\nversion: 3\n",
			"can i return it", "id: returns\ntitle: Returns\nquestions:\n  - can i return it\nversion: 3\n", ""},
		{"flow list", "id: returns\ntitle: Returns\nquestions: [one, two]\nversion: 3\n",
			"three", "id: returns\ntitle: Returns\nquestions:\n  - one\n  - two\n  - three\nversion: 3\n", ""},
		{"empty flow list", "id: returns\ntitle: Returns\nquestions: []\n", "one", "", ""},
		{"folded item", "id: returns\ntitle: Returns\nquestions:\n  - >\n    a long\n    question\nversion: 3\n",
			"short", "id: returns\ntitle: Returns\nquestions:\n  - >\n    a long\n    question\n  - short\nversion: 3\n", ""},
		{"asked added beside questions", "id: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\nversion: 3\n",
			"can i send it back", "id: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\nversion: 3\nasked:\n  - can i send it back\n", Asked},
		{"asked list extended, questions untouched", "id: returns\nasked:\n  - one\ntitle: Returns\nquestions:\n  - q\n",
			"two", "id: returns\nasked:\n  - one\n  - two\ntitle: Returns\nquestions:\n  - q\n", Asked},
		{"asked flow list", "id: returns\ntitle: Returns\nasked: [one]\n", "two", "id: returns\ntitle: Returns\nasked:\n  - one\n  - two\n", Asked},
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
				list := cmp.Or(tc.list, Questions)
				out, err := AddQuestion([]byte(in), list, tc.q)
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
				wantQ, wantA := before.Questions, before.Asked
				if list == Asked {
					wantA = append(wantA, tc.q)
				} else {
					wantQ = append(wantQ, tc.q)
				}
				if !slices.Equal(after.Questions, wantQ) || !slices.Equal(after.Asked, wantA) || after.Body != before.Body {
					t.Fatalf("crlf=%v: questions %q asked %q body %q", crlf, after.Questions, after.Asked, after.Body)
				}
				if !strings.HasSuffix(string(out), strings.ReplaceAll(reviewBody, "\n", map[bool]string{false: "\n", true: "\r\n"}[crlf])) {
					t.Fatalf("crlf=%v: body changed:\n%s", crlf, out)
				}
			}
		})
	}
}

func TestAddQuestionRefuses(t *testing.T) {
	art := "---\nid: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\nasked:\n  - can i send it back\n---\nbody\n"
	for _, tc := range []struct {
		name, data, q string
		want          error
	}{
		{"same question, other case and punctuation", art, "how do i return an ITEM", ErrQuestionExists},
		{"already asked", art, "Can I send it back?", ErrQuestionExists},
		{"empty", art, "  ", ErrEmptyQuestion},
		{"no front matter", "just text\n", "q", ErrNoFrontMatter},
		{"questions not a list", "---\nid: returns\ntitle: Returns\nquestions: {a: b}\n---\nbody\n", "q", ErrBadYAML},
	} {
		for _, list := range []QuestionList{Questions, Asked} {
			if _, err := AddQuestion([]byte(tc.data), list, tc.q); !errors.Is(err, tc.want) {
				t.Errorf("%s, %s: err = %v, want %v", tc.name, list, err, tc.want)
			}
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
	if err := AddQuestionToFile(p, Asked, "two"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if want := "\ufeff---\nid: returns\ntitle: Returns\nquestions:\n  - one\nasked:\n  - two\n---\n" + reviewBody; string(got) != want {
		t.Fatalf("file =\n%q\nwant\n%q", got, want)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary file left behind: %v", ents)
	}
	if err := AddQuestionToFile(p, Asked, "TWO?"); !errors.Is(err, ErrQuestionExists) {
		t.Errorf("second add: %v", err)
	}
	if err := AddQuestionToFile(p, Asked, "One"); !errors.Is(err, ErrQuestionExists) {
		t.Errorf("an example question added as asked: %v", err)
	}
}

// An accepted customer question (asked:) is answered with its article when
// asked again, also with courtesy words around it, and changes nothing
// else: customers' wording taught as examples drew other questions to the
// article (QUALITY.md, the owner's learning loop).
func TestAskedAnsweredAgainAndChangesNothingElse(t *testing.T) {
	ctx := context.Background()
	dir := smallKB(t)
	others := []string{"when does my parcel arrive", "what time do you close", "how can I return this item", "do you sell kayaks", "my order is late again"}
	before := openTest(t, dir, t.TempDir())
	const asked = "my order is stuck, you said thursday"
	d, err := before.Decide(ctx, asked, DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict == VerdictAnswer && d.Hits[0].Article.ID == "shipping-times" {
		t.Fatalf("%q is already answered with shipping-times: the test shows nothing", asked)
	}
	if err := AddQuestionToFile(filepath.Join(dir, "shipping-times.md"), Asked, asked); err != nil {
		t.Fatal(err)
	}
	after := openTest(t, dir, t.TempDir())
	for _, q := range []string{asked, "My order is stuck, you said Thursday!", "hi, my order is stuck you said thursday, thanks"} {
		d, err := after.Decide(ctx, q, DefaultThreshold)
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != VerdictAnswer || d.Hits[0].Article.ID != "shipping-times" || d.Reason != "exact" {
			t.Errorf("%q after accepting: %s %s (%s), want an exact answer with shipping-times", q, d.Verdict, d.Hits[0].Article.ID, d.Reason)
		}
	}
	for _, q := range others {
		hb, err := before.Search(ctx, q, 3)
		if err != nil {
			t.Fatal(err)
		}
		ha, err := after.Search(ctx, q, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(hb) != len(ha) {
			t.Fatalf("%q: %d hits before, %d after", q, len(hb), len(ha))
		}
		for i := range hb {
			if hb[i].Article.ID != ha[i].Article.ID || hb[i].Score != ha[i].Score || hb[i].Confidence != ha[i].Confidence {
				t.Errorf("%q hit %d: %s %.4f/%.4f before, %s %.4f/%.4f after accepting", q, i, hb[i].Article.ID, hb[i].Score, hb[i].Confidence, ha[i].Article.ID, ha[i].Score, ha[i].Confidence)
			}
		}
	}
}

func TestRemoveAsked(t *testing.T) {
	block := "---\nid: a\ntitle: A\nasked:\n  - where is it\n  - \"how much, roughly?\"\n# kept\n---\nBody.\n"
	for _, c := range []struct {
		name, in, q, want string
		err               error
	}{
		{"block item", block, "where is it", "---\nid: a\ntitle: A\nasked:\n  - \"how much, roughly?\"\n# kept\n---\nBody.\n", nil},
		{"quoted item, other case", block, "How much roughly", "---\nid: a\ntitle: A\nasked:\n  - where is it\n# kept\n---\nBody.\n", nil},
		{"not there", block, "opening hours", block, nil},
		{"flow list", "---\nid: a\ntitle: A\nasked: [where is it, other]\n---\nBody.\n", "where is it", "", ErrCannotEdit},
	} {
		got, err := RemoveAsked([]byte(c.in), c.q)
		if !errors.Is(err, c.err) || (c.err == nil && string(got) != c.want) {
			t.Errorf("%s: %q, %v; want %q, %v", c.name, got, err, c.want, c.err)
		}
	}
}
