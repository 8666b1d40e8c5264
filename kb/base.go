package kb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by operations on a closed Base.
var ErrClosed = errors.New("kb: closed")

// Hit is one ranked search result.
type Hit struct {
	Article    *Article
	Score      float64 // raw ranking score
	Confidence float64 // calibrated 0..1: estimated probability this is the right article
	Why        string  // short human explanation (matched terms / meaning / closest example)
}

// Options configure Open.
type Options struct {
	Source   fs.FS  // articles folder (os.DirFS(kb_dir)) or DemoFS()
	IndexDir string // where the on-disk Bleve index and the trained model live
	Logger   *slog.Logger
}

// generation is one immutable loaded state of the knowledge base; searches
// use whichever generation was current when they started.
type generation struct {
	arts     []*Article
	byID     map[string]*Article
	problems []error
	model    *intentModel
	exact    map[string]string // normalised title or example question -> article id
	stamp    string            // content hash of the source files
	print    string            // file names, sizes and mtimes when loaded
	terms    sync.Map          // id -> *articleTerms, filled on first use by why
	titleDF  map[string]int    // content word -> number of titles using it
	loaded   time.Time         // when this generation was built
}

// articleTerms caches the analysed words of an article for explanations.
type articleTerms struct {
	all      map[string]bool
	examples [][]string
	title    map[string]bool // the title's content words
	cover    map[string]bool // all plus the answer text's words: what the article covers
}

func (g *generation) termsOf(a *Article) *articleTerms {
	if v, ok := g.terms.Load(a.ID); ok {
		return v.(*articleTerms)
	}
	t := &articleTerms{all: map[string]bool{}, title: map[string]bool{}}
	for _, w := range analyze(a.Title) {
		t.all[w] = true
	}
	for _, w := range contentWords(analyze(a.Title)) {
		t.title[w] = true
	}
	for _, q := range a.Questions {
		ws := analyze(q)
		for _, w := range ws {
			t.all[w] = true
		}
		t.examples = append(t.examples, ws)
	}
	t.cover = make(map[string]bool, len(t.all))
	for w := range t.all {
		t.cover[w] = true
	}
	if !isPlaceholder(a.Body) {
		for _, w := range analyze(a.Body) {
			t.cover[w] = true
		}
	}
	v, _ := g.terms.LoadOrStore(a.ID, t)
	return v.(*articleTerms)
}

// Base is a searchable knowledge base. It is safe for concurrent use.
type Base struct {
	src    fs.FS
	dir    string
	log    *slog.Logger
	text   *textIndex
	gen    atomic.Pointer[generation]
	mu     sync.Mutex // serialises Reload and Close
	closed bool
}

// Open loads the articles, brings the on-disk index up to date (only
// changed articles are reindexed) and loads or trains the intent model.
func Open(ctx context.Context, opts Options) (*Base, error) {
	if opts.Source == nil {
		return nil, errors.New("kb: Options.Source is required")
	}
	if opts.IndexDir == "" {
		return nil, errors.New("kb: Options.IndexDir is required")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ti, err := openTextIndex(opts.IndexDir)
	if err != nil {
		return nil, err
	}
	b := &Base{src: opts.Source, dir: opts.IndexDir, log: log, text: ti}
	if err := b.Reload(ctx); err != nil {
		_ = ti.close()
		return nil, err
	}
	return b, nil
}

// Reload re-reads the source and updates index and model. Searches keep
// being served from the previous generation until the new one is ready.
func (b *Base) Reload(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	start := time.Now()
	src := loadSource(b.src)
	vals, problems := src.arts, src.problems
	g := &generation{
		arts:     make([]*Article, len(vals)),
		byID:     make(map[string]*Article, len(vals)),
		problems: problems,
		stamp:    src.stamp,
		print:    src.print,
		loaded:   time.Now(),
	}
	g.exact = make(map[string]string, len(vals)*4)
	g.titleDF = map[string]int{}
	for i := range vals {
		a := &vals[i]
		g.arts[i] = a
		g.byID[a.ID] = a
		for _, w := range contentWords(analyze(a.Title)) {
			g.titleDF[w]++
		}
		for _, q := range slices.Concat([]string{a.Title}, a.Questions, a.Asked) {
			// Keyed as a query is looked up: "cancel my order pls" is
			// asked as "cancel my order".
			n := normalise(stripCourtesy(q))
			if _, taken := g.exact[n]; !taken && n != "" {
				// Articles are in id order: the first one keeps a shared
				// example (Lint reports the clash).
				g.exact[n] = a.ID
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	changed, err := b.text.sync(g.arts)
	if err != nil {
		return err
	}
	var m *intentModel
	trained := false
	if cur := b.gen.Load(); cur != nil && cur.model != nil && cur.model.key == modelKey(g.arts) {
		m = cur.model // same articles: keep the model in memory
	} else if m, trained, err = loadOrTrainModel(ctx, b.dir, g.arts); err != nil {
		return err
	}
	g.model = m
	b.gen.Store(g)
	for _, p := range problems {
		b.log.Warn("kb: article skipped", "problem", p.Error())
	}
	b.log.Info("kb: loaded", "articles", len(g.arts), "problems", len(problems),
		"reindexed", changed, "model_trained", trained, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// LoadedAt is when the articles being served were (re)loaded; zero before
// the first load.
func (b *Base) LoadedAt() time.Time {
	if g := b.gen.Load(); g != nil {
		return g.loaded
	}
	return time.Time{}
}

// Fingerprint identifies the articles being served: how many were loaded
// and the SHA-256 (hex) of the article files' names and contents, both from
// the same generation, so a reload between two calls cannot mix them. It is
// the hash Watch already compares to skip a touch without change, so it
// costs nothing to read; instances given the same folder report the same
// value. Zero values once closed.
func (b *Base) Fingerprint() (articles int, sha256hex string) {
	if g := b.gen.Load(); g != nil {
		return len(g.arts), g.stamp
	}
	return 0, ""
}

// Article returns the article with the given id.
func (b *Base) Article(id string) (*Article, bool) {
	g := b.gen.Load()
	if g == nil {
		return nil, false
	}
	a, ok := g.byID[id]
	return a, ok
}

// Articles returns all articles sorted by id.
func (b *Base) Articles() []*Article {
	g := b.gen.Load()
	if g == nil {
		return nil
	}
	return append([]*Article(nil), g.arts...)
}

// Problems returns the load problems of the current generation.
func (b *Base) Problems() []error {
	g := b.gen.Load()
	if g == nil {
		return nil
	}
	return append([]error(nil), g.problems...)
}

// Close releases the index. Searches after Close fail with ErrClosed.
func (b *Base) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	b.gen.Store(nil)
	return b.text.close()
}

// Watch polls the source every interval and reloads when an article file
// was added, removed or changed. It returns when ctx is done.
func (b *Base) Watch(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 2 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	lastPrint := ""
	if g := b.gen.Load(); g != nil {
		lastPrint = g.print
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// Cheap check first (names, sizes, mtimes); the content hash settles
		// it so that a touch without change does not retrain.
		p, err := sourcePrint(b.src)
		if err != nil || p == lastPrint {
			continue
		}
		lastPrint = p
		stamp, err := sourceStamp(b.src)
		if err != nil {
			continue
		}
		if g := b.gen.Load(); g != nil && g.stamp == stamp {
			continue
		}
		if err := b.Reload(ctx); err != nil {
			if errors.Is(err, ErrClosed) || ctx.Err() != nil {
				return
			}
			b.log.Error("kb: reload failed", "err", err)
		}
	}
}

// sourcePrint summarises the file list with sizes and modification times.
func sourcePrint(fsys fs.FS) (string, error) {
	files, err := listMarkdown(fsys)
	if err != nil {
		return "", err
	}
	return printOf(files), nil
}

func printOf(files []mdFile) string {
	var sb strings.Builder
	for _, f := range files {
		fmt.Fprintf(&sb, "%s\x00%d\x00%d\n", f.path, f.size, f.modTime.UnixNano())
	}
	return sb.String()
}

// sourceStamp hashes the names and contents of all article files.
func sourceStamp(fsys fs.FS) (string, error) {
	files, err := listMarkdown(fsys)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f.path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f.path, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Search returns up to k articles ranked for query, best first, with ties
// broken by id. Confidence estimates the probability that a hit is the right
// article; callers compare the first hit's confidence with a threshold.
func (b *Base) Search(ctx context.Context, query string, k int) ([]Hit, error) {
	g := b.gen.Load()
	if g == nil {
		return nil, ErrClosed
	}
	if k <= 0 {
		return nil, nil
	}
	hits, _, err := b.search(ctx, g, query, k)
	return hits, err
}

// queryInfo is what Decide needs to know about the query besides the hits.
type queryInfo struct {
	content []string  // analysed content words (no function words)
	exp     expansion // the query's customer-service equivalents
	exact   bool      // the query is an article's title or example question
	words   int       // the query's words, function words included
}

func (b *Base) search(ctx context.Context, g *generation, query string, k int) ([]Hit, queryInfo, error) {
	if len(query) > maxQueryBytes {
		// Longer messages are not questions; the bound keeps one message
		// from costing more than a few milliseconds.
		query = strings.ToValidUTF8(query[:maxQueryBytes], "")
	}
	query = stripCourtesy(query)
	asked := query
	query = g.model.rewrite(query)
	surface := words(query)
	toks := analyze(query)
	info := queryInfo{content: contentWords(toks), exp: expand(toks), words: len(toks)}
	if len(toks) == 0 || len(g.arts) == 0 {
		return nil, info, nil
	}
	n := max(k, rankCandidates)
	rs := g.model.rank(query, toks, n)
	if len(rs) == 0 {
		// The classifier knows no word of the query: the Bleve index ranks
		// alone and the confidence is 0, such an answer is never confirmed.
		lex, err := b.text.search(ctx, toks, n)
		if err != nil {
			if b.isClosed() {
				return nil, info, ErrClosed
			}
			return nil, info, err
		}
		for _, h := range lex {
			if _, ok := g.byID[h.id]; ok {
				rs = append(rs, ranked{id: h.id, score: h.score / lex[0].score})
			}
		}
	} else {
		for i := range rs {
			rs[i].conf = g.model.cal.prob(signalOf(rs, i))
			if i > 0 {
				rs[i].conf = min(rs[i].conf, rs[i-1].conf)
			}
		}
	}
	if id, ok := g.exact[normalise(asked)]; ok {
		rs = promote(rs, id)
		info.exact = true
	}
	if len(rs) > k {
		rs = rs[:k]
	}
	hits := make([]Hit, 0, len(rs))
	for _, r := range rs {
		a := g.byID[r.id]
		hits = append(hits, Hit{Article: a, Score: r.score, Confidence: r.conf, Why: why(toks, surface, a, g.termsOf(a), r.meaning)})
	}
	return hits, info, nil
}

// exactConfidence is the confidence of an article whose title or example
// question is exactly the query (ignoring case and punctuation): the owner
// wrote that question down, so the answer is confirmed.
const exactConfidence = 0.99

func normalise(s string) string { return strings.Join(words(s), " ") }

// promote moves article id to the front of rs as an exact match.
func promote(rs []ranked, id string) []ranked {
	r := ranked{id: id}
	for i := range rs {
		if rs[i].id == id {
			r = rs[i]
			rs = append(rs[:i:i], rs[i+1:]...)
			break
		}
	}
	if len(rs) > 0 {
		r.score = max(r.score, rs[0].score)
		r.conf = max(r.conf, rs[0].conf)
	}
	r.conf = max(r.conf, exactConfidence)
	return append([]ranked{r}, rs...)
}

// maxQueryBytes bounds the text a search analyses.
const maxQueryBytes = 2000

// rankCandidates is how many articles each scorer proposes per query.
const rankCandidates = 20

// bm25Blend weighs the BM25 score (normalised by the best candidate's)
// against the classifier score; 0.2 added about one point of top-1 on
// BANKING77 dev with 10 examples per intent (QUALITY.md).
const bm25Blend = 0.2

func (b *Base) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// why explains a hit: the query words found in the article, how near the
// two are in meaning (semantic, when the words are known) and the example
// question sharing most of the words. Matched words are shown as the
// customer typed them (after spelling fixes), not as their stems: "money",
// not "monei". toks are the stems of surface, one for one.
func why(toks, surface []string, a *Article, t *articleTerms, meaning float64) string {
	var matched []string
	seen := map[string]bool{}
	for i, w := range toks {
		if t.all[w] && !seen[w] {
			matched = append(matched, surface[i])
			seen[w] = true
		}
	}
	var sb strings.Builder
	if len(matched) > 0 {
		fmt.Fprintf(&sb, "matched %s", strings.Join(matched, ", "))
	} else {
		sb.WriteString("no shared words")
	}
	if meaning > 0 {
		fmt.Fprintf(&sb, "; meaning %.2f", meaning)
	}
	best, bestN := -1, 0
	for i, ex := range t.examples {
		n := 0
		counted := map[string]bool{}
		for _, w := range ex {
			if seen[w] && !counted[w] {
				n++
				counted[w] = true
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	if best >= 0 {
		fmt.Fprintf(&sb, "; closest example %q", a.Questions[best])
	}
	return sb.String()
}

// ranked is one article after combining the classifier and the text index.
type ranked struct {
	id      string
	class   int32
	score   float64
	conf    float64
	meaning float64 // semantic similarity (see semantic), 0 when unknown
}
