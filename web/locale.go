package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"deskbot/locale"
	"deskbot/protocol"
)

// The page's language: a session frame carries lang, dir and the page's
// strings (conversation/language.go); GET /locale/{lang}.json serves the
// same strings before a session exists (the page's first paint, a page
// that cannot open a socket). Refusals written before a session exists
// use the language the request names (?lang=, else Accept-Language).

// catalog is the engine's sentence catalog, or one built from the
// configuration when the engine does not expose it.
func (s *Server) catalog() *locale.Catalog {
	if l, ok := s.engine.(interface{ Locale() *locale.Catalog }); ok {
		if c := l.Locale(); c != nil {
			return c
		}
	}
	s.locOnce.Do(func() {
		c, _, err := s.cfg.Catalog()
		if err != nil {
			c, _, _ = locale.New(locale.Options{})
		}
		s.loc = c
	})
	return s.loc
}

// localeCache is the fallback catalog; it lives beside the Server.
type localeCache struct {
	locOnce sync.Once
	loc     *locale.Catalog
	pages   sync.Map // page_lang.go: asset name and language → rendered page
}

// requestLang is the language a request names: ?lang= (the page's or
// widget's attribute), else Accept-Language, else config `language`.
func (s *Server) requestLang(r *http.Request) string {
	return s.catalog().Choose(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
}

// text is a customer-facing sentence in lang.
func (s *Server) text(lang string, key locale.Key) string {
	return s.catalog().Text(lang, key, "bot", s.cfg.BotName, "business", s.cfg.BusinessName)
}

// localeDoc is the body of GET /locale/{lang}.json.
type localeDoc struct {
	Lang      string              `json:"lang"`
	Dir       string              `json:"dir"`
	UI        map[string]string   `json:"ui"`
	Languages []protocol.Language `json:"languages"`
}

// handleLocale serves one language's page strings. The catalog is fixed
// for the process's life, so browsers may keep it an hour and revalidate.
func (s *Server) handleLocale(w http.ResponseWriter, r *http.Request) {
	c := s.catalog()
	tag, isJSON := strings.CutSuffix(r.PathValue("lang"), ".json")
	lang, ok := c.Match(tag)
	if !isJSON || !ok {
		writeJSON(w, http.StatusNotFound, errorFrame(protocol.ErrBadRequest, s.text(s.requestLang(r), locale.ErrorLanguage)))
		return
	}
	doc := localeDoc{Lang: lang, Dir: locale.Direction(lang), UI: c.UI(lang)}
	for _, l := range c.Languages() {
		doc.Languages = append(doc.Languages, protocol.Language{Tag: l, Name: locale.Name(l, l)})
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Language", lang)
	_ = json.NewEncoder(w).Encode(doc)
}
