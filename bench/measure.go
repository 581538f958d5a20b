package bench

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Measured is what one run of a command cost: its wall time and the peak
// resident memory of its process.
type Measured struct {
	Wall   time.Duration
	MaxRSS int64 // bytes
	Code   int
	Stdout string
	Stderr string
}

// MiB is the peak memory in mebibytes, for tables.
func (m Measured) MiB() float64 { return float64(m.MaxRSS) / (1 << 20) }

// Exec runs a command to its end and measures it. The peak memory comes
// from the kernel's accounting of the child (getrusage), so it is the real
// high-water mark, not a sample; it covers the command's own process, which
// for invgen includes the embedded DuckDB.
func Exec(ctx context.Context, name string, args ...string) (Measured, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	start := time.Now()
	err := cmd.Run()
	m := Measured{Wall: time.Since(start), Stdout: stdout.String(), Stderr: stderr.String()}

	if cmd.ProcessState == nil {
		return m, fmt.Errorf("%s: %w", name, err)
	}
	m.Code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.MaxRSS = ru.Maxrss * 1024 // Linux reports kilobytes
	}
	return m, nil
}

// ExecWant runs a command and fails unless it exits with one of the codes
// wanted, quoting the end of what it printed.
func ExecWant(ctx context.Context, codes []int, name string, args ...string) (Measured,
	error) {
	m, err := Exec(ctx, name, args...)
	if err != nil {
		return m, err
	}
	for _, c := range codes {
		if m.Code == c {
			return m, nil
		}
	}
	return m, fmt.Errorf("%s %s: exit %d:\n%s", name, strings.Join(args, " "), m.Code,
		tail(m.Stderr+m.Stdout, 2000))
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
