package kb_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"deskbot/kb"
)

// F11: DirFS skips a link out of the folder and reports it as a load
// problem; links inside the folder are followed.
func TestDirFSReportsLinksOutOfTheFolder(t *testing.T) {
	outside, dir := t.TempDir(), t.TempDir()
	article := func(id string) []byte {
		return []byte("---\nid: " + id + "\ntitle: " + id + "\nquestions:\n  - what is " + id + "\n---\nBody of " + id + ".\n")
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(outside, "secret.md"), article("outside-secret"), 0o600))
	must(os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	must(os.WriteFile(filepath.Join(dir, "sub", "target.md.txt"), article("inside-link"), 0o600))
	must(os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "secret.md")))
	must(os.Symlink(filepath.Join("sub", "target.md.txt"), filepath.Join(dir, "inside.md")))

	arts, problems := kb.LoadFS(kb.DirFS(dir))
	if len(arts) != 1 || arts[0].ID != "inside-link" {
		t.Errorf("articles %v, want only inside-link", arts)
	}
	if len(problems) != 1 || !errors.Is(problems[0], kb.ErrOutsideFolder) {
		t.Fatalf("problems %v, want one ErrOutsideFolder for secret.md", problems)
	}
	var fe *kb.FileError
	if !errors.As(problems[0], &fe) || fe.Path != "secret.md" {
		t.Errorf("problem %v does not name secret.md", problems[0])
	}
}
