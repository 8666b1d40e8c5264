// Package e2e tests the compiled deskbot binary from outside, as an
// operator and a customer's browser would meet it.
package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"deskbot/chatclient"
	"deskbot/internal/pgtest"
	"deskbot/protocol"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "deskbot-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "deskbot")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building deskbot:", err)
		os.Exit(1)
	}
	code := m.Run()
	pgtest.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

const admin = "e2e-admin-token-0123456789"

var masterKey = base64.StdEncoding.EncodeToString([]byte("e2e-master-key-32-bytes-long!!!!"))

type server struct {
	cmd  *exec.Cmd
	url  string
	logs *lockedBuffer
}

// lockedBuffer collects the server's output while tests read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs the binary as an operator would and waits until /readyz
// answers 200: a session can be opened.
func start(t *testing.T, dataDir, addr string, extraEnv ...string) *server {
	t.Helper()
	return startUntil(t, "/readyz", dataDir, addr, extraEnv...)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// Issue 2 from outside: healthz, the page, and both channels answering the
// three questions with sources after the session frame and the disclosure.
func TestBinaryServesAndAnswers(t *testing.T) {
	s := start(t, t.TempDir(), freePort(t))
	resp, err := http.Get(s.url + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %v %v", resp, err)
	}
	resp.Body.Close()
	questions := map[string]string{"How do I return an item?": "returns-policy", "What is your warranty?": "warranty", "how much does shipping cost": "shipping-costs"}

	c, err := chatclient.Dial(ctx(t), s.url, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if f, _ := c.Next(ctx(t)); f.Type != "session" {
		t.Fatalf("ws first frame %+v", f)
	}
	if f, _ := c.Next(ctx(t)); f.Type != "message" || !f.Disclosure {
		t.Fatalf("ws second frame %+v", f)
	}
	for q, want := range questions {
		c.Say(ctx(t), q)
		f, _ := c.NextOf(ctx(t), "message")
		if len(f.Sources) == 0 || f.Sources[0].ID != want {
			t.Errorf("ws %q: %+v", q, f.Sources)
		}
	}

	post := func(body string) protocol.ChatResponse {
		resp, err := http.Post(s.url+"/api/v1/chat", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var raw struct {
			Session  string
			Messages []protocol.Frame
		}
		json.NewDecoder(resp.Body).Decode(&raw)
		out := protocol.ChatResponse{Session: raw.Session}
		for _, m := range raw.Messages {
			out.Messages = append(out.Messages, m)
		}
		return out
	}
	first := post(`{}`)
	if len(first.Messages) != 1 || !first.Messages[0].(protocol.Frame).Disclosure {
		t.Fatalf("HTTP start: %+v", first)
	}
	for q, want := range questions {
		r := post(fmt.Sprintf(`{"session":%q,"text":%q}`, first.Session, q))
		m := r.Messages[len(r.Messages)-1].(protocol.Frame)
		if len(m.Sources) == 0 || m.Sources[0].ID != want {
			t.Errorf("http %q: %+v", q, m)
		}
	}
}

func transcript(t *testing.T, base, subject string) string {
	req, _ := http.NewRequest("GET", base+"/api/v1/admin/transcript/"+subject, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.String()
}

func subjectOf(t *testing.T, base, token string) string {
	req, _ := http.NewRequest("GET", base+"/api/v1/admin/session?session="+token, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ Subject string }
	json.NewDecoder(resp.Body).Decode(&s)
	if s.Subject == "" {
		t.Fatalf("no subject for session (HTTP %d)", resp.StatusCode)
	}
	return s.Subject
}

// kill -9 under load loses no acknowledged message, and a restart resumes
// the sessions.
func TestKill9LosesNoAcknowledgedMessage(t *testing.T) {
	dir, addr := t.TempDir(), freePort(t)
	s := start(t, dir, addr)
	const clients = 20
	type sess struct {
		token string
		acked []string
	}
	results := make(chan sess, clients)
	stop := make(chan struct{})
	for i := 0; i < clients; i++ {
		go func(i int) {
			var me sess
			defer func() { results <- me }()
			c, err := chatclient.Dial(ctx(t), s.url, chatclient.Options{})
			if err != nil {
				return
			}
			f, _ := c.Next(ctx(t))
			me.token = f.Session
			c.Next(ctx(t))
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("where is parcel client%d-msg%d", i, n)
				if c.Say(ctx(t), text) != nil {
					return
				}
				if f, err := c.NextOf(ctx(t), "message"); err != nil || f.Type != "message" {
					return // the server died before answering: not acknowledged
				}
				me.acked = append(me.acked, text)
			}
		}(i)
	}
	time.Sleep(1500 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	close(stop)
	var all []sess
	total := 0
	for i := 0; i < clients; i++ {
		r := <-results
		all = append(all, r)
		total += len(r.acked)
	}
	if total < clients {
		t.Fatalf("load too light to be meaningful: %d acknowledged messages", total)
	}
	s2 := start(t, dir, addr)
	for _, r := range all {
		if r.token == "" {
			continue
		}
		// The session resumes with its token.
		c, err := chatclient.Dial(ctx(t), s2.url, chatclient.Options{Session: r.token})
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := c.Next(ctx(t)); f.Session != r.token {
			t.Errorf("session did not resume after restart: got %q", f.Session)
		}
		c.Close()
		tr := transcript(t, s2.url, subjectOf(t, s2.url, r.token))
		for _, text := range r.acked {
			if !strings.Contains(tr, text) {
				t.Errorf("acknowledged message %q lost after kill -9", text)
			}
		}
	}
	t.Logf("%d acknowledged messages from %d clients all present after kill -9 and restart", total, clients)
}

// Graceful shutdown on SIGTERM closes sockets with "going away" and exits 0.
func TestSIGTERMGraceful(t *testing.T) {
	s := start(t, t.TempDir(), freePort(t))
	c, err := chatclient.Dial(ctx(t), s.url, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Next(ctx(t))
	s.cmd.Process.Signal(syscall.SIGTERM)
	<-c.Done()
	if code := c.CloseStatus(); code != 1001 {
		t.Errorf("close status %d, want 1001", code)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, s.logs)
	}
}

// Articles dropped into kb_dir are answered without a restart; a broken
// article is skipped and the others keep working.
func TestKBDirPickedUpWithoutRestart(t *testing.T) {
	kbDir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(kbDir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("returns.md", "---\nid: returns\ntitle: Returns\nquestions:\n  - How do I return an item?\n  - Can I send something back?\n---\nReturn unused items within 30 days.\n")
	write("broken.md", "---\nid: [not valid\n---\nbody\n")
	s := start(t, t.TempDir(), freePort(t), "DESKBOT_KB_DIR="+kbDir, "DESKBOT_KB_WATCH_INTERVAL=200ms")
	c, err := chatclient.Dial(ctx(t), s.url, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.NextOf(ctx(t), "message")
	ask := func(q string) protocol.Frame {
		c.Say(ctx(t), q)
		f, _ := c.NextOf(ctx(t), "message")
		return f
	}
	if f := ask("How do I return an item?"); len(f.Sources) == 0 || f.Sources[0].ID != "returns" {
		t.Fatalf("answer from kb_dir: %+v", f)
	}
	if f := ask("Do you offer gift wrapping?"); len(f.Sources) != 0 {
		t.Fatalf("answered before the article existed: %+v", f)
	}
	write("gift-wrap.md", "---\nid: gift-wrap\ntitle: Gift wrapping\nquestions:\n  - Do you offer gift wrapping?\n  - Can you wrap my present?\n---\nWe wrap gifts for 3 EUR.\n")
	deadline := time.Now().Add(10 * time.Second)
	for {
		f := ask("Do you offer gift wrapping?")
		if len(f.Sources) > 0 && f.Sources[0].ID == "gift-wrap" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("new article not picked up; last reply %+v\n%s", f, s.logs)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if !strings.Contains(s.logs.String(), "broken.md") {
		t.Errorf("the broken article should be reported in the log:\n%s", s.logs)
	}
}
