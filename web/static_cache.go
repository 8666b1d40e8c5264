package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// minGzipBytes: smaller bodies are sent as they are (gzip's own header
// and a second round trip of CPU would outweigh the saving).
const minGzipBytes = 512

// compressed holds the compressed copies of each asset body by its ETag
// and encoding; the assets are embedded in the binary (and the pages built
// once per language), so a handful of entries.
var compressed sync.Map // etag + "-" + encoding → []byte

// serveAsset sends an embedded page, script or style so the browser can
// revalidate instead of downloading it again (issue 11, D11): a strong
// ETag from the content's SHA-256, Cache-Control: no-cache (always ask,
// 304 when unchanged), and Brotli or gzip when the client accepts it
// (Brotli first: smaller; each encoding has its own ETag; Vary:
// Accept-Encoding). Range and conditional requests are answered by
// http.ServeContent.
func serveAsset(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	h := w.Header()
	if h.Get("Content-Type") == "" {
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		h.Set("Content-Type", ct)
	}
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	payload := body
	if len(body) >= minGzipBytes && compressible(h.Get("Content-Type")) {
		for _, enc := range []string{"br", "gzip"} {
			if !accepts(r, enc) {
				continue
			}
			if z, ok := compressedOf(tag, enc, body); ok {
				payload = z
				tag += "-" + enc
				h.Set("Content-Encoding", enc)
				break
			}
		}
	}
	h.Set("ETag", `"`+tag+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(payload))
}

// compressedOf compresses body with enc ("br" or "gzip") once per ETag;
// false when that does not make it smaller.
func compressedOf(tag, enc string, body []byte) ([]byte, bool) {
	key := tag + "-" + enc
	if v, ok := compressed.Load(key); ok {
		return v.([]byte), true
	}
	var buf bytes.Buffer
	var zw interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "br":
		zw = brotli.NewWriterLevel(&buf, brotli.BestCompression)
	default:
		gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, false
		}
		zw = gz
	}
	zw.Write(body)
	if zw.Close() != nil || buf.Len() >= len(body) {
		return nil, false
	}
	z := buf.Bytes()
	compressed.Store(key, z)
	return z, true
}

// accepts reads Accept-Encoding: enc (or *) with a q above 0.
func accepts(r *http.Request, enc string) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != enc && coding != "*" {
				continue
			}
			if qs, ok := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q="); ok {
				if q, err := strconv.ParseFloat(qs, 64); err != nil || q <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}

func compressible(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return strings.HasPrefix(mt, "text/") || mt == "application/javascript" || mt == "application/json" || mt == "image/svg+xml"
}
