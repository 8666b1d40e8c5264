package features

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// ErrNoScenario is returned by Select when no scenario is selected.
var ErrNoScenario = errors.New("no scenario matched")

// Selection is what a run would execute.
type Selection struct {
	Scenarios int // pickles (an outline counts once per example row)
	Files     int // feature files with at least one selected scenario
}

var rePathLine = regexp.MustCompile(`^(.*):(\d+)$`)

// splitPathLine splits "PATH:LINE" (line 0 when there is none).
func splitPathLine(p string) (string, int) {
	if m := rePathLine.FindStringSubmatch(p); m != nil {
		if n, err := strconv.Atoi(m[2]); err == nil {
			return m[1], n
		}
	}
	return p, 0
}

// Select parses the feature files under paths and counts the scenarios
// the tag expression selects, so a run that would select none can say so
// instead of passing. A path may be FILE:LINE, the line of a Scenario or
// Scenario Outline; a folder with :LINE is an error.
func Select(paths []string, tags string) (Selection, error) {
	var sel Selection
	expr, err := ParseTagExpression(tags)
	if err != nil {
		return sel, err
	}
	total := 0
	for _, p := range paths {
		path, line := splitPathLine(p)
		fi, err := os.Stat(path)
		if err != nil {
			return sel, fmt.Errorf("no feature files at %s: %w", p, err)
		}
		var files []string
		if fi.IsDir() {
			if line > 0 {
				return sel, fmt.Errorf("%s: a line number selects a scenario in a feature file, but %s is a folder; name the file (%s/NAME.feature:%d)", p, path, strings.TrimRight(path, "/"), line)
			}
			err := filepath.WalkDir(path, func(f string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(f, ".feature") {
					files = append(files, f)
				}
				return err
			})
			if err != nil {
				return sel, err
			}
		} else {
			files = []string{path}
		}
		for _, f := range files {
			n, all, err := selectInFile(f, line, expr)
			if err != nil {
				return sel, err
			}
			total += all
			sel.Scenarios += n
			if n > 0 {
				sel.Files++
			}
		}
	}
	if sel.Scenarios == 0 {
		where := strings.Join(paths, " ")
		switch {
		case total == 0:
			return sel, fmt.Errorf("%w: no scenarios in %s", ErrNoScenario, where)
		case tags != "":
			return sel, fmt.Errorf("%w --tags %q (%d scenario(s) in %s, none selected)", ErrNoScenario, tags, total, where)
		}
		return sel, fmt.Errorf("%w in %s", ErrNoScenario, where)
	}
	return sel, nil
}

// selectInFile counts the pickles of one file that the line (0: any) and
// the expression select, and all the file's pickles at that line.
func selectInFile(path string, line int, expr *TagExpr) (selected, all int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Feature == nil {
		return 0, 0, nil
	}
	scenarioLine := map[string]int{}
	var lines []int
	add := func(c *messages.Scenario) {
		scenarioLine[c.Id] = int(c.Location.Line)
		lines = append(lines, int(c.Location.Line))
	}
	for _, c := range doc.Feature.Children {
		if c.Scenario != nil {
			add(c.Scenario)
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil {
					add(rc.Scenario)
				}
			}
		}
	}
	if line > 0 {
		found := false
		for _, l := range lines {
			found = found || l == line
		}
		if !found {
			sort.Ints(lines)
			var ls []string
			for _, l := range lines {
				ls = append(ls, strconv.Itoa(l))
			}
			return 0, 0, fmt.Errorf("%s:%d: no Scenario or Scenario Outline starts at line %d; scenarios start at lines %s", path, line, line, strings.Join(ls, ", "))
		}
	}
	for _, pk := range gherkin.Pickles(*doc, path, (&messages.Incrementing{}).NewId) {
		if line > 0 && (len(pk.AstNodeIds) == 0 || scenarioLine[pk.AstNodeIds[0]] != line) {
			continue
		}
		all++
		var tags []string
		for _, t := range pk.Tags {
			tags = append(tags, t.Name)
		}
		if expr.Match(tags) {
			selected++
		}
	}
	return selected, all, nil
}
