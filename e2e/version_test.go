package e2e

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// versionName is the version word of `deskbot version` ("deskbot V …").
func versionName(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || f[0] != "deskbot" {
		t.Fatalf("%s version: %q", bin, out)
	}
	return f[1]
}

// Issue 12: the line serve prints at start names the build as
// `deskbot version` does, not the bare "dev" placeholder.
func TestBinaryServeBannerNamesTheVersion(t *testing.T) {
	want := versionName(t, binary)
	s := start(t, t.TempDir(), freePort(t))
	m := regexp.MustCompile(`deskbot (\S+) serving on `).FindStringSubmatch(s.logs.String())
	if m == nil {
		t.Fatalf("no serving line in:\n%s", s.logs)
	}
	if m[1] != want {
		t.Fatalf("serve says %q, deskbot version says %q", m[1], want)
	}
}

// Issue 12: `make build` stamps the git revision into the binary, also where
// the Go toolchain records none (a git worktree, GOFLAGS=-buildvcs=false).
func TestMakeBuildStampsGitRevision(t *testing.T) {
	for _, tool := range []string{"make", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	head, err := exec.Command("git", "-C", "..", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not a git checkout")
	}
	bin := filepath.Join(t.TempDir(), "deskbot")
	build := exec.Command("make", "-s", "build", "BIN="+bin)
	build.Dir = ".."
	build.Env = append(build.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	got := versionName(t, bin)
	if !strings.HasPrefix(got, strings.TrimSpace(string(head))[:7]) {
		t.Fatalf("make build: deskbot version says %q, want the revision %.7s", got, head)
	}
}
