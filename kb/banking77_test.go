package kb

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// b77Split is the deterministic dev split: within each intent, every 5th
// row (in file order) is held out for evaluation and never used in a KB.
type b77Split struct {
	intents []string            // in first-seen order
	train   map[string][]string // intent -> example rows
	dev     []EvalQuery         // held-out rows, file order
}

func loadBanking77(t testing.TB) *b77Split {
	t.Helper()
	f, err := os.Open(sharedData(t, "banking77/train.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	s := &b77Split{train: map[string][]string{}}
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		text, cat := rec[0], slug(rec[1])
		if _, ok := seen[cat]; !ok {
			s.intents = append(s.intents, cat)
		}
		n := seen[cat]
		seen[cat] = n + 1
		if n%5 == 4 {
			s.dev = append(s.dev, EvalQuery{Text: text, Want: cat})
		} else {
			s.train[cat] = append(s.train[cat], text)
		}
	}
	return s
}

// articles builds one article per intent with up to shots example rows
// (all when shots <= 0).
func (s *b77Split) articles(shots int) []Article {
	out := make([]Article, 0, len(s.intents))
	for _, id := range s.intents {
		qs := s.train[id]
		if shots > 0 && len(qs) > shots {
			qs = qs[:shots]
		}
		out = append(out, Article{ID: id, Title: humanise(id), Questions: qs, Body: placeholderBody, Version: "1"})
	}
	return out
}

// writeKB writes arts as Markdown files into a new temp folder.
func writeKB(t testing.TB, arts []Article) string {
	t.Helper()
	dir := t.TempDir()
	for i := range arts {
		data, err := arts[i].Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, arts[i].ID+".md"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// b77Result is the dev evaluation of one knowledge base setting.
type b77Result struct {
	res   EvalResult
	confs []float64 // confidence of the top hit per dev query
	oks   []bool    // whether the top hit was right
}

func evalBanking77(t testing.TB, s *b77Split, shots int, threshold float64) b77Result {
	t.Helper()
	dir := writeKB(t, s.articles(shots))
	b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	res, err := EvaluateQueries(context.Background(), b, s.dev, threshold)
	if err != nil {
		t.Fatal(err)
	}
	out := b77Result{res: res}
	for _, q := range s.dev {
		hits, err := b.Search(context.Background(), q.Text, 1)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := 0.0, false
		if len(hits) > 0 {
			c, ok = hits[0].Confidence, hits[0].Article.ID == q.Want
		}
		out.confs = append(out.confs, c)
		out.oks = append(out.oks, ok)
	}
	return out
}

// at returns answered share and precision at threshold th.
func (r b77Result) at(th float64) (answered, precision float64) {
	var n, ok int
	for i, c := range r.confs {
		if c >= th {
			n++
			if r.oks[i] {
				ok++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(n) / float64(len(r.confs)), float64(ok) / float64(n)
}

// Regression floors, a little below the figures in QUALITY.md.
var banking77Floors = map[int]struct{ accuracy, answered, precision float64 }{
	0:  {accuracy: 0.89, answered: 0.66, precision: 0.975},
	10: {accuracy: 0.74, answered: 0.19, precision: 0.97},
}

// TestBanking77Quality builds the "full" and "10-shot" knowledge bases from
// the BANKING77 train file, evaluates them on the held-out dev rows at
// DefaultThreshold, reports the figures and fails below the floors.
func TestBanking77Quality(t *testing.T) {
	if testing.Short() {
		t.Skip("BANKING77 evaluation skipped in -short mode")
	}
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		name := "full"
		if shots > 0 {
			name = fmt.Sprintf("%d-shot", shots)
		}
		t.Run(name, func(t *testing.T) {
			r := evalBanking77(t, s, shots, DefaultThreshold)
			t.Logf("BANKING77 dev %s (threshold %.2f): %s", name, DefaultThreshold, r.res.Line())
			for _, th := range []float64{0.5, 0.8, 0.9, 0.95} {
				a, p := r.at(th)
				t.Logf("  threshold %.2f: answered=%.4f precision=%.4f", th, a, p)
			}
			f := banking77Floors[shots]
			if r.res.Accuracy < f.accuracy || r.res.Answered < f.answered || r.res.Precision < f.precision {
				t.Errorf("%s below floor %+v: %s", name, f, r.res.Line())
			}
		})
	}
}

// BenchmarkBanking77 reports the dev figures as benchmark metrics.
func BenchmarkBanking77(b *testing.B) {
	s := loadBanking77(b)
	for _, shots := range []int{0, 10} {
		name := "full"
		if shots > 0 {
			name = fmt.Sprintf("%d-shot", shots)
		}
		b.Run(name, func(b *testing.B) {
			var r b77Result
			for i := 0; i < b.N; i++ {
				r = evalBanking77(b, s, shots, DefaultThreshold)
			}
			b.ReportMetric(r.res.Accuracy, "accuracy")
			b.ReportMetric(r.res.Answered, "answered")
			b.ReportMetric(r.res.Precision, "precision")
		})
	}
}
