package app

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseFlagsAnywhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		kb   string
		n    int
		rest []string
	}{
		{"flags first", []string{"--kb", "shop", "-n", "3", "where", "is", "it"}, "shop", 3, []string{"where", "is", "it"}},
		{"flags last", []string{"where", "is", "it", "--kb", "shop"}, "shop", 5, []string{"where", "is", "it"}},
		{"flags between", []string{"where", "-n", "2", "is", "--kb=shop", "it"}, "shop", 2, []string{"where", "is", "it"}},
		{"after --", []string{"--kb", "shop", "--", "-20%", "off", "--kb", "x"}, "shop", 5, []string{"-20%", "off", "--kb", "x"}},
		{"no arguments", nil, "", 5, nil},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		kb := fs.String("kb", "", "")
		n := fs.Int("n", 5, "")
		if err := parseFlags(fs, tc.args); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if *kb != tc.kb || *n != tc.n || !slices.Equal(fs.Args(), tc.rest) {
			t.Errorf("%s: kb=%q n=%d args=%q, want kb=%q n=%d args=%q", tc.name, *kb, *n, fs.Args(), tc.kb, tc.n, tc.rest)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := parseFlags(fs, []string{"where", "--nope"}); err == nil {
		t.Error("an unknown flag after an argument was accepted")
	}
}
