package kb

import (
	"errors"
	"testing"
	"testing/fstest"
	"time"
)

const goodArticle = `---
id: returns-policy
title: Returning an item
questions:
  - How do I return an item?
  - Can I send something back?
tags: [returns]
owner: support
version: 3
reviewed: 2026-10-01
review_by: 2027-04-01
url: https://shop.example/help/returns
---
You can return unworn items within 30 days.
`

func TestParseArticle(t *testing.T) {
	a, err := ParseArticle("returns.md", []byte(goodArticle))
	if err != nil {
		t.Fatal(err)
	}
	want := Article{
		ID: "returns-policy", Title: "Returning an item",
		Questions: []string{"How do I return an item?", "Can I send something back?"},
		Tags:      []string{"returns"}, Owner: "support", Version: "3",
		Body: "You can return unworn items within 30 days.", URL: "https://shop.example/help/returns",
		Path:     "returns.md",
		Reviewed: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		ReviewBy: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC),
	}
	if a.ID != want.ID || a.Title != want.Title || a.Owner != want.Owner || a.Version != want.Version ||
		a.Body != want.Body || a.URL != want.URL || a.Path != want.Path ||
		!a.Reviewed.Equal(want.Reviewed) || !a.ReviewBy.Equal(want.ReviewBy) ||
		len(a.Questions) != 2 || a.Questions[1] != want.Questions[1] || len(a.Tags) != 1 {
		t.Fatalf("got %+v\nwant %+v", a, want)
	}
	if !a.Stale(time.Date(2027, 4, 2, 0, 0, 0, 0, time.UTC)) || a.Stale(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("Stale does not follow review_by")
	}
}

func TestParseArticleDefaultsAndCRLF(t *testing.T) {
	a, err := ParseArticle("x.md", []byte("---\r\nid: x\r\ntitle: X\r\n---\r\nBody\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != "1" || a.Body != "Body" || !a.ReviewBy.IsZero() {
		t.Fatalf("got %+v", a)
	}
}

func TestParseArticleErrors(t *testing.T) {
	cases := []struct {
		name, text string
		want       error
	}{
		{"no front matter", "just text", ErrNoFrontMatter},
		{"unclosed", "---\nid: a\ntitle: b\n", ErrNoFrontMatter},
		{"bad yaml", "---\nid: [a\ntitle: b\n---\nx", ErrBadYAML},
		{"no id", "---\ntitle: b\n---\nx", ErrMissingField},
		{"no title", "---\nid: a\n---\nx", ErrMissingField},
		{"bad id", "---\nid: A_b\ntitle: b\n---\nx", ErrBadID},
		{"bad date", "---\nid: a\ntitle: b\nreview_by: soon\n---\nx", ErrBadDate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseArticle("f.md", []byte(c.text))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != "f.md" {
				t.Fatalf("error does not name the file: %v", err)
			}
		})
	}
}

func TestLoadFSKeepsGoodArticles(t *testing.T) {
	fsys := fstest.MapFS{
		"b.md":          {Data: []byte("---\nid: b\ntitle: B\n---\nB body")},
		"sub/a.md":      {Data: []byte("---\nid: a\ntitle: A\n---\nA body")},
		"sub/broken.md": {Data: []byte("---\nid: [\n---\n")},
		"z-dup.md":      {Data: []byte("---\nid: a\ntitle: A again\n---\n")},
		"notes.txt":     {Data: []byte("ignored")},
		".hidden.md":    {Data: []byte("ignored")},
	}
	arts, problems := LoadFS(fsys)
	if len(arts) != 2 || arts[0].ID != "a" || arts[1].ID != "b" || arts[0].Path != "sub/a.md" {
		t.Fatalf("arts = %+v", arts)
	}
	if len(problems) != 2 {
		t.Fatalf("problems = %v", problems)
	}
	var fe *FileError
	if !errors.As(problems[0], &fe) || fe.Path != "sub/broken.md" || !errors.Is(problems[0], ErrBadYAML) {
		t.Errorf("problem 0 = %v", problems[0])
	}
	if !errors.As(problems[1], &fe) || fe.Path != "z-dup.md" || !errors.Is(problems[1], ErrDuplicateID) {
		t.Errorf("problem 1 = %v", problems[1])
	}
}

func TestDemoFSLoads(t *testing.T) {
	arts, problems := LoadFS(DemoFS())
	if len(problems) > 0 {
		t.Fatalf("demo problems: %v", problems)
	}
	if len(arts) < 10 {
		t.Fatalf("demo has %d articles", len(arts))
	}
	for _, a := range arts {
		if len(a.Questions) == 0 || a.Body == "" {
			t.Errorf("demo article %s lacks questions or body", a.ID)
		}
	}
}

func TestAnalyze(t *testing.T) {
	got := analyze("I didn't receive my cards, why?")
	want := []string{"i", "didnt", "receiv", "my", "card", "why"}
	if len(got) != len(want) {
		t.Fatalf("got %v want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v want %v", got, want)
		}
	}
}

// HUM-1: `human_review: true` in the front matter marks an article that
// describes a decision with legal or similarly significant effect; it
// survives a CSV import round trip and is off when absent.
func TestHumanReviewFrontMatter(t *testing.T) {
	a, err := ParseArticle("refund-refused.md", []byte("---\nid: refund-refused\ntitle: When a refund is refused\nhuman_review: true\n---\nWe cannot refund items used beyond testing.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.HumanReview {
		t.Fatal("human_review: true was not read")
	}
	out, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseArticle("again.md", out)
	if err != nil || !back.HumanReview {
		t.Fatalf("human_review lost when the article is written again: %v\n%s", err, out)
	}
	plain, err := ParseArticle("p.md", []byte("---\nid: p\ntitle: P\n---\nText.\n"))
	if err != nil || plain.HumanReview {
		t.Fatalf("an article without the key must not need review: %v %v", plain.HumanReview, err)
	}
	if _, err := ParseArticle("bad.md", []byte("---\nid: b\ntitle: B\nhuman_review: maybe\n---\nx\n")); err == nil {
		t.Error("human_review: maybe should be refused as invalid YAML for a boolean")
	}
}
