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
	"sync/atomic"
	"time"
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

// A chunk's state: filling (the caller is putting items in), queued
// (full, waiting for a goroutine), helping (a helper scores it and sends on
// done when it has), ready (its results are there for the caller).
const (
	filling int32 = iota
	queued
	helping
	ready
)

// cacheLine pads the structs that two cores use, so that what one core
// writes never shares a cache line with what another reads: on the 2-core
// benchmark machine (a virtual machine) a line bounced between cores takes
// ~260 ns each way, about a trip to memory.
type cacheLine [64]byte

type chunk[Slot, R any] struct {
	_     cacheLine
	slots []Slot
	res   []R
	errs  []error
	n     int
	state atomic.Int32
	done  chan struct{}
	_     cacheLine
}

func newChunk[Slot, R any]() *chunk[Slot, R] {
	return &chunk[Slot, R]{
		slots: make([]Slot, ChunkSize),
		res:   make([]R, ChunkSize),
		errs:  make([]error, ChunkSize),
		done:  make(chan struct{}, 1),
	}
}

// score runs do over c's items: the slices are read once, so that the loop
// touches c's header only before it starts.
func (c *chunk[Slot, R]) score(do func(*Slot, *R) error) {
	slots, res, errs := c.slots[:c.n], c.res[:c.n], c.errs[:c.n]
	for i := range slots {
		errs[i] = do(&slots[i], &res[i])
	}
}

// claim takes a queued chunk for the goroutine that calls it, as to.
func (c *chunk[Slot, R]) claim(to int32) bool { return c.state.CompareAndSwap(queued, to) }

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

// spinWait is how long a goroutine of [Ordered] with nothing to do polls
// before it parks: about the time it takes to wake a parked thread on a
// virtual machine (measured at 30–200µs on the 2-core benchmark machine), so
// a short gap in the work costs no wake-up, and a long one at most this much
// polling.
const spinWait = 100 * time.Microsecond

// Ordered ranges over in, copies each item into a slot with put (so an
// iterator that reuses what it yields is safe), and scores the slots in
// chunks of [ChunkSize] on n goroutines: the caller's and n-1 helpers, each
// with its own state from newWorker. It yields every item's result and
// error in input order, on the caller's goroutine, from inside the loop over
// in. The yielded *R is reused once the loop body returns. At most 3n+3
// chunks are in flight at once, however long in is: enough that a helper
// still has queued work while the caller scores a chunk (2n+2 left the
// helper idle about a tenth of the time).
//
// The caller's goroutine reads the input, scores chunks itself whenever
// that many are in flight, and yields; the helpers score the other chunks.
// No goroutine is started for the reading or the yielding, so n goroutines
// keep n cores busy, and one that runs out of work polls for [spinWait]
// before it parks: on a virtual machine, waking a parked thread costs more
// than scoring a chunk.
//
// Ordered returns when in is exhausted or yield returns false, after every
// goroutine it started has ended. A panic in a helper is re-raised on the
// caller's goroutine; one in in, put, yield or the caller's own scoring
// goes up the caller's stack as in a plain loop, once the helpers have
// ended.
func Ordered[In, Slot, R any](in iter.Seq[In], n int, put func(*Slot, In), newWorker func() func(*Slot, *R) error, yield func(*R, error) bool) {
	n = max(n, 1)
	o := &ordered[In, Slot, R]{
		put: put, newWorker: newWorker, yield: yield,
		window:  3*n + 3,
		helpers: n - 1,
		work:    make(chan *chunk[Slot, R], 2*(3*n+3)),
		stopCh:  make(chan struct{}),
	}
	defer func() {
		o.stop()
		close(o.work)
		o.wg.Wait()
		o.pb.rethrow()
	}()
	for range o.helpers {
		o.wg.Add(1)
		go o.help()
	}
	for item := range in {
		if !o.add(item) {
			return
		}
	}
	if o.cur != nil && !o.send() {
		return
	}
	o.drain(true)
}

// ordered is the state of one [Ordered] call. The caller's goroutine owns
// every field but the channels, the panic box and the wait group.
type ordered[In, Slot, R any] struct {
	_         cacheLine
	put       func(*Slot, In)
	newWorker func() func(*Slot, *R) error
	yield     func(*R, error) bool
	window    int // chunks in flight at most
	helpers   int
	work      chan *chunk[Slot, R]
	stopCh    chan struct{}
	once      sync.Once
	pb        panicBox
	wg        sync.WaitGroup

	own func(*Slot, *R) error // the caller's worker state
	// inFlight holds the full chunks, oldest first; free the emptied ones,
	// reused oldest first, so that a helper rarely writes lines the caller
	// has just read.
	inFlight, free ring[*chunk[Slot, R]]
	cur            *chunk[Slot, R] // being filled
	filled         int             // items in cur
	_              cacheLine
}

func (o *ordered[In, Slot, R]) stop() { o.once.Do(func() { close(o.stopCh) }) }

func (o *ordered[In, Slot, R]) stopped() bool {
	select {
	case <-o.stopCh:
		return true
	default:
		return false
	}
}

// help is a helper goroutine: it scores the queued chunks it can claim
// until the work channel is closed or the batch stops.
func (o *ordered[In, Slot, R]) help() {
	defer o.wg.Done()
	defer o.pb.catch(o.stop)
	var do func(*Slot, *R) error
	for {
		c, ok := next(o.work, o.stopCh)
		if !ok {
			return
		}
		if !c.claim(helping) {
			continue // the caller took it, or it is a stale entry
		}
		if o.stopped() {
			c.done <- struct{}{}
			return
		}
		if do == nil {
			do = o.newWorker()
		}
		c.score(do)
		c.done <- struct{}{}
	}
}

// add puts item into the chunk being filled, sending the chunk when full;
// it reports false when the batch has stopped.
func (o *ordered[In, Slot, R]) add(item In) bool {
	if o.cur == nil {
		if o.free.len() > 0 {
			o.cur = o.free.pop()
		} else {
			o.cur = newChunk[Slot, R]()
		}
		o.filled = 0
	}
	o.put(&o.cur.slots[o.filled], item)
	o.filled++
	if o.filled == ChunkSize {
		return o.send()
	}
	return true
}

// send queues the chunk being filled for the helpers and yields whatever
// is ready; it reports false when the batch has stopped.
func (o *ordered[In, Slot, R]) send() bool {
	c := o.cur
	c.n = o.filled
	o.cur, o.filled = nil, 0
	c.state.Store(queued)
	if o.helpers > 0 {
		select {
		case o.work <- c:
		default: // the queue is full of stale entries: the caller scores it
		}
	}
	o.inFlight.push(c)
	return o.drain(false) && !o.stopped()
}

func (o *ordered[In, Slot, R]) scoreHere(c *chunk[Slot, R]) {
	if o.own == nil {
		o.own = o.newWorker()
	}
	c.score(o.own)
}

// isReady reports whether c's results can be yielded, waiting for a helper
// to finish them when wait is set; it reports false when the batch has
// stopped.
func (o *ordered[In, Slot, R]) isReady(c *chunk[Slot, R], wait bool) bool {
	switch c.state.Load() {
	case ready:
		return true
	case helping:
	default:
		return false
	}
	if wait {
		if _, ok := next(c.done, o.stopCh); !ok {
			return false
		}
	} else {
		select {
		case <-c.done:
		default:
			return false
		}
	}
	c.state.Store(ready)
	return true
}

// emit yields the oldest chunk's results and recycles it; it reports false
// when the loop body asked to stop.
func (o *ordered[In, Slot, R]) emit() bool {
	c := o.inFlight.pop()
	res, errs := c.res[:c.n], c.errs[:c.n]
	for i := range res {
		if !o.yield(&res[i], errs[i]) {
			return false
		}
	}
	c.state.Store(filling)
	o.free.push(c)
	return true
}

// settle takes the oldest chunk (scoring it here if no helper has) or,
// while a helper scores it, scores the newest chunk no one has taken; with
// neither, it waits for the oldest. It reports false when the batch has
// stopped.
func (o *ordered[In, Slot, R]) settle() bool {
	oldest := o.inFlight.at(0)
	if oldest.claim(ready) {
		o.scoreHere(oldest)
		return true
	}
	for i := o.inFlight.len() - 1; i > 0; i-- {
		if c := o.inFlight.at(i); c.claim(ready) {
			o.scoreHere(c)
			return true
		}
	}
	return o.isReady(oldest, true)
}

// drain yields every chunk at the head that is ready, settling the head
// first while the window is full (or, when final, until none is left). It
// reports false when the batch has stopped or the loop body asked to.
func (o *ordered[In, Slot, R]) drain(final bool) bool {
	for o.inFlight.len() > 0 {
		if o.isReady(o.inFlight.at(0), false) {
			if !o.emit() {
				return false
			}
			continue
		}
		if !final && o.inFlight.len() < o.window {
			return true
		}
		if !o.settle() {
			return false
		}
	}
	return true
}

// ring is a FIFO queue that reuses its storage.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (r *ring[T]) len() int { return r.size }

// at returns the i-th oldest item.
func (r *ring[T]) at(i int) T { return r.buf[(r.head+i)%len(r.buf)] }

func (r *ring[T]) push(v T) {
	if r.size == len(r.buf) {
		grown := make([]T, max(2*len(r.buf), 8))
		for i := range r.size {
			grown[i] = r.at(i)
		}
		r.buf, r.head = grown, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

func (r *ring[T]) pop() T {
	var zero T
	v := r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v
}

// next receives from ch, polling for [spinWait] before it parks; it
// reports false once ch is closed and empty or the batch has stopped.
func next[C any](ch <-chan C, stopCh <-chan struct{}) (C, bool) {
	var zero C
	var deadline time.Time
	for i := 0; ; i++ {
		select {
		case c, ok := <-ch:
			return c, ok
		case <-stopCh:
			return zero, false
		default:
		}
		if i&63 == 0 {
			if now := time.Now(); deadline.IsZero() {
				deadline = now.Add(spinWait)
			} else if now.After(deadline) {
				break
			}
		}
		runtime.Gosched()
	}
	select {
	case c, ok := <-ch:
		return c, ok
	case <-stopCh:
		return zero, false
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
