//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package output

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the output folder until the returned function is called,
// so that a second invgen process neither writes it at the same time nor mistakes a write in
// progress for an interrupted one and rolls it back. The kernel drops the lock when the
// process dies, so a killed write leaves the folder unlocked. A folder that does not exist
// yet needs no lock.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if absent(err) {
		return func() {}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}

	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is being written by another invgen process; "+
				"run again when it has finished", dir)
		}
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}

	return func() { _ = f.Close() }, nil // closing the descriptor releases the lock
}
