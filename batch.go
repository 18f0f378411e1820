package valuepath

import (
	"context"
	"iter"
	"runtime"
	"sync"
	"time"
)

// BatchOptions tunes a batch method: [Derivations.EvaluateAll], and the
// XAll methods (streams) and XSlice and XColumns methods (data in memory)
// of the packages that score, place, match and normalise whole bases. The
// zero value is ready to use and uses every core.
type BatchOptions struct {
	// Concurrency is how many goroutines work on the batch at once. Zero
	// (the default) means runtime.GOMAXPROCS(0); 1 runs the whole batch on
	// the caller's goroutine. Whatever the count, results come in input
	// order (result i of a batch over data in memory is dst[i]), and a
	// stream's memory stays bounded by about a thousand accounts per
	// goroutine, not by the batch.
	Concurrency int
	// InPlace says the input yields values that stay as they are until
	// the batch has returned (a slice of distinct snapshots, say), so that
	// several goroutines may read each one where it is. Without it, a
	// batch on more than one goroutine copies each input before it asks
	// for the next: that keeps an iterator that reuses what it yields
	// ([Derivations.EvaluateAll], [Table.Snapshots]) correct, and costs a
	// copy per account on the caller's goroutine, which reads the input:
	// that limits what a second core gives. It changes nothing on one
	// goroutine, and EvaluateAll, which makes its own snapshots, ignores
	// it.
	InPlace bool
}

// EvaluateAll derives d's metrics for every account as of asOf and streams
// the snapshots in the order of accounts. At most opt.Concurrency accounts
// are evaluated at once and at most twice that many snapshots exist, so
// memory stays constant however many accounts there are.
//
// The yielded *Snapshot is reused: it is valid until the loop body returns.
// Call [Snapshot.Clone] to keep it. A per-account failure is yielded as that
// account's *[AccountError] (with the snapshot, filled as far as it got) and
// the stream goes on; stop it by breaking out of the loop. If ctx is
// cancelled, the stream ends with (nil, ctx.Err()). With Concurrency above 1,
// accounts is ranged over on a separate goroutine.
func (d *Derivations) EvaluateAll(ctx context.Context, p Provider, accounts iter.Seq[AccountID], asOf time.Time, opt BatchOptions) iter.Seq2[*Snapshot, error] {
	n := opt.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if n == 1 {
		return func(yield func(*Snapshot, error) bool) {
			snap := d.NewSnapshot()
			for account := range accounts {
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
				if !yield(snap, d.EvaluateInto(ctx, p, account, asOf, snap)) {
					return
				}
			}
			if err := ctx.Err(); err != nil {
				yield(nil, err)
			}
		}
	}
	return func(yield func(*Snapshot, error) bool) {
		type job struct {
			account AccountID
			snap    *Snapshot
			err     error
			done    chan struct{}
		}
		slots := 2 * n
		inner, cancel := context.WithCancel(ctx)
		free := make(chan *job, slots)
		for range slots {
			free <- &job{snap: d.NewSnapshot(), done: make(chan struct{}, 1)}
		}
		work := make(chan *job, slots)
		ordered := make(chan *job, slots)
		var wg sync.WaitGroup
		defer wg.Wait()
		defer cancel()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(ordered)
			defer close(work)
			for account := range accounts {
				var j *job
				select {
				case j = <-free:
				case <-inner.Done():
					return
				}
				j.account = account
				// Both channels hold every job, so these sends never block.
				work <- j
				ordered <- j
			}
		}()
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range work {
					j.err = d.EvaluateInto(inner, p, j.account, asOf, j.snap)
					j.done <- struct{}{}
				}
			}()
		}
		for j := range ordered {
			<-j.done
			if !yield(j.snap, j.err) {
				return
			}
			free <- j
		}
		if err := ctx.Err(); err != nil {
			yield(nil, err)
		}
	}
}
