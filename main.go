// Command deskbot is a self-hosted customer-service assistant: run it with
// no arguments to serve the chat with the embedded demo knowledge base.
package main

import (
	"os"

	"deskbot/app"
)

func main() { os.Exit(app.Run(os.Args[1:], os.Stdout, os.Stderr)) }
