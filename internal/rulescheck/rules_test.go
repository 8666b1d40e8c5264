package rulescheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// ruleID matches a rule id such as CONS-5. A trailing "-digits" group is
// captured so that references like "DPIA-2026-03" (an example assessment
// number in a message) can be told apart from rule ids.
var ruleID = regexp.MustCompile(`\b(?:DISC|CONS|NOTC|MIN|PCI|SEC|DSR|RET|HUM|ACC|AUD|JUR|BRCH|DPIA)-[0-9]+(-[0-9]+)?\b`)

// repoRoot is the repository, seen from this package's directory (go test
// runs a test in its package's folder).
const repoRoot = "../.."

// rulesRow matches the id column of a row of the table in docs/RULES.md.
var rulesRow = regexp.MustCompile(`(?m)^\| *([A-Z]+-[0-9]+) *\|`)

// TestEveryRuleIDIsCatalogued: every rule id that code, tests or scenarios
// cite must have a row in docs/RULES.md, so a reader can look it up and a
// mistyped id (a rule that does not exist) fails the build.
func TestEveryRuleIDIsCatalogued(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "RULES.md"))
	if err != nil {
		t.Fatal(err)
	}
	catalogued := map[string]bool{}
	for _, m := range rulesRow.FindAllStringSubmatch(string(raw), -1) {
		if catalogued[m[1]] {
			t.Errorf("docs/RULES.md: %s has two rows", m[1])
		}
		catalogued[m[1]] = true
	}
	if len(catalogued) < 34 {
		t.Fatalf("docs/RULES.md has %d rule rows; the legal matrix has 34", len(catalogued))
	}

	used := map[string][]string{} // id -> first places it is used
	err = filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != repoRoot && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".feature") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range ruleID.FindAllStringSubmatch(line, -1) {
				if m[1] != "" {
					continue // a reference number, not a rule id
				}
				if len(used[m[0]]) < 3 {
					rel, _ := filepath.Rel(repoRoot, path)
					used[m[0]] = append(used[m[0]], rel+":"+strconv.Itoa(i+1))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) == 0 {
		t.Fatal("no rule ids found in .go and .feature files; is repoRoot the repository root?")
	}
	var missing []string
	for id := range used {
		if !catalogued[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	for _, id := range missing {
		t.Errorf("rule id %s is used (%s) but has no row in docs/RULES.md", id, strings.Join(used[id], ", "))
	}
}
