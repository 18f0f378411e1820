package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// TestMain serves as the child process when run re-executes the test
// binary, as it re-executes the command.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		if err := child(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestRunMeasuresBothHandlers(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-n", "200", "-rounds", "2", "-c", "2", "-warmup", "0", "-accounts", "20"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"2 rounds of 200 requests", "\n1 ", "\n2 ", "\ntotal ", "ratio service ÷ bare:"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-c", "-1"}, {"-rounds", "0"}, {"-warmup", "-5"}, {"extra"}} {
		if err := run(args, io.Discard, io.Discard); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
