package batchtest

import (
	"fmt"
	"time"

	"github.com/valuepath/valuepath"
)

// BenchOptions are the batch options every batch benchmark runs with: one
// goroutine, two copying each input (safe for an iterator that reuses its
// snapshot), and two reading the inputs in place (a slice of distinct
// snapshots), so that one run measures what a second core gives.
var BenchOptions = []valuepath.BatchOptions{{Concurrency: 1}, {Concurrency: 2}, {Concurrency: 2, InPlace: true}}

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
