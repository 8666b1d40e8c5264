package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"deskbot/desk"
	"deskbot/store"
)

// cmdAgent runs `deskbot agent add NAME` and `deskbot agent list` (SEC-2:
// only people with an account can open the agent console).
func cmdAgent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runAgentCmd(ctx, args, os.Stdin, stdout, stderr)
}

const agentUsage = "usage: deskbot agent add NAME [--display-name TEXT] [--password-file FILE] | deskbot agent list [--data-dir DIR]"

func runAgentCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return usageError{agentUsage}
	}
	sub, args := args[0], args[1:]
	var name string
	if sub == "add" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError{"agent add needs a NAME: " + agentUsage}
		}
		name, args = args[0], args[1:]
	}
	fs, cf := newFlags("agent "+sub, stderr, false)
	display := fs.String("display-name", "", "name customers see when this agent joins (default NAME)")
	pwFile := fs.String("password-file", "", "read the password from FILE instead of standard input")
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
	if sub == "list" {
		st, _, _, err := openDataStore(ctx, cfg, createStore, os.Getenv, commandLogger(stderr))
		if err != nil {
			return err
		}
		defer st.Close()
		agents, err := st.Agents(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tDISPLAY NAME\tCREATED\tSTATUS")
		for _, a := range agents {
			status := "active"
			if a.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Name, a.DisplayName, a.CreatedAt.Format(time.RFC3339), status)
		}
		return tw.Flush()
	}
	if err := checkAgentName(name); err != nil {
		return usageError{err.Error()}
	}
	if *display == "" {
		*display = name
	}
	pw, err := readPassword(*pwFile, stdin)
	if err != nil {
		return err
	}
	hash, err := desk.HashPassword(pw)
	if err != nil {
		return err // ErrWeakPassword says how long it must be
	}
	st, _, _, err := openDataStore(ctx, cfg, createStore, os.Getenv, commandLogger(stderr))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateAgent(ctx, store.Agent{Name: name, DisplayName: strings.TrimSpace(*display), PasswordHash: hash, CreatedAt: time.Now()}); err != nil {
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("agent %q already exists", name)
		}
		return err
	}
	fmt.Fprintf(stdout, "agent %q added (shown to customers as %q)\n", name, *display)
	return nil
}

func checkAgentName(name string) error {
	if len(name) < 2 || len(name) > 64 {
		return errors.New("NAME must be 2 to 64 characters")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' || r == '@') {
			return fmt.Errorf("NAME may use letters, digits and . - _ @ only (got %q)", name)
		}
	}
	return nil
}

// readPassword takes the first line of the file or of standard input.
func readPassword(file string, stdin io.Reader) (string, error) {
	var r io.Reader = stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password given (pipe it on standard input or use --password-file)")
	}
	return pw, nil
}
