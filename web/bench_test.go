package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/config"
	"deskbot/protocol"
)

// Run with:
//
//	go test ./bot -run XXX -bench WS -benchtime 3000x
//	go test ./bot -run XXX -bench IdleSession -benchtime 2000x

// benchQuestions are answered from the demo knowledge base with a source.
var benchQuestions = []string{"How do I return an item?", "What is your warranty?", "how much does shipping cost"}

var errNoSource = errors.New("reply has no source")

// benchBot is a real bot whose rate limit does not get in the way of a
// benchmark that sends thousands of messages in one session.
func benchBot(b *testing.B) *app.Local {
	b.Helper()
	return startBot(b, func(c *config.Config) {
		c.Limits.Burst = 1 << 20
		c.Limits.MessagesPerMinute = 1 << 20
	})
}

// roundTrip says q and waits for the answer message: what a customer waits.
func roundTrip(ctx context.Context, c *chatclient.Client, q string) (time.Duration, error) {
	start := time.Now()
	if err := c.Say(ctx, q); err != nil {
		return 0, fmt.Errorf("say: %w", err)
	}
	for {
		f, err := c.Next(ctx)
		if err != nil {
			return 0, fmt.Errorf("waiting for the reply: %w", err)
		}
		switch f.Type {
		case protocol.TypeMessage:
			d := time.Since(start)
			if len(f.Sources) == 0 {
				return d, errNoSource
			}
			return d, nil
		case protocol.TypeError:
			return 0, fmt.Errorf("error frame %s: %s", f.Code, f.Message)
		}
	}
}

// percentile returns the p-quantile (0..1) by the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

// One customer asks questions one after the other over a real socket.
func BenchmarkWSReplyLatency(b *testing.B) {
	l := benchBot(b)
	c, _ := openSession(b, l)
	ctx := b.Context()
	for i := range 10 { // warm the index and the store
		if _, err := roundTrip(ctx, c, benchQuestions[i%len(benchQuestions)]); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		d, err := roundTrip(ctx, c, benchQuestions[i%len(benchQuestions)])
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, d)
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// Many customers at once; each asks its share of b.N questions in sequence.
func BenchmarkWSConcurrentClients(b *testing.B) {
	const clients = 100
	l := benchBot(b)
	cs := make([]*chatclient.Client, clients)
	for i := range cs {
		cs[i], _ = openSession(b, l)
	}
	ctx := b.Context()
	per := max(1, b.N/clients)
	lats := make([][]time.Duration, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i, c := range cs {
		wg.Go(func() {
			lat := make([]time.Duration, 0, per)
			for j := range per {
				d, err := roundTrip(ctx, c, benchQuestions[(i+j)%len(benchQuestions)])
				if err != nil {
					errs <- err
					return
				}
				lat = append(lat, d)
			}
			lats[i] = lat
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	all := slices.Concat(lats...)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "replies/s")
	reportLatency(b, all)
}

// memSnapshot is the heap in use, split by who allocated it.
type memSnapshot struct {
	server, client, other int64
}

// serverMarkers and clientMarkers name code that runs only on one side of
// the socket; an allocation is attributed by the first marker in its stack.
var (
	serverMarkers = []string{"deskbot/web.", "deskbot/conversation.", "deskbot/desk.", "deskbot/store.", "deskbot/compliance.", "deskbot/kb.", "net/http.(*conn)", "net/http.(*Server)", "coder/websocket.Accept", "coder/websocket.accept"}
	clientMarkers = []string{"deskbot/chatclient.", "net/http.(*Transport)", "net/http.(*persistConn)", "net/http.(*Client)", "coder/websocket.Dial", "coder/websocket.dial"}
)

func classify(frames []string) int {
	for _, f := range frames {
		for _, m := range serverMarkers {
			if strings.Contains(f, m) {
				return 0
			}
		}
		for _, m := range clientMarkers {
			if strings.Contains(f, m) {
				return 1
			}
		}
	}
	return 2
}

// heapByOwner reads the allocation profile; MemProfileRate must be 1 for the
// figures to be exact rather than sampled.
func heapByOwner() memSnapshot {
	var recs []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, true)
	for {
		recs = make([]runtime.MemProfileRecord, n+64)
		var ok bool
		if n, ok = runtime.MemProfile(recs, true); ok {
			recs = recs[:n]
			break
		}
	}
	var s memSnapshot
	for _, r := range recs {
		var names []string
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			names = append(names, f.Function)
			if !more {
				break
			}
		}
		switch classify(names) {
		case 0:
			s.server += r.InUseBytes()
		case 1:
			s.client += r.InUseBytes()
		default:
			s.other += r.InUseBytes()
		}
	}
	return s
}

// goroutinesByOwner counts goroutines by the side of the socket they serve.
func goroutinesByOwner() (server, client, other int) {
	buf := make([]byte, 64<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		switch classify(strings.Split(string(g), "\n")) {
		case 0:
			server++
		case 1:
			client++
		default:
			other++
		}
	}
	return server, client, other
}

func settle() {
	time.Sleep(200 * time.Millisecond) // let handlers finish their first writes
	runtime.GC()
	runtime.GC() // the profile lags one cycle behind
}

// Memory held per idle customer: b.N sockets are opened (session frame and
// disclosure received), then left idle. Client and server run in this process;
// the split comes from the allocation profile and the goroutine stacks.
func BenchmarkIdleSessionMemory(b *testing.B) {
	old := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = old }()

	l := benchBot(b)
	openSession(b, l) // warm up lazily built server state
	settle()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	h0 := heapByOwner()
	gs0, gc0, _ := goroutinesByOwner()

	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	cs := make([]*chatclient.Client, 0, b.N)
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	b.ResetTimer()
	for range b.N {
		c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
		if err != nil {
			b.Fatalf("socket %d: %v", len(cs), err)
		}
		cs = append(cs, c)
		for range 2 { // session frame, disclosure
			if _, err := c.Next(ctx); err != nil {
				b.Fatalf("socket %d: %v", len(cs), err)
			}
		}
	}
	b.StopTimer()
	settle()
	runtime.ReadMemStats(&m1)
	h1 := heapByOwner()
	gs1, gc1, _ := goroutinesByOwner()

	n := float64(b.N)
	per := func(a, b int64) float64 { return float64(a-b) / n }
	b.ReportMetric(float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc))/n, "heap-B/session")
	b.ReportMetric(float64(int64(m1.StackInuse)-int64(m0.StackInuse))/n, "stack-B/session")
	b.ReportMetric(per(h1.server, h0.server), "server-heap-B/session")
	b.ReportMetric(per(h1.client, h0.client), "client-heap-B/session")
	b.ReportMetric(per(h1.other, h0.other), "other-heap-B/session")
	b.ReportMetric(float64(gs1-gs0)/n, "server-goroutines/session")
	b.ReportMetric(float64(gc1-gc0)/n, "client-goroutines/session")
}
