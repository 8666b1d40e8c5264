package features

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cucumber/godog"
)

// Given steps that set the scene: articles, configuration, the clock, retention.

func (w *World) addArticle(a article) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: articles cannot be added to a --target bot; its own knowledge base answers", ErrUnavailable)
	}
	if w.base != "" {
		return errors.New("articles must come before the steps that start the scenario's bot (a customer opening the chat, an agent coming online, a storage check): move this step up")
	}
	if strings.TrimSpace(a.title) == "" || strings.TrimSpace(a.body) == "" {
		return errors.New("an article needs a title and an answer")
	}
	w.articles = append(w.articles, a)
	return nil
}

func (w *World) addArticles(t *godog.Table) error {
	if len(t.Rows) < 2 {
		return errors.New("the table needs a header row (title | answer | questions) and at least one article")
	}
	col := map[string]int{}
	for i, c := range t.Rows[0].Cells {
		col[strings.ToLower(strings.TrimSpace(c.Value))] = i
	}
	ti, ok1 := col["title"]
	ai, ok2 := col["answer"]
	if !ok1 || !ok2 {
		return errors.New(`the table needs columns "title" and "answer" (optional: "questions", "id", "version", "human_review", "lang")`)
	}
	cell := func(r *godog.Table, row int, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(r.Rows[row].Cells[i].Value)
		}
		return ""
	}
	for i := 1; i < len(t.Rows); i++ {
		a := article{title: t.Rows[i].Cells[ti].Value, body: t.Rows[i].Cells[ai].Value, id: cell(t, i, "id"), version: cell(t, i, "version"),
			humanReview: strings.EqualFold(cell(t, i, "human_review"), "true"), lang: cell(t, i, "lang")} // HUM-1
		if qs := cell(t, i, "questions"); qs != "" {
			for _, q := range strings.Split(qs, ";") {
				if q = strings.TrimSpace(q); q != "" {
					a.questions = append(a.questions, q)
				}
			}
			a.questions = append(a.questions, a.title)
		}
		if err := w.addArticle(a); err != nil {
			return err
		}
	}
	return nil
}

func (w *World) configure(t *godog.Table) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: the configuration of a --target bot cannot be changed by a scenario", ErrUnavailable)
	}
	if w.base != "" {
		return errors.New("configuration must come before the steps that start the scenario's bot (a customer opening the chat, an agent coming online, a storage check): move this step up")
	}
	if w.cfgEdits == nil {
		w.cfgEdits = map[string]string{}
	}
	for _, r := range t.Rows {
		if len(r.Cells) != 2 {
			return errors.New("each row needs two cells: | key | value |")
		}
		k, v := strings.TrimSpace(r.Cells[0].Value), strings.TrimSpace(r.Cells[1].Value)
		if k == "key" && v == "value" {
			continue // a header row
		}
		w.cfgEdits[k] = v
	}
	_, err := w.suite.botConfig(w.cfgEdits, filepath.Join(os.TempDir(), "deskbot-unused"))
	w.cfgErr = err
	return nil
}

func (w *World) configRejected(text string) error {
	if w.cfgErr == nil {
		return fmt.Errorf("expected the configuration to be rejected mentioning %q, but it is valid", text)
	}
	if !strings.Contains(strings.ToLower(w.cfgErr.Error()), strings.ToLower(text)) {
		return fmt.Errorf("expected the configuration error to mention %q, but it says: %v", text, w.cfgErr)
	}
	w.cfgEdits, w.cfgErr = nil, nil
	return nil
}

func (w *World) noAgent(ctx context.Context) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: whether agents are online on a --target cannot be arranged by a scenario", ErrUnavailable)
	}
	w.logoutAgents(ctx)
	return nil
}

// logoutAgents logs the scenario's agents out of the console.
func (w *World) logoutAgents(ctx context.Context) {
	for name, a := range w.agents {
		a.call(ctx, http.MethodPost, "/agent/api/logout", map[string]string{}, nil)
		delete(w.agents, name)
	}
}

func (w *World) setTime(ts string) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: the clock of a --target bot cannot be set", ErrUnavailable)
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return fmt.Errorf("the time must be RFC 3339, like \"2026-03-02T10:00:00Z\": %w", err)
	}
	w.clock.Set(t)
	return nil
}

func (w *World) daysPass(ctx context.Context, n int) error {
	if !w.inProcess() {
		return fmt.Errorf("%w: days cannot pass on a --target bot's clock", ErrUnavailable)
	}
	w.clock.Advance(time.Duration(n) * 24 * time.Hour)
	return w.purge(ctx)
}

func (w *World) purge(ctx context.Context) error {
	adm, err := w.needAdmin(ctx, "running the retention purge")
	if err != nil {
		return err
	}
	if _, err = adm.purge(ctx); err != nil {
		return err
	}
	// A conversation opened after the purge is a new customer record.
	w.erasures = append(w.erasures, len(w.turns)-1)
	return nil
}
