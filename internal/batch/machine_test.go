package batch_test

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch"
)

// The benchmarks of this file measure the machine rather than the package:
// the two costs that decide how [batch.Ordered] hands work between cores.
// BENCHMARKS.md ("The machine") has their figures.

// spin busies the calling goroutine for d without parking it.
func spin(d time.Duration) {
	for t := time.Now(); time.Since(t) < d; {
	}
}

// BenchmarkWakeParked measures how long a goroutine parked on a channel
// takes to run once a value is sent, after it has waited idle for a while
// (its thread asleep): the cost of a hand-over that finds the other core
// idle.
func BenchmarkWakeParked(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs 2 cores")
	}
	for _, idle := range []time.Duration{0, 100 * time.Microsecond, time.Millisecond} {
		b.Run("idle="+idle.String(), func(b *testing.B) {
			ch := make(chan time.Time)
			var total atomic.Int64
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for t := range ch {
					total.Add(int64(time.Since(t)))
				}
			}()
			for range b.N {
				spin(idle)
				ch <- time.Now()
				spin(50 * time.Microsecond) // let it run and park again
			}
			close(ch)
			wg.Wait()
			b.ReportMetric(float64(total.Load())/float64(b.N)/1e3, "µs-to-wake")
		})
	}
}

// BenchmarkForkJoin splits 2×work of busy time over two goroutines with
// batch.Split, one new goroutine per call: with a parked second core, the
// wake-up is paid on every call.
func BenchmarkForkJoin(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs 2 cores")
	}
	for _, work := range []time.Duration{100 * time.Microsecond, time.Millisecond} {
		b.Run("work="+work.String(), func(b *testing.B) {
			for range b.N {
				batch.Split(2, 2, 1, func(int, int, int) { spin(work) })
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(work), "x-work")
		})
	}
}

// BenchmarkLineBounce passes a counter back and forth between two
// goroutines through one cache line: an op is a round trip, two moves of
// the line between the cores.
func BenchmarkLineBounce(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs 2 cores")
	}
	var flag atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < b.N; i++ {
			for flag.Load() != int64(2*i+1) {
			}
			flag.Store(int64(2*i + 2))
		}
	}()
	for i := 0; i < b.N; i++ {
		flag.Store(int64(2*i + 1))
		for flag.Load() != int64(2*i+2) {
		}
	}
	<-done
}

// BenchmarkOrderedOverhead runs Ordered over 1<<20 items with next to no
// work per item: what the hand-over costs per item, on one goroutine and
// on two.
func BenchmarkOrderedOverhead(b *testing.B) {
	items := make([]*float64, 1<<20)
	for i := range items {
		v := float64(i)
		items[i] = &v
	}
	put := func(slot **float64, v *float64) { *slot = v }
	newWorker := func() func(**float64, *float64) error {
		return func(in **float64, out *float64) error { *out = **in * 2; return nil }
	}
	for _, n := range []int{1, 2} {
		b.Run("workers="+string(rune('0'+n)), func(b *testing.B) {
			b.ReportAllocs()
			sum := 0.0
			for range b.N {
				batch.Ordered(slices.Values(items), n, put, newWorker, func(r *float64, _ error) bool { sum += *r; return true })
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(items)), "ns/item")
		})
	}
}

// BenchmarkMemoryWrite fills 1 GiB (far past every cache) with 8-byte
// stores on 1 and 2 goroutines, one contiguous half each: the memory
// bandwidth a batch that writes large results (a full explanation per
// account) shares between the cores.
func BenchmarkMemoryWrite(b *testing.B) {
	buf := make([]uint64, 1<<27)
	for _, w := range []int{1, 2} {
		b.Run("workers="+string(rune('0'+w)), func(b *testing.B) {
			for i := range b.N {
				batch.Split(w, len(buf), 1, func(_, lo, hi int) {
					for j := lo; j < hi; j++ {
						buf[j] = uint64(i + j)
					}
				})
			}
			b.ReportMetric(float64(len(buf)*8)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
}
