package app_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"deskbot/app"
	"deskbot/chatclient"
	"deskbot/compliance"
	"deskbot/config"
	"deskbot/protocol"
)

// chatTurn opens a chat, says text, and returns the session token and the
// subject id (from the customer's own export).
func chatTurn(t *testing.T, ctx context.Context, url, text string) (token, subject string) {
	t.Helper()
	c, err := chatclient.Dial(ctx, url, chatclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, err := c.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.NextOf(ctx, protocol.TypeMessage) // disclosure
	if err := c.Say(ctx, text); err != nil {
		t.Fatal(err)
	}
	if _, err := c.NextOf(ctx, protocol.TypeMessage); err != nil {
		t.Fatal(err)
	}
	code, doc := exportByToken(t, url, first.Session)
	subject, _ = doc["subject"].(string)
	if code != http.StatusOK || subject == "" {
		t.Fatalf("export: %d %v", code, doc)
	}
	return first.Session, subject
}

func exportByToken(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	res, err := http.Post(url+"/api/v1/export", "application/json", strings.NewReader(`{"session":"`+token+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// archiveEntries lists an archive's entries with their content.
func archiveEntries(t *testing.T, file string) map[string][]byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		out[h.Name] = b
	}
}

// Issue 12 item 2: `deskbot backup` beside a running server with a chat in
// progress, a customer erased after the backup, then `deskbot restore`
// into a new folder and a server on it: the old session token resumes
// with its transcript, and the erased customer stays erased (DSR-4).
func TestBackupBesideServerRestoreResumesAndErasureHolds(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	kbDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(kbDir, "returns.md"), []byte("---\ntitle: Returns\n---\nReturn any item within 30 days.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DESKBOT_KB_DIR", kbDir)
	cfg := config.Defaults(dir)
	cfg.KBDir = kbDir
	l, err := app.StartLocal(context.Background(), cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	keptToken, kept := chatTurn(t, ctx, l.URL, "How do I return an item?")
	goneToken, gone := chatTurn(t, ctx, l.URL, "Do you ship abroad?")

	// Customers keep chatting while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			c, err := chatclient.Dial(ctx, l.URL, chatclient.Options{})
			if err != nil {
				return
			}
			c.Next(ctx)
			c.Say(ctx, "what are your opening hours?")
			c.NextOf(ctx, protocol.TypeMessage)
			c.Close()
		}
	}()
	backups := t.TempDir()
	archive := filepath.Join(backups, "deskbot.tar.gz")
	code, out, errOut := run(t, "backup", "--data-dir", dir, "--output", archive)
	close(stop)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup beside a running server: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "master key is not in this backup") || !strings.Contains(out, "erasures.ledger") {
		t.Errorf("backup output does not say where the key and the ledger are kept:\n%s", out)
	}
	// The server still serves after the backup (its locks are intact).
	if code, _ := exportByToken(t, l.URL, keptToken); code != http.StatusOK {
		t.Fatalf("server after the backup: export %d", code)
	}
	// Erased after the backup was taken.
	if code, _, errOut := run(t, "privacy", "erase", "--subject", gone, "--data-dir", dir); code != 0 {
		t.Fatalf("privacy erase: exit %d %s", code, errOut)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	entries := archiveEntries(t, archive)
	for _, name := range []string{"manifest.json", "deskbot.db", "kb/returns.md"} {
		if _, ok := entries[name]; !ok {
			t.Errorf("archive lacks %s (has %v)", name, keys(entries))
		}
	}
	for name, b := range entries {
		if strings.Contains(name, "master.key") || strings.Contains(string(b), testKey) || strings.Contains(name, "ledger") {
			t.Errorf("archive entry %s holds the master key or the ledger", name)
		}
		if strings.Contains(string(b), "How do I return an item") {
			t.Errorf("archive entry %s holds a customer's words in clear", name)
		}
	}
	var m map[string]any
	if err := json.Unmarshal(entries["manifest.json"], &m); err != nil || m["schema_version"] == nil || m["rows"] == nil || m["master_key_id"] == "" {
		t.Fatalf("manifest: %v %s", err, entries["manifest.json"])
	}

	// Restoring into a folder that is not empty is refused.
	if code, _, errOut := run(t, "restore", "--input", archive, "--data-dir", dir); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("restore into a non-empty folder: exit %d %s", code, errOut)
	}
	// Without any erasure ledger the restore refuses (it would bring the
	// erased customer back), and leaves the folder empty.
	bare := filepath.Join(t.TempDir(), "bare")
	lone := filepath.Join(t.TempDir(), "lone.tar.gz")
	copyFile(t, archive, lone)
	os.Rename(filepath.Join(dir, "backups", "erasures.ledger"), filepath.Join(dir, "ledger.moved"))
	if code, _, errOut := run(t, "restore", "--input", lone, "--data-dir", bare); code == 0 || !strings.Contains(errOut, "no erasure ledger") {
		t.Fatalf("restore without a ledger: exit %d %s", code, errOut)
	}
	if ents, _ := os.ReadDir(bare); len(ents) != 0 {
		t.Fatalf("a refused restore left files behind: %v", ents)
	}
	os.Rename(filepath.Join(dir, "ledger.moved"), filepath.Join(dir, "backups", "erasures.ledger"))

	restored := filepath.Join(t.TempDir(), "restored")
	code, out, errOut = run(t, "restore", "--input", archive, "--data-dir", restored)
	if code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "erasures re-applied: 1 of 1") || !strings.Contains(out, "audit chain intact") {
		t.Errorf("restore report:\n%s", out)
	}
	if b, err := os.ReadFile(filepath.Join(restored, "restored", "kb", "returns.md")); err != nil || !strings.Contains(string(b), "30 days") {
		t.Errorf("knowledge base not restored: %v", err)
	}

	cfg2 := config.Defaults(restored)
	cfg2.KBDir = kbDir
	l2, err := app.StartLocal(context.Background(), cfg2, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	code, doc := exportByToken(t, l2.URL, keptToken)
	if code != http.StatusOK || doc["subject"] != kept || !strings.Contains(mustJSON(doc), "How do I return an item?") {
		t.Fatalf("the old session after restore: %d %v", code, doc)
	}
	c, err := chatclient.Dial(ctx, l2.URL, chatclient.Options{Session: keptToken})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if f, err := c.Next(ctx); err != nil || f.Session != keptToken {
		t.Fatalf("socket resume with the old token: %+v %v", f, err)
	}
	if code, doc := exportByToken(t, l2.URL, goneToken); code != http.StatusNotFound {
		t.Fatalf("the customer erased after the backup is back after restore: %d %v", code, doc)
	}
	ok, err := l2.App.Store.SubjectExists(ctx, gone)
	if err != nil || ok {
		t.Fatalf("erased subject's data key after restore: exists=%v %v", ok, err)
	}
	if code, _, errOut := run(t, "audit", "verify", "--data-dir", restored); code != 0 {
		t.Fatalf("audit verify after restore: %s", errOut)
	}
}

// A damaged archive is refused by its checksums, and nothing is left.
func TestRestoreRefusesAlteredArchive(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	l, err := app.StartLocal(context.Background(), config.Defaults(dir), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	chatTurn(t, ctx, l.URL, "hello there")
	l.Close()
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if code, out, errOut := run(t, "backup", "--data-dir", dir, "--output", archive); code != 0 {
		t.Fatalf("backup: %s%s", out, errOut)
	}
	// Rewrite the archive with one byte of the database changed.
	entries := archiveEntries(t, archive)
	db := entries["deskbot.db"]
	db[len(db)/2] ^= 0xff
	f, _ := os.Create(archive)
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, name := range []string{"manifest.json", "deskbot.db"} {
		tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(entries[name])), Mode: 0o600, Typeflag: tar.TypeReg})
		tw.Write(entries[name])
	}
	tw.Close()
	zw.Close()
	f.Close()
	target := filepath.Join(t.TempDir(), "new")
	code, _, errOut := run(t, "restore", "--input", archive, "--data-dir", target, "--no-erasure-ledger")
	if code == 0 || !strings.Contains(errOut, "checksum mismatch") {
		t.Fatalf("restore of an altered archive: exit %d %s", code, errOut)
	}
	if ents, _ := os.ReadDir(target); len(ents) != 0 {
		t.Fatalf("a refused restore left files behind: %v", ents)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// A restore without the master key says which key the backup needs and
// where to give it, before unpacking anything.
func TestRestoreWithoutKeyNamesTheKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	l, err := app.StartLocal(context.Background(), config.Defaults(dir), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if code, out, errOut := run(t, "backup", "--data-dir", dir, "--output", archive); code != 0 {
		t.Fatalf("backup: %s%s", out, errOut)
	}
	var m struct {
		MasterKeyID string `json:"master_key_id"`
	}
	if err := json.Unmarshal(archiveEntries(t, archive)["manifest.json"], &m); err != nil || m.MasterKeyID == "" {
		t.Fatalf("manifest: %v %+v", err, m)
	}
	t.Setenv("DESKBOT_MASTER_KEY", "")
	target := filepath.Join(t.TempDir(), "new")
	code, _, errOut := run(t, "restore", "--input", archive, "--data-dir", target, "--no-erasure-ledger")
	if code == 0 || !strings.Contains(errOut, "encrypted under master key "+m.MasterKeyID) ||
		!strings.Contains(errOut, "DESKBOT_MASTER_KEY_FILE") || strings.Contains(errOut, "database") {
		t.Fatalf("restore without a key: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused restore left the folder it created: %v", err)
	}
}

// The start logs the id of the master key in use, as the manifest and
// keys generate name it, so the right copy can be found for a restore.
func TestStartLogsMasterKeyID(t *testing.T) {
	t.Setenv("DESKBOT_MASTER_KEY", testKey)
	mk, _, err := compliance.LoadMasterKey(func(k string) string {
		if k == "DESKBOT_MASTER_KEY" {
			return testKey
		}
		return ""
	}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := app.New(context.Background(), config.Defaults(t.TempDir()), app.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if !strings.Contains(logs.String(), `msg="master key loaded" source=env id=`+mk.ID()) {
		t.Fatalf("start log without the key id %s:\n%s", mk.ID(), logs.String())
	}
}
