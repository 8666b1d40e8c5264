package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"deskbot/protocol"
)

// errNoConsole marks a bot that does not serve the agent console API.
var errNoConsole = errors.New("the bot does not serve the agent console API (/agent/api); agent steps cannot run")

// agentSim drives the agent console's JSON API (docs/agent-api.md) the way
// the /agent page does: log in, take a conversation, write, hand back.
type agentSim struct {
	name string
	base string
	csrf string
	http *http.Client
}

func (a *agentSim) call(ctx context.Context, method, path string, body, out any) (int, error) {
	code, _, err := a.callWait(ctx, method, path, body, out)
	return code, err
}

// loginWaitMax bounds how long a log-in the console answers as busy (429)
// is tried again: its password checks run one at a time (limits.login_hashes),
// so scenarios logging in at once are told to come back in a second.
const loginWaitMax = 15 * time.Second

// login posts the log-in, again after the Retry-After of each 429 while
// the waits fit in loginWaitMax.
func (a *agentSim) login(ctx context.Context, account, password string, me *protocol.AgentMe) (int, error) {
	waited := time.Duration(0)
	for {
		code, wait, err := a.callWait(ctx, http.MethodPost, "/agent/api/login", map[string]string{"name": account, "password": password}, me)
		if code != http.StatusTooManyRequests || wait <= 0 || waited+wait > loginWaitMax {
			return code, err
		}
		select {
		case <-ctx.Done():
			return code, err
		case <-time.After(wait):
		}
		waited += wait
	}
}

// callWait is call that also returns a 429's Retry-After (seconds; 1 s
// when the header is missing or unreadable).
func (a *agentSim) callWait(ctx context.Context, method, path string, body, out any) (int, time.Duration, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return 0, 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("agent %s: %s %s: %w", a.name, method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode != http.StatusOK {
		var wait time.Duration
		if resp.StatusCode == http.StatusTooManyRequests {
			wait = time.Second
			if n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && n > 0 {
				wait = time.Duration(n) * time.Second
			}
		}
		return resp.StatusCode, wait, fmt.Errorf("agent %s: %s %s: HTTP %d %s", a.name, method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, 0, fmt.Errorf("agent %s: %s %s: %w", a.name, method, path, err)
		}
	}
	return resp.StatusCode, 0, nil
}

// agentOnline creates (in-process) and logs in agent name.
func (w *World) agentOnline(ctx context.Context, name string) error {
	if err := w.ensureBot(ctx); err != nil {
		return err
	}
	password, login := "", ""
	if w.inProcess() {
		if w.hash == nil {
			return fmt.Errorf("%w: agent accounts cannot be created in this build (no password hashing wired)", godog.ErrPending)
		}
		password = randomToken(18)
		h, err := w.hash(password)
		if err != nil {
			return fmt.Errorf("agent %q: %w", name, err)
		}
		if err := w.local.CreateAgent(ctx, strings.ToLower(slug(name)), name, h, w.clock.Now()); err != nil {
			return fmt.Errorf("creating agent %q: %w", name, err)
		}
	} else if acct, ok, err := w.suite.testAgent(ctx, name); err != nil {
		return err
	} else if ok {
		// A test agent of the run, shown as name (target_runs.go).
		password, login = acct.Password, acct.Name
	} else {
		password = w.suite.AgentPassword
		if password == "" {
			return fmt.Errorf("%w: agent %q must log in to the target: set DESKBOT_TEST_AGENT_PASSWORD to the password of that existing account", ErrUnavailable, name)
		}
	}
	jar, _ := cookiejar.New(nil)
	a := &agentSim{name: name, base: w.base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var me protocol.AgentMe
	// In-process the account is the slug; a target's account may be named
	// as the step writes it ("Maria"), so that is tried first there.
	accounts := []string{strings.ToLower(slug(name))}
	if !w.inProcess() && name != accounts[0] {
		accounts = []string{name, accounts[0]}
	}
	if login != "" {
		accounts = []string{login}
	}
	var fails []string
	for _, account := range accounts {
		code, err := a.login(ctx, account, password, &me)
		if code == http.StatusNotFound || code == http.StatusMethodNotAllowed {
			return fmt.Errorf("%w: %w", godog.ErrPending, errNoConsole)
		}
		if err == nil {
			fails = nil
			break
		}
		fails = append(fails, fmt.Sprintf("as account %q: %v", account, err))
	}
	if len(fails) > 0 {
		hint := ""
		if !w.inProcess() && login == "" {
			hint = "; check that the account exists on the target (deskbot agent list) and that DESKBOT_TEST_AGENT_PASSWORD is its password"
		}
		return fmt.Errorf("agent %q could not log in to the console: %s%s", name, strings.Join(fails, "; "), hint)
	}
	a.csrf = me.CSRF
	w.agents[name] = a
	return nil
}

func (w *World) agent(name string) (*agentSim, error) {
	a, ok := w.agents[name]
	if !ok {
		return nil, fmt.Errorf(`agent %q is not online: add "Given agent %q is online" first`, name, name)
	}
	return a, nil
}

// conversationID is the customer's session id as the console knows it.
func (w *World) conversationID(ctx context.Context) (string, error) {
	adm, err := w.needAdmin(ctx, "finding the customer's conversation for the agent")
	if err != nil {
		return "", err
	}
	if len(w.sessions) == 0 {
		return "", ErrNoChat
	}
	var r protocol.AdminSession
	if err := adm.get(ctx, "/api/v1/admin/session?session="+url.QueryEscape(w.sessions[len(w.sessions)-1].token), &r); err != nil {
		return "", err
	}
	return r.SessionID, nil
}

func (w *World) agentPost(ctx context.Context, name, action string, body any) error {
	a, err := w.agent(name)
	if err != nil {
		return err
	}
	id, err := w.conversationID(ctx)
	if err != nil {
		return err
	}
	code, err := a.call(ctx, http.MethodPost, "/agent/api/conversations/"+url.PathEscape(id)+"/"+action, body, nil)
	if code == http.StatusNotFound && strings.Contains(fmt.Sprint(err), "404 page not found") {
		return fmt.Errorf("%w: %w", godog.ErrPending, errNoConsole)
	}
	return err
}
