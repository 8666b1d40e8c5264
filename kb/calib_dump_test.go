package kb

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestExperimentDumpSignals(t *testing.T) {
	skipUnlessExperiment(t)
	ctx := context.Background()
	root := "../../shared/data/faq-dev"
	if _, err := os.Stat(root); err != nil {
		root = "../../../shared/data/faq-dev"
	}
	for _, kbn := range []string{"kb-a", "kb-c"} {
		b, err := Open(ctx, Options{Source: os.DirFS(filepath.Join(root, kbn)), IndexDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		g := b.gen.Load()
		df := map[string]int{}
		for _, a := range g.arts {
			for w := range g.termsOf(a).cover {
				df[w]++
			}
		}
		n := float64(len(g.arts))
		idf := func(w string) float64 { return math.Log(1 + n/float64(1+df[w])) }
		out, _ := os.Create("/tmp/sig-" + kbn + ".csv")
		fmt.Fprintln(out, "oos,correct,conf,s1,s2,lin1,lin2,bm1,bm2,bmagree,cov0,cov1,wcov0,wcov1,tcov0,ncontent,rank,acov,key,acov1")
		for _, f := range []string{"queries-in.csv", "queries-oos.csv"} {
			fh, _ := os.Open(filepath.Join(root, f))
			qs, err := ReadQueries(fh)
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			oos := f == "queries-oos.csv"
			all := make([]int32, len(g.arts))
			for i := range all {
				all[i] = int32(i)
			}
			for _, q := range qs {
				hits, _ := b.Search(ctx, q.Text, 20)
				if len(hits) < 2 {
					continue
				}
				query := stripCourtesy(q.Text)
				toks := analyze(query)
				preds := g.model.predict(query, 2)
				bms := g.model.lex.score(toks, all)
				b1, b2, bi := 0.0, 0.0, -1
				for i, s := range bms {
					if s > b1 {
						b1, b2, bi = s, b1, i
					} else if s > b2 {
						b2 = s
					}
				}
				cw := contentWords(toks)
				cov := func(a *Article, weighted bool, titleOnly bool) float64 {
					tt := g.termsOf(a)
					set := tt.cover
					if titleOnly {
						set = tt.all
					}
					var num, den float64
					for _, w := range cw {
						x := 1.0
						if weighted {
							x = idf(w)
						}
						den += x
						if set[w] {
							num += x
						}
					}
					if den == 0 {
						return 0
					}
					return num / den
				}
				qset := map[string]bool{}
				for _, w := range cw {
					qset[w] = true
				}
				acov := func(a *Article) (float64, float64) {
					var num, den, kmax, kmatch float64
					seen := map[string]bool{}
					for _, tx := range append([]string{a.Title}, a.Questions...) {
						for _, w := range contentWords(analyze(tx)) {
							if seen[w] {
								continue
							}
							seen[w] = true
							x := idf(w)
							den += x
							kmax = max(kmax, x)
							if qset[w] {
								num += x
								kmatch = max(kmatch, x)
							}
						}
					}
					if den == 0 {
						return 0, 0
					}
					return num / den, kmatch / kmax
				}
				ac0, key0 := acov(hits[0].Article)
				ac1, _ := acov(hits[1].Article)
				rank := -1
				for i, h := range hits {
					if h.Article.ID == q.Want {
						rank = i
					}
				}
				agree := 0
				if bi >= 0 && g.model.ids[bi] == hits[0].Article.ID {
					agree = 1
				}
				l1, l2 := 0.0, 0.0
				if len(preds) > 0 {
					l1 = preds[0].score
				}
				if len(preds) > 1 {
					l2 = preds[1].score
				}
				o, c := 0, 0
				if oos {
					o = 1
				}
				if hits[0].Article.ID == q.Want {
					c = 1
				}
				fmt.Fprintf(out, "%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%.3f,%.3f,%.3f\n", o, c, hits[0].Confidence, hits[0].Score, hits[1].Score, l1, l2, b1, b2, agree,
					cov(hits[0].Article, false, false), cov(hits[1].Article, false, false), cov(hits[0].Article, true, false), cov(hits[1].Article, true, false), cov(hits[0].Article, true, true), len(cw), rank, ac0, key0, ac1)
			}
		}
		out.Close()
		b.Close()
	}
}
