package features_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The cucumber report holds what the cucumber JSON schema
// (github.com/cucumber/cucumber-json-schema) requires of features,
// elements and steps, with statuses from its list, and each step's match
// names the deskbot phrase instead of a Go file.
func TestCucumberJSONSchema(t *testing.T) {
	_, out := run(t, newSuite(), `Feature: json
  Background:
    Given no agent is online

  Scenario: passes
    Given a customer opens the chat
    When the customer says "Do you sell gift cards?"
    Then the reply cites the article "Gift cards"

  Scenario: fails
    Given a customer opens the chat
    Then the bot replies "nothing like this"
    And the reply contains "x"

  Scenario: undefined
    Given a customer opens the chat
    Then the bot dances

  Scenario Outline: outline <n>
    Given a customer opens the chat
    Then the bot discloses that it is an automated assistant

    Examples:
      | n |
      | 1 |
      | 2 |
`, "cucumber")
	var doc []map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var errs []string
	need := func(where string, m map[string]any, key, kind string) {
		v, ok := m[key]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %q missing", where, key))
			return
		}
		switch kind {
		case "string":
			_, ok = v.(string)
		case "integer":
			f, isNum := v.(float64)
			ok = isNum && f == float64(int64(f)) && f >= 0
		case "array":
			_, ok = v.([]any)
		case "object":
			_, ok = v.(map[string]any)
		}
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %q is not a %s: %v", where, key, kind, v))
		}
	}
	statuses := map[string]bool{"passed": true, "failed": true, "skipped": true, "undefined": true, "pending": true, "ambiguous": true}
	seen := map[string]int{}
	elements := 0
	for i, f := range doc {
		w := fmt.Sprintf("feature %d", i)
		for k, kind := range map[string]string{"uri": "string", "id": "string", "keyword": "string", "name": "string", "line": "integer", "elements": "array"} {
			need(w, f, k, kind)
		}
		els, _ := f["elements"].([]any)
		for j, e := range els {
			el, _ := e.(map[string]any)
			we := fmt.Sprintf("%s element %d", w, j)
			for k, kind := range map[string]string{"id": "string", "keyword": "string", "name": "string", "line": "integer", "type": "string", "steps": "array"} {
				need(we, el, k, kind)
			}
			if ty := el["type"]; ty != "scenario" && ty != "background" {
				errs = append(errs, fmt.Sprintf("%s: type %v", we, ty))
			}
			elements++
			steps, _ := el["steps"].([]any)
			for k, s := range steps {
				st, _ := s.(map[string]any)
				ws := fmt.Sprintf("%s step %d", we, k)
				for key, kind := range map[string]string{"keyword": "string", "name": "string", "line": "integer", "result": "object"} {
					need(ws, st, key, kind)
				}
				res, _ := st["result"].(map[string]any)
				status, _ := res["status"].(string)
				if !statuses[status] {
					errs = append(errs, fmt.Sprintf("%s: status %q", ws, status))
				}
				seen[status]++
				if _, ok := res["duration"]; ok {
					need(ws+" result", res, "duration", "integer")
				}
				if m, ok := st["match"].(map[string]any); ok {
					loc, _ := m["location"].(string)
					if strings.Contains(loc, ".go:") {
						errs = append(errs, fmt.Sprintf("%s: match location %q names Go code", ws, loc))
					}
				}
			}
		}
	}
	if elements != 5 {
		errs = append(errs, fmt.Sprintf("%d elements; want 5 (one per scenario and example row)", elements))
	}
	for _, s := range []string{"passed", "failed", "skipped", "undefined"} {
		if seen[s] == 0 {
			errs = append(errs, "no step with status "+s)
		}
	}
	if len(errs) > 0 {
		t.Errorf("cucumber JSON does not fit the schema:\n%s\n%s", strings.Join(errs, "\n"), out)
	}
	if !strings.Contains(out, `"location": "deskbot step: the reply cites the article \"<title>\""`) {
		t.Errorf("match locations do not name the phrase:\n%s", out)
	}
}
