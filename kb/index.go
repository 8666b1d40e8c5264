package kb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// indexSchema changes whenever the document layout or the text analysis
// changes; an index written with another schema is rebuilt from scratch.
const indexSchema = "deskbot-kb-4" // 4: accents folded (writeFolded)

var (
	internalSchema = []byte("deskbot:schema")
	internalHashes = []byte("deskbot:hashes")
)

const (
	fieldText  = "text"  // title + example questions, stemmed words
	fieldPairs = "pairs" // adjacent word pairs of the same text
	fieldBody  = "body"  // answer text, stemmed words
	analyzerID = "pre"   // tokens are produced by analyze(); Bleve only splits on spaces
)

// indexDoc is what Bleve stores per article: pre-analysed text, one
// document per article with its example questions joined.
type indexDoc struct {
	Text  string `json:"text"`
	Pairs string `json:"pairs"`
	Body  string `json:"body"`
}

func docFor(a *Article) indexDoc {
	var text, prs []string
	add := func(s string) {
		t := analyze(s)
		text = append(text, t...)
		prs = append(prs, pairs(t)...)
	}
	add(a.Title)
	for _, q := range a.Questions {
		add(q)
	}
	return indexDoc{
		Text:  strings.Join(text, " "),
		Pairs: strings.Join(prs, " "),
		Body:  strings.Join(analyze(a.Body), " "),
	}
}

// articleHash identifies the indexed content of an article; only articles
// whose hash changed are reindexed.
func articleHash(a *Article) string {
	h := sha256.New()
	for _, s := range [][]string{{indexSchema, a.ID, a.Title, a.Body}, a.Questions} {
		for _, x := range s {
			h.Write([]byte(x))
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	// Errors here are programming errors in a constant configuration.
	if err := im.AddCustomAnalyzer(analyzerID, map[string]any{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	}); err != nil {
		panic(err)
	}
	im.ScoringModel = index.BM25Scoring
	im.DefaultAnalyzer = analyzerID
	im.StoreDynamic = false
	im.IndexDynamic = false
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fieldText, fieldPairs, fieldBody} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = analyzerID
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f, fm)
	}
	im.DefaultMapping = dm
	return im
}

// textIndex is the on-disk Bleve index of the articles.
type textIndex struct {
	idx bleve.Index
}

// openTextIndex opens the index in dir, or creates it when absent or written
// with another schema.
func openTextIndex(dir string) (*textIndex, error) {
	p := filepath.Join(dir, "bleve")
	idx, err := bleve.Open(p)
	if err == nil {
		s, gerr := idx.GetInternal(internalSchema)
		if gerr == nil && string(s) == indexSchema {
			return &textIndex{idx: idx}, nil
		}
		_ = idx.Close()
	}
	// Absent, unreadable or from another schema: the index is derived data,
	// so rebuild it from the articles rather than refuse to start.
	if err := os.RemoveAll(p); err != nil {
		return nil, fmt.Errorf("kb: removing old index: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("kb: creating index dir: %w", err)
	}
	idx, err = bleve.NewUsing(p, newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("kb: creating index: %w", err)
	}
	if err := idx.SetInternal(internalSchema, []byte(indexSchema)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("kb: writing index schema: %w", err)
	}
	return &textIndex{idx: idx}, nil
}

func (t *textIndex) hashes() (map[string]string, error) {
	raw, err := t.idx.GetInternal(internalHashes)
	if err != nil {
		return nil, fmt.Errorf("kb: reading index manifest: %w", err)
	}
	m := map[string]string{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("kb: decoding index manifest: %w", err)
		}
	}
	return m, nil
}

// sync brings the index in line with arts in one batch, so that searches see
// either the old or the new set, and returns how many documents it changed.
func (t *textIndex) sync(arts []*Article) (changed int, err error) {
	old, err := t.hashes()
	if err != nil {
		return 0, err
	}
	next := make(map[string]string, len(arts))
	b := t.idx.NewBatch()
	for _, a := range arts {
		h := articleHash(a)
		next[a.ID] = h
		if old[a.ID] == h {
			continue
		}
		if err := b.Index(a.ID, docFor(a)); err != nil {
			return 0, fmt.Errorf("kb: indexing %s: %w", a.ID, err)
		}
		changed++
	}
	gone := make([]string, 0)
	for id := range old {
		if _, ok := next[id]; !ok {
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	for _, id := range gone {
		b.Delete(id)
		changed++
	}
	if changed == 0 {
		return 0, nil
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return 0, fmt.Errorf("kb: encoding index manifest: %w", err)
	}
	b.SetInternal(internalHashes, raw)
	if err := t.idx.Batch(b); err != nil {
		return 0, fmt.Errorf("kb: writing index: %w", err)
	}
	return changed, nil
}

// bm25Hit is one article scored by Bleve.
type bm25Hit struct {
	id    string
	score float64
}

// Field boosts found on BANKING77 dev data; word pairs carry phrase
// information that single words lose.
const (
	boostText  = 1.0
	boostPairs = 0.6
	boostBody  = 0.2
)

// search returns up to n articles by BM25 over the analysed query tokens,
// sorted by score then id so that ties are deterministic. With only set,
// just those articles are scored: far cheaper than ranking every article
// that shares a common word with the query.
func (t *textIndex) search(ctx context.Context, toks []string, n int, only ...string) ([]bm25Hit, error) {
	if len(toks) == 0 || n <= 0 {
		return nil, nil
	}
	mk := func(field string, terms []string, boost float64) query.Query {
		q := bleve.NewMatchQuery(strings.Join(terms, " "))
		q.SetField(field)
		q.Analyzer = analyzerID
		q.SetBoost(boost)
		return q
	}
	qs := []query.Query{mk(fieldText, toks, boostText), mk(fieldBody, toks, boostBody)}
	if p := pairs(toks); len(p) > 0 {
		qs = append(qs, mk(fieldPairs, p, boostPairs))
	}
	var q query.Query = bleve.NewDisjunctionQuery(qs...)
	if len(only) > 0 {
		ids := bleve.NewDocIDQuery(only)
		// The id filter adds this constant to every score; it is too small
		// to change an order.
		ids.SetBoost(1e-9)
		q = bleve.NewConjunctionQuery(ids, q)
	}
	req := bleve.NewSearchRequestOptions(q, n, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := t.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("kb: search: %w", err)
	}
	out := make([]bm25Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, bm25Hit{id: h.ID, score: h.Score})
	}
	return out, nil
}

func (t *textIndex) close() error { return t.idx.Close() }
