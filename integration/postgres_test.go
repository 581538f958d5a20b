package integration

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// postgresServer is a private PostgreSQL instance on loopback, with its own
// role and database, torn down when the test ends.
type postgresServer struct {
	port     int
	role     string
	password string
	database string
}

// startPostgres runs initdb and pg_ctl from Debian's postgresql package.
// PostgreSQL refuses to run as root, so as root the server runs as the
// package's postgres user.
func startPostgres(t *testing.T) *postgresServer {
	t.Helper()
	bin := postgresBin(t)
	dir, err := os.MkdirTemp("", "invgen-pg-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")

	asUser := postgresUser(t, dir)
	pg := &postgresServer{port: freePort(t), role: "invgen", password: "invgen",
		database: "retail"}
	asUser(t, bin+"/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync",
		"-E", "UTF8")
	os.MkdirAll(sock, 0o755)
	chown(t, sock)
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off "+
		"-c full_page_writes=off -c synchronous_commit=off", pg.port, sock)
	asUser(t, bin+"/pg_ctl", "-D", data, "-o", opts, "-w", "-l",
		filepath.Join(dir, "server.log"), "start")
	t.Cleanup(func() {
		asUserErr(bin+"/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
	})

	psql := func(sql string) {
		asUser(t, bin+"/psql", "-h", sock, "-p", fmt.Sprint(pg.port), "-U", "postgres",
			"-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql)
	}
	psql(fmt.Sprintf("create role %s login password '%s'", pg.role, pg.password))
	psql(fmt.Sprintf("create database %s owner %s", pg.database, pg.role))
	return pg
}

// postgresBin finds the newest installed PostgreSQL's binaries.
func postgresBin(t *testing.T) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	if len(dirs) == 0 {
		t.Fatal("PostgreSQL is not installed: apt-get install postgresql (scripts/test does)")
	}
	return dirs[len(dirs)-1]
}

var runAsPostgres bool

// postgresUser returns a runner of server commands as a user PostgreSQL
// accepts, handing that user the server's folder.
func postgresUser(t *testing.T, dir string) func(*testing.T, string, ...string) {
	t.Helper()
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		runAsPostgres = true
		chown(t, dir)
	}
	return func(t *testing.T, name string, args ...string) {
		t.Helper()
		if out, err := command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
	}
}

func asUserErr(name string, args ...string) error {
	return command(name, args...).Run()
}

func command(name string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	_ = cancel // the command ends well within the timeout or the test fails
	if runAsPostgres {
		return exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--",
			name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}

func chown(t *testing.T, path string) {
	t.Helper()
	if !runAsPostgres {
		return
	}
	out, err := exec.Command("chown", "-R", "postgres:postgres", path).CombinedOutput()
	if err != nil {
		t.Fatalf("chown %s: %v\n%s", path, err, out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
