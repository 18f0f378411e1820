package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// nonFinite matches NaN or Inf printed as a number, not inside a word.
var nonFinite = regexp.MustCompile(`(^|[^A-Za-z])(NaN|[+-]?Inf)([^A-Za-z]|$)`)

// TestQuickstartRunsAndIsDeterministic runs the whole tour twice on a small
// base and checks that every section printed and the output repeats.
func TestQuickstartRunsAndIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := run(&a, 60, 5); err != nil {
		t.Fatal(err)
	}
	if err := run(&b, 60, 5); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("two runs with the same seed printed different reports")
	}
	for _, s := range sections {
		if !strings.Contains(a.String(), "== "+s.title+" ==") {
			t.Errorf("section %q missing from the output", s.title)
		}
	}
	if m := nonFinite.FindString(a.String()); m != "" {
		t.Errorf("the report prints %q", m)
	}
}

func TestQuickstartRejectsBadFlags(t *testing.T) {
	// 0 used to mean the default 300 silently, and 1 to 4 failed deep in
	// a section: every count below minAccounts (5) is refused up front,
	// with the flag named.
	for _, n := range []int{-5, 0, 1, 3, 4} {
		err := run(&bytes.Buffer{}, n, 1)
		if err == nil || !strings.Contains(err.Error(), "-accounts must be at least 5") {
			t.Errorf("-accounts %d: error %v", n, err)
		}
	}
	// The smallest accepted base runs every section, on several seeds.
	for seed := uint64(1); seed <= 3; seed++ {
		if err := run(&bytes.Buffer{}, minAccounts, seed); err != nil {
			t.Errorf("-accounts %d -seed %d: %v", minAccounts, seed, err)
		}
	}
}
