package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"deskbot/compliance"
	"deskbot/locale"
)

// The agent console's language (issue 11, D10): the console's own labels
// come from the locale files' console_* strings (Catalog.Console), so the
// shipped languages, an owner's locale files and locale.overrides apply
// to them as to the chat page. The page is sent with its labels already
// set (page_lang.go); the scripts take the strings they write from
// GET /agent/locale/{lang}.json. Customers' messages are never touched.

// lang is the agent's language: Accept-Language, else config `language`.
func (c *console) lang(r *http.Request) string {
	return c.s.catalog().Choose(r.Header.Get("Accept-Language"))
}

// pageStrings are the console page's labels in lang.
func (c *console) pageStrings(lang string) pageStrings {
	strs := c.s.catalog().Console(lang)
	// The page's sentence about flagged requests names the warning window.
	strs["requests_flag"] = strings.ReplaceAll(strs["requests_flag"], "{days}", strconv.Itoa(compliance.RequestWarnDays))
	return pageStrings{lang: lang, dir: locale.Direction(lang), strs: strs, title: strs["title"]}
}

// consoleLocaleDoc is the body of GET /agent/locale/{lang}.json.
type consoleLocaleDoc struct {
	Lang    string            `json:"lang"`
	Dir     string            `json:"dir"`
	Strings map[string]string `json:"strings"`
}

// locale serves one language's console strings, with an ETag so the
// browser revalidates instead of downloading them again. They are not
// secret (the log-in form needs them), so no session is asked for.
func (c *console) locale(w http.ResponseWriter, r *http.Request) {
	cat := c.s.catalog()
	tag, isJSON := strings.CutSuffix(r.PathValue("lang"), ".json")
	lang, ok := cat.Match(tag)
	if !isJSON || !ok {
		apiError(w, http.StatusNotFound, errNotFound, "no such language")
		return
	}
	b, err := json.Marshal(consoleLocaleDoc{Lang: lang, Dir: locale.Direction(lang), Strings: cat.Console(lang)})
	if err != nil {
		apiError(w, http.StatusInternalServerError, errInternal, "console strings unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Language", lang)
	serveAsset(w, r, lang+".json", b) // static_cache.go: ETag, no-cache, gzip
}
