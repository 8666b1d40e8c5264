package accesslog

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type obs struct {
	mu     sync.Mutex
	routes []string
}

func (o *obs) Request(route string, status int, _ time.Duration, _ int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes = append(o.routes, route)
}

func TestOneLinePerRequestWithoutPersonalData(t *testing.T) {
	var logs syncBuf
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /articles/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "article body") })
	mux.HandleFunc("POST /api/v1/chat", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad", http.StatusBadRequest) })
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		ws.Close(websocket.StatusNormalClosure, "")
	})
	o := &obs{}
	srv := httptest.NewServer(Handler(log, o, mux))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/articles/returns-policy?session=SECRET-TOKEN&email=jane@example.com")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, _ = http.Post(srv.URL+"/api/v1/chat", "application/json", strings.NewReader(`{"text":"my card 4111"}`))
	res.Body.Close()
	res, _ = http.Get(srv.URL + "/nowhere/jane@example.com")
	res.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatalf("socket through the access log: %v", err)
	}
	ws.CloseNow()

	deadline := time.Now().Add(2 * time.Second)
	for strings.Count(logs.String(), "\n") < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 lines, one per request:\n%s", out)
	}
	for _, want := range []string{
		`"method":"GET","route":"GET /articles/{id}","status":200`, `"bytes":12`,
		`"route":"POST /api/v1/chat","status":400`,
		`"route":"unmatched","status":404`,
		`"route":"GET /ws","status":101`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	for _, leak := range []string{"SECRET-TOKEN", "jane@", "returns-policy", "4111", "127.0.0.1", "session="} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains %q:\n%s", leak, out)
		}
	}
	if len(o.routes) != 4 {
		t.Errorf("observer saw %v", o.routes)
	}
}
