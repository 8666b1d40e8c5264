package app

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"deskbot/store"
)

// A backup is one tar.gz: manifest.json first, then the database snapshot
// (deskbot.db, sealed row by row as the live data is), the configuration
// file (config/NAME) and the knowledge-base folder (kb/...). It never holds
// the master key, the erasure ledger, the search index or the model (both
// are rebuilt at start).

// backupFormat names the archive layout; restore refuses another.
const backupFormat = "deskbot-backup v1"

// keyNote is printed by backup and restore and stored in the manifest.
const keyNote = "The master key is not in this backup: keep it apart from the data and the backups " +
	"(DESKBOT_MASTER_KEY_FILE on another disk, a secrets manager, or a sealed offline copy); without it the backup cannot be read."

// backupManifest describes an archive; restore checks every file against it.
type backupManifest struct {
	Format              string           `json:"format"`
	CreatedAt           time.Time        `json:"created_at"`
	DeskbotVersion      string           `json:"deskbot_version"`
	SchemaVersion       int              `json:"schema_version"`
	EarlierLayout       int              `json:"earlier_layout,omitempty"`
	BinarySchemaVersion int              `json:"binary_schema_version"`
	MasterKeyID         string           `json:"master_key_id,omitempty"`
	DataDir             string           `json:"data_dir"`
	ConfigFile          string           `json:"config_file,omitempty"`
	KBDir               string           `json:"kb_dir,omitempty"`
	ErasureLedger       string           `json:"erasure_ledger,omitempty"`
	Rows                map[string]int64 `json:"rows"`
	AuditRecords        int              `json:"audit_records"`
	Files               []backupFile     `json:"files"`
	Note                string           `json:"note"`
}

type backupFile struct {
	Name   string `json:"name"` // slash-separated, relative
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	src    string // where it is read from when writing
}

// backupSource is what goes into an archive besides the snapshot.
type backupSource struct {
	DataDir, ConfigFile, KBDir, Ledger, KeyID string
}

// writeBackup writes the archive of the snapshot file snap (made by
// store.Snapshot or store.SnapshotFile, never the live database) and src
// to w. It inspects the snapshot first: quick_check and the audit chain
// must pass, or no backup is written.
func writeBackup(ctx context.Context, w io.Writer, snap string, src backupSource, now time.Time) (backupManifest, error) {
	info, err := store.InspectFile(ctx, snap)
	if err != nil {
		return backupManifest{}, fmt.Errorf("the snapshot fails its checks, no backup written: %w", err)
	}
	m := backupManifest{
		Format: backupFormat, CreatedAt: now.UTC(), DeskbotVersion: versionString(),
		SchemaVersion: info.SchemaVersion, EarlierLayout: info.Legacy, BinarySchemaVersion: store.SchemaVersion(),
		MasterKeyID: src.KeyID, DataDir: absPath(src.DataDir), ErasureLedger: absPath(src.Ledger),
		Rows: info.Rows, AuditRecords: info.AuditRecords, Note: keyNote,
	}
	files := []backupFile{{Name: "deskbot.db", src: snap}}
	if src.ConfigFile != "" {
		m.ConfigFile = absPath(src.ConfigFile)
		files = append(files, backupFile{Name: "config/" + filepath.Base(src.ConfigFile), src: src.ConfigFile})
	}
	if src.KBDir != "" {
		m.KBDir = absPath(src.KBDir)
		err := filepath.WalkDir(src.KBDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil // folders are implied; links may lead out of kb_dir
			}
			rel, err := filepath.Rel(src.KBDir, p)
			if err != nil {
				return err
			}
			files = append(files, backupFile{Name: "kb/" + filepath.ToSlash(rel), src: p})
			return nil
		})
		if err != nil {
			return m, fmt.Errorf("kb_dir: %w", err)
		}
	}
	for i := range files {
		if files[i].Size, files[i].SHA256, err = hashFile(files[i].src); err != nil {
			return m, err
		}
	}
	m.Files = files
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed) // the database is ciphertext: it barely compresses
	if err != nil {
		return m, err
	}
	tw := tar.NewWriter(zw)
	hdr := func(name string, size int64) *tar.Header {
		return &tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: now.UTC(), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	}
	if err := tw.WriteHeader(hdr("manifest.json", int64(len(mj)))); err != nil {
		return m, err
	}
	if _, err := tw.Write(mj); err != nil {
		return m, err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		if err := tw.WriteHeader(hdr(f.Name, f.Size)); err != nil {
			return m, err
		}
		if err := copyChecked(tw, f); err != nil {
			return m, err
		}
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		return m, err
	}
	return m, nil
}

// copyChecked copies f into w and fails if it changed since it was hashed
// (an article saved during the backup).
func copyChecked(w io.Writer, f backupFile) error {
	in, err := os.Open(f.src)
	if err != nil {
		return err
	}
	defer in.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(in, f.Size))
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return fmt.Errorf("%s changed while it was backed up; run the backup again", f.src)
	}
	return nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", p, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// backupName is a scheduled backup's file name; names sort by time.
func backupName(t time.Time) string {
	return "deskbot-backup-" + t.UTC().Format("20060102T150405.000Z") + ".tar.gz"
}

// pruneBackups deletes the oldest scheduled backups in dir beyond keep and
// returns the names deleted.
func pruneBackups(dir string, keep int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, "deskbot-backup-") && strings.HasSuffix(n, ".tar.gz") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var removed []string
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return removed, err
		}
		removed = append(removed, names[0])
		names = names[1:]
	}
	return removed, nil
}

// restoredFile maps an archive name to its place under the data directory:
// the database at the top, the configuration and articles under restored/.
func restoredFile(dataDir, name string) (string, error) {
	clean := path.Clean(name)
	if clean != name || path.IsAbs(name) || strings.HasPrefix(clean, "../") || clean == ".." || strings.Contains(name, "\\") {
		return "", fmt.Errorf("archive entry %q: not a plain relative path", name)
	}
	switch {
	case name == "deskbot.db":
		return filepath.Join(dataDir, "deskbot.db"), nil
	case strings.HasPrefix(name, "config/") && strings.Count(name, "/") == 1,
		strings.HasPrefix(name, "kb/") && len(name) > 3:
		return filepath.Join(dataDir, "restored", filepath.FromSlash(name)), nil
	}
	return "", fmt.Errorf("archive entry %q: not part of a deskbot backup", name)
}

// readManifest reads the archive's first entry.
func readManifest(tr *tar.Reader) (backupManifest, error) {
	var m backupManifest
	h, err := tr.Next()
	if err != nil {
		return m, fmt.Errorf("not a deskbot backup (tar.gz): %w", err)
	}
	if h.Name != "manifest.json" || h.Size > 16<<20 {
		return m, fmt.Errorf("not a deskbot backup: first entry is %q, want manifest.json", h.Name)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, tr); err != nil {
		return m, fmt.Errorf("manifest: %w", err)
	}
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		return m, fmt.Errorf("manifest: %w", err)
	}
	if m.Format != backupFormat {
		return m, fmt.Errorf("manifest: format %q, this deskbot reads %q", m.Format, backupFormat)
	}
	return m, nil
}

// extractBackup writes every file of the archive under dataDir, checking
// each against the manifest (size and SHA-256), and returns the paths
// written. Any difference, extra entry or missing file is an error.
func extractBackup(ctx context.Context, tr *tar.Reader, m backupManifest, dataDir string) ([]string, error) {
	want := map[string]backupFile{}
	for _, f := range m.Files {
		want[f.Name] = f
	}
	var written []string
	for {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return written, fmt.Errorf("archive: %w (truncated or damaged)", err)
		}
		f, ok := want[h.Name]
		if !ok {
			return written, fmt.Errorf("archive entry %q is not in the manifest (or appears twice)", h.Name)
		}
		delete(want, h.Name)
		if h.Typeflag != tar.TypeReg || h.Size != f.Size {
			return written, fmt.Errorf("archive entry %q: size %d, manifest says %d", h.Name, h.Size, f.Size)
		}
		dst, err := restoredFile(dataDir, h.Name)
		if err != nil {
			return written, err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return written, err
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return written, err
		}
		written = append(written, dst)
		hs := sha256.New()
		n, err := io.Copy(io.MultiWriter(out, hs), tr)
		if err = errors.Join(err, out.Sync(), out.Close()); err != nil {
			return written, fmt.Errorf("%s: %w", h.Name, err)
		}
		if n != f.Size || hex.EncodeToString(hs.Sum(nil)) != f.SHA256 {
			return written, fmt.Errorf("%s: checksum mismatch: the archive is damaged or was altered", h.Name)
		}
	}
	if len(want) > 0 {
		var missing []string
		for n := range want {
			missing = append(missing, n)
		}
		sort.Strings(missing)
		return written, fmt.Errorf("archive lacks %s (truncated?)", strings.Join(missing, ", "))
	}
	return written, nil
}
