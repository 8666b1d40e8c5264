package kb

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestExperimentReliability prints, per confidence band, how many real
// questions were ranked right, ranked wrong, or out of scope.
func TestExperimentReliability(t *testing.T) {
	skipUnlessExperiment(t)
	root := faqDevRoot(t)
	in := readCSV(t, filepath.Join(root, "queries-in.csv"))
	oos := readCSV(t, filepath.Join(root, "queries-oos.csv"))
	for _, kbn := range []string{"kb-a", "kb-c", "bike-repair", "bakery", "yarn-shop"} {
		dir := filepath.Join(root, kbn)
		qin, qout := in, oos
		if _, err := os.Stat(filepath.Join("testdata/shops", kbn)); err == nil {
			dir = filepath.Join("testdata/shops", kbn)
			qin, qout = nil, nil
			for _, q := range readCSV(t, filepath.Join(dir, "queries.csv")) {
				if q.Want == "oos" {
					qout = append(qout, q)
				} else {
					qin = append(qin, q)
				}
			}
		}
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
