package features

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"deskbot/compliance"
	"deskbot/protocol"
)

// adminClient calls the bot's admin API (bearer token), the only way the
// steps look at storage, the ledger and the audit log, in-process and
// against a --target alike.
type adminClient struct {
	base  string
	token string
	run   string // the test run whose reads these are (target_runs.go)
	http  *http.Client
}

func newAdminClient(base, token string) *adminClient {
	return &adminClient{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 30 * time.Second}}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func (a *adminClient) do(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = b
	}
	// The bot rate-limits expensive admin calls (the storage scan) with
	// 429 and Retry-After; a suite against a --target waits its turn.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, b, err := a.once(ctx, method, path, payload)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusTooManyRequests && time.Now().Before(deadline) {
			wait := time.Second
			if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
				wait = min(time.Duration(secs)*time.Second, 10*time.Second)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("admin API %s %s: %w", method, path, ctx.Err())
			case <-time.After(wait):
			}
			continue
		}
		return a.decode(method, path, resp, b, out)
	}
}

func (a *adminClient) once(ctx context.Context, method, path string, payload []byte) (*http.Response, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if a.run != "" {
		req.Header.Set(protocol.TestRunHeader, a.run)
	}
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("admin API %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("admin API %s %s: %w", method, path, err)
	}
	return resp, b, nil
}

func (a *adminClient) decode(method, path string, resp *http.Response, b []byte, out any) error {
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return fmt.Errorf("%w: the admin API refused the token (HTTP 401) for %s %s", ErrUnavailable, method, path)
	case http.StatusNotFound:
		return fmt.Errorf("admin API %s %s: HTTP 404 (%s)", method, path, strings.TrimSpace(string(b)))
	default:
		return fmt.Errorf("admin API %s %s: HTTP %d (%s)", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("admin API %s %s: %w", method, path, err)
	}
	return nil
}

func (a *adminClient) get(ctx context.Context, path string, out any) error {
	return a.do(ctx, http.MethodGet, path, nil, out)
}

func (a *adminClient) post(ctx context.Context, path string, body, out any) error {
	return a.do(ctx, http.MethodPost, path, body, out)
}

func (a *adminClient) subject(ctx context.Context, id string) (protocol.AdminSubject, error) {
	var c protocol.AdminSubject
	err := a.get(ctx, "/api/v1/admin/subject/"+url.PathEscape(id), &c)
	return c, err
}

func (a *adminClient) consents(ctx context.Context, id string) ([]protocol.ExportConsent, error) {
	var r protocol.AdminConsents
	err := a.get(ctx, "/api/v1/admin/consents/"+url.PathEscape(id), &r)
	return r.Records, err
}

func (a *adminClient) audit(ctx context.Context, subject, event string) (protocol.AdminAudit, error) {
	q := url.Values{}
	if subject != "" {
		q.Set("subject", subject)
	}
	if event != "" {
		q.Set("event", event)
	}
	var r protocol.AdminAudit
	err := a.get(ctx, "/api/v1/admin/audit?"+q.Encode(), &r)
	return r, err
}

func (a *adminClient) transcript(ctx context.Context, subject string) ([]protocol.ExportEntry, error) {
	var r protocol.AdminTranscript
	err := a.get(ctx, "/api/v1/admin/transcript/"+url.PathEscape(subject), &r)
	return r.Entries, err
}

// scan asks the bot for a raw scan of its data dir (SEC-1), in requests
// of at most compliance.MaxScanNeedles needles.
func (a *adminClient) scan(ctx context.Context, needles []string) (compliance.ScanResult, error) {
	var all compliance.ScanResult
	for len(needles) > 0 {
		n := min(len(needles), compliance.MaxScanNeedles)
		var r compliance.ScanResult
		if err := a.post(ctx, "/api/v1/admin/scan", protocol.AdminScanRequest{Needles: needles[:n]}, &r); err != nil {
			return all, err
		}
		all.FilesScanned = max(all.FilesScanned, r.FilesScanned)
		all.BytesScanned = max(all.BytesScanned, r.BytesScanned)
		all.Found = append(all.Found, r.Found...)
		all.Skipped = r.Skipped
		needles = needles[n:]
	}
	return all, nil
}

func (a *adminClient) purge(ctx context.Context) (map[string]int64, error) {
	var r map[string]int64
	err := a.post(ctx, "/api/v1/admin/purge", map[string]string{}, &r)
	return r, err
}
