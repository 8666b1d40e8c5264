package kb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// synthKB writes n synthetic articles: each has a topic of rare words mixed
// with common English question words, like a large shop's help centre.
func synthKB(tb testing.TB, dir string, n int) []Article {
	tb.Helper()
	rng := rand.New(rand.NewPCG(42, 7))
	common := strings.Fields("how do i can my the a to is what when where why order card account " +
		"payment refund delivery change cancel help need want get it not still have been does will " +
		"return item size price store open close number email address phone app online")
	syll := []string{"ka", "lo", "mi", "ne", "ru", "to", "va", "zi", "per", "con", "dex", "mar", "sol", "tri", "ven", "qua"}
	word := func() string {
		var b strings.Builder
		for k := 2 + rng.IntN(2); k > 0; k-- {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		return b.String()
	}
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = word()
	}
	arts := make([]Article, n)
	for i := range arts {
		topic := []string{vocab[rng.IntN(len(vocab))], vocab[rng.IntN(len(vocab))], vocab[rng.IntN(len(vocab))]}
		sentence := func(l int) string {
			ws := make([]string, l)
			for j := range ws {
				if rng.IntN(3) == 0 {
					ws[j] = topic[rng.IntN(len(topic))]
				} else {
					ws[j] = common[rng.IntN(len(common))]
				}
			}
			return strings.Join(ws, " ")
		}
		a := Article{ID: fmt.Sprintf("article-%05d", i), Title: topic[0] + " " + topic[1], Version: "1",
			Body: sentence(30)}
		for q := 0; q < 5; q++ {
			a.Questions = append(a.Questions, sentence(6+rng.IntN(6))+"?")
		}
		arts[i] = a
		data, err := a.Marshal()
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, a.ID+".md"), data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return arts
}

func TestLargeKBTimings(t *testing.T) {
	if testing.Short() || os.Getenv("KB_LARGE") == "" {
		t.Skip("set KB_LARGE=1 (takes a while)")
	}
	kbDir, idx := t.TempDir(), t.TempDir()
	nArts := 10000
	if v, err := strconv.Atoi(os.Getenv("KB_LARGE")); err == nil && v > 1 {
		nArts = v
	}
	arts := synthKB(t, kbDir, nArts)
	start := time.Now()
	b, err := Open(context.Background(), Options{Source: os.DirFS(kbDir), IndexDir: idx})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cold open (build index + train): %v", time.Since(start))
	b.Close()
	start = time.Now()
	b, err = Open(context.Background(), Options{Source: os.DirFS(kbDir), IndexDir: idx})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Search(context.Background(), arts[0].Questions[0], 5); err != nil {
		t.Fatal(err)
	}
	t.Logf("warm open to first answer: %v", time.Since(start))
	defer b.Close()
	lat := make([]time.Duration, 0, 2000)
	ok := 0
	for i := 0; i < 2000; i++ {
		a := arts[(i*7919)%len(arts)]
		q := a.Questions[i%len(a.Questions)]
		s := time.Now()
		hits, err := b.Search(context.Background(), q, 5)
		lat = append(lat, time.Since(s))
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) > 0 && hits[0].Article.ID == a.ID {
			ok++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("query latency median=%v p99=%v; example recall=%.3f", lat[len(lat)/2], lat[len(lat)*99/100], float64(ok)/2000)
	fi, _ := os.Stat(filepath.Join(idx, modelFile))
	t.Logf("model file %d bytes", fi.Size())
}

// openSynth builds (once per folder) and opens a synthetic knowledge base.
func openSynth(b *testing.B, n int) (*Base, []Article) {
	b.Helper()
	kbDir, idx := b.TempDir(), b.TempDir()
	arts := synthKB(b, kbDir, n)
	base, err := Open(context.Background(), Options{Source: os.DirFS(kbDir), IndexDir: idx})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { base.Close() })
	return base, arts
}

func benchSearch(b *testing.B, n int) { benchQuery(b, n, false) }

// benchQuery measures Search, or with decide the whole Decide the bot calls.
func benchQuery(b *testing.B, n int, decide bool) {
	base, arts := openSynth(b, n)
	qs := make([]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		a := arts[(i*7919)%len(arts)]
		qs = append(qs, a.Questions[i%len(a.Questions)])
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := time.Now()
		var err error
		if decide {
			_, err = base.Decide(context.Background(), qs[i%len(qs)], DefaultThreshold)
		} else {
			_, err = base.Search(context.Background(), qs[i%len(qs)], 5)
		}
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(s))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

func BenchmarkSearch1k(b *testing.B)  { benchSearch(b, 1000) }
func BenchmarkSearch10k(b *testing.B) { benchSearch(b, 10000) }
func BenchmarkDecide10k(b *testing.B) { benchQuery(b, 10000, true) }

// BenchmarkCalibrate1k measures the self-calibration of a 1,000-article
// knowledge base (held-out model plus the out-of-scope models), the part of
// a cold start it adds.
func BenchmarkCalibrate1k(b *testing.B) {
	vals := synthKB(b, b.TempDir(), 1000)
	arts := make([]*Article, len(vals))
	var exs []example
	for ci := range vals {
		arts[ci] = &vals[ci]
		exs = append(exs, articleExamples(defaultFeatures, int32(ci), arts[ci])...)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok, err := calibrate(context.Background(), arts, exs, defaultFeatures, defaultTrain); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkBuild10k measures a cold Open: parse 10,000 articles, build the
// Bleve index and train the model. Run with -benchtime=1x.
func BenchmarkBuild10k(b *testing.B) {
	kbDir := b.TempDir()
	synthKB(b, kbDir, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		base, err := Open(context.Background(), Options{Source: os.DirFS(kbDir), IndexDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		base.Close()
		b.StartTimer()
	}
}

// BenchmarkOpenWarm10k measures start-up to the first answer with the
// index and model already on disk.
func BenchmarkOpenWarm10k(b *testing.B) {
	kbDir, idx := b.TempDir(), b.TempDir()
	arts := synthKB(b, kbDir, 10000)
	base, err := Open(context.Background(), Options{Source: os.DirFS(kbDir), IndexDir: idx})
	if err != nil {
		b.Fatal(err)
	}
	base.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		base, err := Open(context.Background(), Options{Source: os.DirFS(kbDir), IndexDir: idx})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := base.Search(context.Background(), arts[i%len(arts)].Questions[0], 5); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		base.Close()
		b.StartTimer()
	}
}
