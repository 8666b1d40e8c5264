package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"deskbot/config"
)

// Version is set at build time with -ldflags "-X deskbot/app.Version=...".
var Version = "dev"

const usage = `deskbot — a self-hosted customer-service assistant

Usage:
  deskbot [serve] [--config FILE] [--listen ADDR] [--data-dir DIR]
  deskbot kb index|search QUERY|lint [DIR]|init DIR|import --out DIR FILE.csv|eval --kb DIR --queries FILE.csv|review [--accept REF]
  deskbot agent add NAME [--display-name X] [--password-file F] | agent list
  deskbot privacy export|erase --subject ID|--email ADDR [--output FILE]
  deskbot privacy rectify --subject ID|--email ADDR --set email=NEW|phone=NEW
  deskbot privacy reapply-erasures [--ledger FILE]...   erase again who a put-back database dump brought back
  deskbot privacy request add --kind export|erase|rectify|opt-out --email ADDR|--subject ID|--unidentified [--received TIME] [--channel C] | request list [--all] | request ack|close ID
  deskbot incident add --what TEXT (--from TIME [--to TIME] | --subjects IDS | --email ADDR) [--found TIME] [--encrypted=false] | incident list | incident notify ID | incident export ID
  deskbot audit verify [--data-dir DIR | --database-url URL] | audit accept-loss --note TEXT
  deskbot backup --output FILE [--data-dir DIR]   online backup (database, kb folder, config, manifest; never the key)
  deskbot restore --input FILE --data-dir NEWDIR [--erasure-ledger FILE|--no-erasure-ledger]   restore into an empty folder, re-applying erasures
  deskbot migrate --from-sqlite DIR --to URL   move an installation's database into a new, empty PostgreSQL database
  deskbot keys generate [--out FILE]           a new master key for DESKBOT_MASTER_KEY_FILE (mode 0600)
  deskbot keys rotate --new-key-file FILE      (run while the server is stopped)
  deskbot report [--output FILE]               compliance report (HTML)
  deskbot load [--target URL] [--sessions N] [--rate R] [--duration D]   loopback load test
  deskbot config [--diff]  print the effective configuration as YAML (secrets redacted); --diff: only what differs from the defaults
  deskbot test [PATHS...] [--target URL] [--admin-token T] [--format pretty|progress|junit|cucumber] [--output FILE] [--tags EXPR] [--allow-empty] [--concurrency N] [--timings] [--config FILE] [--data-dir DIR]
  deskbot steps          print every Gherkin step phrase with an example
  deskbot record [--target URL] [--admin-token T] [--output FILE]   turn a conversation typed on stdin into a feature file
  deskbot version

Run "deskbot COMMAND --help" for a command's flags ("deskbot serve --help" for serve's).
`

// Run executes the command line and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	switch {
	case len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		cmd = "help" // the commands, not only serve's flags
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, args, stdout, stderr)
	case "config":
		err = cmdConfig(args, stdout, stderr)
	case "kb":
		err = cmdKB(ctx, args, stdout, stderr)
	case "privacy":
		err = cmdPrivacy(ctx, args, stdout, stderr)
	case "incident":
		err = cmdIncident(ctx, args, stdout, stderr)
	case "audit":
		err = cmdAudit(ctx, args, stdout, stderr)
	case "keys":
		err = cmdKeys(ctx, args, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args, stdout, stderr)
	case "restore":
		err = cmdRestore(ctx, args, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, args, stdout, stderr)
	case "report":
		err = cmdReport(ctx, args, stdout, stderr)
	case "agent":
		err = cmdAgent(ctx, args, stdout, stderr)
	case "load":
		err = cmdLoad(ctx, args, stdout, stderr)
	case "test":
		err = cmdTest(ctx, args, stdout, stderr)
	case "steps":
		err = cmdSteps(args, stdout, stderr)
	case "record":
		err = cmdRecord(ctx, args, os.Stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "deskbot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "deskbot %s: %v\n", cmd, err)
			return 2
		}
		fmt.Fprintf(stderr, "deskbot %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// usageError marks a wrong invocation (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commonFlags are the flags every command that reads configuration accepts.
type commonFlags struct {
	config, listen, dataDir string
	stderr                  io.Writer // configuration warnings
}

func (c *commonFlags) register(fs *flag.FlagSet, withListen bool) {
	fs.StringVar(&c.config, "config", "", "configuration file (default ./config.yaml if present)")
	fs.StringVar(&c.dataDir, "data-dir", "", "data directory (key data_dir)")
	if withListen {
		fs.StringVar(&c.listen, "listen", "", "address to serve on (key listen)")
	}
}

// newFlags returns a command's flag set with the configuration flags registered.
func newFlags(name string, stderr io.Writer, withListen bool) (*flag.FlagSet, *commonFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := &commonFlags{stderr: stderr}
	cf.register(fs, withListen)
	return fs, cf
}

// createOutput returns stdout, or the file at path (mode 0600: exports and
// reports describe customers) when path is set, with a function closing it.
func createOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" {
		return stdout, func() error { return nil }, nil
	}
	return openOutput(path) // output.go: 0600, no symlinks, temp file + rename
}

func (c *commonFlags) load() (config.Config, error) {
	flags := map[string]string{}
	if c.listen != "" {
		flags["listen"] = c.listen
	}
	if c.dataDir != "" {
		flags["data_dir"] = c.dataDir
	}
	opts := config.Options{File: c.config, Flags: flags}
	if c.stderr != nil {
		opts.Warn = func(msg string) { fmt.Fprintln(c.stderr, "deskbot: warning:", msg) }
	}
	return config.Load(opts)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("serve", stderr, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	level := new(slog.LevelVar) // log_level, changed by a reload (SIGHUP)
	log := newLevelLogger(stderr, cfg.LogLevel, level)
	// Listen before the slow parts so a taken port fails fast and clearly.
	lns, err := Listen(cfg)
	if err != nil {
		return err
	}
	defer lns.Close()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data_dir %s: %w", cfg.DataDir, err)
	}
	unlock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer unlock()
	a, err := New(ctx, cfg, Options{Logger: log})
	if err != nil {
		return err
	}
	a.configFile = configFileInUse(cf.config) // scheduled backups include it
	if file := configFileInUse(cf.config); file != "" {
		go watchConfigFile(ctx, file, cfg.KBWatchInterval, a.configReadAt, log)
	}
	go a.watchReload(ctx, cf.load, level)
	fmt.Fprintf(stdout, "deskbot %s serving on %s://%s (data in %s)\n", versionName(), scheme(cfg), displayAddr(lns.Public.Addr()), cfg.DataDir)
	serveErr := a.ServeAll(ctx, lns)
	return errors.Join(serveErr, a.Close())
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func cmdConfig(args []string, stdout, stderr io.Writer) error {
	fs, cf := newFlags("config", stderr, true)
	diff := fs.Bool("diff", false, "print only the keys that differ from the built-in defaults")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if *diff {
		return cfg.DumpDiff(stdout, config.Defaults(config.DefaultDataDir))
	}
	return cfg.Dump(stdout)
}
