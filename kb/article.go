// Package kb loads the knowledge base (Markdown articles with YAML front
// matter), keeps a Bleve index and a trained intent model next to it, and
// answers searches with a calibrated confidence.
package kb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Sentinel errors returned (wrapped) by the loader.
var (
	ErrNoFrontMatter = errors.New("no front matter (file must start with ---)")
	ErrBadYAML       = errors.New("invalid YAML front matter")
	ErrMissingField  = errors.New("missing required field")
	ErrBadID         = errors.New("invalid id (use a-z, 0-9 and -)")
	ErrDuplicateID   = errors.New("duplicate article id")
	ErrBadDate       = errors.New("invalid date")
	ErrBadLang       = errors.New("invalid lang (use a language tag such as de or pt-BR)")
)

// Article is one vetted answer of the knowledge base.
type Article struct {
	ID, Title          string
	Questions, Tags    []string
	Owner, Version     string
	Body, URL, Path    string
	Reviewed, ReviewBy time.Time // zero when absent
	// HumanReview marks an article that describes a decision with legal or
	// similarly significant effect (a refund refused, an account closed,
	// credit): front matter `human_review: true`. The bot never presents it
	// as the final answer; it offers a person who can review the decision
	// (HUM-1, GDPR Art. 22).
	HumanReview bool
	// Lang is the article's language tag (front matter `lang: de`); empty
	// means the configured default language (config `language`).
	Lang string
	// Asked are customers' own questions the owner accepted for this
	// article in `deskbot kb review` (front matter `asked:`). Asked again,
	// they are answered with this article; unlike Questions they do not
	// teach the ranking: customers' chatty wording, learned as examples,
	// drew other questions to the article by its incidental words
	// (kb/QUALITY.md, "The owner's learning loop").
	Asked []string
}

// Stale reports whether the article is past its review date at now.
func (a *Article) Stale(now time.Time) bool {
	return !a.ReviewBy.IsZero() && now.After(a.ReviewBy)
}

// FileError names the file a load problem comes from.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

type frontMatter struct {
	ID        string   `yaml:"id"`
	Title     string   `yaml:"title"`
	Questions []string `yaml:"questions"`
	Asked     []string `yaml:"asked"`
	Tags      []string `yaml:"tags"`
	Owner     string   `yaml:"owner"`
	Version   yamlText `yaml:"version"`
	Reviewed  yamlText `yaml:"reviewed"`
	ReviewBy  yamlText `yaml:"review_by"`
	URL       string   `yaml:"url"`
	// HumanReview: HUM-1, see Article.HumanReview.
	HumanReview bool `yaml:"human_review"`
	// Lang: see Article.Lang.
	Lang string `yaml:"lang"`
}

// yamlText accepts any scalar (number, date, string) as its literal text, so
// `version: 3` and `reviewed: 2026-10-01` work without quoting.
type yamlText string

func (t *yamlText) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a single value", n.Line)
	}
	*t = yamlText(strings.TrimSpace(n.Value))
	return nil
}

var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

func parseDate(field string, s yamlText) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, string(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %s %q (want YYYY-MM-DD)", ErrBadDate, field, string(s))
}

// ParseArticle parses one Markdown file with YAML front matter. path is
// recorded in the article and used in errors.
func ParseArticle(p string, data []byte) (Article, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return Article{}, &FileError{p, ErrNoFrontMatter}
	}
	rest := text[4:]
	var fm, body string
	switch {
	case strings.HasPrefix(rest, "---\n") || rest == "---":
		fm, body = "", strings.TrimPrefix(rest, "---")
	default:
		end := strings.Index(rest, "\n---\n")
		if end < 0 {
			if strings.HasSuffix(rest, "\n---") {
				end = len(rest) - 4
			} else {
				return Article{}, &FileError{p, fmt.Errorf("%w: closing --- not found", ErrNoFrontMatter)}
			}
		}
		fm, body = rest[:end], rest[min(end+5, len(rest)):]
	}
	var m frontMatter
	if err := yaml.Unmarshal([]byte(fm), &m); err != nil {
		return Article{}, &FileError{p, fmt.Errorf("%w: %v", ErrBadYAML, err)}
	}
	a := Article{
		ID:      strings.TrimSpace(m.ID),
		Title:   strings.TrimSpace(m.Title),
		Owner:   strings.TrimSpace(m.Owner),
		Version: string(m.Version),
		URL:     strings.TrimSpace(m.URL),
		Body:    strings.TrimSpace(body),
		Path:    p,
		// HUM-1: a decision with legal or similarly significant effect.
		HumanReview: m.HumanReview,
	}
	if a.Version == "" {
		a.Version = "1"
	}
	a.Questions, a.Asked, a.Tags = trimmed(m.Questions), trimmed(m.Asked), trimmed(m.Tags)
	var err error
	if a.Reviewed, err = parseDate("reviewed", m.Reviewed); err != nil {
		return Article{}, &FileError{p, err}
	}
	if a.ReviewBy, err = parseDate("review_by", m.ReviewBy); err != nil {
		return Article{}, &FileError{p, err}
	}
	if a.Lang, err = articleLang(m.Lang); err != nil {
		return Article{}, &FileError{p, err}
	}
	switch {
	case a.ID == "":
		return Article{}, &FileError{p, fmt.Errorf("%w: id", ErrMissingField)}
	case !idPattern.MatchString(a.ID):
		return Article{}, &FileError{p, fmt.Errorf("%w: %q", ErrBadID, a.ID)}
	case a.Title == "":
		return Article{}, &FileError{p, fmt.Errorf("%w: title", ErrMissingField)}
	}
	return a, nil
}

// trimmed returns the entries of a front-matter list trimmed, blank ones
// dropped (nil when none is left).
func trimmed(list []string) []string {
	var out []string
	for _, x := range list {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// LoadFS reads every *.md file under fsys (subfolders included). Broken
// articles are returned as problems and do not stop the others; articles
// come back sorted by id. When two files share an id, the first path (in
// lexical order) wins and the other is a problem.
func LoadFS(fsys fs.FS) (arts []Article, problems []error) {
	src := loadSource(fsys)
	return src.arts, src.problems
}

// source is one read of the article folder.
type source struct {
	arts     []Article
	problems []error
	stamp    string // hash of names and contents (see sourceStamp)
	print    string // names, sizes and mtimes (see sourcePrint)
}

// loadSource reads and parses every article once, hashing as it goes.
func loadSource(fsys fs.FS) source {
	var src source
	files, err := listMarkdown(fsys)
	if err != nil {
		src.problems = []error{err}
		return src
	}
	src.print = printOf(files)
	h := sha256.New()
	var arts []Article
	var problems []error
	seen := make(map[string]string, len(files))
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f.path)
		if err != nil {
			problems = append(problems, &FileError{f.path, err})
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f.path, len(data))
		h.Write(data)
		a, err := ParseArticle(f.path, data)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if prev, dup := seen[a.ID]; dup {
			problems = append(problems, &FileError{f.path, fmt.Errorf("%w %q (also in %s)", ErrDuplicateID, a.ID, prev)})
			continue
		}
		seen[a.ID] = f.path
		arts = append(arts, a)
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].ID < arts[j].ID })
	src.arts, src.problems, src.stamp = arts, problems, hex.EncodeToString(h.Sum(nil))
	return src
}

type mdFile struct {
	path    string
	size    int64
	modTime time.Time
}

// listMarkdown returns the *.md files of fsys in lexical path order, skipping
// hidden files and folders (editors' swap files, .git).
func listMarkdown(fsys fs.FS) ([]mdFile, error) {
	var out []mdFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != "." && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.EqualFold(path.Ext(name), ".md") {
			return nil
		}
		f := mdFile{path: p}
		if info, err := d.Info(); err == nil {
			f.size, f.modTime = info.Size(), info.ModTime()
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kb: listing articles: %w", err)
	}
	return out, nil
}
