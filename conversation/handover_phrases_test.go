package bot_test

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"deskbot/bot"
	"deskbot/config"
)

// measureTriggers runs the escalation triggers over a labelled phrase file
// (text,label with labels request, sensitive, frustration, none). Recall
// counts a positive as found when any trigger fires; the false-trigger rate
// is the share of "none" rows that fire one.
func measureTriggers(t *testing.T, file string) (rows int, recall, falseRate float64) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:]
	x := bot.NewEscalator(config.Defaults(t.TempDir()).Handover)
	type tally struct{ n, hit, kindOK int }
	per := map[string]*tally{}
	var pos, found, neg, falseHits int
	for _, r := range recs {
		text, label := r[0], r[1]
		reason, ok := x.Detect(text)
		tl := per[label]
		if tl == nil {
			tl = &tally{}
			per[label] = tl
		}
		tl.n++
		if label == "none" {
			neg++
			if ok {
				falseHits++
				t.Logf("false trigger (%s): %q", reason, text)
			}
			continue
		}
		pos++
		if !ok {
			t.Logf("missed (%s): %q", label, text)
			continue
		}
		found++
		tl.hit++
		if reason == label || (label == "sensitive" && strings.HasPrefix(reason, "sensitive:")) {
			tl.kindOK++
		}
	}
	recall, falseRate = float64(found)/float64(pos), float64(falseHits)/float64(neg)
	for _, label := range []string{"request", "sensitive", "frustration"} {
		if tl := per[label]; tl != nil {
			t.Logf("%-12s %d/%d triggered (%d with the right reason)", label, tl.hit, tl.n, tl.kindOK)
		}
	}
	t.Logf("%s: recall %.3f (%d/%d), false-trigger rate %.3f (%d/%d)", file, recall, found, pos, falseRate, falseHits, neg)
	return len(recs), recall, falseRate
}

// HUM-2: the triggers on the labelled phrase set the rules were written
// against, and on a held-out set written afterwards and not tuned on.
func TestHandoverPhraseSet(t *testing.T) {
	n, recall, falseRate := measureTriggers(t, "testdata/handover_phrases.csv")
	if n < 150 {
		t.Fatalf("phrase set has %d rows, want at least 150", n)
	}
	if recall < 0.95 {
		t.Errorf("recall %.3f fell below the floor 0.95", recall)
	}
	if falseRate > 0.05 {
		t.Errorf("false-trigger rate %.3f rose above the ceiling 0.05", falseRate)
	}
}

func TestHandoverPhraseHoldout(t *testing.T) {
	_, recall, falseRate := measureTriggers(t, "testdata/handover_phrases_holdout.csv")
	// Measured 0.853 and 0.077 when the set was first run; not tuned on since.
	if recall < 0.80 {
		t.Errorf("held-out recall %.3f fell below the floor 0.80", recall)
	}
	if falseRate > 0.12 {
		t.Errorf("held-out false-trigger rate %.3f rose above the ceiling 0.12", falseRate)
	}
}
