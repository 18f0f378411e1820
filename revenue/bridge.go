package revenue

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
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
	report, extra, rates := resolve(c, timelines, opt.CurrencyConversion)
	if c.Len() > 0 {
		return nil, c.Err()
	}
	minor, _ := report.MinorUnits()
	scale := minor + extra
	n := len(periods)
	bounds := make([]int64, n+1)
	for i, p := range periods {
		bounds[i] = clampNanos(p.Start)
	}
	bounds[n] = clampNanos(periods[n-1].End)

	fxAt := map[valuepath.Currency][]decimal.Decimal{} // rate per boundary, per currency
	for i := range timelines {
		t := &timelines[i]
		if t.currency == "" || t.currency == report {
			continue
		}
		if _, done := fxAt[t.currency]; done {
			continue
		}
		rs := make([]decimal.Decimal, n+1)
		for k := range bounds {
			r, ok := rates.at(t.currency, bounds[k])
			if !ok {
				c.Addf(validate.Index("timelines", i), valuepath.ErrCurrencyMismatch, "no rate from %s to %s at or before %s", t.currency, report, time.Unix(0, bounds[k]).UTC().Format(time.RFC3339))
				break
			}
			rs[k] = r
		}
		fxAt[t.currency] = rs
	}
	if c.Len() > 0 {
		return nil, c.Err()
	}

	b := &bridgeBuilder{}
	acc := make([]sums, n)
	for i := range timelines {
		t := &timelines[i]
		if len(t.at) == 0 {
			continue
		}
		if t.currency == report {
			b.native(t, bounds, acc, opt.NetWithinPeriod, scale)
		} else {
			b.foreign(t, bounds, acc, opt.NetWithinPeriod, scale, fxAt[t.currency])
		}
	}
	if b.overflow {
		return nil, fmt.Errorf("revenue: bridge: %w: totals exceed 18 digits", ErrOverflow)
	}
	out := &Bridge{Currency: report, Options: opt, Periods: make([]Period, n)}
	out.Options.Rates = slices.Clone(opt.Rates)
	out.Options.Currency = report
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
	shift := pow10(scale - t.scale) // 1 unless the policies differ
	b.walk(t, bounds, acc, net, func(u int64, _ int) int64 { return u * shift })
}

// foreign adds one timeline in another currency: opening at the start rate,
// movements and closing at the end rate, and the difference as FX.
func (b *bridgeBuilder) foreign(t *Timeline, bounds []int64, acc []sums, net bool, scale int32, rates []decimal.Decimal) {
	b.walk(t, bounds, acc, net, func(u int64, k int) int64 {
		if u == 0 {
			return 0
		}
		v := decimal.New(u, -t.scale).Mul(rates[k]).RoundBank(scale).Shift(scale)
		if v.NumDigits() > 18 {
			b.overflow = true
			return 0
		}
		return v.IntPart()
	})
}

// walk adds one timeline to acc, converting each amount with conv(u, k),
// where k indexes the boundary whose rate applies: the period's start for
// the opening, its end for movements and closing. What conversion leaves
// unexplained between opening, movements and closing goes on the FX row,
// which is zero when conv is linear with no rate (a native timeline).
func (b *bridgeBuilder) walk(t *Timeline, bounds []int64, acc []sums, net bool, conv func(u int64, k int) int64) {
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
				d := conv(cur, k+1) - conv(open, k+1)
				b.move(s, kind, d)
				moved += d
			}
		} else {
			for j < len(at) && at[j] < end {
				prev := cur
				cur = mrr[j]
				d := conv(cur, k+1) - conv(prev, k+1)
				b.move(s, classify(prev, cur, ever), d)
				moved += d
				ever = ever || cur > 0
				j++
			}
		}
		o, cl := conv(open, k), conv(cur, k+1)
		b.add(&s.open, o)
		b.add(&s.close, cl)
		b.add(&s.fx, cl-o-moved)
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
		b.keep(&s.kept, conv(open, k+1), cl)
		if j == len(at) && cur == 0 {
			break // nothing more will move
		}
	}
	// cur is the MRR at the last closing (zero after the early break).
	b.keep(&b.whole, conv(first, len(acc)), conv(cur, len(acc)))
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
