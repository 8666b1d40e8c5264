package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"deskbot/compliance"
)

// cmdKeysGenerate writes a new random 32-byte master key (base64) to --out
// (mode 0600, never overwriting a file) or to standard output.
func cmdKeysGenerate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("keys generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var out string
	fs.StringVar(&out, "out", "", "file to write the key to (created with mode 0600; an existing file is never overwritten)")
	fs.StringVar(&out, "output", "", "same as --out")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"usage: deskbot keys generate [--out FILE]"}
	}
	key, text, err := compliance.GenerateMasterKey()
	if err != nil {
		return err
	}
	if out == "" {
		fmt.Fprintln(stdout, text)
		fmt.Fprintf(stderr, "master key %s: keep it apart from the data and its backups, and set DESKBOT_MASTER_KEY to it (or save it in a 0600 file named by DESKBOT_MASTER_KEY_FILE).\n", key.ID())
		return nil
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; not overwriting a key (it may be the only one that opens your data)", out)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text + "\n"); err != nil {
		f.Close()
		os.Remove(out)
		return err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		os.Remove(out)
		return err
	}
	fmt.Fprintf(stdout, "wrote master key %s to %s (mode 0600).\nStart deskbot with DESKBOT_MASTER_KEY_FILE=%s, keep a copy apart from the data and its backups, and never put it in config.yaml.\n", key.ID(), out, out)
	return nil
}

// versionName is Version when set at build time, else the module version
// recorded by the Go toolchain ("(devel)" when it recorded none).
func versionName() string {
	if bi, ok := debug.ReadBuildInfo(); ok && Version == "dev" && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return Version
}

// versionString is versionName with the VCS revision recorded by the Go
// toolchain and the Go version.
func versionString() string {
	v := versionName()
	var rev, modified string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = " (modified)"
				}
			}
		}
	}
	parts := []string{"deskbot", v}
	if rev != "" {
		parts = append(parts, "revision "+rev+modified)
	}
	return strings.Join(append(parts, runtime.Version()), " ")
}
