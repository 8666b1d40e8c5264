// Package loadgen drives a running deskbot over real chat sockets and
// measures reply latency and throughput; `deskbot load` and the benchmarks
// use it. It needs only the wire protocol and a chat client, so it can be
// pointed at any deskbot, in-process or not (loopback only).
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"deskbot/chatclient"
	"deskbot/protocol"
)

// Result summarises a load run.
type Result struct {
	Sessions         int
	Sent, Answered   int64
	Errors           int64 // error frames and failed sends
	Duration         time.Duration
	P50, P99, Max    time.Duration
	AnsweredPerSec   float64
	ConnectFailures  int64
	UnansweredAtStop int64
}

func (r Result) String() string {
	return fmt.Sprintf("sessions=%d sent=%d answered=%d errors=%d connect_failures=%d unanswered_at_stop=%d duration=%s answered_per_sec=%.0f p50=%s p99=%s max=%s",
		r.Sessions, r.Sent, r.Answered, r.Errors, r.ConnectFailures, r.UnansweredAtStop, r.Duration.Round(time.Millisecond), r.AnsweredPerSec,
		r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
}

// Options shape a run: Sessions connections, Rate messages per second in
// total (open loop: sends do not wait for replies; 0 means as fast as each
// connection's replies allow), for Duration.
type Options struct {
	Target   string
	Sessions int
	Rate     float64
	Duration time.Duration
	Question string
	Idle     bool // only connect and hold the sessions (memory measurements)
}

// Run drives a deskbot over real sockets and measures reply latency.
// It refuses targets outside the loopback range.
func Run(ctx context.Context, o Options) (Result, error) {
	u, err := url.Parse(o.Target)
	if err != nil {
		return Result{}, err
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return Result{}, errors.New("load runs only against loopback targets (127.0.0.1, localhost, [::1])")
	}
	if o.Sessions < 1 || o.Sessions > 20000 || o.Duration <= 0 || o.Duration > 10*time.Minute {
		return Result{}, errors.New("sessions must be 1..20000 and duration 0..10m")
	}
	if o.Question == "" {
		o.Question = "How do I return an item?"
	}
	res := Result{Sessions: o.Sessions}
	clients := make([]*chatclient.Client, 0, o.Sessions)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := 0; i < o.Sessions; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			c, err := chatclient.Dial(cctx, o.Target, chatclient.Options{})
			if err == nil {
				_, err = c.NextOf(cctx, protocol.TypeMessage) // disclosure
			}
			if err != nil {
				atomic.AddInt64(&res.ConnectFailures, 1)
				return
			}
			mu.Lock()
			clients = append(clients, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(clients) == 0 {
		return res, errors.New("no session could connect")
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()

	if o.Idle {
		select {
		case <-time.After(o.Duration):
		case <-ctx.Done():
		}
		res.Duration = o.Duration
		return res, nil
	}
	var latMu sync.Mutex
	lats := make([]time.Duration, 0, 1<<16)
	runCtx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	start := time.Now()
	per := time.Duration(0)
	if o.Rate > 0 {
		per = time.Duration(float64(time.Second) * float64(len(clients)) / o.Rate)
	}
	var rwg sync.WaitGroup
	for i, c := range clients {
		sent := make(chan time.Time, 4096)
		rwg.Add(2)
		go func() { // reader: match replies to sends in order
			defer rwg.Done()
			for {
				f, err := c.Next(ctx)
				if err != nil {
					return
				}
				switch f.Type {
				case protocol.TypeError:
					atomic.AddInt64(&res.Errors, 1)
					<-sent
				case protocol.TypeMessage:
					t0, ok := <-sent
					if !ok {
						return
					}
					d := time.Since(t0)
					atomic.AddInt64(&res.Answered, 1)
					latMu.Lock()
					lats = append(lats, d)
					latMu.Unlock()
				}
			}
		}()
		go func() { // writer: open loop at the per-session interval
			defer rwg.Done()
			defer close(sent)
			if per > 0 { // spread sessions over one interval
				time.Sleep(time.Duration(int64(per) * int64(i) / int64(len(clients))))
			}
			next := time.Now()
			for runCtx.Err() == nil {
				if per > 0 {
					next = next.Add(per)
				} else if len(sent) > 0 {
					time.Sleep(50 * time.Microsecond) // closed loop: one outstanding message
					continue
				}
				select {
				case sent <- time.Now():
				default:
					return // too many outstanding: the target is saturated
				}
				if err := c.Say(runCtx, o.Question); err != nil {
					if runCtx.Err() == nil {
						atomic.AddInt64(&res.Errors, 1)
					}
					return
				}
				atomic.AddInt64(&res.Sent, 1)
				if per > 0 {
					if d := time.Until(next); d > 0 {
						select {
						case <-time.After(d):
						case <-runCtx.Done():
						}
					}
				}
			}
		}()
	}
	<-runCtx.Done()
	res.Duration = time.Since(start)
	// Give in-flight replies a moment, then stop reading.
	time.Sleep(500 * time.Millisecond)
	for _, c := range clients {
		c.Close()
	}
	rwg.Wait()
	latMu.Lock()
	defer latMu.Unlock()
	res.UnansweredAtStop = res.Sent - res.Answered - res.Errors
	slices.Sort(lats)
	if n := len(lats); n > 0 {
		res.P50, res.P99, res.Max = lats[n/2], lats[min(n-1, n*99/100)], lats[n-1]
	}
	res.AnsweredPerSec = float64(res.Answered) / res.Duration.Seconds()
	return res, nil
}
