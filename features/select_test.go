package features_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"deskbot/features"
)

const tagged = `Feature: tags
  @consent
  Scenario: consent only
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant

  @consent @failing
  Scenario: consent but failing
    Given a customer opens the chat
    Then the bot replies "no such reply"

  Scenario: untagged
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant
`

func writeFeature(t *testing.T, body string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "t.feature")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// Cucumber's tag syntax selects as Cucumber does; a run that selects
// nothing fails instead of going green, unless AllowEmpty.
func TestTagsSelectAndEmptyRunsFail(t *testing.T) {
	dir, file := writeFeature(t, tagged)
	for _, c := range []struct {
		tags string
		want int
	}{
		{"@consent and not @failing", 1}, {"@consent && ~@failing", 1}, {"@consent", 2},
		{"not @consent", 1}, {"@failing or not @consent", 2}, {"", 3},
	} {
		sel, err := features.Select([]string{dir}, c.tags)
		if err != nil || sel.Scenarios != c.want {
			t.Errorf("--tags %q selects %d (%v); want %d", c.tags, sel.Scenarios, err, c.want)
		}
	}
	s := newSuite()
	var out bytes.Buffer
	if code := s.Run(features.RunOptions{Paths: []string{file}, Tags: "@consent and not @failing", Format: "progress", Output: &out, NoColors: true}); code != features.ExitOK {
		t.Fatalf("--tags \"@consent and not @failing\": exit %d\n%s", code, out.String())
	}
	if n := len(s.Timings()); n != 1 {
		t.Errorf("ran %d scenarios; want 1", n)
	}
	out.Reset()
	if code := newSuite().Run(features.RunOptions{Paths: []string{file}, Tags: "@consnet", Format: "progress", Output: &out}); code != features.ExitEmpty {
		t.Errorf("a misspelled tag: exit %d; want ExitEmpty", code)
	}
	if !strings.Contains(out.String(), `no scenario matched --tags "@consnet"`) {
		t.Errorf("no explanation for the empty run:\n%s", out.String())
	}
	if code := newSuite().Run(features.RunOptions{Paths: []string{file}, Tags: "@consnet", Format: "progress", Output: &out, AllowEmpty: true}); code != features.ExitOK {
		t.Errorf("AllowEmpty: exit %d; want 0", code)
	}
	out.Reset()
	if code := newSuite().Run(features.RunOptions{Paths: []string{file}, Tags: "@consent and", Output: &out}); code != features.ExitOptions {
		t.Errorf("a broken expression: exit %d; want ExitOptions", code)
	}
}

// PATH:LINE runs one scenario of a file and is an error for a folder or a
// line where no scenario starts.
func TestPathLine(t *testing.T) {
	dir, file := writeFeature(t, tagged)
	sel, err := features.Select([]string{file + ":12"}, "")
	if err != nil || sel.Scenarios != 1 {
		t.Errorf("%s:12 selects %d (%v); want 1", file, sel.Scenarios, err)
	}
	if _, err := features.Select([]string{dir + ":12"}, ""); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder:LINE: %v; want an error saying it is a folder", err)
	}
	if _, err := features.Select([]string{file + ":5"}, ""); err == nil || !strings.Contains(err.Error(), "scenarios start at lines 3, 8, 12") {
		t.Errorf("FILE:5: %v; want the lines where scenarios start", err)
	}
	s := newSuite()
	var out bytes.Buffer
	if code := s.Run(features.RunOptions{Paths: []string{file + ":3"}, Format: "progress", Output: &out, NoColors: true}); code != features.ExitOK || len(s.Timings()) != 1 {
		t.Errorf("%s:3: exit %d, %d scenario(s)\n%s", file, code, len(s.Timings()), out.String())
	}
	out.Reset()
	if code := newSuite().Run(features.RunOptions{Paths: []string{dir + ":3"}, Format: "progress", Output: &out}); code != features.ExitOptions || !strings.Contains(out.String(), "is a folder") {
		t.Errorf("folder:3: exit %d\n%s", code, out.String())
	}
}
