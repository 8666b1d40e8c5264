//go:build !(linux || darwin || freebsd)

package app

import "errors"

func freeDiskBytes(string) (uint64, error) { return 0, errors.ErrUnsupported }
