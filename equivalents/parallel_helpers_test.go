package equivalents_test

import (
	"errors"
	"iter"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath"
)

// batchRow is one batch result as the parallel tests compare it.
type batchRow[V any] struct {
	V   V
	Err string
}

// collect ranges over seq, keeping a copy of every result (view) and the
// text of its error, which must be an *AccountError.
func collect[R, V any](t *testing.T, seq iter.Seq2[*R, error], view func(*R) V) []batchRow[V] {
	t.Helper()
	var out []batchRow[V]
	for r, err := range seq {
		x := batchRow[V]{V: view(r)}
		if err != nil {
			var ae *valuepath.AccountError
			require.True(t, errors.As(err, &ae), "%v is not an *AccountError", err)
			x.Err = err.Error()
		}
		out = append(out, x)
	}
	return out
}

// checkParallel runs a batch serially and with 2, 3 and every core, over a
// slice and over reuse (an iterator that yields the inputs through reused
// storage), and fails on any difference; the serial run must have failures.
func checkParallel[In, V any](t *testing.T, in []In, reuse func([]In) iter.Seq[In], run func(iter.Seq[In], valuepath.BatchOptions) []batchRow[V]) {
	t.Helper()
	want := run(slices.Values(in), valuepath.BatchOptions{Concurrency: 1})
	require.Len(t, want, len(in))
	failed := 0
	for _, r := range want {
		if r.Err != "" {
			failed++
		}
	}
	require.NotZero(t, failed, "no failing account in the test data")
	require.Less(t, failed, len(in)/2, "most accounts fail")
	for _, c := range []int{2, 3, 0} {
		for name, seq := range map[string]iter.Seq[In]{"slice": slices.Values(in), "reusing iterator": reuse(in)} {
			got := run(seq, valuepath.BatchOptions{Concurrency: c})
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Concurrency %d over a %s differs from serial (-want +got):\n%s", c, name, d)
			}
		}
		got := run(slices.Values(in), valuepath.BatchOptions{Concurrency: c, InPlace: true})
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Concurrency %d in place over a slice differs from serial (-want +got):\n%s", c, d)
		}
	}
}

// checkBreak breaks out of a parallel batch early and checks that every
// goroutine it started ends.
func checkBreak[R any](t *testing.T, seq iter.Seq2[*R, error]) {
	t.Helper()
	base := runtime.NumGoroutine()
	n := 0
	for range seq {
		if n++; n == 700 {
			break
		}
	}
	require.Equal(t, 700, n)
	for range 200 {
		if runtime.NumGoroutine() <= base {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d goroutines left after break, %d before", runtime.NumGoroutine(), base)
}

// reusingSnapshots yields copies of snaps through one reused snapshot, as a
// decoding iterator would; a nil stays nil.
func reusingSnapshots(snaps []*valuepath.Snapshot) iter.Seq[*valuepath.Snapshot] {
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
