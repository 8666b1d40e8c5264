// Package cluster joins several deskbot instances on one PostgreSQL
// database into one agent desk. Instances tell each other what changes on
// the desk (desk.Op) and ask each other to act on the conversations they
// hold (Command) through PostgreSQL's LISTEN/NOTIFY on one channel. Every
// message is sealed with a key kept wrapped in the database (its system
// key "desk_bus"), so PostgreSQL, which relays customer text shown to
// agents, never sees it in clear (SEC-1); only instances holding the
// master key can read it.
package cluster

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver for the sender

	"deskbot/desk"
)

// channel is the NOTIFY channel all instances of one database share.
const channel = "deskbot_desk"

// Heartbeats: an instance not heard from for deadAfter is taken for gone,
// and its conversations move to the instance the customer comes back to.
const (
	heartbeat = 2 * time.Second
	deadAfter = 3 * heartbeat
	callWait  = 10 * time.Second
)

// Errors.
var (
	// ErrTooLarge: a message does not fit in one notification.
	ErrTooLarge = errors.New("too large to relay between instances")
)

// Options configure a Bus.
type Options struct {
	DSN  string // the PostgreSQL database the instances share
	Key  []byte // 32 bytes: seals every message (store.SystemKey "desk_bus")
	Desk *desk.Desk
	Log  *slog.Logger
	// Self names this instance; empty: host name and a random suffix.
	Self string
}

// Bus is one instance's connection to the others.
type Bus struct {
	self   string
	dsn    string
	seal   *sealer
	desk   *desk.Desk
	log    *slog.Logger
	sender *sql.DB
	out    chan envelope

	mu      sync.Mutex
	alive   map[string]time.Time
	calls   map[string]chan Reply
	handler func(context.Context, Command) Reply
	started chan struct{} // closed once LISTEN is in place
}

// New connects the sender; Run listens.
func New(o Options) (*Bus, error) {
	seal, err := newSealer(o.Key)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", o.DSN)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	db.SetMaxOpenConns(1) // one sender: this instance's notifications stay in order
	if o.Self == "" {
		host, _ := os.Hostname()
		var b [3]byte
		rand.Read(b[:])
		o.Self = host + "-" + hex.EncodeToString(b[:])
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Bus{self: o.Self, dsn: o.DSN, seal: seal, desk: o.Desk, log: o.Log, sender: db,
		out: make(chan envelope, 4096), alive: map[string]time.Time{}, calls: map[string]chan Reply{},
		started: make(chan struct{})}, nil
}

// Self is this instance's name.
func (b *Bus) Self() string { return b.self }

// Serve sets what runs another instance's command here.
func (b *Bus) Serve(h func(context.Context, Command) Reply) {
	b.mu.Lock()
	b.handler = h
	b.mu.Unlock()
}

// envelope is one notification.
type envelope struct {
	From  string   `json:"f"`
	To    string   `json:"t,omitempty"` // empty: every instance
	Kind  string   `json:"k"`
	Call  string   `json:"c,omitempty"`
	Op    *desk.Op `json:"op,omitempty"`
	Cmd   *Command `json:"cmd,omitempty"`
	Reply *Reply   `json:"rep,omitempty"`
}

const (
	kindOp    = "op"
	kindHello = "hello" // a new instance asks the others for what they know
	kindAlive = "alive"
	kindCmd   = "cmd"
	kindReply = "reply"
)

// Broadcast sends a desk change to the other instances; it never blocks
// (the desk calls it under its lock). A full queue drops the change and
// says so: the heartbeat's snapshot repairs nothing, so this is an error.
func (b *Bus) Broadcast(op desk.Op) {
	select {
	case b.out <- envelope{From: b.self, Kind: kindOp, Op: &op}:
	default:
		b.log.Error("cluster: desk change dropped: the notification queue is full", "kind", op.Kind)
	}
}

// Alive reports whether an instance was heard from recently.
func (b *Bus) Alive(instance string) bool {
	if instance == b.self {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return time.Since(b.alive[instance]) < deadAfter
}

// Call asks instance to run cmd and waits for its reply.
func (b *Bus) Call(ctx context.Context, instance string, cmd Command) (Reply, error) {
	var id [12]byte
	rand.Read(id[:])
	call := hex.EncodeToString(id[:])
	ch := make(chan Reply, 1)
	b.mu.Lock()
	b.calls[call] = ch
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.calls, call)
		b.mu.Unlock()
	}()
	env := envelope{From: b.self, To: instance, Kind: kindCmd, Call: call, Cmd: &cmd}
	if err := b.send(ctx, env); err != nil {
		return Reply{}, err
	}
	t := time.NewTimer(callWait)
	defer t.Stop()
	select {
	case r := <-ch:
		return r, nil
	case <-t.C:
		return Reply{}, fmt.Errorf("%w (%s)", desk.ErrHolderGone, instance)
	case <-ctx.Done():
		return Reply{}, ctx.Err()
	}
}

// Run listens until ctx ends, reconnecting after a lost connection, and
// sends this instance's notifications and heartbeats.
func (b *Bus) Run(ctx context.Context) {
	go b.sendLoop(ctx)
	go b.heartbeatLoop(ctx)
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := b.listen(ctx, first)
		first = false
		if ctx.Err() != nil {
			return
		}
		b.log.Error("cluster: listening for the other instances failed; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// Started is closed once this instance listens.
func (b *Bus) Started() <-chan struct{} { return b.started }

func (b *Bus) listen(ctx context.Context, first bool) error {
	conn, err := pgx.Connect(ctx, b.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	if first {
		close(b.started)
	}
	// Whatever happened while not listening is learnt again.
	b.enqueue(envelope{From: b.self, Kind: kindHello})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		env, err := b.open(n.Payload)
		if err != nil {
			b.log.Warn("cluster: a notification could not be read (another master key, or altered)", "err", err)
			continue
		}
		if env.From == b.self || (env.To != "" && env.To != b.self) {
			continue
		}
		b.receive(ctx, env)
	}
}

func (b *Bus) receive(ctx context.Context, env envelope) {
	b.mu.Lock()
	b.alive[env.From] = time.Now()
	b.mu.Unlock()
	switch env.Kind {
	case kindOp:
		if env.Op != nil {
			b.desk.ApplyRemote(*env.Op)
		}
	case kindHello:
		for _, op := range b.desk.Snapshot() {
			b.enqueue(envelope{From: b.self, To: env.From, Kind: kindOp, Op: &op})
		}
	case kindCmd:
		b.mu.Lock()
		h := b.handler
		b.mu.Unlock()
		if h == nil || env.Cmd == nil {
			return
		}
		go func() {
			r := h(ctx, *env.Cmd)
			b.enqueue(envelope{From: b.self, To: env.From, Kind: kindReply, Call: env.Call, Reply: &r})
		}()
	case kindReply:
		b.mu.Lock()
		ch := b.calls[env.Call]
		b.mu.Unlock()
		if ch != nil && env.Reply != nil {
			ch <- *env.Reply
		}
	}
}

func (b *Bus) enqueue(env envelope) {
	select {
	case b.out <- env:
	default:
		b.log.Error("cluster: notification dropped: the queue is full", "kind", env.Kind)
	}
}

// send writes env at once (a call), bypassing the queue's order; a call
// does not depend on the order of desk changes.
func (b *Bus) send(ctx context.Context, env envelope) error {
	payload, err := b.sealEnv(env)
	if err != nil {
		return err
	}
	if _, err := b.sender.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload); err != nil {
		return fmt.Errorf("cluster: notify: %w", err)
	}
	return nil
}

func (b *Bus) sendLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			b.sender.Close()
			return
		case env := <-b.out:
			for attempt := 0; ; attempt++ {
				err := b.send(ctx, env)
				if err == nil || errors.Is(err, ErrTooLarge) || ctx.Err() != nil || attempt == 4 {
					if err != nil && ctx.Err() == nil {
						b.log.Error("cluster: notification not sent", "kind", env.Kind, "err", err)
					}
					break
				}
				time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
			}
		}
	}
}

func (b *Bus) heartbeatLoop(ctx context.Context) {
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.enqueue(envelope{From: b.self, Kind: kindAlive})
		}
	}
}

func (b *Bus) sealEnv(env envelope) (string, error) {
	raw, err := json.Marshal(env)
	if err != nil {
		return "", err
	}
	return b.seal.seal(raw)
}

func (b *Bus) open(payload string) (envelope, error) {
	var env envelope
	raw, err := b.seal.open(payload)
	if err != nil {
		return env, err
	}
	return env, json.Unmarshal(raw, &env)
}
