package kb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func faqDevRoot(t *testing.T) string { return sharedData(t, "faq-dev") }

// faqDevQueries returns the faq-dev folder with its in-scope and
// out-of-scope questions.
func faqDevQueries(t *testing.T) (root string, in, oos []EvalQuery) {
	t.Helper()
	root = faqDevRoot(t)
	return root, readCSV(t, filepath.Join(root, "queries-in.csv")), readCSV(t, filepath.Join(root, "queries-oos.csv"))
}

func readCSV(t *testing.T, p string) []EvalQuery {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQueries(f)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// decideAll evaluates in-scope and out-of-scope queries together; the
// out-of-scope ones name articles that are not in the knowledge base.
func decideAll(t *testing.T, b *Base, in, oos []EvalQuery, target float64) string {
	res, err := EvaluateQueries(context.Background(), b, append(append([]EvalQuery(nil), in...), oos...), target)
	if err != nil {
		t.Fatal(err)
	}
	return res.Line()
}

// TestExperimentPseudoVsReal prints, per cut, the pseudo-queries' answered
// shares.
func TestExperimentPseudoVsReal(t *testing.T) {
	skipUnlessExperiment(t)
	root := faqDevRoot(t)
	s := loadBanking77(t)
	sets := map[string][]Article{"b77-10": s.articles(10)}
	for _, kbn := range []string{"kb-a", "kb-c"} {
		sets[kbn], _ = LoadFS(os.DirFS(filepath.Join(root, kbn)))
	}
	for _, kbn := range []string{"kb-a", "kb-c", "b77-10"} {
		arts := sets[kbn]
		ps := make([]*Article, len(arts))
		for i := range arts {
			ps[i] = &arts[i]
		}
		var exs []example
		for ci, a := range ps {
			exs = append(exs, articleExamples(defaultFeatures, int32(ci), a)...)
		}
		sc, _, _ := calibrate(context.Background(), ps, exs, defaultFeatures, defaultTrain)
		in, _, _ := inScopePoints(context.Background(), ps, exs, defaultFeatures, defaultTrain)
		o0, _ := outOfScopePoints(context.Background(), ps, exs, defaultFeatures, defaultTrain, 0)
		o1, _ := outOfScopePoints(context.Background(), ps, exs, defaultFeatures, defaultTrain, 1)
		out := append(o0, o1...)
		t.Logf("%s cal %+v", kbn, sc.Cal)
		for _, cut := range []float64{0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95} {
			var a, ok, o int
			for _, p := range in {
				if sc.Cal.prob(p.score, p.margin) >= cut {
					a++
					if p.ok {
						ok++
					}
				}
			}
			for _, p := range out {
				if sc.Cal.prob(p.score, p.margin) >= cut {
					o++
				}
			}
			t.Logf("%s cut %.2f: pseudo in answered=%.3f precision=%.3f, pseudo oos answered=%.3f", kbn, cut, float64(a)/float64(len(in)), float64(ok)/float64(max(a, 1)), float64(o)/float64(len(out)))
		}
	}
}

func TestExperimentListOOS(t *testing.T) {
	skipUnlessExperiment(t)
	root := faqDevRoot(t)
	kbn := os.Getenv("KB_NAME")
	oos := readCSV(t, filepath.Join(root, "queries-oos.csv"))
	b, err := Open(context.Background(), Options{Source: os.DirFS(filepath.Join(root, kbn)), IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range oos {
		hits, _ := b.Search(context.Background(), q.Text, 2)
		if len(hits) > 1 && hits[0].Confidence > 0.7 {
			t.Logf("%.3f %s | %s | %s", hits[0].Confidence, q.Text, hits[0].Article.Title, hits[0].Why)
		}
	}
}

func TestExperimentDecideBanking(t *testing.T) {
	skipUnlessExperiment(t)
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		start := time.Now()
		dir := writeKB(t, s.articles(shots))
		b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		g := b.gen.Load()
		t.Logf("shots %d: built in %s cal=%+v %s", shots, time.Since(start).Round(time.Millisecond), g.model.cal, b.Calibration(0.95))
		t.Logf("  target .95: %s", decideAll(t, b, s.dev, nil, 0.95))
		for _, cut := range []float64{0.7, 0.8, 0.85, 0.9, 0.95} {
			g.model.self.Curve = []cutPoint{{Conf: cut, Precision: 1}}
			t.Logf("   cut %.2f: %s", cut, decideAll(t, b, s.dev, nil, 0.95))
		}
		b.Close()
	}
}

func TestExperimentAllKBs(t *testing.T) {
	skipUnlessExperiment(t)
	root, in, oos := faqDevQueries(t)
	s := loadBanking77(t)
	b77 := map[string]string{"b77-full": writeKB(t, s.articles(0)), "b77-10": writeKB(t, s.articles(10))}
	names := append([]string{"kb-a", "kb-c", "b77-10"}, shops...)
	if os.Getenv("KB_NAMES") != "" {
		names = strings.Split(os.Getenv("KB_NAMES"), ",")
	}
	{
		for _, kbn := range names {
			dir, qin, qout := experimentKB(t, root, kbn, in, oos)
			if b77[kbn] != "" {
				dir, qin, qout = b77[kbn], s.dev, nil
			}
			b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%-11s at %.3f %s", kbn, b.Calibration(0.95).AnswerAt, decideAll(t, b, qin, qout, 0.95))
			b.Close()
		}
	}
}

func TestExperimentListAmbiguous(t *testing.T) {
	skipUnlessExperiment(t)
	root := faqDevRoot(t)
	in := readCSV(t, filepath.Join(root, "queries-in.csv"))
	b, _ := Open(context.Background(), Options{Source: os.DirFS(filepath.Join(root, os.Getenv("KB_NAME"))), IndexDir: t.TempDir()})
	for _, q := range in {
		d, _ := b.Decide(context.Background(), q.Text, 0.95)
		if d.Reason == "ambiguous" {
			t.Logf("%v %s | %s | %s", d.Hits[0].Article.ID == q.Want, q.Text, d.Hits[0].Article.Title, d.Hits[1].Article.Title)
		}
	}
}

// experimentKB returns the folder and the in-scope and out-of-scope
// questions of a faq-dev knowledge base (in, oos) or of a shop written for
// the tests (testdata/shops/NAME, its own queries.csv).
func experimentKB(t *testing.T, root, name string, in, oos []EvalQuery) (dir string, qin, qout []EvalQuery) {
	t.Helper()
	shop := filepath.Join(shopsDir, name)
	if _, err := os.Stat(shop); err != nil {
		return filepath.Join(root, name), in, oos
	}
	for _, q := range readCSV(t, filepath.Join(shop, "queries.csv")) {
		if q.Want == OutOfScope {
			qout = append(qout, q)
		} else {
			qin = append(qin, q)
		}
	}
	return shop, qin, qout
}
