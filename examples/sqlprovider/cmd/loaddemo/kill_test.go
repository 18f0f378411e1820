package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/valuepath/valuepath/examples/sqlprovider"
)

// TestMain lets a test run the command itself in a subprocess, to kill it.
func TestMain(m *testing.M) {
	if os.Getenv("LOADDEMO_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestKilledLoadLeavesNoPartialDatabase kills loaddemo in the middle of a
// load, with SIGKILL and with SIGTERM: the target path is never there
// half-written, and running the command again succeeds.
func TestKilledLoadLeavesNoPartialDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a load in a subprocess")
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "demo.db")
			partial := path + sqlprovider.PartialSuffix
			cmd := exec.Command(os.Args[0], "-db", path, "-accounts", "100", "-seed", "3")
			cmd.Env = append(os.Environ(), "LOADDEMO_TEST_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the load has written a good part of the data.
			deadline := time.Now().Add(2 * time.Minute)
			for written(partial) < 512<<10 {
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatal("the load did not start within 2 minutes")
				}
				if _, err := os.Stat(path); err == nil {
					t.Fatal("the load finished before it could be killed; make it larger")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the killed load exited with %v", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("after %s the target exists (%v): it can only be complete if the load finished", sig, err)
			}
			switch sig {
			case syscall.SIGTERM:
				if exit.ExitCode() != 2 || !strings.Contains(stderr.String(), "interrupted; nothing was written to "+path) {
					t.Errorf("SIGTERM: exit %d, stderr %q; want 2 and the interrupted message", exit.ExitCode(), stderr.String())
				}
				if _, err := os.Stat(partial); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("SIGTERM left %s: %v", partial, err)
				}
			case syscall.SIGKILL:
				if _, err := os.Stat(partial); err != nil {
					t.Errorf("SIGKILL: no partial file to recover from: %v", err)
				}
			}
			// Open says what is going on rather than "no such file".
			if _, err := sqlprovider.Open(context.Background(), path, sqlprovider.Options{}); err == nil || (sig == syscall.SIGKILL && !strings.Contains(err.Error(), "unfinished")) {
				t.Errorf("Open after %s: %v", sig, err)
			}
			var out bytes.Buffer
			if err := run(context.Background(), &out, []string{"-db", path, "-accounts", "3", "-seed", "3"}); err != nil {
				t.Fatalf("rerun after %s: %v", sig, err)
			}
			if recovered := strings.Contains(out.String(), "left by a load that did not finish; discarded it and started over"); recovered != (sig == syscall.SIGKILL) {
				t.Errorf("rerun after %s: recovered %v:\n%s", sig, recovered, out.String())
			}
			p, err := sqlprovider.Open(context.Background(), path, sqlprovider.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if as, err := p.Accounts(context.Background()); err != nil || len(as) != 3 {
				t.Errorf("the rerun's file holds %d accounts, %v; want 3", len(as), err)
			}
		})
	}
}

// written is the size of a database file and its write-ahead log.
func written(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}
