package intent

import "testing"

// benchMessages is a realistic mix: BANKING77 questions when present,
// else the gathered messages, plus the labelled handover phrases.
func benchMessages(b *testing.B) []string {
	msgs := corpus(b)
	if len(msgs) > 4000 {
		msgs = msgs[len(msgs)-4000:] // the BANKING77 end of the corpus
	}
	for _, file := range []string{"testdata/handover_phrases.csv", "testdata/handover_phrases_holdout.csv"} {
		for _, r := range readCSV(b, file) {
			msgs = append(msgs, r[0])
		}
	}
	return msgs
}

// BenchmarkTurn is the per-turn intent and escalation step of the engine
// for one customer message: rights request, identity question, escalation
// triggers and small talk. One op is one message.
//
//	go test ./intent -run XXX -bench Turn -count 5
func BenchmarkTurn(b *testing.B) {
	msgs := benchMessages(b)
	b.Run("old", func(b *testing.B) {
		x := oldNewEscalator(allTopics, true)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s := msgs[i%len(msgs)]
			oldDetectRightsRequest(s)
			oldAsksIfHuman(s)
			x.Detect(s)
			oldDetectSmallTalk(s)
		}
	})
	b.Run("new", func(b *testing.B) {
		x := NewEscalator(allTopics, true)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m := Read(msgs[i%len(msgs)])
			m.Rights()
			m.AsksIfHuman()
			x.Reason(m)
			m.SmallTalk()
		}
	})
}
