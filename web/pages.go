package web

import (
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"deskbot/kb"
)

// handleIndex serves the chat page in the language the request names
// (?lang=, else Accept-Language, else config; page_lang.go): one body, and
// so one ETag, per language.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	lang := s.requestLang(r)
	b, err := s.localizedPage("chat/index.html", s.chatPageStrings(lang))
	if err != nil {
		s.log.Error("chat page unavailable", "err", err)
		http.Error(w, "chat page unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	setLanguageHeaders(w, lang)
	serveAsset(w, r, "index.html", b) // static_cache.go: ETag, no-cache, gzip
}

func (s *Server) handleWidget(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(s.assets, "widget.js")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	// The widget is loaded by the shop's pages from another origin.
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	// Revalidated on each page of the shop (304 while unchanged), so a new
	// release reaches the next page view, not the one after max-age.
	serveAsset(w, r, "widget.js", b)
}

func (s *Server) staticHandler() http.Handler {
	sub, err := fs.Sub(s.assets, "chat")
	if err != nil {
		return http.NotFoundHandler()
	}
	return filesOnly(sub)
}

// filesOnly serves the files of fsys and answers 404 for its folders: no
// directory listing (nor index.html fallback) at /static/ or /agent/assets/.
func filesOnly(fsys fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "."
		}
		if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		serveAsset(w, r, name, b) // static_cache.go: ETag, no-cache, gzip
	})
}

var articlePage = template.Must(template.New("article").Parse(`<!doctype html>
<html lang="{{if .Lang}}{{.Lang}}{{else}}en{{end}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title><link rel="icon" href="/static/favicon.svg"><link rel="stylesheet" href="/static/chat.css"></head>
<body class="article-page"><main class="article">
<h1>{{.Title}}</h1>
<p class="article-meta">Help article {{.ID}} · version {{.Version}}{{if not .Reviewed.IsZero}} · reviewed {{.Reviewed.Format "2006-01-02"}}{{end}}</p>
<div class="article-body">{{.HTML}}</div>
<p><a href="/">Back to the chat</a></p>
</main></body></html>
`))

// handleArticle shows an article's own vetted text, the page answers link to (ACC-2).
func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.articles.Article(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := renderArticle(a.Body, s.ownHosts(r)) // article_page.go: goldmark, raw HTML off
	if err != nil {
		s.log.Error("rendering article page", "article", a.ID, "err", err)
		http.Error(w, "article unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := articlePage.Execute(w, struct {
		*kb.Article
		HTML template.HTML
	}{a, body}); err != nil {
		s.log.Error("rendering article page", "err", err)
	}
}
