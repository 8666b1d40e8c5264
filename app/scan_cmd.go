package app

import (
	"bytes"
	"context"
	"deskbot/store"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

	"deskbot/compliance"
)

// The raw storage scan (admin API, SEC-1) runs in a child process: the
// server re-executes its own binary with the hidden command scanCommand.
// Reading deskbot.db, -wal or -shm inside the server and closing those
// descriptors would drop every POSIX lock the server's SQLite connections
// hold, and a CLI command beside it could then unlink the live WAL and
// revert an erasure (issue 10, H1). The child holds no locks, so closing
// its descriptors drops nothing.
const (
	scanCommand = "internal-storage-scan"
	scanEnv     = "DESKBOT_INTERNAL_SCAN"
	scanTimeout = 2 * time.Minute
	scanMaxOut  = 8 << 20
)

// scanRequest is what the server sends the child on stdin: needles are
// personal data, so they never appear on a command line (/proc/PID/cmdline).
type scanRequest struct {
	Dir     string   `json:"dir"`
	Needles []string `json:"needles"`
	Exclude []string `json:"exclude"`
}

// init runs the child's side before anything else, in the deskbot binary
// and in any test binary linking this package (their os.Executable is the
// test binary), so the scan works in-process and against a --target alike.
func init() {
	if len(os.Args) == 2 && os.Args[1] == scanCommand && os.Getenv(scanEnv) == "1" {
		os.Exit(runScanChild(os.Stdin, os.Stdout, os.Stderr))
	}
}

// runScanChild reads a scanRequest, scans and writes the ScanResult as JSON.
func runScanChild(in io.Reader, out, errw io.Writer) int {
	var req scanRequest
	if err := json.NewDecoder(io.LimitReader(in, 4<<20)).Decode(&req); err != nil {
		fmt.Fprintln(errw, "scan request:", err)
		return 2
	}
	if err := compliance.CheckScanNeedles(req.Needles); err != nil {
		fmt.Fprintln(errw, err)
		return 2
	}
	res, err := compliance.ScanDir(req.Dir, req.Needles, req.Exclude...)
	if err != nil {
		fmt.Fprintln(errw, err)
		return 1
	}
	if err := json.NewEncoder(out).Encode(res); err != nil {
		fmt.Fprintln(errw, err)
		return 1
	}
	return 0
}

// ErrScanFailed means the scan child failed; the server log has its output.
var ErrScanFailed = errors.New("storage scan failed")

// childScanner returns the admin API's scan: the data dir is scanned by a
// child process of exe, never inside this process; key files and the
// paths in exclude (a master key file named by DESKBOT_MASTER_KEY_FILE)
// are never read.
func childScanner(exe, dataDir string, exclude []string) func(ctx context.Context, needles []string) (compliance.ScanResult, error) {
	return func(ctx context.Context, needles []string) (compliance.ScanResult, error) {
		var res compliance.ScanResult
		if exe == "" {
			return res, fmt.Errorf("%w: the server's executable is unknown", ErrScanFailed)
		}
		req, err := json.Marshal(scanRequest{Dir: dataDir, Needles: needles, Exclude: exclude})
		if err != nil {
			return res, err
		}
		ctx, cancel := context.WithTimeout(ctx, scanTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, exe, scanCommand)
		// Nothing of the server's environment (master key, admin token)
		// reaches the child: it needs neither.
		cmd.Env = []string{scanEnv + "=1"}
		cmd.Stdin = bytes.NewReader(req)
		var stdout, stderr limitedBuffer
		stdout.max, stderr.max = scanMaxOut, 64<<10
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.WaitDelay = 5 * time.Second
		if err := cmd.Run(); err != nil {
			return res, fmt.Errorf("%w: %s: %w: %s", ErrScanFailed, exe, err, strings.TrimSpace(stderr.String()))
		}
		if stdout.over {
			return res, fmt.Errorf("%w: more than %d bytes of findings", ErrScanFailed, scanMaxOut)
		}
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			return res, fmt.Errorf("%w: reading the child's answer: %w", ErrScanFailed, err)
		}
		return res, nil
	}
}

// limitedBuffer keeps the first max bytes written and notes any excess.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.Len(); len(p) > room {
		l.over = true
		if room > 0 {
			l.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return l.Buffer.Write(p)
}

// storageScanner is the admin API's scan of dataDir, run by a child of
// this process's executable. A master key file named by
// DESKBOT_MASTER_KEY_FILE is excluded whatever its name.
func storageScanner(dataDir string, getenv func(string) string, log *slog.Logger) func(ctx context.Context, needles []string) (compliance.ScanResult, error) {
	exe, err := os.Executable()
	if err != nil {
		log.Warn("storage scan unavailable: cannot find the server's executable", "err", err)
		exe = ""
	}
	// On Linux /proc/self/exe, resolved by the kernel at exec time, is this
	// very binary even after an upgrade replaced or removed the file.
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		exe = "/proc/self/exe"
	}
	return childScanner(exe, dataDir, []string{getenv(compliance.EnvMasterKeyFile)})
}

// withDatabaseScan adds, on PostgreSQL, a scan of every table's values to
// the scan of the data dir's files: there the database is not a file the
// child can read (SEC-1 checks must not pass by reading less).
func withDatabaseScan(st *store.Store, files func(context.Context, []string) (compliance.ScanResult, error)) func(context.Context, []string) (compliance.ScanResult, error) {
	if !st.Postgres() {
		return files
	}
	return func(ctx context.Context, needles []string) (compliance.ScanResult, error) {
		res, err := files(ctx, needles)
		if err != nil {
			return res, err
		}
		db, err := st.ScanRows(ctx, needles)
		if err != nil {
			return res, err
		}
		res.FilesScanned += db.FilesScanned
		res.BytesScanned += db.BytesScanned
		res.Found = append(res.Found, db.Found...)
		return res, nil
	}
}
