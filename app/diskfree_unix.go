//go:build linux || darwin || freebsd

package app

import "syscall"

// freeDiskBytes is the space an unprivileged process may still write on
// the filesystem holding dir.
func freeDiskBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
