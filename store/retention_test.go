package store_test

import (
	"context"
	"testing"
	"time"

	"deskbot/store"
)

const day = 24 * time.Hour

// RET-1: a message left for the team is kept no longer than the transcript
// it belongs to, even when the customer keeps the session alive (the
// session row, and so the cascade, stays).
func TestPurgeRemovesOldLeftMessages(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	sess := newSession(t, s, "s1")
	day0 := sess.CreatedAt
	if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: sess.SubjectID, Session: sess.ID, At: day0, Text: "tent pole snapped"}); err != nil {
		t.Fatal(err)
	}
	// The customer comes back on day 40 and leaves another message.
	day40 := day0.Add(40 * day)
	if err := s.AppendTurn(ctx, sess.SubjectID, sess.ID, day40, []store.Entry{{At: day40, Sender: "customer", Body: []byte(`{"text":"hello again"}`)}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LeaveMessage(ctx, store.OfflineMessage{Subject: sess.SubjectID, Session: sess.ID, At: day40, Text: "still broken"}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, day40, store.Retention{Transcripts: 30 * day, Contacts: 90 * day, Consents: 730 * day})
	if err != nil {
		t.Fatal(err)
	}
	if n.LeftMessages != 1 {
		t.Errorf("RET-1: purge removed %d left messages, want the day-0 one: %+v", n.LeftMessages, n)
	}
	d, err := s.Export(ctx, sess.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.LeftMessages) != 1 || d.LeftMessages[0].Text != "still broken" {
		t.Errorf("left messages after purge = %+v", d.LeftMessages)
	}
}

// RET-1, AUD-1: data-subject request records outlive erasure, but not
// forever: they have their own retention (proof of compliance), and a
// zero period keeps them.
func TestPurgeRemovesOldRequestRecords(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), key1)
	defer s.Close()
	day0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{day0, day0.Add(800 * day)} {
		if err := s.RecordRequest(ctx, "export", "subj-"+string(rune('a'+i)), "operator", at, "channel=cli"); err != nil {
			t.Fatal(err)
		}
	}
	ret := store.Retention{Transcripts: 30 * day, Contacts: 90 * day, Consents: 730 * day}
	now := day0.Add(1100 * day)
	if n, err := s.Purge(ctx, now, ret); err != nil || n.Requests != 0 {
		t.Fatalf("without a request retention nothing may go: %+v, %v", n, err)
	}
	ret.Requests = 1095 * day
	n, err := s.Purge(ctx, now, ret)
	if err != nil || n.Requests != 1 {
		t.Fatalf("RET-1: purge on day 1100 with 1095 days removed %+v, %v; want the day-0 request record", n, err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Requests["export"] != 1 {
		t.Fatalf("request records left: %+v, %v", st.Requests, err)
	}
}
