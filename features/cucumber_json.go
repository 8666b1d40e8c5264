package features

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// The cucumber JSON report is godog's, with each step's match.location
// naming the deskbot phrase it matched instead of the Go wrapper every
// step runs through ("suite.go:172"), so the report says which phrase ran.

// godog reports the built-in checks run after a scenario as its last
// step's failure; the report gives that step its own result and the checks
// an "after" hook of the scenario, as Cucumber reports a failed After hook.

// rewriteCucumberJSON reads godog's cucumber JSON and writes it with
// phrase locations and after-scenario checks as hooks; input that is not
// the expected JSON passes unchanged.
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
				moveChecksToAfterHook(el, step)
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

// moveChecksToAfterHook turns a step failure that is only the checks after
// the scenario into a passed step and a failed "after" hook of element el.
func moveChecksToAfterHook(el, step map[string]any) {
	res, _ := step["result"].(map[string]any)
	if res == nil || res["status"] != "failed" {
		return
	}
	msg, _ := res["error_message"].(string)
	checks, stepFailed := afterScenarioFailure(errors.New(msg))
	if checks == "" {
		return
	}
	if stepFailed {
		// The step failed too: its own error stays on it.
		_, stepErr, _ := strings.Cut(strings.TrimPrefix(msg, "after scenario hook failed: "+checks), ", step error: ")
		res["error_message"] = stepErr
	} else {
		res["status"] = "passed"
		delete(res, "error_message")
	}
	after, _ := el["after"].([]any)
	el["after"] = append(after, map[string]any{
		"match":  map[string]any{"location": "deskbot built-in legal checks"},
		"result": map[string]any{"status": "failed", "error_message": checks, "duration": 0},
	})
}
