package app

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"deskbot/kb"
)

const kbUsage = `Usage:
  deskbot kb index  [--kb DIR] [--data-dir DIR]     build or update the on-disk index
  deskbot kb search [--kb DIR] [-n N] QUERY          the decision, calibration, ranked articles and why
  deskbot kb lint   [DIR | --kb DIR] [--strict]     stale, duplicate, empty articles; claimed actions (ACC-3)
  deskbot kb init   DIR                             starter privacy-policy.md and notice-at-collection.md
  deskbot kb import --out DIR FILE.csv              CSV (text,category or question,answer) to articles
  deskbot kb eval   --kb DIR --queries FILE.csv [--threshold T] [--per-article] [--per-query]
                                                    what customers get: answered, right, suggested, out of scope
  deskbot kb review [--kb DIR] [--data-dir DIR] [--since 30d|YYYY-MM-DD] [--accept REF [--article ID]]
                                                    missed questions, grouped; --accept (or, on a terminal, the prompt)
                                                    adds one to its article's asked: list
`

func cmdKB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, kbUsage)
		return usageError{"missing kb subcommand"}
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, kbUsage)
		fmt.Fprintln(stdout, "Run \"deskbot kb SUBCOMMAND --help\" for a subcommand's flags.")
		return nil
	}
	sub, args := args[0], args[1:]
	fs, cf := newFlags("kb "+sub, stderr, false)
	kbDir := fs.String("kb", "", "articles folder (default: kb_dir from config, else the demo knowledge base)")
	switch sub {
	case "index":
		if err := parseFlags(fs, args); err != nil {
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
		if err := parseFlags(fs, args); err != nil {
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
		d, err := b.Decide(ctx, query, cfg.Answer.Threshold)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "decision:", describeDecision(d))
		fmt.Fprintln(stdout, "calibration:", b.Calibration(cfg.Answer.Threshold).String())
		if len(hits) == 0 {
			fmt.Fprintln(stdout, "no matching article")
		}
		for i, h := range hits {
			fmt.Fprintf(stdout, "%d. %-28s score=%.3f confidence=%.3f\n   %s\n   why: %s\n", i+1, h.Article.ID, h.Score, h.Confidence, h.Article.Title, h.Why)
		}
		return nil
	case "init":
		return cmdKBInit(fs, cf, args, stdout)
	case "lint":
		strict := fs.Bool("strict", false, "exit non-zero when anything is found")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() > 0 { // kb lint DIR
			if fs.NArg() > 1 || (*kbDir != "" && *kbDir != fs.Arg(0)) {
				return usageError{"usage: deskbot kb lint [DIR | --kb DIR] [--strict] (one folder)"}
			}
			*kbDir = fs.Arg(0)
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
		links := cfg.MissingPolicyArticles(hasArticle(arts))
		for _, w := range links {
			fmt.Fprintln(stdout, "config:", w)
		}
		fmt.Fprintf(stdout, "%d articles, %d load problems, %d findings\n", len(arts), len(problems), len(findings)+len(links))
		if *strict && len(findings)+len(problems)+len(links) > 0 {
			return fmt.Errorf("lint found problems")
		}
		return nil
	case "import":
		out := fs.String("out", "", "folder to write the articles to (created; must be empty)")
		if err := parseFlags(fs, args); err != nil {
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
		queries := fs.String("queries", "", "CSV of text,category (category = article id; empty, oos or an id not in the kb = out of scope)")
		threshold := fs.Float64("threshold", 0, "target precision among answered questions (default: answer.threshold, else "+fmt.Sprint(kb.DefaultThreshold)+")")
		top := fs.Int("confusions", 10, "worst article pairs to show")
		perArticle := fs.Bool("per-article", false, "print a table of the outcome per article")
		perQuery := fs.Bool("per-query", false, "print what each query got: outcome, verdict, confidence, wanted and first article")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if *queries == "" {
			return usageError{"usage: deskbot kb eval --kb DIR --queries FILE.csv"}
		}
		if *threshold < 0 || *threshold > 1 {
			return usageError{fmt.Sprintf("--threshold %v: must be between 0 and 1", *threshold)}
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
		f, err := os.Open(*queries)
		if err != nil {
			return fmt.Errorf("--queries: %w", err)
		}
		defer f.Close()
		qs, err := kb.ReadQueries(f)
		if err != nil {
			return fmt.Errorf("--queries %s: %w", *queries, err)
		}
		start := time.Now()
		b, cleanup, err := openTempKB(ctx, *kbDir, cfg.KBDir)
		if err != nil {
			return err
		}
		defer cleanup()
		built := time.Since(start)
		if *kbDir == "" && cfg.KBDir == "" {
			fmt.Fprintln(stderr, "deskbot: note: no --kb and no kb_dir: evaluating against the embedded demo knowledge base")
		}
		warnUnknownCategories(stderr, b, qs)
		start = time.Now()
		res, err := kb.EvaluateQueries(ctx, b, qs, th)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "articles=%d index_build=%s eval=%s target=%.4f\n", len(b.Articles()), built.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), th)
		if *perQuery {
			printPerQuery(stdout, res.PerQuery)
		}
		if *perArticle {
			printPerArticle(stdout, res.PerArticle)
		}
		if len(res.Confusions) > 0 && *top > 0 {
			fmt.Fprintln(stdout, "worst confusions (expected -> ranked first, or out of scope -> answered: count):")
			for i, c := range res.Confusions {
				if i == *top {
					break
				}
				got := c.Got
				if got == "" {
					got = "(nothing)"
				}
				fmt.Fprintf(stdout, "  %s -> %s: %d\n", c.Want, got, c.Count)
			}
		}
		fmt.Fprintln(stdout, "calibration:", res.Calibration.String())
		fmt.Fprintln(stdout, res.Line())
		return nil
	case "review":
		return cmdKBReview(ctx, fs, cf, kbDir, args, stdout, stderr)
	default:
		fmt.Fprint(stderr, kbUsage)
		return usageError{fmt.Sprintf("unknown kb subcommand %q", sub)}
	}
}

// warnUnknownCategories names the categories of qs that are no article
// of b: they count as out of scope, as the contract says, but a typo in an
// article id ("kid-cuts") would otherwise quietly move questions there.
func warnUnknownCategories(w io.Writer, b *kb.Base, qs []kb.EvalQuery) {
	counts := map[string]int{}
	for _, q := range qs {
		if q.Want == "" || q.Want == kb.OutOfScope {
			continue
		}
		if _, ok := b.Article(q.Want); !ok {
			counts[q.Want]++
		}
	}
	if len(counts) == 0 {
		return
	}
	ids := slices.Sorted(maps.Keys(counts))
	var parts []string
	n := 0
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s (%d)", id, counts[id]))
		n += counts[id]
	}
	fmt.Fprintf(w, "deskbot: warning: %d queries name no article of this knowledge base and count as out of scope (write oos for those meant so): %s\n", n, strings.Join(parts, ", "))
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
	return kb.DirFS(dir), nil
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

// describeDecision renders what the bot would do, e.g.
// "answer with returns-policy (confident)" or "suggest a, b (plausible)".
func describeDecision(d kb.Decision) string {
	switch d.Verdict {
	case kb.VerdictAnswer:
		if len(d.Hits) > 0 {
			return fmt.Sprintf("answer with %s (%s)", d.Hits[0].Article.ID, d.Reason)
		}
	case kb.VerdictSuggest:
		ids := make([]string, len(d.Hits))
		for i, h := range d.Hits {
			ids[i] = h.Article.ID
		}
		return fmt.Sprintf("suggest %s (%s)", strings.Join(ids, ", "), d.Reason)
	}
	return fmt.Sprintf("cannot confirm, offer a person (%s)", d.Reason)
}

// printPerArticle prints the outcome of each article's queries, worst first
// by missed share so the articles needing example questions lead.
func printPerArticle(w io.Writer, rows []kb.ArticleEval) {
	rows = append([]kb.ArticleEval(nil), rows...)
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		return a.Missed*b.Queries > b.Missed*a.Queries
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "article\tqueries\tanswered\tright\tsuggested-right\tmissed")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\n", r.ID, r.Queries, r.Answered, r.Right, r.SuggestedRight, r.Missed)
	}
	tw.Flush()
}

// printPerQuery lists each query's outcome in the order of the file, so
// an owner can see which questions were answered wrongly or missed.
func printPerQuery(w io.Writer, rows []kb.QueryOutcome) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "outcome\tverdict\tconfidence\twanted\tfirst\tquery")
	for _, r := range rows {
		want := r.Query.Want
		if !r.InScope {
			want = "(out of scope)"
		}
		first := r.First
		if first == "" {
			first = "-"
		}
		fmt.Fprintf(tw, "%s\t%s (%s)\t%.3f\t%s\t%s\t%q\n", r.Outcome, r.Verdict, r.Reason, r.Confidence, want, first, r.Query.Text)
	}
	tw.Flush()
}

func reportProblems(w io.Writer, problems []error) {
	for _, p := range problems {
		fmt.Fprintf(w, "skipped: %v\n", p)
	}
}
