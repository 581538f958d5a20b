package integration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
// package's postgres user. Every connection, over the socket or loopback,
// authenticates by password (scram-sha-256): the superuser's and the test
// role's are random and kept in a password file, so a wrong one is refused
// as it would be in a warehouse, and the test checks that it is.
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
	pg := &postgresServer{port: freePort(t), role: "invgen", password: secret(t),
		database: "retail"}
	superuser := secret(t)
	pwfile, passfile := filepath.Join(dir, "superuser.pw"), filepath.Join(dir, "pgpass")
	writeSecret(t, pwfile, superuser+"\n")
	writeSecret(t, passfile, fmt.Sprintf("*:*:*:postgres:%s\n*:*:*:%s:%s\n", superuser,
		pg.role, pg.password))
	asUser(t, bin+"/initdb", "-D", data, "--auth-local=scram-sha-256",
		"--auth-host=scram-sha-256", "--pwfile="+pwfile, "-U", "postgres", "--no-sync",
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
		asUser(t, bin+"/psql", fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres "+
			"passfile=%s", sock, pg.port, passfile), "-v", "ON_ERROR_STOP=1", "-c", sql)
	}
	psql(fmt.Sprintf("create role %s login password '%s'", pg.role, pg.password))
	psql(fmt.Sprintf("create database %s owner %s", pg.database, pg.role))
	pg.requirePasswordChecked(t, bin, passfile)
	return pg
}

// requirePasswordChecked connects as the test role over loopback with its
// password from the password file, and fails unless that works and a wrong
// password is refused.
func (pg *postgresServer) requirePasswordChecked(t *testing.T, bin, passfile string) {
	t.Helper()
	conn := fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=%s sslmode=disable", pg.port,
		pg.role, pg.database)
	if out, err := command(bin+"/psql", conn+" passfile="+passfile, "-w", "-c",
		"select 1").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot connect with its password: %v\n%s", pg.role, err, out)
	}
	out, err := command(bin+"/psql", conn+" password=wrong", "-w", "-c",
		"select 1").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "password authentication failed") {
		t.Fatalf("%s connected with a wrong password: %v\n%s", pg.role, err, out)
	}
}

// secret is a random password, hexadecimal so that it needs no quoting in
// SQL, a password file or a connection string.
func secret(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// writeSecret writes a file only its owner (the server's user) may read,
// as libpq requires of a password file.
func writeSecret(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	chown(t, path)
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
