package kb

import (
	"errors"
	"io/fs"
	"os"
)

// ErrOutsideFolder is the load problem of a symbolic link in the article
// folder that leads out of it.
var ErrOutsideFolder = errors.New("symbolic link leads outside the article folder; skipped")

// DirFS is the article folder dir as a file system that never leaves it:
// symbolic links that resolve inside dir are followed, one that leads out of
// it (to any file the service user can read) fails to open, so the loader
// skips it and reports it as a load problem (ErrOutsideFolder). Each Open
// resolves dir afresh through os.Root, so a kb_dir that is itself a link
// swapped to a new release is followed, and the check cannot be raced by
// swapping a link between a check and the open.
func DirFS(dir string) fs.FS { return rootFS(dir) }

type rootFS string

func (d rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		// os.Root refuses a path that escapes through a link; it does not
		// export that error, so check: is name a link whose target exists?
		if st, lerr := root.Lstat(name); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			if _, serr := os.Stat(string(d) + string(os.PathSeparator) + name); serr == nil {
				return nil, &fs.PathError{Op: "open", Path: name, Err: ErrOutsideFolder}
			}
		}
		return nil, err
	}
	return f, nil
}
