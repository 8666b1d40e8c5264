package app

import (
	"context"
	"io"
	"log/slog"
	"strings"
)

// keyBesideDataMsg starts the warning compliance.LoadMasterKey logs when
// the master key is DATA_DIR/master.key.
const keyBesideDataMsg = "MASTER KEY STORED BESIDE THE DATA"

// commandLogger is the logger of a command other than serve: warnings and
// errors as serve logs them, except the master-key-beside-data warning,
// which serve gives once at start (issue 12: not on every command). The
// command that generates the key still says so.
func commandLogger(w io.Writer) *slog.Logger {
	return slog.New(dropKeyBesideData{newLogger(w, "warn").Handler()})
}

type dropKeyBesideData struct{ slog.Handler }

func (h dropKeyBesideData) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, keyBesideDataMsg) {
		created := false
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "created" {
				created = a.Value.Kind() == slog.KindBool && a.Value.Bool()
				return false
			}
			return true
		})
		if !created {
			return nil
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h dropKeyBesideData) WithAttrs(as []slog.Attr) slog.Handler {
	return dropKeyBesideData{h.Handler.WithAttrs(as)}
}

func (h dropKeyBesideData) WithGroup(name string) slog.Handler {
	return dropKeyBesideData{h.Handler.WithGroup(name)}
}
