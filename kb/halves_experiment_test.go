package kb

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestExperimentHalves checks that a change holds on knowledge bases it
// was not chosen on: each faq-dev knowledge base is split into two halves
// of its articles (alternating in file order); each half is asked its own
// questions, and the other half's questions and the out-of-scope ones as
// out of scope.
func TestExperimentHalves(t *testing.T) {
	skipUnlessExperiment(t)
	root, in, oos := faqDevQueries(t)
	for _, name := range []string{"kb-a", "kb-c"} {
		files, err := filepath.Glob(filepath.Join(root, name, "*.md"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		sort.Strings(files)
		for half := 0; half < 2; half++ {
			dir := t.TempDir()
			keep := map[string]bool{}
			for i, f := range files {
				if i%2 != half {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
					t.Fatal(err)
				}
				keep[strings.TrimSuffix(filepath.Base(f), ".md")] = true
			}
			var qin, qout []EvalQuery
			for _, q := range in {
				if keep[q.Want] {
					qin = append(qin, q)
				} else {
					qout = append(qout, EvalQuery{Text: q.Text, Want: OutOfScope})
				}
			}
			qout = append(qout, oos...)
			b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s half %d at %.3f %s", name, half, b.Calibration(0.95).AnswerAt, decideAll(t, b, qin, qout, 0.95))
			b.Close()
		}
	}
}
