package app

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"deskbot/compliance"
	"deskbot/conversation"
	"deskbot/protocol"
	"deskbot/store"
)

// cmdPrivacy runs `deskbot privacy export|erase --subject ID|--email ADDR`
// for requests that reach the shop outside the chat (DSR-1, DSR-2, DSR-4).
func cmdPrivacy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "request" {
		return cmdPrivacyRequest(ctx, args[1:], stdout, stderr) // DSR-3, rights_cmd.go
	}
	if len(args) > 0 && args[0] == "rectify" {
		return cmdPrivacyRectify(ctx, args[1:], stdout, stderr) // DSR-5, rights_cmd.go
	}
	if len(args) > 0 && args[0] == "reapply-erasures" {
		return cmdReapplyErasures(ctx, args[1:], stdout, stderr) // DSR-4, reapply_cmd.go
	}
	if len(args) == 0 || (args[0] != "export" && args[0] != "erase") {
		return usageError{"usage: deskbot privacy export|erase --subject ID|--email ADDR [--data-dir DIR] [--output FILE]\n" +
			"       deskbot privacy rectify --subject ID|--email ADDR --set email=NEW|phone=NEW\n" +
			"       deskbot privacy reapply-erasures [--ledger FILE]…   (after putting back a database dump)\n" +
			"       deskbot privacy request add|list|ack|close …   (deskbot privacy request --help)"}
	}
	sub, args := args[0], args[1:]
	fs, cf := newFlags("privacy "+sub, stderr, false)
	subject := fs.String("subject", "", "pseudonymous subject id (from an export or the agent console)")
	email := fs.String("email", "", "the customer's e-mail address, if they consented to keeping it")
	output := fs.String("output", "", "write the export to FILE instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*subject == "") == (*email == "") {
		return usageError{"give exactly one of --subject or --email"}
	}
	cfg, st, err := cf.loadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	subjects := []string{*subject}
	if *email != "" {
		key, err := st.SystemKey(ctx, "lookup")
		if err != nil {
			return err
		}
		if subjects, err = st.SubjectsByBlind(ctx, blindFunc(key)("email", conversation.NormaliseEmail(*email))); err != nil {
			return err
		}
		if len(subjects) == 0 {
			// Only addresses kept with consent are findable; say so plainly.
			return errors.New("no data is held for that e-mail address (contact details are kept only with consent)")
		}
	}
	now := time.Now()
	switch sub {
	case "export":
		var docs []protocol.ExportDoc
		for _, id := range subjects {
			d, err := st.Export(ctx, id)
			if errors.Is(err, store.ErrErased) {
				return fmt.Errorf("no data is held for subject %s (unknown or erased)", id)
			}
			if err != nil {
				return err
			}
			docs = append(docs, conversation.BuildExport(d, cfg.BusinessName, now))
			if err := st.RecordRequest(ctx, compliance.EventExport, id, "operator", now, fmt.Sprintf("channel=cli sessions=%d", len(d.Sessions))); err != nil {
				return err
			}
		}
		w, closeOut, err := createOutput(*output, stdout)
		if err != nil {
			return err
		}
		defer closeOut()
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if len(docs) == 1 {
			return enc.Encode(docs[0])
		}
		return enc.Encode(map[string]any{"schema": protocol.ExportSchema + "+list", "exports": docs})
	default:
		for _, id := range subjects {
			n, err := st.Erase(ctx, id, "operator", now)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "erased subject %s: %d sessions, %d messages, %d consent records, %d contact details; data key destroyed\n",
				id, n.Sessions, n.Messages, n.Consents, n.Contacts)
		}
		return nil
	}
}

// cmdAudit runs `deskbot audit verify [--data-dir DIR | --database-url URL]` (AUD-1).
func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "accept-loss" {
		return cmdAuditAcceptLoss(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "verify" {
		return usageError{"usage: deskbot audit verify [--data-dir DIR | --database-url URL] | deskbot audit accept-loss --note TEXT [--data-dir DIR]"}
	}
	fs, cf := newFlags("audit verify", stderr, false)
	dbURL := fs.String("database-url", "", "verify this PostgreSQL database (default: database_url, else the SQLite file in the data dir); no key needed")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if *dbURL == "" {
		*dbURL = cfg.DatabaseURL.Reveal()
	}
	var n int
	if *dbURL != "" {
		if !store.IsDatabaseURL(*dbURL) {
			return usageError{"--database-url: must be a postgres:// or postgresql:// URL"}
		}
		n, err = store.VerifyAuditURL(ctx, *dbURL)
	} else {
		n, err = store.VerifyAuditFile(ctx, dbFile(cfg.DataDir))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit chain intact: %d records verified\n", n)
	return nil
}

// cmdKeys runs `deskbot keys rotate --new-key-file FILE`: every data key is
// re-wrapped under the new master key; the data is not re-encrypted.
func cmdKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "generate" {
		return cmdKeysGenerate(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "rotate" {
		return usageError{"usage: deskbot keys generate [--out FILE] | keys rotate --new-key-file FILE [--data-dir DIR]"}
	}
	fs, cf := newFlags("keys rotate", stderr, false)
	newFile := fs.String("new-key-file", "", "file holding the new master key (created with mode 0600 if absent)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *newFile == "" {
		return usageError{"--new-key-file is required: the new key must live outside the data dir"}
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if _, err := os.Stat(*newFile); errors.Is(err, os.ErrNotExist) {
		_, text, err := compliance.GenerateMasterKey()
		if err != nil {
			return err
		}
		if err := os.WriteFile(*newFile, []byte(text+"\n"), 0o600); err != nil {
			return err
		}
	}
	next, _, err := compliance.LoadMasterKey(func(k string) string {
		if k == "DESKBOT_MASTER_KEY_FILE" {
			return *newFile
		}
		return ""
	}, cfg.DataDir, commandLogger(stderr))
	if err != nil {
		return fmt.Errorf("new key: %w", err)
	}
	// Keys wrapped by a running server during the rotation would stay under
	// the old key and be lost with it: the server must be stopped.
	unlock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("%w: stop the server before rotating keys", err)
	}
	defer unlock()
	st, cur, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	if hmac.Equal([]byte(cur.ID()), []byte(next.ID())) {
		return errors.New("the new key is the key in use; nothing to rotate")
	}
	n, err := st.RotateKeys(ctx, next)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("from=%s to=%s keys=%d", cur.ID(), next.ID(), n)
	if err := st.Audit(ctx, compliance.AuditRecord{At: time.Now(), Event: compliance.EventKeyRotation, Actor: "operator", Detail: detail}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-wrapped %d keys under master key %s.\nStart deskbot with DESKBOT_MASTER_KEY_FILE=%s from now on; the old key no longer opens this data.\n", n, next.ID(), *newFile)
	if _, err := os.Stat(filepath.Join(cfg.DataDir, compliance.MasterKeyFileName)); err == nil {
		fmt.Fprintf(stdout, "Remove the old key file %s.\n", filepath.Join(cfg.DataDir, compliance.MasterKeyFileName))
	}
	return nil
}
