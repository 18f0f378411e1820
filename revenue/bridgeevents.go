package revenue

import (
	"iter"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
	"github.com/valuepath/valuepath/internal/validate"
)

// NewBridgeEvents normalises a stream of accounts under p and bridges them
// over periods in one pass: the bridge, and the error, of
//
//	NewBridgeStream(NormalizeAll(accounts, p, opt.Batch), periods, opt)
//
// computed the way [NewBridge] splits its walk. Each account (its events,
// as NormalizeAll takes them) is normalised and walked on the goroutine
// that takes it, into that goroutine's own sums, which are merged at the
// end; only the events travel between goroutines, never a timeline. Memory
// is the periods' sums per goroutine and the accounts in flight (a few
// hundred per goroutine), whatever the size of the book, as for
// NewBridgeStream.
//
// opt.Batch sets the goroutines (zero: every core; see
// [valuepath.BatchOptions]): accounts is ranged over on the caller's
// goroutine, and each input's events are copied before the next is asked
// for, unless opt.Batch.InPlace says the slices stay as they are. The
// bridge is the same to the last minor unit whatever the count: every sum
// is of whole minor units. The one difference is overflow, reported as
// [ErrOverflow] when a running total exceeds 18 digits: the totals run per
// goroutine here, so a bridge whose exchange-rate row nears 18 digits only
// on the way, in some order, can be refused here and not by the serial
// walk, or the other way round.
//
// A problem is reported as NewBridgeStream reports it: with periods or opt
// before anything is read, otherwise the first in input order (an
// account's *valuepath.AccountError, or a timeline in a currency without a
// rate, named as timelines[i]), and the rest of the stream is not read.
func NewBridgeEvents(accounts iter.Seq[[]SubscriptionEvent], p Policy, periods []valuepath.Interval, opt BridgeOptions) (*Bridge, error) {
	report, err := checkStream(periods, opt)
	if err != nil {
		return nil, err
	}
	e := &eventsBridge{p: p, opt: opt, report: report, bounds: periodBounds(periods), periods: len(periods)}
	if report != "" {
		e.settle(report)
	}

	var (
		mu      sync.Mutex
		workers []*bridgeWorker
		seen    int
		first   error
	)
	newWorker := func() func(*eventSlot, *struct{}) error {
		w := &bridgeWorker{acc: make([]sums, e.periods), fxAt: map[valuepath.Currency][]decimal.Decimal{}}
		mu.Lock()
		workers = append(workers, w)
		mu.Unlock()
		return func(slot *eventSlot, _ *struct{}) error { return w.account(e, slot) }
	}
	put := func(slot *eventSlot, events []SubscriptionEvent) {
		if seen == 0 && e.report == "" && len(events) > 0 {
			// The first timeline's currency: if it is no currency at all,
			// normalising the account says so first.
			if iso, ok := isoCurrency(events[0].Currency); ok {
				e.settle(iso)
			}
		}
		slot.i = seen
		seen++
		if opt.Batch.InPlace {
			slot.events = events
			return
		}
		slot.events = append(slot.events[:0], events...)
	}
	// yield stops at the first problem in input order; the rates are
	// checked, as NewBridgeStream checks them, once the first account is.
	done := 0
	yield := func(_ *struct{}, err error) bool {
		if err == nil && done == 0 {
			err = e.ratesErr
		}
		done++
		if err != nil {
			first = err
			return false
		}
		return true
	}

	if n := batch.Workers(opt.Batch.Concurrency); n > 1 {
		batch.Ordered(accounts, n, put, newWorker, yield)
	} else {
		// One goroutine: each account is done before the next is asked
		// for, so its events need no copy.
		opt.Batch.InPlace = true
		do := newWorker()
		var slot eventSlot
		var r struct{}
		for events := range accounts {
			put(&slot, events)
			if !yield(&r, do(&slot, &r)) {
				break
			}
		}
	}
	if first != nil {
		return nil, first
	}
	if done == 0 { // nothing read: report as NewBridgeStream does
		if e.report == "" {
			e.settle("USD")
		}
		if e.ratesErr != nil {
			return nil, e.ratesErr
		}
		e.scale, _ = e.report.MinorUnits()
	}
	acc, b := make([]sums, e.periods), &bridgeBuilder{}
	parts, builders := make([][]sums, len(workers)), make([]*bridgeBuilder, len(workers))
	for k, w := range workers {
		parts[k], builders[k] = w.acc, &w.b
	}
	if !mergeSums(acc, b, parts, builders) {
		b.overflow = true
	}
	return b.finish(acc, periods, e.report, e.scale, opt)
}

// eventsBridge is what every goroutine of [NewBridgeEvents] reads: set
// before the first account is handed to any of them, then only read.
type eventsBridge struct {
	p        Policy
	opt      BridgeOptions
	bounds   []int64
	periods  int
	report   valuepath.Currency
	scale    int32
	rates    rateTable
	ratesErr error // a problem with opt.Rates, reported after the first account
}

// settle fixes the reporting currency, the scale of the sums and the rate
// table.
func (e *eventsBridge) settle(report valuepath.Currency) {
	e.report = report
	minor, _ := report.MinorUnits()
	e.scale = minor + e.p.ExtraPlaces
	c := validate.New("revenue")
	e.rates = checkRates(c, e.opt.Rates, report)
	e.ratesErr = c.Err()
}

// eventSlot holds one input of [NewBridgeEvents] and its position.
type eventSlot struct {
	events []SubscriptionEvent
	i      int
}

// bridgeWorker is one goroutine's share of [NewBridgeEvents]: its own
// normaliser, sums and rates per boundary.
type bridgeWorker struct {
	n    normalizer
	b    bridgeBuilder
	acc  []sums
	fxAt map[valuepath.Currency][]decimal.Decimal
}

// account normalises and walks one input into w's sums.
func (w *bridgeWorker) account(e *eventsBridge, slot *eventSlot) error {
	tl, err := w.n.account(slot.events, e.p)
	if err != nil {
		return err
	}
	if tl.currency == "" {
		return nil
	}
	if tl.currency != e.report {
		if _, done := w.fxAt[tl.currency]; !done {
			c := validate.New("revenue")
			rs := rateAt(c, slot.i, e.rates, tl.currency, e.report, e.bounds)
			if err := c.Err(); err != nil {
				return err
			}
			w.fxAt[tl.currency] = rs
		}
	}
	w.b.timeline(&tl, e.report, e.bounds, w.acc, e.opt.NetWithinPeriod, e.scale, w.fxAt)
	return nil
}
