package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Canned responses come from config and a YAML file; a malformed or
// duplicate shortcut, an empty text or a bad file refuse the start naming
// the key.
func TestCannedResponses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "canned.yaml")
	if err := os.WriteFile(file, []byte("- shortcut: hours\n  text: \"We're here Monday to Friday.\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{File: writeFile(t, "console:\n  canned_responses:\n    - shortcut: refund\n      text: \"Your refund is on its way.\"\n  canned_file: "+file+"\n"), Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.CannedResponses()
	if err != nil || len(got) != 2 || got[0].Shortcut != "refund" || got[1].Shortcut != "hours" || got[1].Text != "We're here Monday to Friday." {
		t.Fatalf("canned responses: %+v %v", got, err)
	}
	def, err := Load(Options{NoFile: true, Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := def.CannedResponses(); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("default: %+v %v", got, err)
	}

	dup := filepath.Join(dir, "dup.yaml")
	os.WriteFile(dup, []byte("- shortcut: refund\n  text: again\n"), 0o600)
	badFile := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badFile, []byte("refund: not a list\n"), 0o600)
	for _, tc := range []struct{ yaml, key string }{
		{"console:\n  canned_responses:\n    - shortcut: \"Re fund\"\n      text: x\n", "console.canned_responses[0]"},
		{"console:\n  canned_responses:\n    - shortcut: \"\"\n      text: x\n", "console.canned_responses[0]"},
		{"console:\n  canned_responses:\n    - shortcut: a\n      text: x\n    - shortcut: a\n      text: y\n", "console.canned_responses[1]"},
		{"console:\n  canned_responses:\n    - shortcut: a\n      text: \"  \"\n", "console.canned_responses[0]"},
		{"console:\n  canned_responses:\n    - shortcut: refund\n      text: x\n  canned_file: " + dup + "\n", "console.canned_file"},
		{"console:\n  canned_file: " + badFile + "\n", "console.canned_file"},
		{"console:\n  canned_file: " + filepath.Join(dir, "missing.yaml") + "\n", "console.canned_file"},
		{"console:\n  canned_responses:\n    - shortcut: a\n      txt: x\n", "txt"},
	} {
		_, err := Load(Options{File: writeFile(t, tc.yaml), Getenv: env(nil)})
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%q: want an error naming %s, got %v", tc.yaml, tc.key, err)
		}
	}
	long := strings.Repeat("x", 4*2000+1)
	if _, err := Load(Options{File: writeFile(t, "console:\n  canned_responses:\n    - shortcut: long\n      text: "+long+"\n"), Getenv: env(nil)}); err == nil || !strings.Contains(err.Error(), "limits.max_message_bytes") {
		t.Errorf("over-long text: %v", err)
	}
}
