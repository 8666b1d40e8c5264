package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/config"
)

var checksumForm = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// kbOf returns /healthz's article count and checksum, failing the test
// when the kb part is missing or not of the form sha256:<64 hex>.
func kbOf(t *testing.T, l *app.Local) (int, string) {
	t.Helper()
	h := getLiveness(t, l)
	if h.code != 200 || h.Status != "ok" || h.KB == nil {
		t.Fatalf("/healthz = %d %+v, want 200 ok with a kb part", h.code, h)
	}
	if !checksumForm.MatchString(h.KB.Checksum) {
		t.Fatalf("/healthz kb checksum %q is not sha256:<64 hex>", h.KB.Checksum)
	}
	return h.KB.Articles, h.KB.Checksum
}

// kbChangesFrom polls /healthz until its checksum is no longer old (the
// folder is watched every 100 ms, then the index and model are rebuilt)
// or 15 s pass, and returns the last count and checksum.
func kbChangesFrom(t *testing.T, l *app.Local, old string) (int, string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, sum := kbOf(t, l)
		if sum != old || time.Now().After(deadline) {
			return n, sum
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func writeArticle(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Two instances given the same articles report the same checksum on
// /healthz; an article edited (hot reload) or added on one shows as a
// different checksum there, and putting the folder back as it was brings
// the same checksum back, so it follows the content, not the load.
func TestHealthzReportsArticleChecksum(t *testing.T) {
	t.Parallel()
	fast := func(c *config.Config) { c.KBWatchInterval = 100 * time.Millisecond }
	a := startBotKB(t, smallKB, fast)
	b := startBotKB(t, smallKB, fast)

	na, sumA := kbOf(t, a)
	nb, sumB := kbOf(t, b)
	if na != len(smallKB) || nb != len(smallKB) {
		t.Fatalf("articles = %d and %d, want %d", na, nb, len(smallKB))
	}
	if sumA != sumB {
		t.Fatalf("same articles, different checksums: %s and %s", sumA, sumB)
	}

	dir := a.App.Config.KBDir
	writeArticle(t, dir, "returns.md", smallKB["returns.md"]+"Refunds reach your card within 5 working days.\n")
	n, edited := kbChangesFrom(t, a, sumA)
	if edited == sumA {
		t.Fatalf("checksum still %s 15 s after an article changed", edited)
	}
	if n != len(smallKB) {
		t.Errorf("articles = %d after an edit, want %d", n, len(smallKB))
	}
	if _, sum := kbOf(t, b); sum != sumB {
		t.Errorf("the other instance's checksum moved to %s without a change to its articles", sum)
	}

	writeArticle(t, dir, "opening-hours.md", "---\nid: opening-hours\ntitle: Opening hours\nversion: \"1\"\n---\n"+
		"Our shop is open Monday to Saturday from 9 am to 6 pm.\n")
	n, added := kbChangesFrom(t, a, edited)
	if added == edited || n != len(smallKB)+1 {
		t.Fatalf("after adding an article: %d articles, checksum %s (was %s), want %d and a new checksum", n, added, edited, len(smallKB)+1)
	}

	if err := os.Remove(filepath.Join(dir, "opening-hours.md")); err != nil {
		t.Fatal(err)
	}
	writeArticle(t, dir, "returns.md", smallKB["returns.md"])
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, sum := kbOf(t, a)
		if sum == sumB && n == len(smallKB) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("folder restored, but /healthz says %d articles, %s; the other instance says %s", n, sum, sumB)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
