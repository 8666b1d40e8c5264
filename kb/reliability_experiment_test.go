package kb

import (
	"context"
	"os"
	"testing"
)

// TestExperimentReliability prints, per confidence band, how many real
// questions were ranked right, ranked wrong, or out of scope.
func TestExperimentReliability(t *testing.T) {
	skipUnlessExperiment(t)
	root, in, oos := faqDevQueries(t)
	for _, kbn := range append([]string{"kb-a", "kb-c"}, shops...) {
		dir, qin, qout := experimentKB(t, root, kbn, in, oos)
		b, err := Open(context.Background(), Options{Source: os.DirFS(dir), IndexDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		var right, wrong, out [10]int
		for _, q := range qin {
			hits, _ := b.Search(context.Background(), q.Text, 2)
			if len(hits) == 0 {
				continue
			}
			k := min(int(hits[0].Confidence*10), 9)
			if hits[0].Article.ID == q.Want {
				right[k]++
			} else {
				wrong[k]++
			}
		}
		for _, q := range qout {
			hits, _ := b.Search(context.Background(), q.Text, 2)
			if len(hits) == 0 {
				continue
			}
			out[min(int(hits[0].Confidence*10), 9)]++
		}
		for k := range 10 {
			t.Logf("%-11s %.1f-%.1f right %3d wrong %3d oos %3d", kbn, float64(k)/10, float64(k+1)/10, right[k], wrong[k], out[k])
		}
		b.Close()
	}
}

// TestExperimentBankingOracle prints the most BANKING77 could answer at a
// precision, with the confidence ordering as it is and the best cut chosen
// on the dev questions themselves (an oracle: the bot has no labels).
func TestExperimentBankingOracle(t *testing.T) {
	skipUnlessExperiment(t)
	s := loadBanking77(t)
	for _, shots := range []int{0, 10} {
		r := evalBanking77(t, s, shots, DefaultThreshold)
		for _, th := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95} {
			a, p := r.at(th)
			t.Logf("shots=%d conf>=%.2f answered=%.3f precision=%.3f", shots, th, a, p)
		}
	}
}
