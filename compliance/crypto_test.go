package compliance

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func testKey(t *testing.T, seed byte) (MasterKey, []byte) {
	t.Helper()
	raw := bytes.Repeat([]byte{seed}, 32)
	m, err := NewMasterKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return m, raw
}

// SEC-1: a data key wrapped for a subject unwraps only with the same master
// key and subject id.
func TestWrapUnwrapRoundTrip(t *testing.T) {
	m, _ := testKey(t, 1)
	dk, err := NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	w, err := m.Wrap(dk, "subject-1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(w, dk) {
		t.Fatal("wrapped blob contains the data key in clear")
	}
	if w[0] != 1 {
		t.Errorf("version byte = %d, want 1", w[0])
	}
	if id, err := WrappedKeyID(w); err != nil || id != m.ID() {
		t.Errorf("WrappedKeyID = %q, %v; want %q", id, err, m.ID())
	}
	got, err := m.Unwrap(w, "subject-1")
	if err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("Unwrap = %x, %v; want %x", got, err, dk)
	}

	// Wrong subject (AAD).
	if _, err := m.Unwrap(w, "subject-2"); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Unwrap with other subject: err = %v, want ErrDecrypt", err)
	}
	// Wrong master key.
	other, _ := testKey(t, 2)
	if _, err := other.Unwrap(w, "subject-1"); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Unwrap with other master key: err = %v, want ErrDecrypt", err)
	}
	// Any altered byte.
	for i := range w {
		bad := bytes.Clone(w)
		bad[i] ^= 0x01
		if _, err := m.Unwrap(bad, "subject-1"); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("Unwrap with byte %d altered: err = %v, want ErrDecrypt", i, err)
		}
	}
	if _, err := m.Unwrap(w[:10], "subject-1"); !errors.Is(err, ErrDecrypt) {
		t.Errorf("truncated blob: err = %v", err)
	}
}

func TestSealOpen(t *testing.T) {
	dk, _ := NewDataKey()
	s, err := NewSealer(dk)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("my e-mail is jane@example.com")
	aad := []byte("session-1/msg-7")
	blob := s.Seal(msg, aad)
	if bytes.Contains(blob, msg) || bytes.Contains(blob, []byte("jane")) {
		t.Fatal("SEC-1: sealed blob holds plaintext")
	}
	if blob[0] != 1 || len(blob) != 1+12+len(msg)+16 {
		t.Errorf("blob layout: version %d, len %d", blob[0], len(blob))
	}
	if again := s.Seal(msg, aad); bytes.Equal(again[1:13], blob[1:13]) {
		t.Error("nonce repeated between two Seal calls")
	}
	got, err := s.Open(blob, aad)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(blob, []byte("session-1/msg-8")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("wrong aad: err = %v, want ErrDecrypt", err)
	}
	for i := range blob {
		bad := bytes.Clone(blob)
		bad[i] ^= 0x80
		if _, err := s.Open(bad, aad); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("byte %d altered: err = %v, want ErrDecrypt", i, err)
		}
	}
	dk2, _ := NewDataKey()
	s2, _ := NewSealer(dk2)
	if _, err := s2.Open(blob, aad); !errors.Is(err, ErrDecrypt) {
		t.Errorf("other data key: err = %v, want ErrDecrypt", err)
	}
	if _, err := s.Open(nil, aad); !errors.Is(err, ErrDecrypt) {
		t.Errorf("empty blob: err = %v", err)
	}
	if _, err := NewSealer(dk[:16]); err == nil {
		t.Error("NewSealer accepted a 16-byte key")
	}
}

func TestKeyIDStable(t *testing.T) {
	m, raw := testKey(t, 7)
	sum := sha256.Sum256(raw)
	want := hex.EncodeToString(sum[:])[:8]
	if m.ID() != want {
		t.Errorf("ID = %s, want %s", m.ID(), want)
	}
	m2, _ := NewMasterKey(raw)
	if m2.ID() != m.ID() {
		t.Error("same key bytes gave different ids")
	}
}

// The master key never appears when printed or logged.
func TestMasterKeyRedacted(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789abcdef")
	m, err := NewMasterKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("loaded", "key", m)
	for _, s := range []string{fmt.Sprint(m), fmt.Sprintf("%v %+v %#v %s", m, m, m, m), buf.String()} {
		if strings.Contains(s, "0123456789") || strings.Contains(s, base64.StdEncoding.EncodeToString(raw)[:10]) {
			t.Errorf("key material printed: %s", s)
		}
		if !strings.Contains(s, m.ID()) {
			t.Errorf("key id missing from %s", s)
		}
	}
}

func TestLoadMasterKeyFromEnv(t *testing.T) {
	raw := bytes.Repeat([]byte{0xab}, 32)
	want, _ := NewMasterKey(raw)
	for name, v := range map[string]string{
		"base64":     base64.StdEncoding.EncodeToString(raw),
		"base64 raw": base64.RawStdEncoding.EncodeToString(raw),
		"hex":        hex.EncodeToString(raw),
		"hex spaced": " " + hex.EncodeToString(raw) + "\n",
	} {
		m, src, err := LoadMasterKey(envMap(map[string]string{EnvMasterKey: v}), t.TempDir(), nil)
		if err != nil || src != KeySourceEnv || m.ID() != want.ID() {
			t.Errorf("%s: id %s src %s err %v", name, m.ID(), src, err)
		}
	}
	for name, v := range map[string]string{
		"short":   base64.StdEncoding.EncodeToString(raw[:16]),
		"garbage": "not a key!",
		"long":    hex.EncodeToString(append(raw, 1)),
	} {
		_, _, err := LoadMasterKey(envMap(map[string]string{EnvMasterKey: v}), t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), EnvMasterKey) {
			t.Errorf("%s: err = %v, want an error naming %s", name, err, EnvMasterKey)
		}
	}
}

func TestLoadMasterKeyFromFile(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0x5a}, 32)
	want, _ := NewMasterKey(raw)
	path := filepath.Join(dir, "key")
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(raw)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, src, err := LoadMasterKey(envMap(map[string]string{EnvMasterKeyFile: path}), dir, nil)
	if err != nil || src != KeySourceFile || m.ID() != want.ID() {
		t.Fatalf("id %s src %s err %v", m.ID(), src, err)
	}

	// SEC-1: a key file readable by group or others is refused.
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadMasterKey(envMap(map[string]string{EnvMasterKeyFile: path}), dir, nil)
		if err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), EnvMasterKeyFile) {
			t.Errorf("mode %04o: err = %v, want refusal", mode, err)
		}
	}
	must(t, os.Chmod(path, 0o400))
	if _, _, err := LoadMasterKey(envMap(map[string]string{EnvMasterKeyFile: path}), dir, nil); err != nil {
		t.Errorf("mode 0400 refused: %v", err)
	}

	short := filepath.Join(dir, "short")
	must(t, os.WriteFile(short, []byte(hex.EncodeToString(raw[:20])), 0o600))
	if _, _, err := LoadMasterKey(envMap(map[string]string{EnvMasterKeyFile: short}), dir, nil); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("short key file: err = %v", err)
	}
	if _, _, err := LoadMasterKey(envMap(map[string]string{EnvMasterKeyFile: filepath.Join(dir, "missing")}), dir, nil); err == nil {
		t.Error("missing key file accepted")
	}
}

func TestLoadMasterKeyGenerated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	m1, src, err := LoadMasterKey(envMap(nil), dir, logger)
	if err != nil || src != KeySourceGenerated {
		t.Fatalf("src %s err %v", src, err)
	}
	path := filepath.Join(dir, MasterKeyFileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("generated key file mode %04o, want 0600", info.Mode().Perm())
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), EnvMasterKeyFile) {
		t.Errorf("no loud warning: %s", logs.String())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(logs.String(), strings.TrimSpace(string(data))) {
		t.Error("key material logged")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only master.key (temp file left behind?)", len(entries))
	}

	// Reused on the next start, not replaced.
	m2, src, err := LoadMasterKey(envMap(nil), dir, nil)
	if err != nil || src != KeySourceGenerated || m2.ID() != m1.ID() {
		t.Errorf("second load: id %s vs %s, src %s, err %v", m2.ID(), m1.ID(), src, err)
	}
	// A data key wrapped before the restart still opens.
	dk, _ := NewDataKey()
	w, _ := m1.Wrap(dk, "s")
	if got, err := m2.Unwrap(w, "s"); err != nil || !bytes.Equal(got, dk) {
		t.Errorf("unwrap after reload: %v", err)
	}
	// Env wins over the generated file.
	raw := bytes.Repeat([]byte{9}, 32)
	m3, src, err := LoadMasterKey(envMap(map[string]string{EnvMasterKey: hex.EncodeToString(raw)}), dir, nil)
	if err != nil || src != KeySourceEnv || m3.ID() == m1.ID() {
		t.Errorf("env did not take precedence: %s %v", src, err)
	}
}

func BenchmarkSeal(b *testing.B) {
	dk, _ := NewDataKey()
	s, _ := NewSealer(dk)
	msg := bytes.Repeat([]byte("x"), 200)
	aad := []byte("session-0123456789/42")
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		s.Seal(msg, aad)
	}
}

func BenchmarkOpen(b *testing.B) {
	dk, _ := NewDataKey()
	s, _ := NewSealer(dk)
	aad := []byte("session-0123456789/42")
	blob := s.Seal(bytes.Repeat([]byte("x"), 200), aad)
	b.SetBytes(200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Open(blob, aad); err != nil {
			b.Fatal(err)
		}
	}
}
