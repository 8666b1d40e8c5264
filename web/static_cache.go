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
)

// minGzipBytes: smaller bodies are sent as they are (gzip's own header
// and a second round trip of CPU would outweigh the saving).
const minGzipBytes = 512

// gzipped holds the compressed copy of each asset body by its ETag; the
// assets are embedded in the binary, so a handful of entries.
var gzipped sync.Map // etag → []byte

// serveAsset sends an embedded page, script or style so the browser can
// revalidate instead of downloading it again (issue 11, D11): a strong
// ETag from the content's SHA-256, Cache-Control: no-cache (always ask,
// 304 when unchanged), and gzip when the client accepts it (each encoding
// has its own ETag; Vary: Accept-Encoding). Range and conditional requests
// are answered by http.ServeContent. Brotli is not offered: no maintained
// implementation is among the module's dependencies.
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
	if len(body) >= minGzipBytes && acceptsGzip(r) && compressible(h.Get("Content-Type")) {
		if gz, ok := gzipOf(tag, body); ok {
			payload = gz
			tag += "-gzip"
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", `"`+tag+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(payload))
}

func gzipOf(tag string, body []byte) ([]byte, bool) {
	if v, ok := gzipped.Load(tag); ok {
		return v.([]byte), true
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, false
	}
	zw.Write(body)
	if zw.Close() != nil || buf.Len() >= len(body) {
		return nil, false
	}
	gz := buf.Bytes()
	gzipped.Store(tag, gz)
	return gz, true
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a q above 0.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "*" {
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
