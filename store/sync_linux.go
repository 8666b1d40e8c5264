package store

import (
	"os"
	"syscall"
)

// syncData flushes a file's data (not its times) to the disk.
func syncData(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
