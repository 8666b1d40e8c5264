package conversation

import (
	"context"
	"time"

	"deskbot/store"
)

// The in-memory store keeps no notes; the real store's are tested in
// store/notes_test.go and web/console_notes_test.go.

func (m *memStore) Note(context.Context, string, string) (store.Note, error) {
	return store.Note{}, store.ErrNotFound
}

func (m *memStore) SetNote(context.Context, string, string, string, string, time.Time) error {
	return nil
}
