package compliance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func buildChain(t *testing.T, n int) []AuditRecord {
	t.Helper()
	base := time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)
	events := AuditEvents()
	var out []AuditRecord
	prev := AuditRecord{}
	for i := range n {
		r := ChainAfter(prev, AuditRecord{
			At:      base.Add(time.Duration(i) * time.Second),
			Event:   events[i%len(events)],
			Subject: fmt.Sprintf("subj-%d", i%3),
			Actor:   "bot",
			Detail:  fmt.Sprintf("kinds=email count=%d", i),
		})
		out = append(out, r)
		prev = r
	}
	return out
}

func wantChainError(t *testing.T, err error, seq int64, reason string) {
	t.Helper()
	var ce *ChainError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *ChainError at seq %d", err, seq)
	}
	if ce.Seq != seq || !strings.Contains(ce.Reason, reason) {
		t.Fatalf("err = %v, want seq %d reason containing %q", err, seq, reason)
	}
}

// AUD-1: an untouched chain verifies.
func TestVerifyChainGood(t *testing.T) {
	rs := buildChain(t, 20)
	if rs[0].PrevHash != GenesisHash || rs[0].Seq != 1 {
		t.Fatalf("first record: seq %d prev %s", rs[0].Seq, rs[0].PrevHash)
	}
	n, err := VerifyChain(SliceRecords(rs))
	if err != nil || n != 20 {
		t.Fatalf("VerifyChain = %d, %v; want 20, nil", n, err)
	}
	if n, err := VerifyChain(SliceRecords(nil)); n != 0 || err != nil {
		t.Errorf("empty chain: %d, %v", n, err)
	}
}

// AUD-1: changing any field of any row is caught at that row.
func TestVerifyChainAlteredField(t *testing.T) {
	alter := map[string]func(*AuditRecord){
		"At":       func(r *AuditRecord) { r.At = r.At.Add(time.Nanosecond) },
		"Event":    func(r *AuditRecord) { r.Event = EventPurge + "x" },
		"Subject":  func(r *AuditRecord) { r.Subject = "someone-else" },
		"Actor":    func(r *AuditRecord) { r.Actor = "agent:eve" },
		"Detail":   func(r *AuditRecord) { r.Detail += " " },
		"PrevHash": func(r *AuditRecord) { r.PrevHash = strings.Repeat("1", 64) },
		"Hash":     func(r *AuditRecord) { r.Hash = strings.Repeat("2", 64) },
	}
	for name, f := range alter {
		for _, k := range []int{0, 7, 19} {
			t.Run(fmt.Sprintf("%s@%d", name, k+1), func(t *testing.T) {
				rs := buildChain(t, 20)
				f(&rs[k])
				n, err := VerifyChain(SliceRecords(rs))
				wantChainError(t, err, int64(k+1), "hash mismatch (row altered)")
				if n != k {
					t.Errorf("verified %d before the break, want %d", n, k)
				}
				if !strings.HasPrefix(err.Error(), fmt.Sprintf("audit chain broken at seq %d: ", k+1)) {
					t.Errorf("message %q", err)
				}
			})
		}
	}
}

// An attacker who alters a row and recomputes its hash breaks the next link.
func TestVerifyChainRehashedRow(t *testing.T) {
	rs := buildChain(t, 20)
	rs[9].Detail = "kinds=none"
	rs[9].Hash = rs[9].ComputeHash()
	_, err := VerifyChain(SliceRecords(rs))
	wantChainError(t, err, 11, "prev_hash does not match seq 10")
}

func TestVerifyChainDeletedRow(t *testing.T) {
	rs := buildChain(t, 20)
	rs = slices.Delete(rs, 15, 16) // remove seq 16
	_, err := VerifyChain(SliceRecords(rs))
	wantChainError(t, err, 17, "seq gap: 17 follows 15 (row removed)")

	rs = buildChain(t, 5)[1:] // genesis removed
	_, err = VerifyChain(SliceRecords(rs))
	wantChainError(t, err, 2, "seq gap: 2 follows 0")
}

func TestVerifyChainReordered(t *testing.T) {
	// Rows yielded out of order.
	rs := buildChain(t, 20)
	rs[4], rs[5] = rs[5], rs[4]
	_, err := VerifyChain(SliceRecords(rs))
	wantChainError(t, err, 6, "seq gap: 6 follows 4")

	rs = buildChain(t, 20)
	rs = append(rs[:6], append([]AuditRecord{rs[3]}, rs[6:]...)...) // seq 4 again after 6
	_, err = VerifyChain(SliceRecords(rs))
	wantChainError(t, err, 4, "out of order: seq 4 follows 6")

	// Rows swapped and renumbered so the sequence looks intact.
	rs = buildChain(t, 20)
	rs[4], rs[5] = rs[5], rs[4]
	rs[4].Seq, rs[5].Seq = 5, 6
	_, err = VerifyChain(SliceRecords(rs))
	wantChainError(t, err, 5, "hash mismatch")
}

func TestVerifyChainReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	rs := buildChain(t, 3)
	i := 0
	n, err := VerifyChain(func() (AuditRecord, bool, error) {
		if i == 2 {
			return AuditRecord{}, false, boom
		}
		i++
		return rs[i-1], true, nil
	})
	if n != 2 || !errors.Is(err, boom) {
		t.Errorf("got %d, %v", n, err)
	}
}

// The hash depends on the instant, not on the time zone it is expressed in,
// and the length prefixes keep shifted field boundaries apart.
func TestComputeHashCanonical(t *testing.T) {
	r := buildChain(t, 1)[0]
	other := r
	other.At = r.At.In(time.FixedZone("X", 5*3600))
	if other.ComputeHash() != r.Hash {
		t.Error("hash depends on time zone")
	}
	a, b := r, r
	a.Subject, a.Actor = "ab", "c"
	b.Subject, b.Actor = "a", "bc"
	if a.ComputeHash() == b.ComputeHash() {
		t.Error("field boundaries are ambiguous")
	}
	if len(r.Hash) != 64 {
		t.Errorf("hash %q is not hex SHA-256", r.Hash)
	}
}

// MIN-2, AUD-1, DSR-4: audit details never name a special category or a
// sensitive topic; everything else stays as the caller wrote it.
func TestMinimiseAudit(t *testing.T) {
	tests := []struct {
		event, detail, want string
		keep                bool
	}{
		{EventRedaction, "kinds=email,health,card", "kinds=email,card", true},
		{EventRedaction, "kinds=health", "", false},
		{EventRedaction, "kinds=phone", "kinds=phone", true},
		{EventHandover, "reason=sensitive:medical state=offline", "reason=sensitive state=offline", true},
		{EventHandover, "reason=sensitive:legal state=queued", "reason=sensitive state=queued", true},
		{EventHandover, "reason=request state=queued", "reason=request state=queued", true},
		{EventHandover, "state=left reason=agent_offline", "state=left reason=agent_offline", true},
		{EventConsent, "purpose=contact decision=granted version=1", "purpose=contact decision=granted version=1", true},
		{EventPurge, "", "", true},
	}
	for _, tc := range tests {
		got, keep := MinimiseAudit(AuditRecord{Event: tc.event, Detail: tc.detail})
		if keep != tc.keep || (keep && got.Detail != tc.want) {
			t.Errorf("MinimiseAudit(%s %q) = %q, %v; want %q, %v", tc.event, tc.detail, got.Detail, keep, tc.want, tc.keep)
		}
	}
}
