package features

import (
	"context"
	"fmt"
	"strings"
)

// Why the bot brought in a person, read from its audit record (the
// handover event's "reason=…" detail, admin API), since the customer's
// frames do not carry it. HUM-2: a person on request, on a sensitive topic
// and after repeated misses.

func handoverReasonStepDefs() []stepDef {
	return []stepDef{
		def(`the handover reason is `+q, `the handover reason is "<request|misses|frustration|sensitive>"`, `Then the handover reason is "misses"`,
			"The customer's latest handover audit record gives that reason (HUM-2: on request, after repeated misses, on frustration, on a sensitive topic; AUD-1: read from the audit log through the admin API).",
			func(w *World) any { return w.handoverReason }),
	}
}

func (w *World) handoverReason(ctx context.Context, want string) error {
	mine, _, err := w.auditEvents(ctx, "handover")
	if err != nil {
		return err
	}
	var reasons []string
	for i := len(mine) - 1; i >= 0; i-- {
		for _, f := range strings.Fields(mine[i].Detail) {
			if r, ok := strings.CutPrefix(f, "reason="); ok {
				reasons = append(reasons, r)
			}
		}
	}
	if len(reasons) == 0 {
		return fmt.Errorf("HUM-2: expected a handover with reason %q, but the audit log has no handover with a reason for this customer", want)
	}
	got := strings.TrimSuffix(reasons[0], ":")
	if got == want || strings.HasPrefix(reasons[0], want+":") {
		return nil
	}
	return fmt.Errorf("expected the handover reason %q, but the latest handover was for %q (all, newest first: %s)", want, got, strings.Join(reasons, ", "))
}
