package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzLoadYAML loads arbitrary bytes as config.yaml: Load must never panic,
// and a refusal wraps ErrInvalid and names a key (or, for a file that is
// not a YAML mapping at all, says it could not read the file).
func FuzzLoadYAML(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "config.yaml")); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{
		"",
		"listen: \":9090\"\n",
		"listen: nohostport\n",
		"profile: mars\n",
		"disclosure:\n  enabled: false\n",
		"answer:\n  threshold: high\n",
		"limits:\n  burst: -1\n",
		"limits: 3\n",
		"allowed_origins: https://shop.example\n",
		"allowed_origins: [1, {a: b}]\n",
		"no_such_key: 1\n",
		"business_hours:\n  mon: \"25:00-26:00\"\n",
		"timeouts:\n  read: forever\n",
		"store:\n  sync: sometimes\n",
		"smtp:\n  port: 99999999999999999999\n",
		"kb_watch_interval: 1ns\n",
		"- a list\n- not a map\n",
		"a: &a [*a]\n",
		"{",
		"listen: !!binary aGVsbG8=\n",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	file := filepath.Join(dir, "config.yaml")
	noEnv := func(string) string { return "" }
	f.Fuzz(func(t *testing.T, data string) {
		if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(Options{File: file, Getenv: noEnv, Flags: map[string]string{"data_dir": dir}})
		if err == nil {
			return
		}
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("refusal does not wrap ErrInvalid: %v", err)
		}
		msg := strings.ToLower(err.Error()) // keys are case-insensitive
		if strings.Contains(msg, strings.ToLower("reading "+file)) {
			return // not YAML, or not a mapping: the file is named
		}
		var top map[string]any
		if yaml.Unmarshal([]byte(data), &top) != nil {
			return
		}
		for _, k := range knownAndGivenKeys(top) {
			if strings.Contains(msg, strings.ToLower(k)) {
				return
			}
		}
		t.Fatalf("refusal names no key: %v\ninput:\n%s", err, data)
	})
}

// knownAndGivenKeys lists every built-in key, its sections, and every key
// path in the given document.
func knownAndGivenKeys(doc map[string]any) []string {
	var keys []string
	for k := range defaults() {
		keys = append(keys, k)
	}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			keys = append(keys, prefix+k, strconv.Quote(prefix+k)) // named raw or quoted
			// Keys are dotted paths: "a.b: 1" is read as a: {b: 1}.
			keys = append(keys, strings.Split(k, ".")...)
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
			}
		}
	}
	walk("", doc)
	return slices.DeleteFunc(keys, func(k string) bool { return strings.TrimSpace(k) == "" })
}

// Found by FuzzLoadYAML: a key with an empty part was refused as
// "” has invalid keys: " without naming it.
func TestLoadNamesKeyWithEmptyPart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.yaml")
	for _, key := range []string{".00000", "limits..burst", "listen."} {
		if err := os.WriteFile(file, []byte(key+": 1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(Options{File: file, Getenv: func(string) string { return "" }})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"`+key+`"`) {
			t.Errorf("key %q: got %v, want an error naming it", key, err)
		}
	}
}
