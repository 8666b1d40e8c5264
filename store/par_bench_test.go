package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"deskbot/store"
)

func BenchmarkCommitParallel50(b *testing.B) {
	s := open(b, b.TempDir(), key1)
	defer s.Close()
	sess := newSession(b, s, "bench")
	body := bytes.Repeat([]byte("x"), 200)
	b.SetParallelism(25)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			now := time.Now()
			if err := s.Commit(context.Background(), store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: now, State: body,
				Entries: []store.Entry{{At: now, Sender: "customer", Body: body}, {At: now, Sender: "bot", Body: body}}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
