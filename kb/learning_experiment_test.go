package kb

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestExperimentLearningLoop measures what the owner's learning loop
// (`deskbot kb review --accept`) is worth on the shops: half of each
// shop's in-scope questions (every other row) are accepted into their
// articles, as the loop writes them (AddQuestionToFile), and the other
// half is asked, with the out-of-scope questions; then the halves swap.
// The same halves are also asked of the shop as written.
func TestExperimentLearningLoop(t *testing.T) {
	skipUnlessExperiment(t)
	ctx := context.Background()
	for _, shop := range shops {
		src := filepath.Join(shopsDir, shop)
		var in, oos []EvalQuery
		for _, q := range readCSV(t, filepath.Join(src, "queries.csv")) {
			if q.Want == OutOfScope {
				oos = append(oos, q)
			} else {
				in = append(in, q)
			}
		}
		for half := 0; half < 2; half++ {
			var learn, ask []EvalQuery
			for i, q := range in {
				if i%2 == half {
					learn = append(learn, q)
				} else {
					ask = append(ask, q)
				}
			}
			ask = append(ask, oos...)
			for _, accept := range []bool{false, true} {
				dir := t.TempDir()
				if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
					t.Fatal(err)
				}
				if accept {
					for _, q := range learn {
						if err := AddQuestionToFile(filepath.Join(dir, q.Want+".md"), Asked, q.Text); err != nil {
							t.Fatal(err)
						}
					}
				}
				b, err := Open(ctx, Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
				if err != nil {
					t.Fatal(err)
				}
				res, err := EvaluateQueries(ctx, b, ask, DefaultThreshold)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%-12s half %d accepted %-5v %s", shop, half, accept, res.Line())
				if accept {
					// The accepted questions themselves, asked again.
					again, err := EvaluateQueries(ctx, b, learn, DefaultThreshold)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("%-12s half %d asked again: %s", shop, half, again.Line())
				}
				b.Close()
			}
		}
	}
}
