package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"github.com/andybalholm/brotli"
)

// Issue 11 (D11): the chat page, the widget and the static files carry a
// strong ETag and Cache-Control: no-cache, answer 304 to a revalidation, and
// come Brotli- or gzip-compressed to a client that accepts it (each with
// its own ETag).
func TestStaticAssetsRevalidateAndCompress(t *testing.T) {
	t.Parallel()
	l := startBot(t, nil)
	get := func(path string, hdr map[string]string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", l.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		// A Transport that does not add Accept-Encoding or decode by itself.
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	for _, path := range []string{"/", "/widget.js", "/static/chat.js", "/static/chat.css", "/agent/assets/agent.js"} {
		plain, body := get(path, nil)
		tag := plain.Header.Get("ETag")
		if plain.StatusCode != 200 || len(tag) < 10 || tag[0] != '"' || plain.Header.Get("Cache-Control") != "no-cache" || plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: %d ETag %q Cache-Control %q Content-Encoding %q", path, plain.StatusCode, tag, plain.Header.Get("Cache-Control"), plain.Header.Get("Content-Encoding"))
			continue
		}
		if again, b := get(path, map[string]string{"If-None-Match": tag}); again.StatusCode != http.StatusNotModified || len(b) != 0 {
			t.Errorf("%s: revalidation answered %d with %d bytes, want 304 and none", path, again.StatusCode, len(b))
		}
		zres, zbody := get(path, map[string]string{"Accept-Encoding": "gzip, deflate"})
		if zres.Header.Get("Content-Encoding") != "gzip" || zres.Header.Get("ETag") == tag || len(zbody) >= len(body) {
			t.Errorf("%s: with gzip accepted: encoding %q, ETag %q (plain %q), %d bytes (plain %d)", path, zres.Header.Get("Content-Encoding"), zres.Header.Get("ETag"), tag, len(zbody), len(body))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(zbody))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if dec, _ := io.ReadAll(zr); string(dec) != string(body) {
			t.Errorf("%s: the gzip body is not the plain body", path)
		}
		if again, _ := get(path, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": zres.Header.Get("ETag")}); again.StatusCode != http.StatusNotModified {
			t.Errorf("%s: gzip revalidation answered %d, want 304", path, again.StatusCode)
		}
		if no, _ := get(path, map[string]string{"Accept-Encoding": "gzip;q=0"}); no.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip;q=0 still got gzip", path)
		}
		// Brotli when the client accepts it, as browsers do: smaller still.
		bres, bbody := get(path, map[string]string{"Accept-Encoding": "gzip, deflate, br"})
		if bres.Header.Get("Content-Encoding") != "br" || bres.Header.Get("ETag") == zres.Header.Get("ETag") || len(bbody) >= len(zbody) {
			t.Errorf("%s: with br accepted: encoding %q, ETag %q (gzip %q), %d bytes (gzip %d)", path, bres.Header.Get("Content-Encoding"), bres.Header.Get("ETag"), zres.Header.Get("ETag"), len(bbody), len(zbody))
			continue
		}
		if dec, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(bbody))); string(dec) != string(body) {
			t.Errorf("%s: the br body is not the plain body", path)
		}
		t.Logf("%s: %d bytes plain, %d gzip, %d br", path, len(body), len(zbody), len(bbody))
	}
}
