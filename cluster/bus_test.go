package cluster

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"deskbot/desk"
	"deskbot/internal/pgtest"
	"deskbot/protocol"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testKey = []byte("0123456789abcdef0123456789abcdef")

type instance struct {
	desk *desk.Desk
	bus  *Bus
}

func start(t *testing.T, ctx context.Context, dsn, name string) instance {
	t.Helper()
	d := desk.New(time.Now, desk.Hours{})
	b, err := New(Options{DSN: dsn, Key: testKey, Desk: d, Self: name})
	if err != nil {
		t.Fatal(err)
	}
	d.Replicate(name, b, nil)
	go b.Run(ctx)
	select {
	case <-b.Started():
	case <-time.After(10 * time.Second):
		t.Fatal("the bus did not start listening")
	}
	return instance{d, b}
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * deadAfter)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two instances on one database share one desk through LISTEN/NOTIFY, an
// agent's command reaches the instance holding the conversation and its
// reply comes back, and nothing readable passes through PostgreSQL
// (SEC-1): a listener without the key sees only sealed text.
func TestBusSharesDeskAndRelaysCommands(t *testing.T) {
	dsn := pgtest.Database(t, t.Name())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// An outside listener: what PostgreSQL relays.
	spy, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer spy.Close(context.Background())
	if _, err := spy.Exec(ctx, "LISTEN "+channel); err != nil {
		t.Fatal(err)
	}
	var relayed []string
	spied := make(chan struct{})
	go func() {
		defer close(spied)
		for {
			n, err := spy.WaitForNotification(ctx)
			if err != nil {
				return
			}
			relayed = append(relayed, n.Payload)
		}
	}()

	a := start(t, ctx, dsn, "a")
	b := start(t, ctx, dsn, "b")

	b.desk.SetPresence(desk.AgentRef{Name: "maria", Display: "Maria"}, protocol.PresenceOnline)
	eventually(t, "a to see maria online", func() bool { return a.desk.AvailableFor("conv-1") })

	a.desk.Enqueue("conv-1", "request")
	eventually(t, "b to see conv-1 waiting, held by a", func() bool {
		c, ok := b.desk.Conv("conv-1")
		return ok && c.Owner == "a" && c.State == protocol.HandoverQueued
	})
	const secret = "my card is 4111 and my name is Ada Lovelace"
	a.desk.Publish(protocol.DeskEvent{Kind: protocol.DeskEventMessage, ID: "conv-1", Message: &protocol.ConsoleLine{Text: secret}}, "")
	eventually(t, "b's console to get a's event", func() bool {
		evs, _, _ := b.desk.Events("maria", 0)
		for _, ev := range evs {
			if ev.Message != nil && ev.Message.Text == secret {
				return true
			}
		}
		return false
	})

	// b asks a, which holds conv-1, to act; a long reply text is compressed.
	a.bus.Serve(func(ctx context.Context, cmd Command) Reply {
		if cmd.Op != "say" || cmd.ID != "conv-1" || cmd.Agent.Name != "maria" {
			return Reply{Err: errNotQueued}
		}
		return Reply{MsgID: "m_" + cmd.Text[:4]}
	})
	eventually(t, "b to hear a's heartbeat", func() bool { return b.bus.Alive("a") })
	long := strings.Repeat("Thanks for waiting, your order ships tomorrow. ", 100)
	r, err := b.bus.Call(ctx, "a", Command{Op: "say", ID: "conv-1", Agent: desk.AgentRef{Name: "maria"}, Text: long})
	if err != nil || r.MsgID != "m_Than" {
		t.Fatalf("call = %+v, %v", r, err)
	}
	r, _ = b.bus.Call(ctx, "a", Command{Op: "say", ID: "other", Agent: desk.AgentRef{Name: "maria"}})
	if replyErr(r) != desk.ErrNotQueued {
		t.Fatalf("an error kind came back as %v", replyErr(r))
	}

	cancel()
	<-spied
	if len(relayed) < 4 {
		t.Fatalf("the spy saw %d notifications", len(relayed))
	}
	for _, p := range relayed {
		for _, clear := range []string{"Ada Lovelace", "maria", "conv-1", "ships tomorrow"} {
			if strings.Contains(p, clear) {
				t.Fatalf("%q relayed in clear: %.80s", clear, p)
			}
		}
	}
}

// An instance that stops answering is taken for gone, and a call to it
// fails instead of hanging.
func TestBusNoticesAGoneInstance(t *testing.T) {
	dsn := pgtest.Database(t, t.Name())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	actx, stopA := context.WithCancel(ctx)
	a := start(t, actx, dsn, "a")
	b := start(t, ctx, dsn, "b")
	_ = a
	eventually(t, "b to hear a", func() bool { return b.bus.Alive("a") })
	stopA()
	eventually(t, "b to take a for gone", func() bool { return !b.bus.Alive("a") })
}
