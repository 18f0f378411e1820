package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDistCacheBoundsSharesAndExpires(t *testing.T) {
	c := newDistCache(2, time.Hour)
	var calls atomic.Int64
	compute := func(body string) func(context.Context) ([]byte, error) {
		return func(context.Context) ([]byte, error) {
			calls.Add(1)
			time.Sleep(20 * time.Millisecond)
			return []byte(body), nil
		}
	}
	ctx := context.Background()
	// Ten concurrent requests for one key share one computation.
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b, err := c.get(ctx, distKey{bins: 1}, time.Second, compute("one")); err != nil || string(b) != "one" {
				t.Errorf("get: %q %v", b, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("%d computations for one key, want 1", n)
	}
	// Two more keys evict the oldest: the cache never holds more than 2.
	for _, k := range []int{2, 3} {
		if _, err := c.get(ctx, distKey{bins: k}, time.Second, compute("x")); err != nil {
			t.Fatal(err)
		}
	}
	if c.len() != 2 {
		t.Errorf("%d entries, want 2", c.len())
	}
	if _, err := c.get(ctx, distKey{bins: 1}, time.Second, compute("one again")); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("%d computations, want 4 (the evicted key computed again)", n)
	}
	// Errors are not cached.
	boom := errors.New("boom")
	fail := func(context.Context) ([]byte, error) { calls.Add(1); return nil, boom }
	for range 2 {
		if _, err := c.get(ctx, distKey{bins: 9}, time.Second, fail); !errors.Is(err, boom) {
			t.Errorf("err %v, want boom", err)
		}
	}
	if n := calls.Load(); n != 6 {
		t.Errorf("%d computations, want 6 (a failure is retried)", n)
	}
	// Expired entries are computed again.
	short := newDistCache(4, time.Millisecond)
	_, _ = short.get(ctx, distKey{}, time.Second, compute("a"))
	time.Sleep(5 * time.Millisecond)
	if b, _ := short.get(ctx, distKey{}, time.Second, compute("b")); string(b) != "b" {
		t.Errorf("expired entry served: %q", b)
	}
	// A nil cache (disabled) computes every time.
	var off *distCache
	before := calls.Load()
	_, _ = off.get(ctx, distKey{}, time.Second, compute("a"))
	_, _ = off.get(ctx, distKey{}, time.Second, compute("a"))
	if calls.Load()-before != 2 || newDistCache(-1, 0) != nil {
		t.Error("a disabled cache cached")
	}
}

func TestDistCacheWaiterGivesUpOnItsContext(t *testing.T) {
	c := newDistCache(4, time.Hour)
	release := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_, _ = c.get(context.Background(), distKey{}, 5*time.Second, func(ctx context.Context) ([]byte, error) {
			close(started)
			<-release
			return []byte("late"), nil
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.get(ctx, distKey{}, time.Second, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter: %v, want its own deadline", err)
	}
	close(release)
}
