package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"golang.org/x/net/html"

	"deskbot/locale"
)

// Pages in the reader's language (issue 11, D10): the chat page (/) and the
// agent console (/agent/) are sent with <html lang dir> and every element
// marked data-i18n already in the language chosen from the request, so the
// first paint, and a browser without scripts, read it too. The chat page's
// script still applies the session's language when its first frame
// arrives (i18n.js), which matters when the page's own ?lang= or the
// customer's pick differs.

// pageStrings is what localizeHTML writes into one page.
type pageStrings struct {
	lang, dir string
	// strs maps a data-i18n key to its text in lang.
	strs map[string]string
	// title replaces <title> when not empty.
	title string
	// newTab is the screen-reader suffix kept after a link's text, as
	// " (opens in a new tab)" in lang; empty keeps the page's own.
	newTab string
}

// localizeHTML returns src with <html lang dir> set and each element marked
// data-i18n="key" given strs[key]: its text, or the attribute that
// data-i18n-attr names (and its title, when that is aria-label, as
// i18n.js does). An element whose text already reads strs[key] keeps its
// markup (the English page's <strong>); a visually hidden ".vh" child is
// kept after the new text. Keys strs lacks are left as written.
func localizeHTML(src []byte, p pageStrings) ([]byte, error) {
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "html":
				setAttr(n, "lang", p.lang)
				setAttr(n, "dir", p.dir)
			case n.Data == "title" && p.title != "":
				setText(n, p.title)
				return
			}
			if key, ok := attr(n, "data-i18n"); ok {
				if s, ok := p.strs[key]; ok {
					translate(n, s, p.newTab)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func translate(n *html.Node, s, newTab string) {
	if a, ok := attr(n, "data-i18n-attr"); ok && a != "" {
		setAttr(n, a, s)
		if _, hasTitle := attr(n, "title"); a == "aria-label" && hasTitle {
			setAttr(n, "title", s)
		}
		return
	}
	var vh *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if cls, _ := attr(c, "class"); c.Type == html.ElementNode && hasClass(cls, "vh") {
			vh = c
		}
	}
	if strings.Join(strings.Fields(textOf(n, vh)), " ") == s {
		return
	}
	for n.FirstChild != nil {
		n.RemoveChild(n.FirstChild)
	}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: s})
	if vh != nil {
		if newTab != "" {
			setText(vh, " "+newTab)
		}
		n.AppendChild(vh)
	}
}

// textOf is n's text without the subtree skip.
func textOf(n, skip *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n == skip {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func setText(n *html.Node, s string) {
	for n.FirstChild != nil {
		n.RemoveChild(n.FirstChild)
	}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: s})
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func hasClass(cls, c string) bool {
	for _, f := range strings.Fields(cls) {
		if f == c {
			return true
		}
	}
	return false
}

// localizedPage is the asset name rendered by p, kept per server (the
// catalog, and so every string, is fixed for the process's life).
func (s *Server) localizedPage(name string, p pageStrings) ([]byte, error) {
	key := name + "\x00" + p.lang
	if v, ok := s.pages.Load(key); ok {
		return v.([]byte), nil
	}
	src, err := fs.ReadFile(s.assets, name)
	if err != nil {
		return nil, err
	}
	b, err := localizeHTML(src, p)
	if err != nil {
		return nil, fmt.Errorf("localizing %s: %w", name, err)
	}
	s.pages.Store(key, b)
	return b, nil
}

// chatPageStrings are the chat page's strings in lang, as i18n.js would
// apply them.
func (s *Server) chatPageStrings(lang string) pageStrings {
	ui := s.catalog().UI(lang)
	return pageStrings{
		lang:   lang,
		dir:    locale.Direction(lang),
		strs:   ui,
		title:  ui["title"] + " (" + ui["badge"] + ")",
		newTab: ui["new_tab"],
	}
}

// setLanguageHeaders marks a page chosen by Accept-Language (and so cached
// per language) as being in lang.
func setLanguageHeaders(w http.ResponseWriter, lang string) {
	w.Header().Add("Vary", "Accept-Language")
	w.Header().Set("Content-Language", lang)
}
