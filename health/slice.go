package health

import (
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
)

// SummarizeSlice scores every snapshot of snaps into dst[i], as
// [Scorecard.SummarizeAll] would yield it: the batch to use when the base is
// already a slice of snapshots in memory. Each goroutine scores one
// contiguous range and writes only its own part of dst, so nothing moves
// between cores per account and a second core nearly halves the time, which
// an ordered stream cannot do; nothing is allocated per account.
//
// dst must hold at least len(snaps) summaries; SummarizeSlice fills
// dst[:len(snaps)] and leaves the rest alone. A dst too short fails before
// anything is written, with a *[valuepath.FieldError] for "dst". A snapshot
// that cannot be scored (nil, or on a schema that lacks one of the
// scorecard's metrics) gets the summary SummarizeAll yields for it, not
// Present and saying why, and the returned error joins, for the first ten
// such snapshots in index order, a *[valuepath.FieldError] naming the index
// ("snaps[17]") that wraps the *[valuepath.AccountError] SummarizeAll
// yields, then a count of the rest.
//
// opt.Concurrency sets how many goroutines score: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 scores on the caller's goroutine.
// Slices shorter than 8,192 snapshots are scored on the caller's goroutine.
// opt.InPlace does not apply: the snapshots are read where they are, and
// must not change until SummarizeSlice returns.
func (sc *Scorecard) SummarizeSlice(snaps []*valuepath.Snapshot, dst []Summary, opt valuepath.BatchOptions) error {
	return batch.OverSlice("health", "snaps", "snapshots", len(snaps), len(dst), opt, func() func(lo, hi int, fail func(int, error)) {
		z := sc.newSummarizer()
		return func(lo, hi int, fail func(int, error)) {
			for i := lo; i < hi; i++ {
				if e := z.summarizeInto(snaps[i], &dst[i]); e != nil {
					fail(i, &valuepath.AccountError{Account: dst[i].Account, Err: e})
				}
			}
		}
	})
}

// ScoreSlice scores every snapshot of snaps with full explanation into
// dst[i], as [Scorecard.ScoreAll] would yield it: the batch to use when the
// base is already a slice of snapshots in memory. Each goroutine scores one
// contiguous range and writes only its own part of dst, so nothing moves
// between cores per account and a second core nearly halves the time.
//
// Each dst[i] is filled as [Scorecard.ScoreInto] fills it: its slices grow
// on first use and are reused after, so a dst reused from one call to the
// next allocates nothing per account. dst must hold at least len(snaps)
// scores; ScoreSlice fills dst[:len(snaps)] and leaves the rest alone. A
// dst too short fails before anything is written, with a
// *[valuepath.FieldError] for "dst". A snapshot that cannot be scored gets
// the score ScoreAll yields for it, not Present and saying why, and the
// returned error joins, for the first ten such snapshots in index order, a
// *[valuepath.FieldError] naming the index ("snaps[17]") that wraps the
// *[valuepath.AccountError] ScoreAll yields, then a count of the rest.
//
// opt.Concurrency sets how many goroutines score: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 scores on the caller's goroutine.
// Slices shorter than 8,192 snapshots are scored on the caller's goroutine.
// opt.InPlace does not apply: the snapshots are read where they are, and
// must not change until ScoreSlice returns.
func (sc *Scorecard) ScoreSlice(snaps []*valuepath.Snapshot, dst []Score, opt valuepath.BatchOptions) error {
	return batch.OverSlice("health", "snaps", "snapshots", len(snaps), len(dst), opt, func() func(lo, hi int, fail func(int, error)) {
		return func(lo, hi int, fail func(int, error)) {
			for i := lo; i < hi; i++ {
				if e := sc.ScoreInto(snaps[i], &dst[i]); e != nil {
					fail(i, &valuepath.AccountError{Account: dst[i].Account, Err: e})
				}
			}
		}
	})
}
