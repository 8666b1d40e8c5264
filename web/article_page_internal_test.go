package web

import (
	"strings"
	"testing"
)

// Issue 11: the article page renders the article's Markdown with raw HTML
// left out, dangerous link targets dropped, and links to other origins
// opening a new tab with rel="noopener noreferrer" (and saying so).
func TestRenderArticle(t *testing.T) {
	body := "Returns within **30 days**.\n\n" +
		"<script>alert(1)</script>\n\n" +
		"Inline <b onclick=\"x()\">html</b> too.\n\n" +
		"- [Carrier](https://carrier.example/track)\n" +
		"- [Our policy](https://shop.example/privacy)\n" +
		"- [Relative](/articles/warranty)\n" +
		"- [Bad](javascript:alert(1))\n\n" +
		"Track at https://track.example/parcel today."
	got, err := renderArticle(body, map[string]bool{"shop.example": true})
	if err != nil {
		t.Fatal(err)
	}
	h := string(got)
	for _, want := range []string{
		"<strong>30 days</strong>",
		`<a href="https://carrier.example/track" target="_blank" rel="noopener noreferrer">Carrier<span class="vh"> (opens in a new tab)</span></a>`,
		`<a href="https://shop.example/privacy">Our policy</a>`,
		`<a href="/articles/warranty">Relative</a>`,
		`<a href="https://track.example/parcel" target="_blank" rel="noopener noreferrer">https://track.example/parcel</a><span class="vh"> (opens in a new tab)</span>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("rendered article lacks %s\n%s", want, h)
		}
	}
	for _, bad := range []string{"<script", "onclick", "<b ", "javascript:", "**"} {
		if strings.Contains(h, bad) {
			t.Errorf("rendered article contains %q:\n%s", bad, h)
		}
	}
}
