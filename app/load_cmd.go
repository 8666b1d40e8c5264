package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"deskbot/compliance"
	"deskbot/config"
	"deskbot/loadgen"
)

// cmdLoad runs `deskbot load`: against --target, or against an in-process
// bot on a temporary data dir when no target is given.
func cmdLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("target", "", "base URL of a running deskbot on loopback (default: start one in-process)")
	sessions := fs.Int("sessions", 100, "concurrent sessions")
	rate := fs.Float64("rate", 0, "total messages per second, open loop (0: each session waits for its reply)")
	dur := fs.Duration("duration", 10*time.Second, "how long to send (or hold, with --idle)")
	idle := fs.Bool("idle", false, "only open the sessions and hold them idle for --duration")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t := *target
	if t == "" {
		l, err := startLocalForLoad(ctx)
		if err != nil {
			return err
		}
		defer l.Close()
		t = l.URL
	}
	fmt.Fprintf(stderr, "load: %d sessions, rate %.0f/s, %s against %s (GOMAXPROCS=%d)\n", *sessions, *rate, *dur, t, runtime.GOMAXPROCS(0))
	res, err := loadgen.Run(ctx, loadgen.Options{Target: t, Sessions: *sessions, Rate: *rate, Duration: *dur, Idle: *idle})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res.String())
	return nil
}

// startLocalForLoad starts an in-process bot on a temporary data dir with a
// throwaway master key and limits raised for load.
func startLocalForLoad(ctx context.Context) (*Local, error) {
	dir, err := os.MkdirTemp("", "deskbot-load-")
	if err != nil {
		return nil, err
	}
	_, key, err := compliance.GenerateMasterKey()
	if err != nil {
		return nil, err
	}
	cfg := config.Defaults(dir)
	cfg.Limits.MessagesPerMinute = 6000
	cfg.Limits.Burst = 200
	// Every load session comes from this one address.
	cfg.Limits.NewSessionsPerMinute = 1_000_000
	cfg.Limits.NewSessionsBurst = 100_000
	cfg.Limits.MaxLiveSessions = 1_000_000
	l, err := StartLocal(ctx, cfg, Options{Getenv: func(k string) string {
		if k == compliance.EnvMasterKey {
			return key
		}
		return ""
	}})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return l, nil
}
