package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"deskbot/chatclient"
)

// Behind a proxy that does not pass the original Host, the chat page on
// public_url's origin opens its socket; without public_url it is refused
// with one log line that names the origin and the fix.
func TestSocketOriginFromPublicURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var logs syncBuffer
	_, lns := serveAll(t, nil, &logs)
	url := "http://" + lns.Public.Addr().String()
	for range 2 {
		if c, err := chatclient.Dial(ctx, url, chatclient.Options{Origin: "https://chat.shop.example"}); err == nil {
			c.Close()
			t.Fatal("a foreign origin was accepted without public_url")
		}
	}
	out := logs.String()
	if strings.Count(out, "websocket origin refused") != 1 || !strings.Contains(out, "origin=https://chat.shop.example") || !strings.Contains(out, "public_url") {
		t.Errorf("want one log line naming the origin and public_url:\n%s", out)
	}

	_, lns = serveAll(t, map[string]string{"DESKBOT_PUBLIC_URL": "https://chat.shop.example"}, nil)
	url = "http://" + lns.Public.Addr().String()
	c, err := chatclient.Dial(ctx, url, chatclient.Options{Origin: "https://chat.shop.example"})
	if err != nil {
		t.Fatalf("public_url's origin refused: %v", err)
	}
	c.Close()
	if c, err := chatclient.Dial(ctx, url, chatclient.Options{Origin: "https://evil.example"}); err == nil {
		c.Close()
		t.Fatal("a foreign origin was accepted with public_url set")
	}
}
