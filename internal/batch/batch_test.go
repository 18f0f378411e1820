package batch_test

import (
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuepath/valuepath/internal/batch"
)

// reusing yields 0..n-1 through one reused buffer, as a decoding iterator
// would: a batch that kept the pointer instead of copying would see only
// the last value.
func reusing(n int) iter.Seq[*[1]int] {
	return func(yield func(*[1]int) bool) {
		var buf [1]int
		for i := range n {
			buf[0] = i
			if !yield(&buf) {
				return
			}
		}
	}
}

var errOdd = errors.New("odd")

func square(workers int) func() func(*int, *int) error {
	return func() func(*int, *int) error {
		return func(in, out *int) error {
			*out = *in * *in
			if *in%7 == 3 {
				return fmt.Errorf("item %d: %w", *in, errOdd)
			}
			return nil
		}
	}
}

func put(slot *int, v *[1]int) { *slot = v[0] }

func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	for range 100 {
		if runtime.NumGoroutine() <= want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d goroutines left, want at most %d", runtime.NumGoroutine(), want)
}

func TestOrderedKeepsOrderAndErrors(t *testing.T) {
	base := runtime.NumGoroutine()
	for _, n := range []int{1, 2, 3, 8} {
		for _, total := range []int{0, 1, batch.ChunkSize - 1, batch.ChunkSize, batch.ChunkSize + 1, 10_000} {
			t.Run(fmt.Sprintf("workers=%d/items=%d", n, total), func(t *testing.T) {
				var got []int
				var failed []int
				batch.Ordered(reusing(total), n, put, square(n), func(r *int, err error) bool {
					got = append(got, *r)
					if err != nil {
						require.ErrorIs(t, err, errOdd)
						failed = append(failed, len(got)-1)
					}
					return true
				})
				require.Len(t, got, total)
				for i, v := range got {
					require.Equal(t, i*i, v, "item %d", i)
				}
				for _, i := range failed {
					require.Equal(t, 3, i%7)
				}
				if total > 0 {
					assert.Len(t, failed, (total+3)/7)
				}
			})
		}
	}
	waitGoroutines(t, base)
}

func TestOrderedStopsEarly(t *testing.T) {
	base := runtime.NumGoroutine()
	var pulled atomic.Int64
	endless := func(yield func(*[1]int) bool) {
		var buf [1]int
		for i := 0; ; i++ {
			pulled.Add(1)
			buf[0] = i
			if !yield(&buf) {
				return
			}
		}
	}
	seen := 0
	batch.Ordered(endless, 2, put, square(2), func(r *int, err error) bool {
		require.Equal(t, seen*seen, *r)
		seen++
		return seen < 1000
	})
	assert.Equal(t, 1000, seen)
	// Memory is bounded: the reader ran at most the chunks in flight ahead.
	assert.LessOrEqual(t, pulled.Load(), int64(1000+(3*2+3+1)*batch.ChunkSize))
	waitGoroutines(t, base)
}

func TestOrderedRethrowsPanics(t *testing.T) {
	base := runtime.NumGoroutine()
	cases := map[string]struct {
		in        iter.Seq[*[1]int]
		newWorker func() func(*int, *int) error
	}{
		"worker": {reusing(5000), func() func(*int, *int) error {
			return func(in, out *int) error {
				if *in == 2000 {
					panic("worker boom")
				}
				return nil
			}
		}},
		"input": {func(yield func(*[1]int) bool) {
			var buf [1]int
			for i := range 5000 {
				if i == 3000 {
					panic("input boom")
				}
				buf[0] = i
				if !yield(&buf) {
					return
				}
			}
		}, square(2)},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, name+" boom", func() {
				batch.Ordered(c.in, 2, put, c.newWorker, func(*int, error) bool { return true })
			})
		})
	}
	waitGoroutines(t, base)
}

// TestOrderedUnevenWork makes some items slow, so that the helpers and the
// caller take chunks in every order (the caller scoring queued chunks, the
// helpers skipping them), and checks that the results still come in order.
func TestOrderedUnevenWork(t *testing.T) {
	base := runtime.NumGoroutine()
	for _, n := range []int{2, 3, 5} {
		t.Run(fmt.Sprintf("workers=%d", n), func(t *testing.T) {
			const total = 30_000
			got := 0
			batch.Ordered(reusing(total), n, put, func() func(*int, *int) error {
				return func(in, out *int) error {
					if *in%(batch.ChunkSize*3+1) == 0 {
						time.Sleep(200 * time.Microsecond)
					}
					*out = *in * *in
					return nil
				}
			}, func(r *int, err error) bool {
				require.NoError(t, err)
				require.Equal(t, got*got, *r, "item %d", got)
				got++
				return true
			})
			assert.Equal(t, total, got)
		})
	}
	waitGoroutines(t, base)
}

// TestOrderedLoopBodyPanics checks that a panic in the caller's loop body
// goes up the caller's stack as in a plain loop, after the helpers ended.
func TestOrderedLoopBodyPanics(t *testing.T) {
	base := runtime.NumGoroutine()
	assert.PanicsWithValue(t, "body boom", func() {
		seen := 0
		batch.Ordered(reusing(10_000), 2, put, square(2), func(*int, error) bool {
			if seen++; seen == 3000 {
				panic("body boom")
			}
			return true
		})
	})
	waitGoroutines(t, base)
}

func TestSplitCoversOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		for _, total := range []int{0, 1, 5, 100, 1001} {
			hits := make([]int32, total)
			used := batch.Split(n, total, 10, func(w, lo, hi int) {
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&hits[i], 1)
				}
			})
			assert.True(t, slices.IndexFunc(hits, func(h int32) bool { return h != 1 }) < 0, "n=%d total=%d", n, total)
			assert.LessOrEqual(t, used, n)
			assert.GreaterOrEqual(t, used, 1)
			if total < 20 {
				assert.Equal(t, 1, used, "small inputs stay on the caller's goroutine")
			}
		}
	}
}

func TestSplitRethrowsPanics(t *testing.T) {
	assert.PanicsWithValue(t, "split boom", func() {
		batch.Split(2, 1000, 1, func(w, lo, hi int) {
			if w == 1 {
				panic("split boom")
			}
		})
	})
}

func TestWorkers(t *testing.T) {
	assert.Equal(t, runtime.GOMAXPROCS(0), batch.Workers(0))
	assert.Equal(t, runtime.GOMAXPROCS(0), batch.Workers(-3))
	assert.Equal(t, 5, batch.Workers(5))
}
