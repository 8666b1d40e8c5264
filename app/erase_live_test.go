package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// DSR-4 (F14): `deskbot privacy erase` run beside the serving process must
// reach it. The server caches the subject's data key and keeps the session
// in memory; with the old token, an export must not answer 200 for the
// erased subject nor record a new request for it, and the open socket must
// not write anything for it again.
func TestCLIEraseReachesRunningServer(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	l, err := app.StartLocal(context.Background(), config.Defaults(dir), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, _ := c.Next(ctx)
	token := first.Session
	c.NextOf(ctx, protocol.TypeMessage) // disclosure
	c.Say(ctx, "How do I return an item?")
	c.NextOf(ctx, protocol.TypeMessage)

	export := func() (int, map[string]any) {
		t.Helper()
		res, err := http.Post(l.URL+"/api/v1/export", "application/json", strings.NewReader(`{"session":"`+token+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	code, doc := export()
	subject, _ := doc["subject"].(string)
	if code != http.StatusOK || subject == "" {
		t.Fatalf("export before erasure: %d %v", code, doc)
	}

	if code, _, errOut := run(t, "privacy", "erase", "--subject", subject, "--data-dir", dir); code != 0 {
		t.Fatalf("privacy erase beside the server: exit %d %s", code, errOut)
	}

	if code, doc := export(); code != http.StatusNotFound {
		t.Errorf("export with the erased subject's token after a CLI erase: %d %v; want 404", code, doc)
	}
	// The open socket's next message is not stored for the erased subject.
	c.Say(ctx, "Are you still there?")
	c.NextOf(ctx, protocol.TypeMessage)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "privacy", "export", "--subject", subject, "--data-dir", dir)
	if code == 0 && strings.Contains(out, "still there") {
		t.Errorf("a message was stored for the erased subject after the CLI erase: %s", out)
	}
	_ = errOut
}
