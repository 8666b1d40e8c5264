package wordvec

import (
	"errors"
	"math"
	"testing"
)

func unit(t *testing.T, tb *Table, w string) []float32 {
	t.Helper()
	r, ok := tb.Rank(w)
	if !ok {
		t.Fatalf("%q not in the table", w)
	}
	v := make([]float32, tb.Dim())
	tb.Add(v, r, 1)
	return v
}

func cos(a, b []float32) float64 {
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return d / math.Sqrt(na*nb)
}

func TestEnglishTable(t *testing.T) {
	tb := English()
	if tb.Len() != 50000 || tb.Dim() != 100 {
		t.Fatalf("table has %d words of %d dimensions, want 50000 of 100", tb.Len(), tb.Dim())
	}
	if id := tb.ID(); len(id) != 16 {
		t.Errorf("ID() = %q, want 16 hex digits", id)
	}
	if other, err := Parse(append([]byte{}, englishBin...)); err != nil || other.ID() != tb.ID() {
		t.Errorf("the same data parsed again has ID %q (%v), want %q", other.ID(), err, tb.ID())
	}
	changed := append([]byte{}, englishBin...)
	changed[len(changed)-1]++
	if other, err := Parse(changed); err != nil || other.ID() == tb.ID() {
		t.Errorf("a changed vector keeps the ID %q (%v)", tb.ID(), err)
	}
	if r, ok := tb.Rank("the"); !ok || r != 0 {
		t.Errorf("rank of \"the\" = %d, %v; want 0 (most frequent)", r, ok)
	}
	if _, ok := tb.Rank("The"); ok {
		t.Error("upper-case words are not stored")
	}
	// Vectors come back at unit length (within the byte rounding).
	if n := cos(unit(t, tb, "refund"), unit(t, tb, "refund")); math.Abs(n-1) > 1e-6 {
		t.Errorf("cos(refund, refund) = %f", n)
	}
	v := unit(t, tb, "refund")
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if math.Abs(math.Sqrt(n)-1) > 0.01 {
		t.Errorf("|refund| = %f, want 1", math.Sqrt(n))
	}
	// Words of one meaning are nearer than unrelated ones.
	for _, c := range []struct{ w, near, far string }{
		{"refund", "reimbursement", "bicycle"},
		{"delivery", "shipping", "flour"},
		{"cancel", "cancellation", "yarn"},
		{"address", "location", "cake"},
	} {
		a := unit(t, tb, c.w)
		if near, far := cos(a, unit(t, tb, c.near)), cos(a, unit(t, tb, c.far)); near <= far {
			t.Errorf("cos(%s, %s) = %.3f <= cos(%s, %s) = %.3f", c.w, c.near, near, c.w, c.far, far)
		}
	}
}

func TestParseRejectsBadData(t *testing.T) {
	good := englishBin[:len(magic)+8]
	for name, b := range map[string][]byte{
		"empty":          nil,
		"wrong magic":    append([]byte("XXXXX\n"), good[len(magic):]...),
		"header only":    good,
		"truncated":      englishBin[:len(englishBin)-1],
		"trailing bytes": append(append([]byte{}, englishBin...), 0),
	} {
		if _, err := Parse(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
}
