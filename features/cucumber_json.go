package features

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
)

// The cucumber JSON report is godog's, with each step's match.location
// naming the deskbot phrase it matched instead of the Go wrapper every
// step runs through ("suite.go:172"), so the report says which phrase ran.

// rewriteCucumberJSON reads godog's cucumber JSON and writes it with
// phrase locations; input that is not the expected JSON passes unchanged.
func rewriteCucumberJSON(in []byte, out io.Writer) error {
	var doc []map[string]any
	if err := json.Unmarshal(in, &doc); err != nil {
		_, werr := out.Write(in)
		return werr
	}
	type compiled struct {
		re     *regexp.Regexp
		phrase string
	}
	var defs []compiled
	for _, s := range Steps() {
		defs = append(defs, compiled{regexp.MustCompile(s.Pattern), s.Phrase})
	}
	for _, f := range doc {
		els, _ := f["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			steps, _ := el["steps"].([]any)
			for _, st := range steps {
				step, _ := st.(map[string]any)
				name, _ := step["name"].(string)
				for _, d := range defs {
					if d.re.MatchString(name) {
						step["match"] = map[string]any{"location": "deskbot step: " + d.phrase}
						break
					}
				}
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing the cucumber report: %w", err)
	}
	_, err := out.Write(b.Bytes())
	return err
}
