package batchtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
)

// BenchOptions are the batch options every batch benchmark runs with: one
// goroutine, two copying each input (safe for an iterator that reuses its
// snapshot), and two reading the inputs in place (a slice of distinct
// snapshots), so that one run measures what a second core gives.
var BenchOptions = []valuepath.BatchOptions{{Concurrency: 1}, {Concurrency: 2}, {Concurrency: 2, InPlace: true}}

// CompareHandWritten times a batch against its hand-written loop over the
// same accounts, under every one of [BenchOptions]: in each op, lib runs
// the batch with the options and returns a checksum of its results, then
// hand runs the hand-written loop over rows [lo, hi) of as many contiguous
// shards as the options have goroutines and returns the same checksum for
// its rows. The benchmark fails when the two disagree, and reports
// [ReportRatio]'s figures. hand should total its shard in a variable of its
// own: a total shared by the shards, written for every account, bounces its
// cache line between the cores and slows the baseline.
func CompareHandWritten(b *testing.B, accounts int, lib func(*testing.B, valuepath.BatchOptions) int, hand func(lo, hi int) int) {
	for _, opt := range BenchOptions {
		b.Run(BenchName(opt), func(b *testing.B) {
			var tLib, tHand Clock
			b.ReportAllocs()
			for range b.N {
				start := Now()
				got := lib(b, opt)
				tLib.Add(start.Since())
				start = Now()
				parts := make([]int, opt.Concurrency)
				batch.Split(opt.Concurrency, accounts, 1, func(w, lo, hi int) { parts[w] = hand(lo, hi) })
				want := 0
				for _, p := range parts {
					want += p
				}
				tHand.Add(start.Since())
				if got != want {
					b.Fatalf("library %d, hand-written loop %d", got, want)
				}
			}
			ReportRatio(b, float64(accounts), tLib, tHand)
		})
	}
}

// CompareSlice times a batch over a slice against its hand-written loop
// over the same accounts, on one goroutine and on two: in each op, lib
// fills the batch's destination with the options, then hand fills the
// hand-written loop's destination for rows [lo, hi) of as many contiguous
// shards as the options have goroutines. Only these two are timed. The
// benchmark fails when agree, which compares the two destinations, returns
// an error, and reports [ReportRatio]'s figures.
func CompareSlice(b *testing.B, accounts int, lib func(*testing.B, valuepath.BatchOptions), hand func(lo, hi int), agree func() error) {
	for _, w := range []int{1, 2} {
		opt := valuepath.BatchOptions{Concurrency: w}
		b.Run(BenchName(opt), func(b *testing.B) {
			var tLib, tHand Clock
			b.ReportAllocs()
			for range b.N {
				start := Now()
				lib(b, opt)
				tLib.Add(start.Since())
				start = Now()
				batch.Split(w, accounts, 1, func(_, lo, hi int) { hand(lo, hi) })
				tHand.Add(start.Since())
				if err := agree(); err != nil {
					b.Fatal(err)
				}
			}
			ReportRatio(b, float64(accounts), tLib, tHand)
		})
	}
}

// BenchName names a sub-benchmark after its options: "workers=2,in-place".
func BenchName(opt valuepath.BatchOptions) string {
	name := fmt.Sprintf("workers=%d", opt.Concurrency)
	if opt.InPlace {
		name += ",in-place"
	}
	return name
}

// Clock is wall and process CPU time (user and system, all threads): a
// busy shared machine inflates CPU time less than wall time, so a ratio of
// CPU times is the steadier one, while wall time shows what a second core
// gives.
type Clock struct{ Wall, CPU time.Duration }

// Now reads both clocks.
func Now() Clock {
	return Clock{time.Duration(time.Now().UnixNano()), CPUTime()}
}

// Since returns the time elapsed on both clocks since c.
func (c Clock) Since() Clock {
	d := Now()
	return Clock{d.Wall - c.Wall, d.CPU - c.CPU}
}

// Add adds d to c.
func (c *Clock) Add(d Clock) { c.Wall += d.Wall; c.CPU += d.CPU }

// ReportRatio reports a batch benchmark's figures for accounts per op: the
// library's and the hand-written loop's wall time per account, their ratio
// (x-handwritten), the library's CPU time per account, the ratio of CPU
// times (cpu-x-handwritten, steadier on a busy machine) and the library's
// throughput.
func ReportRatio(b *testing.B, accounts float64, lib, hand Clock) {
	n := float64(b.N) * accounts
	b.ReportMetric(float64(lib.Wall.Nanoseconds())/n, "ns/account")
	b.ReportMetric(float64(hand.Wall.Nanoseconds())/n, "ns/account-handwritten")
	b.ReportMetric(float64(lib.Wall)/float64(hand.Wall), "x-handwritten")
	b.ReportMetric(float64(lib.CPU.Nanoseconds())/n, "cpu-ns/account")
	b.ReportMetric(float64(lib.CPU)/float64(hand.CPU), "cpu-x-handwritten")
	b.ReportMetric(n/lib.Wall.Seconds(), "accounts/s")
}
