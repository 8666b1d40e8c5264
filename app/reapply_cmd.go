package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"deskbot/store"
)

// cmdReapplyErasures runs `deskbot privacy reapply-erasures --ledger FILE…`:
// after a database was put back from a dump (pg_dump with several
// instances, or any copy made outside `deskbot backup`), the customers
// erased since come back with it; the erasure ledgers list them (SHA-256
// of the subject id, time), and this erases them again (DSR-4), recorded
// as requests and in the audit chain. `deskbot restore` does the same for
// its own archives by itself.
func cmdReapplyErasures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("privacy reapply-erasures", stderr, false)
	var ledgers multiFlag
	fs.Var(&ledgers, "ledger", "an erasure ledger (repeat for each instance's); default: backup.erasure_ledger")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"usage: deskbot privacy reapply-erasures [--ledger FILE]… [--data-dir DIR]"}
	}
	cfg, st, err := cf.loadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(ledgers) == 0 {
		ledgers = multiFlag{cfg.ErasureLedgerPath()}
	}
	all := map[string]time.Time{}
	for _, p := range ledgers {
		erased, bad, err := store.ReadErasureLedger(p)
		if err != nil {
			return fmt.Errorf("--ledger %s: %w", p, err)
		}
		if bad > 0 {
			fmt.Fprintf(stderr, "deskbot: %s: %d lines are not ledger lines and were skipped\n", p, bad)
		}
		for h, at := range erased {
			if prev, ok := all[h]; !ok || at.Before(prev) {
				all[h] = at
			}
		}
	}
	n, err := st.ReapplyErasures(ctx, all, "reapply-erasures", time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d ledger entries read from %d ledger(s); %d customers erased again (they were in the database)\n", len(all), len(ledgers), n)
	return nil
}
