package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// deadlineCtx is the context of a request's work: the request's context
// with the configured deadline, made without arming a runtime timer.
// context.WithTimeout allocates a timer context and starts and stops a
// timer on every request; a provider that only polls Err (the in-memory
// one) never needs the timer, so Err compares the clock with the deadline
// instead. The first call to Done or Value (which is also how
// context.WithCancel, context.AfterFunc and context.Cause reach it) arms
// a real context.WithDeadline, and from then on every method is that
// context's, so a provider that waits on Done (database/sql does) gets
// exactly what context.WithTimeout gave it.
type deadlineCtx struct {
	parent   context.Context
	deadline time.Time
	start    time.Time     // with its monotonic reading, for time.Since
	timeout  time.Duration // deadline - start
	armed    atomic.Bool   // inner is set
	released atomic.Bool   // the request is over
	mu       sync.Mutex
	inner    context.Context
	cancel   context.CancelFunc
}

// withDeadline returns parent with a deadline d from now (or parent's,
// if earlier). Call release when the request's work is done.
func withDeadline(parent context.Context, d time.Duration) *deadlineCtx {
	now := time.Now()
	dl := now.Add(d)
	if pd, ok := parent.Deadline(); ok && pd.Before(dl) {
		dl, d = pd, pd.Sub(now)
	}
	return &deadlineCtx{parent: parent, deadline: dl, start: now, timeout: d}
}

func (c *deadlineCtx) arm() context.Context {
	if c.armed.Load() {
		return c.inner
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inner == nil {
		c.inner, c.cancel = context.WithDeadline(c.parent, c.deadline)
		if c.released.Load() {
			c.cancel()
		}
		c.armed.Store(true)
	}
	return c.inner
}

func (c *deadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *deadlineCtx) Done() <-chan struct{}       { return c.arm().Done() }
func (c *deadlineCtx) Value(key any) any           { return c.arm().Value(key) }

func (c *deadlineCtx) Err() error {
	if c.armed.Load() {
		return c.inner.Err()
	}
	if c.released.Load() {
		return context.Canceled
	}
	if err := c.parent.Err(); err != nil {
		return err
	}
	// time.Since reads only the monotonic clock: half the cost of
	// time.Now, which a provider pays on every Err.
	if time.Since(c.start) >= c.timeout {
		return context.DeadlineExceeded
	}
	return nil
}

// release ends the context, as the CancelFunc of context.WithTimeout does.
func (c *deadlineCtx) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.released.Store(true)
	if c.cancel != nil {
		c.cancel()
	}
}
