package app

import (
	"context"
	"errors"
	"fmt"

	"deskbot/web"
)

// ErrDiskLow means the data directory's filesystem has less free space
// than limits.min_free_disk_mb.
var ErrDiskLow = errors.New("free disk space below limits.min_free_disk_mb")

// readyChecks are what GET /readyz requires: a session can be opened now.
func (a *App) readyChecks() []web.ReadyCheck {
	return []web.ReadyCheck{
		{Name: "database", Reason: "database not writable", Check: a.Store.CheckWritable},
		{Name: "index", Reason: "knowledge base index not open", Check: func(ctx context.Context) error {
			_, err := a.KB.Search(ctx, "help", 1)
			return err
		}},
		{Name: "disk", Reason: "free disk space low", Check: func(context.Context) error {
			return checkFreeDisk(a.Config.DataDir, a.Config.Limits.MinFreeDiskMB)
		}},
	}
}

func checkFreeDisk(dir string, minMB int) error {
	free, err := freeDiskBytes(dir)
	if errors.Is(err, errors.ErrUnsupported) {
		return nil // no way to tell on this platform
	}
	if err != nil {
		return fmt.Errorf("free disk space of %s: %w", dir, err)
	}
	if free < uint64(minMB)<<20 {
		return fmt.Errorf("%w: %d MiB free in %s, floor %d MiB", ErrDiskLow, free>>20, dir, minMB)
	}
	return nil
}
