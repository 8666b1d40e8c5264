package kb

import (
	"embed"
	"io/fs"
)

//go:embed demo/*.md
var demoFiles embed.FS

// DemoFS returns the embedded demo knowledge base (used when no kb_dir is
// configured).
func DemoFS() fs.FS {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		// fs.Sub only fails on an invalid path literal.
		panic(err)
	}
	return sub
}
