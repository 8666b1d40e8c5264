package app

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"deskbot/kb"
)

const kbUsage = `Usage:
  deskbot kb index  [--kb DIR] [--data-dir DIR]     build or update the on-disk index
  deskbot kb search [--kb DIR] [-n N] QUERY          ranked articles with scores and why
  deskbot kb lint   [--kb DIR] [--strict]           stale, duplicate, empty articles
  deskbot kb import --out DIR FILE.csv              CSV (text,category or question,answer) to articles
  deskbot kb eval   --kb DIR --queries FILE.csv [--threshold T]
`

func cmdKB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, kbUsage)
		return usageError{"missing kb subcommand"}
	}
	sub, args := args[0], args[1:]
	fs, cf := newFlags("kb "+sub, stderr, false)
	kbDir := fs.String("kb", "", "articles folder (default: kb_dir from config, else the demo knowledge base)")
	switch sub {
	case "index":
		if err := fs.Parse(args); err != nil {
			return err
		}
		cfg, err := cf.load()
		if err != nil {
			return err
		}
		src, err := kbSource(*kbDir, cfg.KBDir)
		if err != nil {
			return err
		}
		start := time.Now()
		b, err := kb.Open(ctx, kb.Options{Source: src, IndexDir: filepath.Join(cfg.DataDir, "index")})
		if err != nil {
			return err
		}
		defer b.Close()
		reportProblems(stderr, b.Problems())
		fmt.Fprintf(stdout, "indexed %d articles into %s in %s\n", len(b.Articles()), filepath.Join(cfg.DataDir, "index"), time.Since(start).Round(time.Millisecond))
		return nil
	case "search":
		n := fs.Int("n", 5, "number of results")
		if err := fs.Parse(args); err != nil {
			return err
		}
		query := strings.Join(fs.Args(), " ")
		if strings.TrimSpace(query) == "" {
			return usageError{"kb search needs a QUERY"}
		}
		cfg, err := cf.load()
		if err != nil {
			return err
		}
		b, cleanup, err := openTempKB(ctx, *kbDir, cfg.KBDir)
		if err != nil {
			return err
		}
		defer cleanup()
		hits, err := b.Search(ctx, query, *n)
		if err != nil {
			return err
		}
		th := cfg.Answer.Threshold
		if th == 0 {
			th = kb.DefaultThreshold
		}
		if len(hits) == 0 {
			fmt.Fprintln(stdout, "no matching article")
		}
		for i, h := range hits {
			verdict := "below threshold"
			if h.Confidence >= th {
				verdict = "would answer"
			}
			if i > 0 {
				verdict = ""
			}
			fmt.Fprintf(stdout, "%d. %-28s score=%.3f confidence=%.3f %s\n   %s\n   why: %s\n", i+1, h.Article.ID, h.Score, h.Confidence, verdict, h.Article.Title, h.Why)
		}
		return nil
	case "lint":
		strict := fs.Bool("strict", false, "exit non-zero when anything is found")
		if err := fs.Parse(args); err != nil {
			return err
		}
		cfg, err := cf.load()
		if err != nil {
			return err
		}
		src, err := kbSource(*kbDir, cfg.KBDir)
		if err != nil {
			return err
		}
		arts, problems := kb.LoadFS(src)
		reportProblems(stdout, problems)
		findings := kb.Lint(arts, time.Now())
		for _, f := range findings {
			fmt.Fprintln(stdout, f.String())
		}
		fmt.Fprintf(stdout, "%d articles, %d load problems, %d findings\n", len(arts), len(problems), len(findings))
		if *strict && len(findings)+len(problems) > 0 {
			return fmt.Errorf("lint found problems")
		}
		return nil
	case "import":
		out := fs.String("out", "", "folder to write the articles to (created; must be empty)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *out == "" || fs.NArg() != 1 {
			return usageError{"usage: deskbot kb import --out DIR FILE.csv"}
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := kb.ImportCSV(f, *out)
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		fmt.Fprintf(stdout, "wrote %d articles to %s; replace each placeholder answer with your vetted text\n", n, *out)
		return nil
	case "eval":
		queries := fs.String("queries", "", "CSV of text,category (category = article id)")
		threshold := fs.Float64("threshold", 0, "confidence threshold (default: configured, else calibrated)")
		top := fs.Int("confusions", 10, "worst article pairs to show")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *queries == "" {
			return usageError{"usage: deskbot kb eval --kb DIR --queries FILE.csv"}
		}
		cfg, err := cf.load()
		if err != nil {
			return err
		}
		th := *threshold
		if th == 0 {
			th = cfg.Answer.Threshold
		}
		if th == 0 {
			th = kb.DefaultThreshold
		}
		start := time.Now()
		b, cleanup, err := openTempKB(ctx, *kbDir, cfg.KBDir)
		if err != nil {
			return err
		}
		defer cleanup()
		built := time.Since(start)
		f, err := os.Open(*queries)
		if err != nil {
			return err
		}
		defer f.Close()
		start = time.Now()
		res, err := kb.Evaluate(ctx, b, f, th)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "articles=%d index_build=%s eval=%s threshold=%.4f\n", len(b.Articles()), built.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), th)
		if len(res.Confusions) > 0 {
			fmt.Fprintln(stdout, "worst confusions (expected -> answered: count):")
			for i, c := range res.Confusions {
				if i == *top {
					break
				}
				fmt.Fprintf(stdout, "  %s -> %s: %d\n", c.Want, c.Got, c.Count)
			}
		}
		fmt.Fprintln(stdout, res.Line())
		return nil
	default:
		fmt.Fprint(stderr, kbUsage)
		return usageError{fmt.Sprintf("unknown kb subcommand %q", sub)}
	}
}

func kbSource(flagDir, cfgDir string) (fs.FS, error) {
	dir := flagDir
	if dir == "" {
		dir = cfgDir
	}
	if dir == "" {
		return kb.DemoFS(), nil
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%q is not a readable folder of articles", dir)
	}
	return os.DirFS(dir), nil
}

// openTempKB builds an index in a temporary folder, for one-off commands.
func openTempKB(ctx context.Context, flagDir, cfgDir string) (*kb.Base, func(), error) {
	src, err := kbSource(flagDir, cfgDir)
	if err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "deskbot-kb-")
	if err != nil {
		return nil, nil, err
	}
	b, err := kb.Open(ctx, kb.Options{Source: src, IndexDir: tmp})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	return b, func() { b.Close(); os.RemoveAll(tmp) }, nil
}

func reportProblems(w io.Writer, problems []error) {
	for _, p := range problems {
		fmt.Fprintf(w, "skipped: %v\n", p)
	}
}
