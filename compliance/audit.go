package compliance

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// AUD-1, SEC-2: compliance events go to an append-only log in which every
// record carries the hash of the one before, so altering, removing or
// reordering a row is detectable (`deskbot audit verify`).

// Audit event names, shared with Gherkin steps, reports and audit verify.
const (
	EventDisclosure  = "disclosure"
	EventConsent     = "consent"
	EventRedaction   = "redaction"
	EventHandover    = "handover"
	EventAgentAccess = "agent_access"
	EventExport      = "export"
	EventErasure     = "erasure"
	EventPurge       = "purge"
	EventKeyRotation = "key_rotation"
)

// AuditEvents lists every audit event name.
func AuditEvents() []string {
	return []string{
		EventDisclosure, EventConsent, EventRedaction, EventHandover, EventAgentAccess,
		EventExport, EventErasure, EventPurge, EventKeyRotation,
	}
}

// GenesisHash is the PrevHash of the first record (Seq 1).
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditRecord is one row of the audit log.
//
// Subject is a pseudonymous subject id and Actor an agent name or "bot" or
// "system". Detail must never contain personal data or message text:
// callers pass only counts, ids and kinds (e.g. "kinds=email,card",
// "purpose=contact decision=granted version=1", "sessions=3"), because the
// audit log outlives erasure (AUD-1 keeps request records for 24 months
// while DSR-4 erases the subject's data). Nor may it name a special
// category or a sensitive topic: storage passes every record through
// MinimiseAudit.
type AuditRecord struct {
	Seq      int64
	At       time.Time
	Event    string
	Subject  string
	Actor    string
	Detail   string
	PrevHash string // hex SHA-256 of the previous record, GenesisHash for Seq 1
	Hash     string // hex SHA-256 over this record, see ComputeHash
}

// ComputeHash returns the hex SHA-256 of the record's canonical encoding: a
// domain tag, then Seq, At (UTC, RFC 3339 with nanoseconds), Event, Subject,
// Actor, Detail and PrevHash, each as an 8-byte big-endian length followed
// by its bytes, so no two different records encode alike. Hash itself is
// not covered. Storage must keep At to the nanosecond.
func (r AuditRecord) ComputeHash() string {
	h := sha256.New()
	field := func(h hash.Hash, s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field(h, "deskbot-audit-v1")
	field(h, strconv.FormatInt(r.Seq, 10))
	field(h, r.At.UTC().Format(time.RFC3339Nano))
	field(h, r.Event)
	field(h, r.Subject)
	field(h, r.Actor)
	field(h, r.Detail)
	field(h, r.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// MinimiseAudit keeps special-category inferences out of an audit record
// before it is chained (MIN-2, AUD-1, DSR-4). The audit log is clear text,
// keyed by subject, kept for years and kept after erasure, so a row saying
// that a customer's text held health terms, or that a medical or legal
// matter brought in a person, would outlive the transcript it describes.
// In the detail, health is dropped from a "kinds=" list (the transcript's
// own "[health]" placeholder, erased with the subject, is the evidence of
// that redaction) and "reason=sensitive:<topic>" becomes "reason=sensitive".
// It reports false when nothing is left worth recording: a redaction of
// special-category data only.
func MinimiseAudit(r AuditRecord) (AuditRecord, bool) {
	fields := strings.Fields(r.Detail)
	out := fields[:0]
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case ok && k == "kinds":
			var keep []string
			for _, kind := range strings.Split(v, ",") {
				if kind != "" && !specialCategory(Kind(kind)) {
					keep = append(keep, kind)
				}
			}
			if len(keep) == 0 {
				if r.Event == EventRedaction {
					return r, false
				}
				continue
			}
			f = k + "=" + strings.Join(keep, ",")
		case ok && k == "reason" && strings.HasPrefix(v, "sensitive:"):
			f = "reason=sensitive"
		}
		out = append(out, f)
	}
	r.Detail = strings.Join(out, " ")
	return r, true
}

// specialCategory: GDPR Art. 9 data the detector finds (MIN-2).
func specialCategory(k Kind) bool { return k == KindHealth }

// ChainAfter returns r linked after prev: Seq is prev.Seq+1, PrevHash is
// prev.Hash and Hash is computed. Pass the zero AuditRecord as prev for the
// first record. At is normalised to UTC.
func ChainAfter(prev, r AuditRecord) AuditRecord {
	r.Seq = prev.Seq + 1
	r.PrevHash = prev.Hash
	if prev.Seq == 0 {
		r.PrevHash = GenesisHash
	}
	r.At = r.At.UTC()
	r.Hash = r.ComputeHash()
	return r
}

// ChainError reports the first broken link of an audit chain.
type ChainError struct {
	Seq    int64
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit chain broken at seq %d: %s", e.Seq, e.Reason)
}

// VerifyChain walks the records that next yields in Seq order, starting
// from Seq 1, and returns how many verified. It stops at the first broken
// link with a *ChainError, or at an error from next (wrapped).
func VerifyChain(next func() (AuditRecord, bool, error)) (n int, err error) {
	return VerifyChainFrom(0, GenesisHash, next)
}

// VerifyChainFrom verifies a chain whose records before afterSeq were
// removed by the retention purge: the first record must follow afterSeq
// and link to lastHash, the hash of the last removed record (RET-1, AUD-1).
func VerifyChainFrom(afterSeq int64, lastHash string, next func() (AuditRecord, bool, error)) (n int, err error) {
	prev := AuditRecord{Seq: afterSeq, Hash: lastHash}
	for {
		r, ok, err := next()
		if err != nil {
			return n, fmt.Errorf("audit verify: reading record after seq %d: %w", prev.Seq, err)
		}
		if !ok {
			return n, nil
		}
		switch {
		case r.Seq <= prev.Seq:
			return n, &ChainError{Seq: r.Seq, Reason: fmt.Sprintf("out of order: seq %d follows %d (rows reordered)", r.Seq, prev.Seq)}
		case r.Seq != prev.Seq+1:
			return n, &ChainError{Seq: r.Seq, Reason: fmt.Sprintf("seq gap: %d follows %d (row removed)", r.Seq, prev.Seq)}
		case r.ComputeHash() != r.Hash:
			return n, &ChainError{Seq: r.Seq, Reason: "hash mismatch (row altered)"}
		case r.PrevHash != prev.Hash:
			what := fmt.Sprintf("seq %d", prev.Seq)
			if prev.Seq == 0 {
				what = "the genesis hash"
			}
			return n, &ChainError{Seq: r.Seq, Reason: "prev_hash does not match " + what}
		}
		prev = r
		n++
	}
}

// SliceRecords adapts a slice to VerifyChain's iterator.
func SliceRecords(rs []AuditRecord) func() (AuditRecord, bool, error) {
	i := 0
	return func() (AuditRecord, bool, error) {
		if i >= len(rs) {
			return AuditRecord{}, false, nil
		}
		i++
		return rs[i-1], true, nil
	}
}
