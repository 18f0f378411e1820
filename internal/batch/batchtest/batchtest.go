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
	"strings"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
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

// CheckSlice checks a batch over a slice against the rows of the same
// batch as a stream (want, from [Collect] on one goroutine): run fills dst
// from in with the given options. It runs serially and on 3 and every
// core, into a fresh dst and into one reused from the runs before, and
// fails when a result's view differs from the stream's, when a result past
// len(in) is written, or when the error is not the stream's errors in index
// order, each named "pkg: name[i]: ", the first batch.MaxErrors of them and
// then "and k more <noun> that failed". in must be long enough for two
// goroutines (2×batch.MinPerWorker) and fail more than MaxErrors times.
func CheckSlice[In, R, V any](t testing.TB, pkg, name, noun string, in []In, want []Row[V], run func([]In, []R, valuepath.BatchOptions) error, view func(*R) V) {
	t.Helper()
	if len(in) < 2*batch.MinPerWorker {
		t.Fatalf("%d inputs: too few for two goroutines", len(in))
	}
	if len(want) != len(in) {
		t.Fatalf("%d stream rows for %d inputs", len(want), len(in))
	}
	var failed []int
	for i, r := range want {
		if r.Err != "" {
			failed = append(failed, i)
		}
	}
	if len(failed) <= batch.MaxErrors {
		t.Fatalf("%d inputs fail: the test needs more than %d", len(failed), batch.MaxErrors)
	}
	reused := make([]R, len(in)+1)
	untouched := view(&reused[len(in)])
	for _, c := range []int{1, 3, 0} {
		for _, dst := range [][]R{make([]R, len(in)+1), reused} {
			opt := valuepath.BatchOptions{Concurrency: c}
			err := run(in, dst, opt)
			got := make([]Row[V], len(in))
			for i := range in {
				got[i].V, got[i].Err = view(&dst[i]), want[i].Err
			}
			if d := firstDiff(want, got); d != "" {
				t.Fatalf("Concurrency %d differs from the stream: %s", c, d)
			}
			if v := view(&dst[len(in)]); !reflect.DeepEqual(v, untouched) {
				t.Fatalf("Concurrency %d wrote past the inputs: %+v", c, v)
			}
			var lines []string
			for _, i := range failed[:batch.MaxErrors] {
				lines = append(lines, fmt.Sprintf("%s: %s[%d]: %s", pkg, name, i, want[i].Err))
			}
			lines = append(lines, fmt.Sprintf("%s: and %d more %s that failed", pkg, len(failed)-batch.MaxErrors, noun))
			if err == nil || err.Error() != strings.Join(lines, "\n") {
				t.Fatalf("Concurrency %d: error\n\t%v\nwant\n\t%s", c, err, strings.Join(lines, "\n\t"))
			}
			var fe *valuepath.FieldError
			var ae *valuepath.AccountError
			if !errors.As(err, &fe) || !errors.As(err, &ae) {
				t.Fatalf("Concurrency %d: %v is not a *FieldError wrapping an *AccountError", c, err)
			}
		}
	}
	short := make([]R, len(in)-1)
	if err := run(in, short, valuepath.BatchOptions{}); err == nil || !errors.Is(err, valuepath.ErrInvalid) || !strings.HasPrefix(err.Error(), pkg+": dst: ") {
		t.Fatalf("dst one short: %v, want a %q error", err, pkg+": dst: ")
	}
	for _, i := range []int{0, len(short) - 1} {
		if v := view(&short[i]); !reflect.DeepEqual(v, untouched) {
			t.Fatalf("dst one short: result %d was written: %+v", i, v)
		}
	}
}

// Spoil makes some of snaps fail, as the batch checks need: every
// nilEvery-th becomes nil and, of the rest, every otherEvery-th moves to a
// schema of one metric, "x", that no test model reads, keeping its account
// and time.
func Spoil(snaps []*valuepath.Snapshot, nilEvery, otherEvery int) {
	other := valuepath.Must(valuepath.NewSchema("x"))
	for i, s := range snaps {
		switch {
		case (i+1)%nilEvery == 0:
			snaps[i] = nil
		case (i+1)%otherEvery == 0 && s != nil:
			snaps[i] = valuepath.NewSnapshot(other, s.Account, s.AsOf)
		}
	}
}
