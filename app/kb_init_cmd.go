package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"deskbot/config"
)

// cmdKBInit writes starter privacy-policy.md and notice-at-collection.md
// articles into dir, filled in from the configuration, so the default
// privacy_policy_url (/articles/privacy-policy) and a notice link resolve
// in the owner's own knowledge base. Existing files are never overwritten.
func cmdKBInit(fs *flag.FlagSet, cf *commonFlags, args []string, stdout io.Writer) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"usage: deskbot kb init DIR"}
	}
	dir := fs.Arg(0)
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	now := time.Now()
	for _, a := range starterArticles(cfg, now) {
		path := filepath.Join(dir, a.id+".md")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			fmt.Fprintf(stdout, "kept %s (exists)\n", path)
			continue
		}
		if err != nil {
			return err
		}
		_, werr := f.WriteString(a.text)
		if err := errors.Join(werr, f.Close()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	fmt.Fprintln(stdout, "Fill in the [bracketed] parts and have the texts reviewed.")
	if todo := initSettings(cfg, dir); len(todo) > 0 {
		fmt.Fprintf(stdout, "Then set in the configuration: %s.\n", strings.Join(todo, ", "))
	}
	return nil
}

// initSettings are the configuration settings that would make the bot
// serve dir's starter articles and link them, less those already set so.
func initSettings(cfg config.Config, dir string) []string {
	var todo []string
	if !sameDir(cfg.KBDir, dir) {
		todo = append(todo, fmt.Sprintf("kb_dir: %q", dir))
	}
	if cfg.PrivacyPolicyURL != "/articles/privacy-policy" {
		todo = append(todo, "privacy_policy_url: /articles/privacy-policy")
	}
	if cfg.NoticeAtCollectionURL != "/articles/notice-at-collection" {
		todo = append(todo, "notice_at_collection_url: /articles/notice-at-collection")
	}
	return todo
}

func sameDir(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

type starterArticle struct{ id, text string }

func starterArticles(cfg config.Config, now time.Time) []starterArticle {
	r := cfg.Retention
	front := func(id, title string, questions ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "---\nid: %s\ntitle: %s\nquestions:\n", id, title)
		for _, q := range questions {
			fmt.Fprintf(&b, "  - %s\n", q)
		}
		fmt.Fprintf(&b, "tags: [privacy]\nowner: privacy\nversion: \"1\"\nreviewed: %s\nreview_by: %s\n---\n",
			now.Format("2006-01-02"), now.AddDate(1, 0, 0).Format("2006-01-02"))
		return b.String()
	}
	privacy := front("privacy-policy", "Privacy policy summary and what the chat keeps",
		"What is your privacy policy?", "What data does the chat keep?", "How long do you keep chat transcripts?", "How do I get my data deleted?") +
		fmt.Sprintf("%s, [postal address], is responsible for your data (the controller); contact [privacy e-mail address]. "+
			"This chat is run by an automated assistant. It keeps the conversation, encrypted, for **%d days** so our team can follow up, then deletes it. "+
			"Contact details you type are kept only if you agree, for at most %d days; you can say \"withdraw consent\" at any time. "+
			"Records of your consent decisions are kept %d days and records of data requests %d days, as proof that we honoured them; "+
			"when you ask us to delete your data, everything goes, consent records included, but the record of that request. "+
			"You may ask for a copy of your data, its correction or its deletion, and you may complain to your data-protection authority. [Anything else your policy must say.]\n",
			cfg.BusinessName, r.TranscriptsDays, r.ContactDays, r.ConsentDays, r.RequestsDays)
	notice := front("notice-at-collection", "Notice at collection",
		"What personal information do you collect in the chat?", "Do you sell or share my personal information?") +
		fmt.Sprintf("%s collects, in this chat, what you type (kept encrypted for %d days to answer you) and, only if you agree, your contact details (at most %d days) to reply by e-mail or phone. "+
			"We do not sell or share your personal information [confirm], and we honour the Global Privacy Control signal. "+
			"You may ask to know, correct or delete what we keep. Our full privacy policy: [link]. Questions: [privacy e-mail address].\n",
			cfg.BusinessName, r.TranscriptsDays, r.ContactDays)
	return []starterArticle{{"privacy-policy", privacy}, {"notice-at-collection", notice}}
}
