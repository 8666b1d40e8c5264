// Package assets embeds the customer chat page and the embeddable widget
// script so the server ships as one binary.
package assets

import (
	"embed"
	"io/fs"
)

// files is read-only; embed.FS cannot be modified at run time.
//
//go:embed chat/* widget.js agent/*
var files embed.FS

// FS returns the embedded files: chat/index.html, chat/chat.js,
// chat/chat.css, widget.js and the agent console (agent/index.html,
// agent/agent.js, agent/agent.css).
func FS() fs.FS { return files }
