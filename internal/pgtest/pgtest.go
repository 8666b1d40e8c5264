// Package pgtest gives tests a real PostgreSQL database: the server named
// by DESKBOT_TEST_POSTGRES (an admin URL such as
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable), or else a
// throwaway cluster it starts itself with the installed initdb and pg_ctl
// (Debian's postgresql package), in a temporary folder on a free port. A
// test that needs one and finds neither is skipped, saying how to run it.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver
)

// EnvServer names an existing server to use instead of a throwaway one.
const EnvServer = "DESKBOT_TEST_POSTGRES"

// cluster is the throwaway server of this test process.
type cluster struct {
	once  sync.Once
	admin string // admin URL
	dir   string
	bin   string
	asPG  bool // commands run as the postgres user (we are root)
	err   error
}

var shared cluster // one per test binary; stopped by Main

// Main runs the tests and then stops a cluster they started; call it
// from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the throwaway cluster, if one was started.
func Stop() {
	if shared.dir == "" || shared.bin == "" {
		return
	}
	shared.run(filepath.Join(shared.bin, "pg_ctl"), "-D", filepath.Join(shared.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(shared.dir)
}

// Server returns the admin URL of the server, starting a throwaway
// cluster on first use; it skips t when there is no PostgreSQL.
func Server(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(EnvServer); u != "" {
		return u
	}
	shared.once.Do(shared.start)
	if shared.err != nil && os.Getenv("CI") != "" {
		// CI installs PostgreSQL: it must not pass by testing less.
		t.Fatalf("no PostgreSQL for this test: %v", shared.err)
	}
	if shared.err != nil {
		t.Skipf("no PostgreSQL for this test (%v); install Debian's postgresql package or set %s", shared.err, EnvServer)
	}
	return shared.admin
}

// Available reports whether a PostgreSQL server can be had, starting the
// throwaway one if needed.
func Available() bool {
	if os.Getenv(EnvServer) != "" {
		return true
	}
	shared.once.Do(shared.start)
	return shared.err == nil
}

// Database returns the URL of a database named after key (created empty
// if it does not exist yet), so a test that reopens the same key reaches
// the same data. Use t.Name() plus a suffix for a fresh one.
func Database(t testing.TB, key string) string {
	t.Helper()
	admin := Server(t)
	sum := sha256.Sum256([]byte(key))
	name := "t_" + hex.EncodeToString(sum[:10])
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if n == 0 {
		if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil && !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("pgtest: create database: %v", err)
		}
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func (c *cluster) start() {
	c.bin = findBin()
	if c.bin == "" {
		c.err = errors.New("initdb not found")
		return
	}
	dir, err := os.MkdirTemp("", "deskbot-pg-")
	if err != nil {
		c.err = err
		return
	}
	c.dir = dir
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		// initdb refuses root: the cluster belongs to the postgres user.
		pg, err := user.Lookup("postgres")
		if err != nil {
			c.err = fmt.Errorf("running as root and there is no postgres user: %w", err)
			return
		}
		c.asPG = true
		if out, err := exec.Command("chown", pg.Uid+":"+pg.Gid, dir).CombinedOutput(); err != nil {
			c.err = fmt.Errorf("chown: %v: %s", err, out)
			return
		}
		os.Chmod(dir, 0o700)
	}
	port, err := freePort()
	if err != nil {
		c.err = err
		return
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run(filepath.Join(c.bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		c.err = fmt.Errorf("initdb: %v: %s", err, out)
		return
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", port, dir)
	if out, err := c.run(filepath.Join(c.bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		c.err = fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
		return
	}
	c.admin = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
}

func (c *cluster) run(name string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if c.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	} else {
		cmd = exec.Command(name, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// findBin finds the newest installed PostgreSQL's bin folder.
func findBin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Strings(found)
	if len(found) == 0 {
		return ""
	}
	return filepath.Dir(found[len(found)-1])
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
