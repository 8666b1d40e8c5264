package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// cmdAuditAcceptLoss runs `deskbot audit accept-loss --note TEXT`: an
// operator accepts the losses of acknowledged records recorded at a start
// (after restoring what could be restored, and re-applying erasures,
// DSR-4). The losses stay recorded; the acceptance is an audit event
// (AUD-1); `audit verify` stops failing on them.
func cmdAuditAcceptLoss(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("audit accept-loss", stderr, false)
	note := fs.String("note", "", "why, e.g. a ticket reference (no personal data: it goes into the audit log)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	n := strings.TrimSpace(*note)
	if n == "" || len(n) > 200 || strings.IndexFunc(n, unicode.IsControl) >= 0 {
		return usageError{"--note is required: one line of at most 200 characters, e.g. a ticket reference (it goes into the audit log)"}
	}
	_, st, err := cf.loadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	losses, err := st.AcceptLoss(ctx, "operator", n, time.Now())
	if err != nil {
		return err
	}
	if len(losses) == 0 {
		fmt.Fprintln(stdout, "no recorded loss of acknowledged records to accept")
		return nil
	}
	for _, l := range losses {
		fmt.Fprintf(stdout, "accepted: %s\n", l)
	}
	fmt.Fprintf(stdout, "%d recorded losses accepted; the acceptance is in the audit log\n", len(losses))
	return nil
}
