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
	if err := run(&bytes.Buffer{}, -5, 1); err == nil {
		t.Error("negative account count accepted")
	}
}
