package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// wsChat opens a chat over the socket, says text, waits for the reply and
// returns the session token.
func wsChat(t *testing.T, base, text string) string {
	t.Helper()
	c, err := chatclient.Dial(ctx(t), base, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, err := c.Next(ctx(t))
	if err != nil || first.Session == "" {
		t.Fatalf("session frame: %+v %v", first, err)
	}
	c.NextOf(ctx(t), protocol.TypeMessage) // disclosure
	c.Say(ctx(t), text)
	if _, err := c.NextOf(ctx(t), protocol.TypeMessage); err != nil {
		t.Fatal(err)
	}
	return first.Session
}

// Issue 12, from outside: `deskbot backup` beside a running server under
// traffic, a customer erased after the backup, `deskbot restore` into a new
// folder, and a server on it: the old token resumes the conversation with
// its transcript, and the erased customer stays erased.
func TestBinaryBackupRestoreResumesSessionAndKeepsErasure(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, freePort(t))
	kept := wsChat(t, s.url, "How do I return an item?")
	gone := wsChat(t, s.url, "What is your warranty?")
	keptSubject, goneSubject := subjectOf(t, s.url, kept), subjectOf(t, s.url, gone)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // traffic during the backup
		defer wg.Done()
		token := ""
		for {
			select {
			case <-stop:
				return
			default:
			}
			token = chatHTTP(t, s.url, token, "how much does shipping cost")
		}
	}()
	archive := filepath.Join(t.TempDir(), "deskbot.tar.gz")
	out := cli(t, dir, "backup", "--output", archive)
	close(stop)
	wg.Wait()
	if !strings.Contains(out, "backup written") || !strings.Contains(out, "master key is not in this backup") {
		t.Fatalf("backup output:\n%s", out)
	}
	if d := deletedDBFiles(t, s.cmd.Process.Pid); len(d) > 0 {
		t.Fatalf("the server lost its database files during the backup: %v", d)
	}
	chatHTTP(t, s.url, kept, "thanks") // still serving
	cli(t, dir, "privacy", "erase", "--subject", goneSubject)

	restored := filepath.Join(t.TempDir(), "restored")
	out = cli(t, restored, "restore", "--input", archive)
	if !strings.Contains(out, "erasures re-applied: 1 of 1") || !strings.Contains(out, "audit chain intact") {
		t.Fatalf("restore report:\n%s", out)
	}
	s2 := start(t, restored, freePort(t))
	if tr := transcript(t, s2.url, keptSubject); !strings.Contains(tr, "How do I return an item?") {
		t.Fatalf("restored transcript of the kept customer: %s", tr)
	}
	c, err := chatclient.Dial(ctx(t), s2.url, chatclient.Options{Session: kept})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if f, err := c.Next(ctx(t)); err != nil || f.Session != kept {
		t.Fatalf("resume with the old token after restore: %+v %v", f, err)
	}
	req, _ := http.NewRequest("GET", s2.url+"/api/v1/admin/session?session="+gone, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatal("the session of the customer erased after the backup is back after restore")
	}
	if tr := transcript(t, s2.url, goneSubject); strings.Contains(tr, "warranty") {
		t.Fatalf("erased customer's transcript after restore: %s", tr)
	}
	if out := cli(t, restored, "audit", "verify"); !strings.Contains(out, "audit chain intact") {
		t.Fatalf("audit verify: %s", out)
	}
}
