package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// articleMarkdown renders article bodies for /articles/<id>: CommonMark
// with bare URLs made links. Raw HTML in an article is left out (goldmark's
// default, never html.WithUnsafe) and javascript:/data: links lose their
// target, so an article cannot put script or markup on the bot's origin.
var articleMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(newTabRenderer{}, 500))),
)

// renderArticle turns an article's Markdown into HTML. Links to other
// origins than ours (the request's host, public_url's) open in a new tab
// with rel="noopener noreferrer", and say so to screen readers.
func renderArticle(body string, own map[string]bool) (template.HTML, error) {
	src := []byte(body)
	doc := articleMarkdown.Parser().Parse(text.NewReader(src))
	var foreign []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest string
		switch l := n.(type) {
		case *ast.Link:
			dest = string(l.Destination)
		case *ast.AutoLink:
			dest = string(l.URL(src))
			if l.AutoLinkType == ast.AutoLinkEmail {
				return ast.WalkContinue, nil
			}
		default:
			return ast.WalkContinue, nil
		}
		if u, err := url.Parse(dest); err == nil && u.Host != "" && !own[strings.ToLower(u.Host)] {
			foreign = append(foreign, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range foreign {
		n.SetAttributeString("target", []byte("_blank"))
		n.SetAttributeString("rel", []byte("noopener noreferrer"))
		if _, auto := n.(*ast.AutoLink); auto {
			n.Parent().InsertAfter(n.Parent(), n, &newTabNote{})
		} else {
			n.AppendChild(n, &newTabNote{})
		}
	}
	var buf bytes.Buffer
	if err := articleMarkdown.Renderer().Render(&buf, src, doc); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // goldmark escaped the text and left raw HTML out
}

// ownHosts are the hosts whose links stay in the same tab.
func (s *Server) ownHosts(r *http.Request) map[string]bool {
	own := map[string]bool{strings.ToLower(r.Host): true}
	if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Host != "" {
		own[strings.ToLower(u.Host)] = true
	}
	return own
}

// newTabNote is the screen-reader text after a link that opens a new tab.
type newTabNote struct{ ast.BaseInline }

var kindNewTabNote = ast.NewNodeKind("NewTabNote")

func (n *newTabNote) Kind() ast.NodeKind { return kindNewTabNote }

func (n *newTabNote) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type newTabRenderer struct{}

func (newTabRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindNewTabNote, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<span class="vh"> (opens in a new tab)</span>`)
		}
		return ast.WalkContinue, nil
	})
}
