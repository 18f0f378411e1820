// Package batch runs the SDK's batch methods on several goroutines while
// keeping their results in input order and their memory bounded.
//
// Two shapes cover the batch paths: [Ordered] for a stream (an iter.Seq of
// accounts, results yielded in input order on the caller's goroutine) and
// [Split] for data already in memory (columns or a slice, cut into one
// contiguous range per worker). Both re-raise a panic of the caller's code on
// the caller's goroutine and return only once every goroutine they started
// has ended.
package batch

import (
	"iter"
	"runtime"
	"sync"
)

// ChunkSize is how many items travel together between the goroutines of
// [Ordered]: large enough that the hand-over costs little beside the work,
// small enough that memory stays a few chunks per worker.
const ChunkSize = 256

// Workers resolves a valuepath.BatchOptions.Concurrency value: zero or less
// means runtime.GOMAXPROCS(0).
func Workers(concurrency int) int {
	if concurrency <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return concurrency
}

type chunk[Slot, R any] struct {
	slots []Slot
	res   []R
	errs  []error
	n     int
	done  chan struct{}
}

// panicBox keeps the first panic of any goroutine, to be re-raised on the
// caller's goroutine.
type panicBox struct {
	mu  sync.Mutex
	set bool
	val any
}

func (p *panicBox) catch(stop func()) {
	if r := recover(); r != nil {
		p.mu.Lock()
		if !p.set {
			p.set, p.val = true, r
		}
		p.mu.Unlock()
		stop()
	}
}

func (p *panicBox) rethrow() {
	p.mu.Lock()
	set, val := p.set, p.val
	p.mu.Unlock()
	if set {
		panic(val)
	}
}

// Ordered ranges over in on a separate goroutine, copies each item into a
// slot with put (so an iterator that reuses what it yields is safe), hands
// the slots in chunks of [ChunkSize] to n workers, each with its own state
// from newWorker, and yields every item's result and error in input order on
// the caller's goroutine. The yielded *R is reused once the loop body
// returns. At most 2n+2 chunks exist at once, however long in is.
//
// Ordered returns when in is exhausted or yield returns false, after every
// goroutine it started has ended (an in that blocks delays that return). A
// panic in in, put or a worker is re-raised on the caller's goroutine.
func Ordered[In, Slot, R any](in iter.Seq[In], n int, put func(*Slot, In), newWorker func() func(*Slot, *R) error, yield func(*R, error) bool) {
	n = max(n, 1)
	maxChunks := 2*n + 2
	free := make(chan *chunk[Slot, R], maxChunks)
	work := make(chan *chunk[Slot, R], maxChunks)
	ordered := make(chan *chunk[Slot, R], maxChunks)
	stopCh := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(stopCh) }) }
	stopped := func() bool {
		select {
		case <-stopCh:
			return true
		default:
			return false
		}
	}
	var pb panicBox
	var wg sync.WaitGroup
	defer func() {
		stop()
		wg.Wait()
		pb.rethrow()
	}()

	allocated := 0 // read and written by the reader goroutine only
	get := func() *chunk[Slot, R] {
		select {
		case c := <-free:
			return c
		default:
		}
		if allocated < maxChunks {
			allocated++
			return &chunk[Slot, R]{
				slots: make([]Slot, ChunkSize),
				res:   make([]R, ChunkSize),
				errs:  make([]error, ChunkSize),
				done:  make(chan struct{}, 1),
			}
		}
		select {
		case c := <-free:
			return c
		case <-stopCh:
			return nil
		}
	}

	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ordered)
		defer close(work)
		defer pb.catch(stop)
		var c *chunk[Slot, R]
		// Every chunk is in at most one of free, work and ordered's
		// buffers, each of capacity maxChunks, so these sends never block.
		flush := func() {
			work <- c
			ordered <- c
			c = nil
		}
		for item := range in {
			if c == nil {
				if c = get(); c == nil {
					return
				}
				c.n = 0
			}
			put(&c.slots[c.n], item)
			c.n++
			if c.n == ChunkSize {
				flush()
				if stopped() {
					return
				}
			}
		}
		if c != nil {
			flush()
		}
	}()

	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer pb.catch(stop)
			var do func(*Slot, *R) error
			for c := range work {
				if !stopped() {
					if do == nil {
						do = newWorker()
					}
					for i := range c.n {
						c.errs[i] = do(&c.slots[i], &c.res[i])
					}
				}
				c.done <- struct{}{}
			}
		}()
	}

	for c := range ordered {
		select {
		case <-c.done:
		case <-stopCh:
			return
		}
		for i := range c.n {
			if !yield(&c.res[i], c.errs[i]) {
				return
			}
		}
		free <- c
	}
}

// Split cuts [0, total) into at most n contiguous ranges of near-equal
// length and calls fn(worker, lo, hi) for each on its own goroutine (the
// first on the caller's). It returns when all have returned; a panic in fn
// is re-raised on the caller's goroutine. With n of 1, or total below
// minPerWorker×2, fn runs once over the whole range on the caller's
// goroutine. It returns the number of ranges used.
func Split(n, total, minPerWorker int, fn func(worker, lo, hi int)) int {
	n = max(n, 1)
	if minPerWorker > 0 {
		n = min(n, max(total/minPerWorker, 1))
	}
	n = min(n, max(total, 1))
	if n == 1 {
		fn(0, 0, total)
		return 1
	}
	var pb panicBox
	var wg sync.WaitGroup
	bounds := func(w int) (int, int) { return total * w / n, total * (w + 1) / n }
	for w := 1; w < n; w++ {
		lo, hi := bounds(w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer pb.catch(func() {})
			fn(w, lo, hi)
		}()
	}
	func() {
		defer pb.catch(func() {})
		lo, hi := bounds(0)
		fn(0, lo, hi)
	}()
	wg.Wait()
	pb.rethrow()
	return n
}
