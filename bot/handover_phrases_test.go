package bot_test

import (
	"encoding/csv"
	"os"
	"testing"

	"deskbot/bot"
	"deskbot/config"
)

// HUM-2: measure the escalation triggers on a labelled phrase set
// (testdata/handover_phrases.csv: request, sensitive, frustration, none).
// Recall counts a positive as found when any trigger fires; the
// false-trigger rate is the share of "none" rows that fire one.
func TestHandoverPhraseSet(t *testing.T) {
	f, err := os.Open("testdata/handover_phrases.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	if len(rows) < 150 {
		t.Fatalf("phrase set has %d rows, want at least 150", len(rows))
	}
	x := bot.NewEscalator(config.Defaults(t.TempDir()).Handover)
	type tally struct{ n, hit, kindOK int }
	per := map[string]*tally{}
	var pos, found, neg, falseHits int
	for _, r := range rows {
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
		if ok {
			found++
			tl.hit++
			if reason == label || (label == "sensitive" && len(reason) > 10 && reason[:10] == "sensitive:") {
				tl.kindOK++
			}
		} else {
			t.Logf("missed (%s): %q", label, text)
		}
	}
	recall := float64(found) / float64(pos)
	falseRate := float64(falseHits) / float64(neg)
	for _, label := range []string{"request", "sensitive", "frustration"} {
		tl := per[label]
		t.Logf("%-12s %d/%d triggered (%d with the right reason)", label, tl.hit, tl.n, tl.kindOK)
	}
	t.Logf("recall %.3f (%d/%d), false-trigger rate %.3f (%d/%d)", recall, found, pos, falseRate, falseHits, neg)
	if recall < 0.95 {
		t.Errorf("recall %.3f fell below the floor 0.95", recall)
	}
	if falseRate > 0.05 {
		t.Errorf("false-trigger rate %.3f rose above the ceiling 0.05", falseRate)
	}
}
