package store_test

import (
	"context"
	"testing"
	"time"

	"deskbot/store"
)

// The owner's review list holds missed questions and picked suggestions,
// sealed per customer and erased with them (DSR-4).
func TestReviewQuestionsPickedAndMissed(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	sess := newSession(t, s, "s1")
	t0 := sess.CreatedAt.Add(time.Minute)
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: t0, Unanswered: []string{"do you sell kayaks"}}); err != nil {
		t.Fatal(err)
	}
	t1 := t0.Add(time.Hour)
	if err := s.Commit(ctx, store.Turn{Subject: sess.SubjectID, Session: sess.ID, At: t1,
		Picked: []store.Pick{{Question: "can i send it back", Article: "returns-policy"}}}); err != nil {
		t.Fatal(err)
	}
	all, err := s.ReviewQuestions(ctx, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Article != "returns-policy" || all[0].Question != "can i send it back" || all[1].Article != "" || all[1].Question != "do you sell kayaks" {
		t.Fatalf("review list = %+v", all)
	}
	recent, err := s.ReviewQuestions(ctx, t1, 0)
	if err != nil || len(recent) != 1 || recent[0].Article != "returns-policy" {
		t.Fatalf("since t1: %+v, %v", recent, err)
	}
	missed, err := s.UnansweredQuestions(ctx, 10)
	if err != nil || len(missed) != 1 || missed[0] != "do you sell kayaks" {
		t.Fatalf("unanswered = %v, %v", missed, err)
	}
	if _, err := s.Erase(ctx, sess.SubjectID, "customer", t1.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.ReviewQuestions(ctx, time.Time{}, 0); len(all) != 0 {
		t.Fatalf("after erasure the review list still holds %+v", all)
	}
}
