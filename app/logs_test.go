package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// SEC-1, MIN-1: nothing a customer types reaches the server log, even at
// debug level, whatever path the message takes.
func TestNoPersonalDataInLogs(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	l, err := app.StartLocal(context.Background(), config.Defaults(t.TempDir()), app.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.NextOf(ctx, "message")
	typed := []string{
		"my email is secret.person@example.com",
		"phone +44 20 7946 0958 please",
		"card 4111-1111-1111-1111 exp 12/29 cvv 123",
		"I have diabetes and need help",
		"I want a human",
		"delete my data",
	}
	for _, s := range typed {
		c.Say(ctx, s)
		c.NextOf(ctx, "message")
	}
	c.WriteRaw(ctx, 1, []byte("{not json secret.person@example.com"))
	c.NextOf(ctx, "error")
	c.Close()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "serving") {
		t.Fatalf("logger not used: %q", out)
	}
	// Timestamps, durations and random ids are the server's own digits: a
	// duration such as took=1.834111ms would read as the card's "4111".
	own := regexp.MustCompile(`\b(time|took|id)=\S+`)
	text := own.ReplaceAllString(out, "")
	for _, needle := range []string{"secret.person", "7946 0958", "4111", "diabetes", "I want a human"} {
		if strings.Contains(text, needle) {
			t.Errorf("server log contains customer text %q", needle)
		}
	}
}
