package web_test

import (
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rssBytes reads this process's resident set size from /proc.
func rssBytes(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// peakSampler records the highest RSS and heap seen until stopped.
type peakSampler struct {
	rss, heap atomic.Int64
	stop      chan struct{}
	done      sync.WaitGroup
}

func samplePeaks(t testing.TB) *peakSampler {
	p := &peakSampler{stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		var ms runtime.MemStats
		for {
			if r := rssBytes(t); r > p.rss.Load() {
				p.rss.Store(r)
			}
			runtime.ReadMemStats(&ms)
			if h := int64(ms.HeapInuse); h > p.heap.Load() {
				p.heap.Store(h)
			}
			select {
			case <-p.stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return p
}

func (p *peakSampler) end() (rss, heap int64) {
	close(p.stop)
	p.done.Wait()
	return p.rss.Load(), p.heap.Load()
}

func postLogin(t testing.TB, hc *http.Client, url, name, pw string) (int, string) {
	r, err := hc.Post(url+"/agent/api/login", "application/json", strings.NewReader(`{"name":"`+name+`","password":"`+pw+`"}`))
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	r.Body.Close()
	return r.StatusCode, r.Header.Get("Retry-After")
}

// F3: 40 wrong passwords sent at once from one address for one account
// must not all be checked: the attempt is reserved before the argon2 hash,
// and hashes run a bounded number at a time, so memory stays flat.
func TestAgentLoginParallelGuessesAreLimited(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	hc := clientFrom("127.0.0.1")
	hc.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	runtime.GC()
	baseRSS := rssBytes(t)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := int64(ms.HeapInuse)
	peaks := samplePeaks(t)

	const n = 40
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i], _ = postLogin(t, hc, l.URL, "anna", "wrong guess number "+strconv.Itoa(i))
		}()
	}
	close(start)
	wg.Wait()
	peakRSS, peakHeap := peaks.end()

	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	t.Logf("status counts %v; RSS growth %.1f MB, heap growth %.1f MB", count,
		float64(peakRSS-baseRSS)/1e6, float64(peakHeap-baseHeap)/1e6)
	if count[http.StatusTooManyRequests] < 35 {
		t.Errorf("%d of %d parallel wrong log-ins answered 429, want at least 35", count[http.StatusTooManyRequests], n)
	}
	if count[http.StatusOK] != 0 {
		t.Errorf("%d wrong log-ins succeeded", count[http.StatusOK])
	}
	if g := peakRSS - baseRSS; g > 50<<20 {
		t.Errorf("RSS grew %d MB during the burst, want under 50 MB", g>>20)
	}
	// The heap holds at most login_hashes argon2 blocks (19 MiB each) plus
	// garbage not yet collected: bounded by the slots, not by the burst.
	if g := peakHeap - baseHeap; g > 50<<20 {
		t.Errorf("heap grew %d MB during the burst, want under 50 MB", g>>20)
	}
}

// F4: failures lock out the account+address that made them, with a
// growing wait, never the right password from another address.
func TestAgentLoginBackoffIsPerAccountAndAddress(t *testing.T) {
	l := startBot(t, nil)
	addAgent(t, l, "anna", "Anna")
	attacker, agent := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
	if c, err := agent.Get(l.URL + "/healthz"); err != nil {
		t.Skipf("cannot connect from 127.0.0.2: %v", err)
	} else {
		c.Body.Close()
	}
	var firstWait int
	for i := range 12 {
		code, retry := postLogin(t, attacker, l.URL, "anna", "wrong guess "+strconv.Itoa(i))
		if code == http.StatusTooManyRequests {
			firstWait, _ = strconv.Atoi(retry)
			if firstWait < 1 {
				t.Fatalf("429 without a usable Retry-After (%q)", retry)
			}
			break
		}
		if code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: HTTP %d, want 401", i+1, code)
		}
	}
	if firstWait == 0 {
		t.Fatal("12 wrong passwords from one address were never refused with 429")
	}
	// The attacker's address is locked for this account, even with the
	// right password...
	if code, _ := postLogin(t, attacker, l.URL, "anna", agentPassword); code != http.StatusTooManyRequests {
		t.Fatalf("locked address with the right password: HTTP %d, want 429", code)
	}
	// ...but the agent, from their own address, gets in.
	if code, _ := postLogin(t, agent, l.URL, "anna", agentPassword); code != http.StatusOK {
		t.Fatalf("right password from another address during the lockout: HTTP %d, want 200", code)
	}
	// The wait grows with each further failure (exponential backoff).
	time.Sleep(time.Duration(firstWait) * time.Second)
	if code, _ := postLogin(t, attacker, l.URL, "anna", "still wrong"); code != http.StatusUnauthorized {
		t.Fatalf("after waiting Retry-After: HTTP %d, want 401 (the attempt is allowed)", code)
	}
	code, retry := postLogin(t, attacker, l.URL, "anna", "wrong again")
	next, _ := strconv.Atoi(retry)
	if code != http.StatusTooManyRequests || next <= firstWait {
		t.Fatalf("next failure: HTTP %d Retry-After %q, want 429 with a wait longer than %ds", code, retry, firstWait)
	}
}
