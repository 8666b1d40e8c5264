package kb

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Import errors.
var (
	ErrBadCSV       = errors.New("kb import: malformed CSV")
	ErrOutNotEmpty  = errors.New("kb import: output folder already contains articles")
	ErrUnknownSheet = errors.New("kb import: header must be text,category or question,answer")
)

// placeholderBody is written for imported intents that have no answer yet;
// Lint does not flag it, but owners see it in every answer until replaced.
const placeholderBody = "TODO: the owner of this article must write the vetted answer here before it goes live."

// ImportCSV turns a spreadsheet into article files in outDir. The header
// decides the kind: `text,category` makes one article per category with its
// rows as example questions; `question,answer` makes one article per row.
// Files are written to a temporary folder and renamed into place, so a
// failure leaves nothing half-written. Existing articles are never
// overwritten: outDir must be absent, empty, or free of *.md files.
func ImportCSV(r io.Reader, outDir string) (n int, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("%w: empty file", ErrBadCSV)
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrBadCSV, err)
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var arts []Article
	switch {
	case has(cols, "text", "category"):
		arts, err = importIntents(cr, cols["text"], cols["category"])
	case has(cols, "question", "answer"):
		arts, err = importFAQ(cr, cols["question"], cols["answer"])
	default:
		return 0, fmt.Errorf("%w (got %q)", ErrUnknownSheet, strings.Join(header, ","))
	}
	if err != nil {
		return 0, err
	}
	if len(arts) == 0 {
		return 0, fmt.Errorf("%w: no data rows", ErrBadCSV)
	}
	if err := writeArticles(arts, outDir); err != nil {
		return 0, err
	}
	return len(arts), nil
}

func has(cols map[string]int, names ...string) bool {
	for _, n := range names {
		if _, ok := cols[n]; !ok {
			return false
		}
	}
	return true
}

// field returns column i of rec or an error naming the CSV line.
func field(cr *csv.Reader, rec []string, i int, name string) (string, error) {
	line, _ := cr.FieldPos(0)
	if i >= len(rec) {
		return "", fmt.Errorf("%w: line %d: missing %s column", ErrBadCSV, line, name)
	}
	v := strings.TrimSpace(rec[i])
	if v == "" {
		return "", fmt.Errorf("%w: line %d: empty %s", ErrBadCSV, line, name)
	}
	return v, nil
}

func readRows(cr *csv.Reader, each func(rec []string) error) error {
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBadCSV, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if err := each(rec); err != nil {
			return err
		}
	}
}

func importIntents(cr *csv.Reader, ti, ci int) ([]Article, error) {
	byID := map[string]*Article{}
	err := readRows(cr, func(rec []string) error {
		text, err := field(cr, rec, ti, "text")
		if err != nil {
			return err
		}
		cat, err := field(cr, rec, ci, "category")
		if err != nil {
			return err
		}
		id := slug(cat)
		if id == "" {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("%w: line %d: category %q has no letters or digits", ErrBadCSV, line, cat)
		}
		a := byID[id]
		if a == nil {
			a = &Article{ID: id, Title: humanise(cat), Body: placeholderBody, Version: "1"}
			byID[id] = a
		}
		a.Questions = append(a.Questions, text)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Article, 0, len(byID))
	for _, a := range byID {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func importFAQ(cr *csv.Reader, qi, ai int) ([]Article, error) {
	var out []Article
	used := map[string]int{}
	err := readRows(cr, func(rec []string) error {
		q, err := field(cr, rec, qi, "question")
		if err != nil {
			return err
		}
		ans, err := field(cr, rec, ai, "answer")
		if err != nil {
			return err
		}
		id := slug(q)
		if len(id) > 60 {
			id = strings.TrimRight(id[:60], "-")
		}
		if id == "" {
			id = "faq"
		}
		used[id]++
		if used[id] > 1 {
			id = fmt.Sprintf("%s-%d", id, used[id])
		}
		out = append(out, Article{ID: id, Title: q, Questions: []string{q}, Body: ans, Version: "1"})
		return nil
	})
	return out, err
}

// slug makes an article id: lower-case letters and digits joined by '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// humanise turns "card_arrival" into "Card arrival".
func humanise(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '_' || r == '-' || unicode.IsSpace(r)
	}), " ")
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

type articleYAML struct {
	ID        string   `yaml:"id"`
	Title     string   `yaml:"title"`
	Questions []string `yaml:"questions,omitempty"`
	Asked     []string `yaml:"asked,omitempty"`
	Tags      []string `yaml:"tags,omitempty"`
	Owner     string   `yaml:"owner,omitempty"`
	Version   string   `yaml:"version"`
	URL       string   `yaml:"url,omitempty"`
}

// oneLine collapses runs of white space (including line breaks, which
// yaml.v3 would write as block scalars it cannot always read back).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Marshal renders the article in the on-disk format (front matter + body).
// Titles and questions are written on one line each.
func (a *Article) Marshal() ([]byte, error) {
	lines := func(in []string) []string {
		out := make([]string, 0, len(in))
		for _, q := range in {
			if q = oneLine(q); q != "" {
				out = append(out, q)
			}
		}
		return out
	}
	fm, err := yaml.Marshal(articleYAML{
		ID: a.ID, Title: oneLine(a.Title), Questions: lines(a.Questions), Asked: lines(a.Asked), Tags: a.Tags,
		Owner: a.Owner, Version: a.Version, URL: a.URL,
	})
	if err != nil {
		return nil, fmt.Errorf("kb: encoding %s: %w", a.ID, err)
	}
	var b strings.Builder
	b.WriteString("---\n")
	b.Write(fm)
	if !a.Reviewed.IsZero() {
		fmt.Fprintf(&b, "reviewed: %s\n", a.Reviewed.Format("2006-01-02"))
	}
	if !a.ReviewBy.IsZero() {
		fmt.Fprintf(&b, "review_by: %s\n", a.ReviewBy.Format("2006-01-02"))
	}
	if a.HumanReview {
		b.WriteString("human_review: true\n") // HUM-1
	}
	b.WriteString("---\n")
	b.WriteString(a.Body)
	b.WriteString("\n")
	return []byte(b.String()), nil
}

// writeArticles writes all articles into a fresh temporary folder next to
// outDir, then moves them into outDir.
func writeArticles(arts []Article, outDir string) error {
	entries, err := os.ReadDir(outDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("kb import: %w", err)
	default:
		for _, e := range entries {
			if strings.EqualFold(filepath.Ext(e.Name()), ".md") {
				return fmt.Errorf("%w: %s (found %s)", ErrOutNotEmpty, outDir, e.Name())
			}
		}
	}
	parent := filepath.Dir(filepath.Clean(outDir))
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return fmt.Errorf("kb import: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".kb-import-*")
	if err != nil {
		return fmt.Errorf("kb import: %w", err)
	}
	defer os.RemoveAll(tmp)
	for i := range arts {
		data, err := arts[i].Marshal()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, arts[i].ID+".md"), data, 0o640); err != nil {
			return fmt.Errorf("kb import: %w", err)
		}
	}
	if _, statErr := os.Stat(outDir); errors.Is(statErr, os.ErrNotExist) {
		if err := os.Rename(tmp, outDir); err != nil {
			return fmt.Errorf("kb import: %w", err)
		}
		return nil
	}
	// outDir exists (without articles): move files one by one; names were
	// checked above, so nothing existing is replaced.
	for i := range arts {
		name := arts[i].ID + ".md"
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(outDir, name)); err != nil {
			return fmt.Errorf("kb import: %w", err)
		}
	}
	return nil
}
