package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// openOutput writes a command's --output file safely: exports and reports
// describe customers, so the file is always mode 0600 (an existing file's
// looser mode is not kept), a symlink at path is refused (a planted link
// must not redirect the write onto another file), and the content goes to a
// new file in the same folder that is renamed over path when done, so
// nothing is written through whatever path pointed at before.
func openOutput(path string) (io.Writer, func() error, error) {
	if st, err := os.Lstat(path); err == nil {
		switch {
		case st.Mode()&os.ModeSymlink != 0:
			return nil, nil, fmt.Errorf("--output: %s is a symbolic link; refusing to write through it", path)
		case !st.Mode().IsRegular():
			return nil, nil, fmt.Errorf("--output: %s is not a regular file", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("--output: %w", err)
	}
	// os.CreateTemp opens with O_CREATE|O_EXCL and mode 0600.
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, nil, fmt.Errorf("--output: %w", err)
	}
	tmp := f.Name()
	closed := false
	closeFn := func() error {
		if closed {
			return nil
		}
		closed = true
		err := f.Chmod(0o600)
		if e := f.Sync(); err == nil {
			err = e
		}
		if e := f.Close(); err == nil {
			err = e
		}
		if err == nil {
			// Checked again just before the rename; rename replaces a
			// symlink itself, never its target, in any case.
			if st, e := os.Lstat(path); e == nil && st.Mode()&os.ModeSymlink != 0 {
				err = fmt.Errorf("%s became a symbolic link; not replaced", path)
			}
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("--output: %w", err)
		}
		return nil
	}
	return f, closeFn, nil
}
