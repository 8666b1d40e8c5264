package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"deskbot/config"
)

// Local is a deskbot serving on a loopback port, for tests and for
// `deskbot test`, which runs each scenario against its own isolated bot.
type Local struct {
	App  *App
	URL  string // http://127.0.0.1:PORT
	stop context.CancelFunc
	done chan error
	once sync.Once
	err  error
}

// StartLocal wires cfg and serves it on 127.0.0.1 on a free port.
func StartLocal(ctx context.Context, cfg config.Config, o Options) (*Local, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	cfg.Listen = ln.Addr().String()
	a, err := New(ctx, cfg, o)
	if err != nil {
		ln.Close()
		return nil, err
	}
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l := &Local{App: a, URL: "http://" + ln.Addr().String(), stop: stop, done: make(chan error, 1)}
	go func() { l.done <- a.Serve(sctx, ln) }()
	return l, nil
}

// Close shuts the server down gracefully and closes the store. It may be
// called more than once.
func (l *Local) Close() error {
	l.once.Do(func() {
		l.stop()
		l.err = errors.Join(<-l.done, l.App.Close())
	})
	return l.err
}
