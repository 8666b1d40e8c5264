package app

import (
	"context"
	"fmt"
	"log/slog"

	"deskbot/cluster"
	"deskbot/config"
	"deskbot/conversation"
	"deskbot/desk"
	"deskbot/store"
)

// joinCluster makes this instance one of several on the PostgreSQL
// database: its desk becomes a replica of the shared one, and agents'
// actions on conversations another instance holds are sent there. The bus
// key is kept wrapped by the master key in the database, so every
// instance with the key reads the same (SEC-1).
func joinCluster(ctx context.Context, cfg config.Config, st *store.Store, dk *desk.Desk, e *conversation.Engine, log *slog.Logger) (*cluster.Conversations, error) {
	key, err := st.SystemKey(ctx, "desk_bus")
	if err != nil {
		return nil, fmt.Errorf("desk bus key: %w", err)
	}
	bus, err := cluster.New(cluster.Options{DSN: cfg.DatabaseURL.Reveal(), Key: key, Desk: dk, Log: log})
	if err != nil {
		return nil, err
	}
	dk.Replicate(bus.Self(), bus, e.TellPositions)
	c := &cluster.Conversations{Engine: e, Desk: dk, Bus: bus, Log: log}
	bus.Serve(c.Run)
	go bus.Run(ctx)
	log.Info("sharing the agent desk with the other instances on the database", "instance", bus.Self(), "database", store.RedactURL(cfg.DatabaseURL.Reveal()))
	return c, nil
}
