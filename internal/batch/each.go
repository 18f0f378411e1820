package batch

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/valuepath/valuepath"
)

// MaxErrors is how many failed items a batch over a slice or columns lists
// in its error before it only counts the rest, so that a million bad
// accounts give a short error.
const MaxErrors = 10

// Each runs a batch over items [0, total) already in memory: it cuts them as
// [Split] does, into at most n contiguous ranges of at least minPerWorker
// items, and calls newWorker on each range's goroutine for a function that
// handles items lo..hi-1 in order, calling fail(i, err) for each item i that
// failed. Each returns nil if no item failed. Otherwise it returns the
// first MaxErrors failures, in index order, each as wrap(i, err), joined
// with more(k) when k further items failed.
func Each(n, total, minPerWorker int, newWorker func() func(lo, hi int, fail func(i int, err error)), wrap func(i int, err error) error, more func(k int) error) error {
	type failed struct {
		i   int
		err error
	}
	type tally struct {
		first []failed
		count int
		_     cacheLine // tallies of different goroutines in different lines
	}
	tallies := make([]tally, max(n, 1))
	Split(n, total, minPerWorker, func(w, lo, hi int) {
		t := &tallies[w]
		newWorker()(lo, hi, func(i int, err error) {
			if len(t.first) < MaxErrors {
				t.first = append(t.first, failed{i, err})
			}
			t.count++
		})
	})
	// Ranges are in index order and each lists its first failures, so the
	// first MaxErrors overall are the first MaxErrors of the concatenation.
	var errs []error
	count := 0
	for _, t := range tallies {
		for _, f := range t.first {
			if len(errs) < MaxErrors {
				errs = append(errs, wrap(f.i, f.err))
			}
		}
		count += t.count
	}
	if count > len(errs) {
		errs = append(errs, more(count-len(errs)))
	}
	return errors.Join(errs...)
}

// MinPerWorker is the fewest accounts worth a goroutine of their own in a
// batch over data in memory: at a few hundred nanoseconds an account, a
// range of them outlasts waking a parked core many times over.
const MinPerWorker = 4096

// OverSlice runs [Each] for a batch method over a slice in memory: total
// inputs, called name in the method's signature ("snaps") and noun in its
// messages ("snapshots"), into a destination with room for room results.
// It fails before anything runs, with a *valuepath.FieldError for "dst", when
// room < total; it wraps the failure of input i as a *valuepath.FieldError
// for name[i], and counts the failures past the first MaxErrors in one more
// error. Workers are as opt.Concurrency says, each with at least
// MinPerWorker inputs.
func OverSlice(pkg, name, noun string, total, room int, opt valuepath.BatchOptions, newWorker func() func(lo, hi int, fail func(i int, err error))) error {
	if room < total {
		return &valuepath.FieldError{Pkg: pkg, Path: "dst", Err: fmt.Errorf("%w: room for %d results, %d %s", valuepath.ErrInvalid, room, total, noun)}
	}
	return Each(Workers(opt.Concurrency), total, MinPerWorker, newWorker, func(i int, err error) error {
		return &valuepath.FieldError{Pkg: pkg, Path: name + "[" + strconv.Itoa(i) + "]", Err: err}
	}, func(k int) error {
		return fmt.Errorf("%s: and %d more %s that failed", pkg, k, noun)
	})
}
