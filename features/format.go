package features

import (
	"fmt"
	"strings"

	"deskbot/compliance"
	"deskbot/protocol"
)

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// fmtFrame renders one received frame on one line.
func fmtFrame(f protocol.Frame) string {
	switch f.Type {
	case protocol.TypeSession:
		return fmt.Sprintf("[session started, profile %s]", f.Profile)
	case protocol.TypeMessage:
		var b strings.Builder
		from := f.From
		if f.Name != "" && f.From == protocol.FromAgent {
			from += " " + f.Name
		}
		b.WriteString(from + ": ")
		if f.Disclosure {
			b.WriteString("(disclosure) ")
		}
		fmt.Fprintf(&b, "%q", clip(f.Text, 200))
		if len(f.Sources) > 0 {
			b.WriteString(" [cites " + fmtSources(f.Sources) + "]")
		}
		if len(f.Actions) > 0 {
			var as []string
			for _, a := range f.Actions {
				if a.ID != "" {
					as = append(as, a.Name+" "+a.ID) // the id /pick and the steps take
				} else {
					as = append(as, a.Name)
				}
			}
			b.WriteString(" [buttons: " + strings.Join(as, ", ") + "]")
		}
		if f.Confidence != nil {
			b.WriteString(" [confidence " + fmtConfidence(*f.Confidence) + "]")
		}
		return b.String()
	case protocol.TypeConsentRequest:
		return fmt.Sprintf("[consent request: %s, version %s]", f.Purpose, f.Version)
	case protocol.TypeHandover:
		s := "[handover " + f.State
		if f.Agent != "" {
			s += ", agent " + f.Agent
		}
		return s + "]"
	case protocol.TypeError:
		return fmt.Sprintf("[error %s: %s]", f.Code, f.Message)
	}
	return fmt.Sprintf("[%s %s]", f.Type, clip(f.Text, 80))
}

func fmtInbound(in protocol.Inbound, raw string) string {
	if raw != "" {
		return fmt.Sprintf("customer sent raw: %s", clip(raw, 120))
	}
	switch in.Type {
	case protocol.TypeSay:
		return fmt.Sprintf("customer: %q", clip(in.Text, 200))
	case protocol.TypeAction:
		return fmt.Sprintf("customer pressed [%s]", in.Name)
	case protocol.TypeConsent:
		g := "?"
		if in.Granted != nil {
			g = fmt.Sprint(*in.Granted)
		}
		return fmt.Sprintf("customer consent %s granted=%s", in.Purpose, g)
	}
	return fmt.Sprintf("customer sent %s", in.Type)
}

func describeFrames(fs []protocol.Frame) string {
	if len(fs) == 0 {
		return "    (nothing)"
	}
	var b []string
	for _, f := range fs {
		b = append(b, "    "+fmtFrame(f))
	}
	return strings.Join(b, "\n")
}

func describeTurn(t *Turn) string { return describeFrames(t.Frames) }

func fmtSources(ss []protocol.Source) string {
	if len(ss) == 0 {
		return "no article"
	}
	var b []string
	for _, s := range ss {
		b = append(b, fmt.Sprintf("%q (id %s, v%s)", s.Title, s.ID, s.Version))
	}
	return strings.Join(b, ", ")
}

func fmtHits(hs []compliance.ScanHit) string {
	var b []string
	for i, h := range hs {
		if i == 5 {
			b = append(b, fmt.Sprintf("and %d more", len(hs)-5))
			break
		}
		b = append(b, fmt.Sprintf("%s at offset %d", h.File, h.Offset))
	}
	return strings.Join(b, "; ")
}

func fmtConsents(rs []protocol.ExportConsent) string {
	if len(rs) == 0 {
		return "none"
	}
	var b []string
	for _, r := range rs {
		b = append(b, fmt.Sprintf("%s=%s (v%s)", r.Purpose, r.Decision, r.TextVersion))
	}
	return strings.Join(b, ", ")
}

// Transcript renders the conversation so far for failure messages.
func (w *World) Transcript() string {
	if len(w.transcript) == 0 {
		return "    (no conversation yet)"
	}
	var b []string
	start := 0
	if len(w.transcript) > 40 {
		start = len(w.transcript) - 40
		b = append(b, fmt.Sprintf("    … %d earlier lines", start))
	}
	for _, l := range w.transcript[start:] {
		if l.Outbound {
			b = append(b, "  > "+fmtInbound(l.In, l.Raw))
		} else {
			b = append(b, "  < "+fmtFrame(l.Frame))
		}
	}
	return strings.Join(b, "\n")
}
