package equivalents

import (
	"fmt"
	"iter"
	"math"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
)

// Binding converts one metric of [valuepath.Snapshot]s along a [Path]. It
// resolves the metric's position in the schema once, so a batch over
// millions of snapshots reads each value by index. A *Binding is immutable
// and safe for concurrent use.
type Binding struct {
	path    *Path
	schema  *valuepath.Schema
	metric  valuepath.Metric
	index   int
	missing string // the Reason of an absent result
}

// AccountQuantity is one account's bound metric converted along a path.
// When the metric is missing from the account's snapshot the quantity does
// not exist: Present is false, Reason says why, and Quantity holds zero of
// the path's To unit, which must not be shown.
type AccountQuantity struct {
	Account  valuepath.AccountID `json:"account"`
	Quantity Quantity            `json:"quantity"`
	Present  bool                `json:"present"`
	Reason   string              `json:"reason,omitempty"`
}

// Bind returns a binding that reads metric from snapshots on schema, whose
// values count the path's From unit, and converts them along p. A metric
// the schema lacks is an error wrapping [valuepath.ErrUnknownMetric] that
// names it; a nil schema is an error wrapping [valuepath.ErrInvalid].
func (p *Path) Bind(schema *valuepath.Schema, metric valuepath.Metric) (*Binding, error) {
	if schema == nil {
		return nil, fmt.Errorf("equivalents: bind %q: %w: nil schema", metric, valuepath.ErrInvalid)
	}
	i, ok := schema.Index(metric)
	if !ok {
		return nil, fmt.Errorf("equivalents: bind %s to %s: metric: %w %q", p.from, p.to, valuepath.ErrUnknownMetric, metric)
	}
	return &Binding{path: p, schema: schema, metric: metric, index: i,
		missing: fmt.Sprintf("metric %q is missing", metric)}, nil
}

// Apply converts the bound metric of s. See [Binding.ApplyInto].
func (b *Binding) Apply(s *valuepath.Snapshot) (AccountQuantity, error) {
	var out AccountQuantity
	err := b.ApplyInto(s, &out)
	return out, err
}

// ApplyInto converts the bound metric of s into dst. A metric missing from
// s gives an absent result and no error, so a report can tell "no data"
// from zero. A nil snapshot, or one on another schema than the bound one
// (positions would not match), is an error: a *[valuepath.AccountError]
// naming the account and the metric and wrapping [valuepath.ErrInvalid],
// with dst absent. It allocates only the converted amount.
func (b *Binding) ApplyInto(s *valuepath.Snapshot, dst *AccountQuantity) error {
	*dst = AccountQuantity{Quantity: Quantity{Unit: b.path.to}}
	if s == nil {
		dst.Reason = "nil snapshot"
		return b.fail("", valuepath.ErrInvalid, "nil snapshot")
	}
	dst.Account = s.Account
	if s.Schema() != b.schema {
		dst.Reason = "snapshot is not on the bound schema"
		return b.fail(s.Account, valuepath.ErrInvalid, dst.Reason)
	}
	v, ok := s.ValueAt(b.index)
	if !ok {
		dst.Reason = b.missing
		return nil
	}
	if math.IsNaN(v) || math.IsInf(v, 0) { // snapshots reject these; kept for safety
		dst.Reason = "not a finite number"
		return b.fail(s.Account, valuepath.ErrNotFinite, "value of the metric")
	}
	out, err := b.path.Apply(decimal.NewFromFloat(v))
	if err != nil {
		dst.Reason = "beyond the package's limits"
		return &valuepath.AccountError{Account: s.Account, Metric: b.metric, Err: err}
	}
	dst.Quantity.Value, dst.Present = out, true
	return nil
}

func (b *Binding) fail(account valuepath.AccountID, sentinel error, msg string) error {
	return &valuepath.AccountError{Account: account, Metric: b.metric, Err: errorf(sentinel, "%s", msg)}
}

// ApplyAll converts the bound metric of every snapshot and streams the
// results in the order of snapshots, one per snapshot, in constant memory.
// The yielded *AccountQuantity is reused: it is valid until the loop body
// returns; copy it to keep it. A failure for one snapshot (see
// [Binding.ApplyInto]) is yielded beside its result as a
// *[valuepath.AccountError] and the stream goes on; break to stop.
//
// opt.Concurrency sets how many goroutines convert: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 converts on the caller's goroutine.
// Above 1, snapshots is still ranged over on the caller's goroutine, which
// converts chunks of it beside opt.Concurrency-1 helper goroutines, and each
// snapshot is copied before it is used, so an iterator that reuses one
// snapshot is safe, unless opt.InPlace says the input stays as it is;
// results still come in input order. A conversion is cheap beside the copy
// and hand-over a second goroutine costs, so expect less from more cores
// here than from scoring.
func (b *Binding) ApplyAll(snapshots iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) iter.Seq2[*AccountQuantity, error] {
	if n := batch.Workers(opt.Concurrency); n > 1 {
		return func(yield func(*AccountQuantity, error) bool) {
			batch.Ordered(snapshots, n, batch.PutSnap(opt), func() func(*batch.Snap, *AccountQuantity) error {
				return func(in *batch.Snap, r *AccountQuantity) error { return b.ApplyInto(in.Get(), r) }
			}, yield)
		}
	}
	return func(yield func(*AccountQuantity, error) bool) {
		var r AccountQuantity
		for s := range snapshots {
			if !yield(&r, b.ApplyInto(s, &r)) {
				return
			}
		}
	}
}
