package revenue

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
	"github.com/valuepath/valuepath/internal/validate"
)

// ExchangeRate converts From into a report's currency: one unit of From is
// worth Rate units of the reporting currency from At on. An ExchangeRate
// with a zero At is a constant rate that applies at every date, for
// constant-currency reporting.
type ExchangeRate struct {
	From valuepath.Currency `json:"from"`
	At   time.Time          `json:"at"`
	Rate decimal.Decimal    `json:"rate"`
}

// CurrencyConversion says which currency to report in and how to get there.
type CurrencyConversion struct {
	// Currency is the reporting currency. Empty means the currency of the
	// timelines, which must then all share one.
	Currency valuepath.Currency `json:"currency,omitempty"`
	// Rates convert the other currencies into Currency. A date uses the
	// latest rate stated at or before it.
	Rates []ExchangeRate `json:"rates,omitempty"`
}

// BridgeOptions tunes [NewBridge]. The zero value reports in the currency
// the timelines share and counts every change as a movement.
type BridgeOptions struct {
	// CurrencyConversion sets the reporting currency and the exchange
	// rates. Opening balances convert at the period's start, movements and
	// closing balances at its end; what the change of rate does to the base
	// is the FX row, never mixed into the movements.
	CurrencyConversion
	// NetWithinPeriod compares each account's MRR at the start and the end
	// of a period only, so a sign-up cancelled in the same period shows no
	// movement at all. By default every change is a movement: that
	// account shows as new and as churn in the period.
	NetWithinPeriod bool `json:"net_within_period,omitempty"`
	// Batch sets how many goroutines [NewBridge] walks the timelines on
	// (zero: every core; see [valuepath.BatchOptions]). The bridge is the
	// same, to the last minor unit, whatever the count: each goroutine
	// sums a contiguous range of timelines and the sums are merged in
	// order. It is how the bridge is computed, not what it says, so it is
	// neither written as JSON nor echoed in [Bridge.Options].
	// [NewBridgeEvents] normalises and walks on that many goroutines.
	// [NewBridgeStream] walks on the caller's goroutine; its source
	// ([NormalizeAll]) has its own option.
	Batch valuepath.BatchOptions `json:"-"`
}

// Counts counts accounts in a bridge period.
type Counts struct {
	// Opening and Closing count accounts with MRR at the period's start
	// and end.
	Opening int `json:"opening"`
	Closing int `json:"closing"`
	// New, Expansion, Contraction, Churn and Reactivation count movements
	// (an account can churn and come back within a period).
	New          int `json:"new"`
	Expansion    int `json:"expansion"`
	Contraction  int `json:"contraction"`
	Churn        int `json:"churn"`
	Reactivation int `json:"reactivation"`
	// Lost counts the accounts of Opening without MRR at the end: the
	// numerator of logo churn.
	Lost int `json:"lost"`
}

// Period is one row of an MRR bridge. Contraction and Churn are positive
// amounts that are subtracted; FX is the effect of exchange rates. Always,
// exactly:
//
//	Opening + New + Expansion + Reactivation − Contraction − Churn + FX = Closing
type Period struct {
	Start        time.Time       `json:"start"`
	End          time.Time       `json:"end"`
	Opening      valuepath.Money `json:"opening"`
	New          valuepath.Money `json:"new"`
	Expansion    valuepath.Money `json:"expansion"`
	Reactivation valuepath.Money `json:"reactivation"`
	Contraction  valuepath.Money `json:"contraction"`
	Churn        valuepath.Money `json:"churn"`
	FX           valuepath.Money `json:"fx"`
	Closing      valuepath.Money `json:"closing"`
	Accounts     Counts          `json:"accounts"`
	// Retention follows the accounts in force at the period's opening to
	// its closing: the cohort that [Period.GRR] and [Period.NRR] measure,
	// exactly what [CohortRetention] returns for the same window (amounts in
	// other currencies at the rate in force at End for both dates).
	Retention Retention `json:"retention"`
}

// Bridge is the MRR bridge (the "MRR waterfall") over consecutive periods:
// how recurring revenue moved from each period's opening to its closing.
type Bridge struct {
	Currency valuepath.Currency `json:"currency"`
	Options  BridgeOptions      `json:"options"`
	Periods  []Period           `json:"periods"`
	// Retention follows the accounts in force at the first period's
	// opening to the last period's closing: what [Bridge.Total]'s GRR and
	// NRR measure.
	Retention Retention `json:"retention"`
}

// Months returns n consecutive one-month periods starting at start, in
// start's location; n ≤ 0 gives none. Typically start is the first instant
// of a month, and the periods are calendar months. A later start gives
// monthly anniversaries as a billing system counts them: each period
// starts on start's day of the month at start's time of day, or on the
// last day of a month too short for it (from January 31: February 28 or
// 29, then March 31, April 30), so every period is one month long and
// none is skipped or doubled, unlike time.AddDate, which would
// normalise February 31 to March 3.
func Months(start time.Time, n int) []valuepath.Interval {
	out := make([]valuepath.Interval, 0, max(n, 0))
	for i := range n {
		out = append(out, valuepath.Interval{Start: monthAnniversary(start, i), End: monthAnniversary(start, i+1)})
	}
	return out
}

// monthAnniversary returns start moved k months on, its day of the month
// capped at the target month's last day.
func monthAnniversary(start time.Time, k int) time.Time {
	y, m, d := start.Date()
	h, mi, s := start.Clock()
	last := time.Date(y, m+time.Month(k)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+time.Month(k), min(d, last), h, mi, s, start.Nanosecond(), start.Location())
}

type sums struct {
	open, newV, exp, react, contr, churn, fx, close int64
	counts                                          Counts
	kept                                            cohortSums
	// fxLow and fxHigh are the least and greatest values fx took (from
	// zero on): the only signed sum, whose overflow depends on the order
	// of its terms, which merging sums of ranges must respect.
	fxLow, fxHigh int64
}

// cohortSums follows the accounts in force at a window's opening, in
// constant currency: start, gross and net are their MRR at the opening, at
// the closing capped at the opening, and at the closing.
type cohortSums struct {
	accounts, retained int
	start, gross, net  int64
}

func (b *bridgeBuilder) keep(c *cohortSums, open, close int64) {
	if open <= 0 {
		return
	}
	c.accounts++
	if close > 0 {
		c.retained++
	}
	b.add(&c.start, open)
	b.add(&c.net, close)
	b.add(&c.gross, min(open, close))
}

// retention turns c into the Retention of the window from → to.
func (c cohortSums) retention(from, to time.Time, m func(int64) valuepath.Money) Retention {
	r := Retention{From: from, To: to, Accounts: c.accounts, Retained: c.retained, Starting: m(c.start), Gross: m(c.gross), Net: m(c.net)}
	r.fill()
	return r
}

type bridgeBuilder struct {
	overflow bool
	whole    cohortSums // the accounts in force at the first opening
}

func (b *bridgeBuilder) add(dst *int64, v int64) {
	s, ok := addChecked(*dst, v)
	if !ok {
		b.overflow = true
	}
	*dst = s
}

// NewBridge computes the MRR bridge of timelines over periods, which must be
// consecutive (each starting where the previous ends). Periods are windows
// under the package's boundary rule (see the package doc): a change stamped
// at a boundary belongs to the period that starts there. The arithmetic is exact: fixed-point integers in
// the reporting currency's minor units (plus the policy's extra places).
func NewBridge(timelines []Timeline, periods []valuepath.Interval, opt BridgeOptions) (*Bridge, error) {
	c := validate.New("revenue")
	checkPeriods(c, periods)
	report, extra, rates := resolve(c, timelines, opt.CurrencyConversion)
	if c.Len() > 0 {
		return nil, c.Err()
	}
	minor, _ := report.MinorUnits()
	scale := minor + extra
	n := len(periods)
	bounds := periodBounds(periods)

	fxAt := map[valuepath.Currency][]decimal.Decimal{} // rate per boundary, per currency
	for i := range timelines {
		t := &timelines[i]
		if t.currency == "" || t.currency == report {
			continue
		}
		if _, done := fxAt[t.currency]; done {
			continue
		}
		fxAt[t.currency] = rateAt(c, i, rates, t.currency, report, bounds)
	}
	if c.Len() > 0 {
		return nil, c.Err()
	}

	walkRange := func(lo, hi int) ([]sums, *bridgeBuilder) {
		b := &bridgeBuilder{}
		acc := make([]sums, n)
		for i := lo; i < hi; i++ {
			b.timeline(&timelines[i], report, bounds, acc, opt.NetWithinPeriod, scale, fxAt)
		}
		return acc, b
	}
	acc, b := walkRange(0, 0)
	workers := batch.Workers(opt.Batch.Concurrency)
	if workers > 1 {
		parts := make([][]sums, workers)
		builders := make([]*bridgeBuilder, workers)
		used := batch.Split(workers, len(timelines), bridgeMinPerWorker, func(w, lo, hi int) {
			parts[w], builders[w] = walkRange(lo, hi)
		})
		if !mergeSums(acc, b, parts[:used], builders[:used]) {
			workers = 1 // an overflow somewhere: find it exactly as the serial walk does
		}
	}
	if workers == 1 {
		acc, b = walkRange(0, len(timelines))
	}
	return b.finish(acc, periods, report, scale, opt)
}

// NewBridgeStream computes the same bridge as [NewBridge] from a stream
// of timelines, holding one at a time: its memory is the periods' sums,
// whatever the size of the book. Feed it [NormalizeAll] to bridge a base
// read account by account (from a database cursor, a file), on every core:
//
//	bridge, err := revenue.NewBridgeStream(revenue.NormalizeAll(accounts, policy, valuepath.BatchOptions{}), periods, revenue.BridgeOptions{})
//
// The reporting currency is opt's, or else the first currency in the
// stream; every timeline in another currency needs a rate. Where NewBridge
// reports every problem at once, the stream stops at the first: a problem
// with periods or opt, a timeline built with other extra places or in a
// currency without a rate (named by its position, as timelines[i]), or
// the first error the stream yields, returned as it is. opt.Batch is not
// used: the walk runs on the caller's goroutine while the stream's source
// works on its own.
func NewBridgeStream(timelines iter.Seq2[*Timeline, error], periods []valuepath.Interval, opt BridgeOptions) (*Bridge, error) {
	report, err := checkStream(periods, opt)
	if err != nil {
		return nil, err
	}
	c := validate.New("revenue")
	n := len(periods)
	bounds := periodBounds(periods)
	var rates rateTable
	extra, scale := int32(-1), int32(0)
	fxAt := map[valuepath.Currency][]decimal.Decimal{}
	b := &bridgeBuilder{}
	acc := make([]sums, n)
	i := -1
	for t, err := range timelines {
		i++
		if err != nil {
			return nil, err
		}
		if t.currency == "" {
			continue
		}
		if extra < 0 {
			// The first timeline with a currency settles what resolve
			// reads from the whole slice for NewBridge.
			extra = t.extra
			if report == "" {
				report = t.currency
			}
			if rates = checkRates(c, opt.Rates, report); c.Len() > 0 {
				return nil, c.Err()
			}
			minor, _ := report.MinorUnits()
			scale = minor + extra
		} else if t.extra != extra {
			c.Addf(validate.Index("timelines", i), valuepath.ErrInvalid, "built with %d extra places, others with %d", t.extra, extra)
			return nil, c.Err()
		}
		if t.currency != report {
			if _, done := fxAt[t.currency]; !done {
				if fxAt[t.currency] = rateAt(c, i, rates, t.currency, report, bounds); c.Len() > 0 {
					return nil, c.Err()
				}
			}
		}
		b.timeline(t, report, bounds, acc, opt.NetWithinPeriod, scale, fxAt)
	}
	if extra < 0 { // nothing has MRR: report as NewBridge does
		if report == "" {
			report = "USD"
		}
		if checkRates(c, opt.Rates, report); c.Len() > 0 {
			return nil, c.Err()
		}
		minor, _ := report.MinorUnits()
		scale = minor
	}
	return b.finish(acc, periods, report, scale, opt)
}

// checkStream checks what a bridge over a stream can check before reading
// it, the periods and the reporting currency, and returns that currency
// (empty when the stream's first sets it).
func checkStream(periods []valuepath.Interval, opt BridgeOptions) (valuepath.Currency, error) {
	c := validate.New("revenue")
	checkPeriods(c, periods)
	report := opt.Currency
	if report != "" {
		report, _ = checkCurrency(c, "options.currency", report)
	}
	return report, c.Err()
}

// checkPeriods records a problem unless periods are consecutive windows.
func checkPeriods(c *validate.Collector, periods []valuepath.Interval) {
	if len(periods) == 0 {
		c.Addf("periods", valuepath.ErrInvalid, "must not be empty")
	}
	for i, p := range periods {
		if !p.Start.Before(p.End) {
			c.Addf(validate.Index("periods", i), valuepath.ErrInvalid, "start %s is not before end %s", p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339))
		}
		if i > 0 && !p.Start.Equal(periods[i-1].End) {
			c.Addf(validate.Field(validate.Index("periods", i), "start"), valuepath.ErrInvalid, "%s is not the end of periods[%d] %s", p.Start.Format(time.RFC3339), i-1, periods[i-1].End.Format(time.RFC3339))
		}
	}
}

// periodBounds returns the periods' starts and the last end, in Unix
// nanoseconds.
func periodBounds(periods []valuepath.Interval) []int64 {
	n := len(periods)
	bounds := make([]int64, n+1)
	for i, p := range periods {
		bounds[i] = clampNanos(p.Start)
	}
	bounds[n] = clampNanos(periods[n-1].End)
	return bounds
}

// rateAt returns the rate from cur to report at every bound, recording a
// problem for timelines[i] at the first bound without one.
func rateAt(c *validate.Collector, i int, rates rateTable, cur, report valuepath.Currency, bounds []int64) []decimal.Decimal {
	rs := make([]decimal.Decimal, len(bounds))
	for k := range bounds {
		r, ok := rates.at(cur, bounds[k])
		if !ok {
			c.Addf(validate.Index("timelines", i), valuepath.ErrCurrencyMismatch, "no rate from %s to %s at or before %s", cur, report, time.Unix(0, bounds[k]).UTC().Format(time.RFC3339))
			break
		}
		rs[k] = r
	}
	return rs
}

// bridgeMinPerWorker is the fewest timelines worth a goroutine of their own.
const bridgeMinPerWorker = 2048

// timeline adds one timeline to acc.
func (b *bridgeBuilder) timeline(t *Timeline, report valuepath.Currency, bounds []int64, acc []sums, net bool, scale int32, fxAt map[valuepath.Currency][]decimal.Decimal) {
	if len(t.at) == 0 {
		return
	}
	if t.currency == report {
		b.native(t, bounds, acc, net, scale)
	} else {
		b.foreign(t, bounds, acc, net, scale, fxAt[t.currency])
	}
}

// mergeSums adds the sums of consecutive ranges of timelines, in order, to
// acc and b. It returns false if the serial walk over the whole could have
// overflowed, or might not have where the ranges did: every sum but FX only
// grows, so it overflows in some order only if its total does; FX's
// running total in the serial order is each range's running total plus the
// ranges' totals before it, whose extremes fxLow and fxHigh bound.
func mergeSums(acc []sums, b *bridgeBuilder, parts [][]sums, builders []*bridgeBuilder) bool {
	for w, part := range parts {
		if builders[w].overflow {
			return false
		}
		for k := range acc {
			d, s := &acc[k], &part[k]
			if _, ok := addChecked(d.fx, s.fxLow); !ok {
				return false
			}
			if _, ok := addChecked(d.fx, s.fxHigh); !ok {
				return false
			}
			d.fxLow, d.fxHigh = min(d.fxLow, d.fx+s.fxLow), max(d.fxHigh, d.fx+s.fxHigh)
			for _, f := range [...]struct{ dst, src *int64 }{{&d.open, &s.open}, {&d.newV, &s.newV}, {&d.exp, &s.exp}, {&d.react, &s.react}, {&d.contr, &s.contr}, {&d.churn, &s.churn}, {&d.fx, &s.fx}, {&d.close, &s.close}} {
				b.add(f.dst, *f.src)
			}
			d.counts.add(s.counts)
			b.mergeCohort(&d.kept, s.kept)
		}
		b.mergeCohort(&b.whole, builders[w].whole)
	}
	return !b.overflow
}

func (c *Counts) add(o Counts) {
	c.Opening += o.Opening
	c.Closing += o.Closing
	c.New += o.New
	c.Expansion += o.Expansion
	c.Contraction += o.Contraction
	c.Churn += o.Churn
	c.Reactivation += o.Reactivation
	c.Lost += o.Lost
}

func (b *bridgeBuilder) mergeCohort(dst *cohortSums, src cohortSums) {
	dst.accounts += src.accounts
	dst.retained += src.retained
	b.add(&dst.start, src.start)
	b.add(&dst.gross, src.gross)
	b.add(&dst.net, src.net)
}

// finish turns the sums into the bridge.
func (b *bridgeBuilder) finish(acc []sums, periods []valuepath.Interval, report valuepath.Currency, scale int32, opt BridgeOptions) (*Bridge, error) {
	if b.overflow {
		return nil, fmt.Errorf("revenue: bridge: %w: totals exceed 18 digits", ErrOverflow)
	}
	n := len(periods)
	out := &Bridge{Currency: report, Options: opt, Periods: make([]Period, n)}
	out.Options.Rates = slices.Clone(opt.Rates)
	out.Options.Currency = report
	out.Options.Batch = valuepath.BatchOptions{}
	m := func(u int64) valuepath.Money { return money(decimal.New(u, -scale), report) }
	for k, s := range acc {
		out.Periods[k] = Period{
			Start: periods[k].Start, End: periods[k].End,
			Opening: m(s.open), New: m(s.newV), Expansion: m(s.exp), Reactivation: m(s.react),
			Contraction: m(s.contr), Churn: m(s.churn), FX: m(s.fx), Closing: m(s.close),
			Accounts:  s.counts,
			Retention: s.kept.retention(periods[k].Start, periods[k].End, m),
		}
	}
	out.Retention = b.whole.retention(periods[0].Start, periods[n-1].End, m)
	return out, nil
}

func (b *bridgeBuilder) move(s *sums, kind MovementKind, d int64) {
	switch kind {
	case New:
		b.add(&s.newV, d)
		s.counts.New++
	case Expansion:
		b.add(&s.exp, d)
		s.counts.Expansion++
	case Reactivation:
		b.add(&s.react, d)
		s.counts.Reactivation++
	case Contraction:
		b.add(&s.contr, -d)
		s.counts.Contraction++
	case Churn:
		b.add(&s.churn, -d)
		s.counts.Churn++
	}
}

// native adds one timeline in the reporting currency to acc. It allocates
// nothing and touches each step and each period once.
func (b *bridgeBuilder) native(t *Timeline, bounds []int64, acc []sums, net bool, scale int32) {
	cv := converter{shift: pow10(scale - t.scale)} // shift is 1 unless the policies differ
	b.walk(t, bounds, acc, net, &cv)
}

// foreign adds one timeline in another currency: opening at the start rate,
// movements and closing at the end rate, and the difference as FX.
func (b *bridgeBuilder) foreign(t *Timeline, bounds []int64, acc []sums, net bool, scale int32, rates []decimal.Decimal) {
	cv := converter{rates: rates, from: t.scale, to: scale, b: b}
	b.walk(t, bounds, acc, net, &cv)
}

// converter turns a timeline's amounts into the reporting currency's
// units: times shift for a timeline in that currency, at the rate of
// boundary k for another. A method rather than a closure, so that the
// common case is inlined into the walk.
type converter struct {
	shift    int64
	rates    []decimal.Decimal // nil in the reporting currency
	from, to int32             // scales of the timeline and the report
	b        *bridgeBuilder
}

func (c *converter) conv(u int64, k int) int64 {
	if c.rates == nil {
		return u * c.shift
	}
	return c.foreign(u, k)
}

func (c *converter) foreign(u int64, k int) int64 {
	if u == 0 {
		return 0
	}
	v := decimal.New(u, -c.from).Mul(c.rates[k]).RoundBank(c.to).Shift(c.to)
	if v.NumDigits() > 18 {
		c.b.overflow = true
		return 0
	}
	return v.IntPart()
}

// walk adds one timeline to acc, converting each amount with cv.conv(u, k),
// where k indexes the boundary whose rate applies: the period's start for
// the opening, its end for movements and closing. What conversion leaves
// unexplained between opening, movements and closing goes on the FX row,
// which is zero when conv is linear with no rate (a native timeline).
func (b *bridgeBuilder) walk(t *Timeline, bounds []int64, acc []sums, net bool, cv *converter) {
	at, mrr := t.at, t.mrr
	j, cur, ever := 0, int64(0), false
	for j < len(at) && at[j] < bounds[0] {
		cur = mrr[j]
		ever = ever || cur > 0
		j++
	}
	first := cur
	for k := range acc {
		s := &acc[k]
		open := cur
		end := bounds[k+1]
		var moved int64
		if net {
			before := ever
			for j < len(at) && at[j] < end {
				cur = mrr[j]
				ever = ever || cur > 0
				j++
			}
			if kind := classify(open, cur, before); kind != 0 {
				d := cv.conv(cur, k+1) - cv.conv(open, k+1)
				b.move(s, kind, d)
				moved += d
			}
		} else {
			for j < len(at) && at[j] < end {
				prev := cur
				cur = mrr[j]
				d := cv.conv(cur, k+1) - cv.conv(prev, k+1)
				b.move(s, classify(prev, cur, ever), d)
				moved += d
				ever = ever || cur > 0
				j++
			}
		}
		o, cl := cv.conv(open, k), cv.conv(cur, k+1)
		b.add(&s.open, o)
		b.add(&s.close, cl)
		if v := cl - o - moved; v != 0 {
			b.add(&s.fx, v)
			s.fxLow, s.fxHigh = min(s.fxLow, s.fx), max(s.fxHigh, s.fx)
		}
		if open > 0 {
			s.counts.Opening++
			if cur == 0 {
				s.counts.Lost++
			}
		}
		if cur > 0 {
			s.counts.Closing++
		}
		// Retention is in constant currency: both ends at the closing rate.
		if open > 0 { // keep counts only accounts in force at the opening
			b.keep(&s.kept, cv.conv(open, k+1), cl)
		}
		if j == len(at) && cur == 0 {
			break // nothing more will move
		}
	}
	// cur is the MRR at the last closing (zero after the early break).
	b.keep(&b.whole, cv.conv(first, len(acc)), cv.conv(cur, len(acc)))
}

type rateTable map[valuepath.Currency][]ExchangeRate // sorted by At; a zero At sorts first

func (rt rateTable) at(c valuepath.Currency, ns int64) (decimal.Decimal, bool) {
	rs := rt[c]
	var r decimal.Decimal
	ok := false
	for _, x := range rs {
		if !x.At.IsZero() && clampNanos(x.At) > ns {
			break
		}
		r, ok = x.Rate, true
	}
	return r, ok
}

func checkRates(c *validate.Collector, rates []ExchangeRate, report valuepath.Currency) rateTable {
	rt := rateTable{}
	for i, r := range rates {
		path := validate.Index("options.rates", i)
		from, ok := checkCurrency(c, validate.Field(path, "from"), r.From)
		r.From = from
		if ok && from == report {
			c.Addf(validate.Field(path, "from"), valuepath.ErrInvalid, "%s is the reporting currency", r.From)
		}
		if r.Rate.Sign() <= 0 {
			c.Addf(validate.Field(path, "rate"), valuepath.ErrInvalid, "must be > 0, got %s", r.Rate)
		}
		for j := range i {
			if rates[j].From == r.From && rates[j].At.Equal(r.At) {
				c.Addf(path, valuepath.ErrDuplicate, "rate from %s at %s (same as options.rates[%d])", r.From, r.At.Format(time.RFC3339), j)
				break
			}
		}
		rt[r.From] = append(rt[r.From], r)
	}
	for _, rs := range rt {
		slices.SortStableFunc(rs, func(a, b ExchangeRate) int { return a.At.Compare(b.At) })
	}
	return rt
}

// resolve picks the reporting currency and the policies' extra places of
// timelines and validates the rates.
func resolve(c *validate.Collector, timelines []Timeline, conv CurrencyConversion) (valuepath.Currency, int32, rateTable) {
	report := conv.Currency
	if report != "" {
		report, _ = checkCurrency(c, "options.currency", report)
	}
	extra := int32(-1)
	for i := range timelines {
		t := &timelines[i]
		if t.currency == "" {
			continue
		}
		if report == "" {
			report = t.currency
		}
		if extra < 0 {
			extra = t.extra
		} else if t.extra != extra {
			c.Addf(validate.Index("timelines", i), valuepath.ErrInvalid, "built with %d extra places, others with %d", t.extra, extra)
		}
	}
	if report == "" {
		report = "USD" // nothing has MRR: any currency reports zero
	}
	extra = max(extra, 0)
	rates := checkRates(c, conv.Rates, report)
	return report, extra, rates
}
