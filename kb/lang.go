package kb

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// articleLang reads front matter `lang:` as a canonical language tag
// ("DE" → "de", "pt_br" → "pt-BR"); empty stays empty (the default
// language).
func articleLang(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	t, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", fmt.Errorf("%w: %q", ErrBadLang, s)
	}
	return t.String(), nil
}
