package compliance

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// SEC-1: personal data and transcripts are encrypted at rest with AES-256-GCM
// envelope encryption. Each data subject has a random data key; data keys are
// stored only wrapped by the master key, which lives outside the database.
// Erasing a subject's wrapped data key makes all their ciphertext unreadable
// (crypto-shredding, DSR-4).

// Environment variables that supply the master key.
const (
	EnvMasterKey     = "DESKBOT_MASTER_KEY"
	EnvMasterKeyFile = "DESKBOT_MASTER_KEY_FILE"
)

// MasterKeyFileName is the file created in the data directory when no key
// is configured.
const MasterKeyFileName = "master.key"

// ErrDecrypt is returned when a blob cannot be opened: wrong key, wrong
// associated data, or tampering. It deliberately does not say which.
var ErrDecrypt = errors.New("compliance: decryption failed (wrong key or data altered)")

// Blob format versions (first byte of every wrapped key and sealed blob).
const (
	wrapVersion1 byte = 1
	sealVersion1 byte = 1
)

const (
	keySize   = 32
	keyIDSize = 4 // bytes; the key id is their hex form
	nonceSize = 12
)

// KeySource says where the master key came from.
type KeySource string

// Master key sources.
const (
	KeySourceEnv       KeySource = "env"
	KeySourceFile      KeySource = "file"
	KeySourceGenerated KeySource = "generated-beside-data"
)

// MasterKey wraps and unwraps data keys. Its String, GoString and LogValue
// never reveal the key material.
type MasterKey struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
}

// NewMasterKey builds a master key from 32 raw bytes.
func NewMasterKey(raw []byte) (MasterKey, error) {
	if len(raw) != keySize {
		return MasterKey{}, fmt.Errorf("compliance: master key must be %d bytes, got %d", keySize, len(raw))
	}
	aead, err := newGCM(raw)
	if err != nil {
		return MasterKey{}, err
	}
	sum := sha256.Sum256(raw)
	m := MasterKey{aead: aead}
	copy(m.id[:], sum[:keyIDSize])
	return m, nil
}

// GenerateMasterKey returns a new random master key and its base64 text
// (for `deskbot keys rotate` to hand to the operator).
func GenerateMasterKey() (MasterKey, string, error) {
	raw := make([]byte, keySize)
	rand.Read(raw) // never fails (crypto/rand panics on broken platforms)
	m, err := NewMasterKey(raw)
	return m, base64.StdEncoding.EncodeToString(raw), err
}

// ID is the key id: the first 8 hex characters of SHA-256 of the key. It is
// safe to log and is stored in every wrapped blob.
func (m MasterKey) ID() string { return hex.EncodeToString(m.id[:]) }

// IsZero reports whether m is the zero MasterKey (not loaded).
func (m MasterKey) IsZero() bool { return m.aead == nil }

// String shows only the key id.
func (m MasterKey) String() string { return "MasterKey(id=" + m.ID() + ", redacted)" }

// GoString keeps %#v from printing internals.
func (m MasterKey) GoString() string { return m.String() }

// LogValue keeps the key out of logs.
func (m MasterKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key_id", m.ID()), slog.String("key", "[redacted]"))
}

// LoadMasterKey finds the master key: DESKBOT_MASTER_KEY (base64 or hex of
// 32 bytes), else the file named by DESKBOT_MASTER_KEY_FILE (same encoding,
// must not be accessible by group or others), else <dataDir>/master.key,
// created with mode 0600 on first use. The last case logs a warning because
// a key beside the data it protects does not protect a stolen disk or backup.
func LoadMasterKey(env func(string) string, dataDir string, logger *slog.Logger) (MasterKey, KeySource, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if v := env(EnvMasterKey); v != "" {
		raw, err := decodeKey(v)
		if err != nil {
			return MasterKey{}, "", fmt.Errorf("compliance: %s: %w", EnvMasterKey, err)
		}
		m, err := NewMasterKey(raw)
		return m, KeySourceEnv, err
	}
	if path := env(EnvMasterKeyFile); path != "" {
		m, err := readKeyFile(path)
		if err != nil {
			return MasterKey{}, "", fmt.Errorf("compliance: %s: %w", EnvMasterKeyFile, err)
		}
		return m, KeySourceFile, nil
	}
	if dataDir == "" {
		return MasterKey{}, "", fmt.Errorf("compliance: no master key: set %s or %s, or a data directory", EnvMasterKey, EnvMasterKeyFile)
	}
	path := filepath.Join(dataDir, MasterKeyFileName)
	created, err := ensureKeyFile(path)
	if err != nil {
		return MasterKey{}, "", fmt.Errorf("compliance: master key beside data: %w", err)
	}
	m, err := readKeyFile(path)
	if err != nil {
		return MasterKey{}, "", fmt.Errorf("compliance: master key beside data: %w", err)
	}
	msg := "MASTER KEY STORED BESIDE THE DATA IT PROTECTS: anyone with a copy of the data directory can decrypt it; move the key elsewhere and set " + EnvMasterKeyFile
	logger.Warn(msg, "path", path, "key_id", m.ID(), "created", created)
	return m, KeySourceGenerated, nil
}

// decodeKey accepts 64 hex characters or standard base64 (padded or not) of
// exactly 32 bytes.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*keySize {
		if raw, err := hex.DecodeString(s); err == nil {
			return raw, nil
		}
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("not valid base64 or hex (expected 32 random bytes, e.g. from `openssl rand -base64 32`)")
	}
	if len(raw) != keySize {
		return nil, fmt.Errorf("decodes to %d bytes, want exactly %d", len(raw), keySize)
	}
	return raw, nil
}

// readKeyFile reads a key file, refusing one that group or others may
// access: a readable key is as good as a leaked one.
func readKeyFile(path string) (MasterKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return MasterKey{}, fmt.Errorf("cannot read key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return MasterKey{}, fmt.Errorf("key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return MasterKey{}, fmt.Errorf("key file %s has mode %04o; it must not be accessible by group or others (run: chmod 600 %s)", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return MasterKey{}, fmt.Errorf("cannot read key file: %w", err)
	}
	raw, err := decodeKey(string(data))
	if err != nil {
		return MasterKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	return NewMasterKey(raw)
}

// ensureKeyFile creates path with a new random key unless it exists. The
// key is written to a temporary file and linked into place, so a crash
// never leaves a half-written key and two starting processes agree on one.
func ensureKeyFile(path string) (created bool, err error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(dir, ".master.key-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return false, err
	}
	_, text, err := GenerateMasterKey()
	if err != nil {
		tmp.Close()
		return false, err
	}
	if _, err := tmp.WriteString(text + "\n"); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil // another process won the race; use its key
		}
		return false, err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // persist the directory entry; best effort
		_ = d.Close()
	}
	return true, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("compliance: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("compliance: %w", err)
	}
	return aead, nil
}

// NewDataKey returns a fresh random 32-byte data key.
func NewDataKey() ([]byte, error) {
	dk := make([]byte, keySize)
	if _, err := rand.Read(dk); err != nil {
		return nil, fmt.Errorf("compliance: data key: %w", err)
	}
	return dk, nil
}

// Wrap encrypts a data key for subjectID. The blob is
// version(1) | master key id(4) | nonce(12) | ciphertext+tag, and the
// header plus subjectID are authenticated, so a wrapped key copied to
// another subject does not open.
func (m MasterKey) Wrap(dk []byte, subjectID string) ([]byte, error) {
	if m.aead == nil {
		return nil, errors.New("compliance: master key not loaded")
	}
	if len(dk) != keySize {
		return nil, fmt.Errorf("compliance: data key must be %d bytes, got %d", keySize, len(dk))
	}
	hdr := 1 + keyIDSize + nonceSize
	out := make([]byte, hdr, hdr+len(dk)+m.aead.Overhead())
	out[0] = wrapVersion1
	copy(out[1:], m.id[:])
	rand.Read(out[1+keyIDSize : hdr])
	return m.aead.Seal(out, out[1+keyIDSize:hdr], dk, wrapAAD(out[:1+keyIDSize], subjectID)), nil
}

// Unwrap reverses Wrap. It returns ErrDecrypt for a blob wrapped by another
// master key (see WrappedKeyID), for another subject, or altered.
func (m MasterKey) Unwrap(wrapped []byte, subjectID string) ([]byte, error) {
	if m.aead == nil {
		return nil, errors.New("compliance: master key not loaded")
	}
	hdr := 1 + keyIDSize + nonceSize
	if len(wrapped) < hdr+m.aead.Overhead() || wrapped[0] != wrapVersion1 {
		return nil, ErrDecrypt
	}
	if [keyIDSize]byte(wrapped[1:1+keyIDSize]) != m.id {
		return nil, fmt.Errorf("%w: wrapped by master key %s, have %s", ErrDecrypt, hex.EncodeToString(wrapped[1:1+keyIDSize]), m.ID())
	}
	dk, err := m.aead.Open(nil, wrapped[1+keyIDSize:hdr], wrapped[hdr:], wrapAAD(wrapped[:1+keyIDSize], subjectID))
	if err != nil {
		return nil, ErrDecrypt
	}
	return dk, nil
}

// WrappedKeyID returns the id of the master key that wrapped a blob, so key
// rotation can tell which rows still need rewrapping.
func WrappedKeyID(wrapped []byte) (string, error) {
	if len(wrapped) < 1+keyIDSize || wrapped[0] != wrapVersion1 {
		return "", errors.New("compliance: not a wrapped key")
	}
	return hex.EncodeToString(wrapped[1 : 1+keyIDSize]), nil
}

func wrapAAD(header []byte, subjectID string) []byte {
	aad := make([]byte, 0, len(header)+len(subjectID))
	return append(append(aad, header...), subjectID...)
}

// Sealer encrypts and decrypts data with one data key. It is safe for
// concurrent use.
type Sealer struct {
	key cipher.AEAD
}

// NewSealer returns a Sealer for a 32-byte data key.
func NewSealer(dataKey []byte) (*Sealer, error) {
	if len(dataKey) != keySize {
		return nil, fmt.Errorf("compliance: data key must be %d bytes, got %d", keySize, len(dataKey))
	}
	aead, err := newGCM(dataKey)
	if err != nil {
		return nil, err
	}
	return &Sealer{key: aead}, nil
}

// Seal encrypts plaintext bound to aad (e.g. session id and message id, so
// ciphertext cannot be moved between rows). The blob is
// version(1) | nonce(12) | ciphertext+tag, with a random nonce: at 2^32
// messages per data key the collision risk stays negligible, and data keys
// are per subject.
func (s *Sealer) Seal(plaintext, aad []byte) []byte {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plaintext)+s.key.Overhead())
	out[0] = sealVersion1
	rand.Read(out[1:])
	return s.key.Seal(out, out[1:], plaintext, aad)
}

// Open decrypts a blob from Seal, returning ErrDecrypt if the key or aad
// differ or the blob was altered.
func (s *Sealer) Open(blob, aad []byte) ([]byte, error) {
	if len(blob) < 1+nonceSize+s.key.Overhead() || blob[0] != sealVersion1 {
		return nil, ErrDecrypt
	}
	pt, err := s.key.Open(nil, blob[1:1+nonceSize], blob[1+nonceSize:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}
