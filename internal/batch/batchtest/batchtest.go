// Package batchtest checks a batch method on several goroutines against the
// same method on one: the tests of every package with a parallel batch use
// it. It imports only the standard library, valuepath and internal/batch,
// like the library.
package batchtest

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
)

// Row is one batch result as the checks compare it: a copy of what the test
// keeps of the result, and the text of its error.
type Row[V any] struct {
	V   V
	Err string
}

// Collect ranges over seq and keeps view of every result and the text of
// its error, which must be an *valuepath.AccountError.
func Collect[R, V any](t testing.TB, seq iter.Seq2[*R, error], view func(*R) V) []Row[V] {
	t.Helper()
	var out []Row[V]
	for r, err := range seq {
		x := Row[V]{V: view(r)}
		if err != nil {
			var ae *valuepath.AccountError
			if !errors.As(err, &ae) {
				t.Fatalf("result %d: %v is not an *AccountError", len(out), err)
			}
			x.Err = err.Error()
		}
		out = append(out, x)
	}
	return out
}

// CheckParallel runs a batch serially and on 2, 3 and every core, over a
// slice, over reuse(in) (an iterator that yields the inputs through reused
// storage) and in place over the slice, and fails on any difference from
// the serial run, which must have some failing accounts but not a majority.
func CheckParallel[In, V any](t testing.TB, in []In, reuse func([]In) iter.Seq[In], run func(iter.Seq[In], valuepath.BatchOptions) []Row[V]) {
	t.Helper()
	want := run(slices.Values(in), valuepath.BatchOptions{Concurrency: 1})
	if len(want) != len(in) {
		t.Fatalf("serial run gave %d results for %d inputs", len(want), len(in))
	}
	failed := 0
	for _, r := range want {
		if r.Err != "" {
			failed++
		}
	}
	if failed == 0 || failed >= len(in)/2 {
		t.Fatalf("%d of %d accounts fail serially: the test data needs some failures, not a majority", failed, len(in))
	}
	for _, c := range []int{2, 3, 0} {
		runs := []struct {
			name string
			seq  iter.Seq[In]
			opt  valuepath.BatchOptions
		}{
			{"a slice", slices.Values(in), valuepath.BatchOptions{Concurrency: c}},
			{"a reusing iterator", reuse(in), valuepath.BatchOptions{Concurrency: c}},
			{"a slice in place", slices.Values(in), valuepath.BatchOptions{Concurrency: c, InPlace: true}},
		}
		for _, r := range runs {
			if d := firstDiff(want, run(r.seq, r.opt)); d != "" {
				t.Errorf("Concurrency %d over %s differs from serial: %s", c, r.name, d)
			}
		}
	}
}

// firstDiff describes the first row where got differs from want, or "".
func firstDiff[V any](want, got []Row[V]) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d results, serial %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(want[i], got[i]) {
			return fmt.Sprintf("result %d is\n\t%+v\nserially\n\t%+v", i, got[i], want[i])
		}
	}
	return ""
}

// CheckBreak breaks out of a parallel batch after 700 results and checks
// that every goroutine it started ends.
func CheckBreak[R any](t testing.TB, seq iter.Seq2[*R, error]) {
	t.Helper()
	base := runtime.NumGoroutine()
	n := 0
	for range seq {
		if n++; n == 700 {
			break
		}
	}
	if n != 700 {
		t.Fatalf("the batch ended after %d results, want at least 700", n)
	}
	for range 200 {
		if runtime.NumGoroutine() <= base {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d goroutines left after break, %d before", runtime.NumGoroutine(), base)
}

// ReusingSnapshots yields copies of snaps through one reused snapshot, as a
// decoding iterator would; a nil stays nil.
func ReusingSnapshots(snaps []*valuepath.Snapshot) iter.Seq[*valuepath.Snapshot] {
	return func(yield func(*valuepath.Snapshot) bool) {
		var buf valuepath.Snapshot
		for _, s := range snaps {
			var out *valuepath.Snapshot
			if s != nil {
				s.CloneInto(&buf)
				out = &buf
			}
			if !yield(out) {
				return
			}
		}
	}
}
