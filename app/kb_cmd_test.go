package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestKBImportEvalSearchLint(t *testing.T) {
	dir := t.TempDir()
	train := filepath.Join(dir, "train.csv")
	os.WriteFile(train, []byte(`text,category
how do I send an item back,returns
can I return my boots,returns
what is the return window,returns
how long does delivery take,shipping_times
when will my parcel arrive,shipping_times
how fast is shipping,shipping_times
do you take paypal,payment_methods
which cards do you accept,payment_methods
can I pay by invoice,payment_methods
`), 0o600)
	out := filepath.Join(dir, "kb")
	code, stdout, stderr := run(t, "kb", "import", "--out", out, train)
	if code != 0 || !strings.Contains(stdout, "wrote 3 articles") {
		t.Fatalf("import: exit %d %q %q", code, stdout, stderr)
	}
	queries := filepath.Join(dir, "queries.csv")
	os.WriteFile(queries, []byte("text,category\nI want to return my boots,returns\nwhen does my parcel arrive,shipping-times\ndo you accept paypal,payment-methods\n"), 0o600)
	code, stdout, stderr = run(t, "kb", "eval", "--kb", out, "--queries", queries)
	if code != 0 {
		t.Fatalf("eval: exit %d %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	last := lines[len(lines)-1]
	if !regexp.MustCompile(`^accuracy=\d\.\d{4} answered=\d\.\d{4} precision=\d\.\d{4} shown=\d\.\d{4} oos_answered=\d\.\d{4} n=3 oos=0$`).MatchString(last) {
		t.Fatalf("eval's last line %q does not follow the contract", last)
	}
	// A category that is no article counts as out of scope, with a warning
	// naming it: a typo in an id must not pass unseen.
	typo := filepath.Join(dir, "typo.csv")
	os.WriteFile(typo, []byte("text,category\nI want to return my boots,return\ndo you accept paypal,payment-methods\nreturn it,return\nkayaks?,oos\n"), 0o600)
	code, stdout, stderr = run(t, "kb", "eval", "--kb", out, "--queries", typo)
	if code != 0 || !strings.Contains(stderr, "2 queries name no article of this knowledge base and count as out of scope") ||
		!strings.Contains(stderr, "return (2)") || !strings.HasSuffix(strings.TrimSpace(stdout), "n=1 oos=3") {
		t.Fatalf("eval with an unknown category: exit %d %q %q", code, stdout, stderr)
	}
	// --per-query lists every query with its outcome, in the file's order,
	// and the last line stays the machine-readable one.
	code, stdout, stderr = run(t, "kb", "eval", "--kb", out, "--queries", queries, "--per-query")
	rows := regexp.MustCompile(`(?m)^(right|wrong|suggested|missed|refused) +(answer|suggest|none) \(.+\) +\d\.\d{3} +(\S+) +\S+ +"(.+)"$`).FindAllStringSubmatch(stdout, -1)
	if code != 0 || len(rows) != 3 || rows[0][4] != "I want to return my boots" || rows[0][3] != "returns" || rows[2][3] != "payment-methods" ||
		!strings.HasPrefix(stdout[strings.LastIndex(strings.TrimSpace(stdout), "\n")+1:], "accuracy=") {
		t.Fatalf("eval --per-query: exit %d %q %q", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "kb", "search", "--kb", out, "do you take paypal")
	if code != 0 || !strings.Contains(stdout, "1. payment-methods") ||
		!regexp.MustCompile(`(?m)^decision: (answer with|suggest|cannot confirm).*\(.+\)$`).MatchString(stdout) ||
		!strings.Contains(stdout, "calibration: target precision 0.95") {
		t.Fatalf("search: exit %d %q", code, stdout)
	}
	// A flag after the query is a flag, not words of the query: the search
	// is of the folder named, not of the demo.
	code, stdout, _ = run(t, "kb", "search", "do", "you", "take", "paypal", "--kb", out)
	if code != 0 || !strings.Contains(stdout, "1. payment-methods") {
		t.Fatalf("search with --kb after the query: exit %d %q", code, stdout)
	}
	for _, m := range regexp.MustCompile(`(?m)^\d+\. (\S+)`).FindAllStringSubmatch(stdout, -1) {
		if !slices.Contains([]string{"returns", "shipping-times", "payment-methods"}, m[1]) {
			t.Fatalf("search with --kb after the query listed %s, not in the folder named:\n%s", m[1], stdout)
		}
	}
	// Without a folder, lint checks the embedded demo, which ships clean
	// (only review dates may pass with time).
	code, stdout, _ = run(t, "kb", "lint")
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !strings.Contains(line, ": stale: ") && !regexp.MustCompile(`^\d+ articles, 0 load problems, \d+ findings$`).MatchString(line) {
			t.Errorf("lint of the demo knowledge base: %q", line)
		}
	}
	if code != 0 || !strings.Contains(stdout, "32 articles, 0 load problems") {
		t.Fatalf("lint without a folder should check the demo knowledge base: exit %d %q", code, stdout)
	}
	for _, args := range [][]string{{"kb", "lint", out}, {"kb", "lint", "--kb", out}, {"kb", "lint", out, "--strict"}} {
		code, stdout, stderr = run(t, args...)
		wantCode := 0
		if args[len(args)-1] == "--strict" {
			wantCode = 1 // the imported articles still hold the placeholder answer
		}
		if code != wantCode || !strings.Contains(stdout, "3 articles, 0 load problems") {
			t.Fatalf("%v should lint the imported folder, not the demo: exit %d %q %q", args, code, stdout, stderr)
		}
	}
	if code, _, _ = run(t, "kb", "lint", out, filepath.Join(dir, "other")); code != 2 {
		t.Fatalf("kb lint with two folders: exit %d, want 2", code)
	}
	if code, _, _ = run(t, "kb", "lint", "--strict", out); code != 1 {
		t.Fatalf("lint --strict should fail when something is found: exit %d", code)
	}
	if code, _, stderr = run(t, "kb", "import", "--out", out, filepath.Join(dir, "missing.csv")); code == 0 || !strings.Contains(stderr, "missing.csv") {
		t.Fatalf("import of a missing file: exit %d %q; want a failure naming the file", code, stderr)
	}
}

// TestKBLintFlagsClaimedAction: ACC-3, `deskbot kb lint` reports an article
// whose answer says "I've cancelled your order" (the file, the rule and the
// sentence), and --strict fails on it; a rule-like article passes.
func TestKBLintFlagsClaimedAction(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		text := "---\nid: " + strings.TrimSuffix(name, ".md") + "\ntitle: " + name + "\nquestions:\n  - can you cancel my order " + name + "\nversion: \"1\"\n---\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("privacy-policy.md", "We keep your messages for 30 days.") // the default policy links point here
	write("returns.md", "Once we have received your return, we refund within 5 days. Refunds are issued within 5 days. When we have shipped a replacement, you get an e-mail.")
	code, stdout, stderr := run(t, "kb", "lint", dir, "--strict")
	if code != 0 || !strings.Contains(stdout, "2 articles, 0 load problems, 0 findings") {
		t.Fatalf("a rule-like article should lint clean: exit %d %q %q", code, stdout, stderr)
	}
	write("cancel.md", "Thanks for asking. I've cancelled your order. You will not be charged.")
	code, stdout, _ = run(t, "kb", "lint", dir, "--strict")
	if code != 1 || !strings.Contains(stdout, "cancel.md: ACC-3: ") || !strings.Contains(stdout, `"I've cancelled your order."`) ||
		!strings.Contains(stdout, "3 articles, 0 load problems, 1 findings") || strings.Contains(stdout, "returns.md") {
		t.Fatalf("kb lint should report cancel.md's claim under ACC-3 and nothing else: exit %d %q", code, stdout)
	}
}

// kb --help lists the subcommands and succeeds; it is not an unknown one.
func TestKBHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "help"} {
		code, stdout, stderr := run(t, "kb", arg)
		if code != 0 || !strings.Contains(stdout, "deskbot kb eval") || !strings.Contains(stdout, "--per-query") || strings.Contains(stderr, "unknown") {
			t.Errorf("kb %s: exit %d %q %q", arg, code, stdout, stderr)
		}
	}
}
