package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Console configures the agent console (docs/agent-api.md).
type Console struct {
	// CannedResponses are the owner's prepared replies: an agent types
	// "/" and the shortcut in the reply box and inserts the text, which
	// the agent can still edit before sending.
	CannedResponses []CannedResponse `mapstructure:"canned_responses"`
	// CannedFile is a YAML file with more of them, in the same shape
	// (a list of {shortcut, text}); "" reads none.
	CannedFile string `mapstructure:"canned_file"`
}

// CannedResponse is one prepared reply.
type CannedResponse struct {
	Shortcut string `mapstructure:"shortcut" yaml:"shortcut" json:"shortcut"`
	Text     string `mapstructure:"text" yaml:"text" json:"text"`
}

// cannedShortcut: what follows "/" in the reply box.
var cannedShortcut = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// CannedResponses returns console.canned_responses followed by those of
// console.canned_file, checked: a malformed or duplicate shortcut, an empty
// text or one longer than an agent may send, and a file that cannot be read
// are errors naming the key (and the file).
func (c Config) CannedResponses() ([]CannedResponse, error) {
	bad := func(key, why string) error { return fmt.Errorf("%w: %s: %s", ErrInvalid, key, why) }
	maxText := 4 * c.Limits.MaxMessageBytes // what AgentSay accepts
	seen := map[string]string{}
	var out []CannedResponse
	check := func(key string, list []CannedResponse) error {
		for i, r := range list {
			at := fmt.Sprintf("%s[%d]", key, i)
			switch {
			case !cannedShortcut.MatchString(r.Shortcut):
				return bad(at, fmt.Sprintf("shortcut %q must be 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit (typed after /)", r.Shortcut))
			case seen[r.Shortcut] != "":
				return bad(at, fmt.Sprintf("shortcut %q is already defined at %s", r.Shortcut, seen[r.Shortcut]))
			case strings.TrimSpace(r.Text) == "" || !utf8.ValidString(r.Text):
				return bad(at, fmt.Sprintf("shortcut %q needs a text (valid UTF-8)", r.Shortcut))
			case maxText > 0 && len(r.Text) > maxText:
				return bad(at, fmt.Sprintf("text of %q is %d bytes; an agent message may have at most %d (4 × limits.max_message_bytes)", r.Shortcut, len(r.Text), maxText))
			}
			seen[r.Shortcut] = at
			out = append(out, r)
		}
		return nil
	}
	if err := check("console.canned_responses", c.Console.CannedResponses); err != nil {
		return nil, err
	}
	if path := strings.TrimSpace(c.Console.CannedFile); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, bad("console.canned_file", err.Error())
		}
		var list []CannedResponse
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&list); err != nil && !errors.Is(err, io.EOF) {
			return nil, bad("console.canned_file", fmt.Sprintf("%s: expected a YAML list of {shortcut, text}: %v", path, err))
		}
		if err := check("console.canned_file "+path, list); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []CannedResponse{}
	}
	return out, nil
}
