package revenue

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// EventKind is what happened to a subscription.
type EventKind string

// The subscription event kinds.
const (
	// Start begins a subscription that has never been active.
	Start EventKind = "start"
	// Change changes the price, seats, interval, discount or trial state of
	// an active subscription.
	Change EventKind = "change"
	// Cancel ends an active subscription; its amounts are ignored.
	Cancel EventKind = "cancel"
	// Reactivate restarts a cancelled subscription.
	Reactivate EventKind = "reactivate"
)

// SubscriptionEvent is one change to one subscription of an account, as a
// billing system records it. Amounts are per billing interval: a yearly plan
// of 1200 has Amount 1200 and IntervalMonths 12, which normalises to an MRR
// of 100.
type SubscriptionEvent struct {
	// Account is the customer; it must not be empty.
	Account valuepath.AccountID `json:"account"`
	// Subscription tells apart the subscriptions of one account; accounts
	// with a single subscription may leave it empty.
	Subscription string `json:"subscription,omitempty"`
	// Kind is start, change, cancel or reactivate.
	Kind EventKind `json:"kind"`
	// At is when the event took effect; events of an account must be in
	// non-decreasing time order.
	At time.Time `json:"at"`
	// Amount is the list price charged per billing interval for every seat,
	// before discount and excluding tax; it must not be negative.
	Amount decimal.Decimal `json:"amount"`
	// Currency is the ISO 4217 code of every amount of the event. One
	// account's events must share a currency.
	Currency valuepath.Currency `json:"currency"`
	// IntervalMonths is the billing interval in months: 1 monthly, 3
	// quarterly, 12 yearly, or any n up to 120. Zero means 1.
	IntervalMonths int `json:"interval_months,omitempty"`
	// Discount is the amount taken off each billing interval; it must be
	// between zero and Amount. A 100% discount (Discount equal to Amount)
	// makes the subscription's MRR zero: see [Policy] for how that counts.
	Discount decimal.Decimal `json:"discount"`
	// Tax is the tax charged on top of Amount per interval; not negative.
	Tax decimal.Decimal `json:"tax"`
	// Trial marks the subscription as in a free or paid trial from At on.
	Trial bool `json:"trial,omitempty"`
}

// ChurnRecognition says when a cancellation reduces MRR.
type ChurnRecognition uint8

const (
	// AtCancellation recognises churn when the cancel event happens.
	AtCancellation ChurnRecognition = iota
	// AtPeriodEnd keeps the MRR until the end of the billing period already
	// paid for (counted in whole intervals from the start or the last
	// reactivation). A reactivation before that date withdraws the
	// cancellation. Analytics vendors offer both choices; which one a
	// vendor uses by default is its own setting, so this package claims
	// none.
	AtPeriodEnd
)

// String returns "at_cancellation" or "at_period_end".
func (c ChurnRecognition) String() string {
	if c == AtPeriodEnd {
		return "at_period_end"
	}
	return "at_cancellation"
}

// MarshalText implements [encoding.TextMarshaler].
func (c ChurnRecognition) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "at_cancellation" or "at_period_end".
func (c *ChurnRecognition) UnmarshalText(b []byte) error {
	switch string(b) {
	case "at_cancellation", "":
		*c = AtCancellation
	case "at_period_end":
		*c = AtPeriodEnd
	default:
		return fmt.Errorf("revenue: churn recognition: %w: %q (want at_cancellation or at_period_end)", valuepath.ErrInvalid, string(b))
	}
	return nil
}

// Policy states how subscriptions become MRR. Vendors disagree, so every
// choice is explicit; the zero value is the default this package
// documents: discounts deducted, trials excluded, tax excluded, churn at
// cancellation, only changes at the same instant netted, MRR in the
// currency's minor units.
//
// A 100% discount is a policy choice too. With discounts deducted (the
// default) a fully discounted subscription has zero MRR, so an account
// whose only subscription becomes free churns then, and reactivates when it
// pays again: MRR measures what customers pay. A host that wants such an
// account to stay active at its list price sets IgnoreDiscounts; one that
// wants free accounts kept as customers counts them from its own records,
// since an account at zero MRR is not in force in any window.
type Policy struct {
	// IgnoreDiscounts counts list price instead of the price after discount.
	IgnoreDiscounts bool `json:"ignore_discounts,omitempty"`
	// IncludeTrials counts trial subscriptions' amounts as MRR.
	IncludeTrials bool `json:"include_trials,omitempty"`
	// IncludeTax counts tax as MRR (almost never what finance wants).
	IncludeTax bool `json:"include_tax,omitempty"`
	// ChurnAt says when a cancellation reduces MRR.
	ChurnAt ChurnRecognition `json:"churn_at,omitempty"`
	// MergeWithin nets an account's changes that come within this long of
	// the first change of their run into one change, stamped at the run's
	// last change with the account's MRR after it: a cancellation at 10:00
	// and a new subscription at 10:30 become one plan change at 10:30 (an
	// expansion, contraction or nothing) instead of churn followed by
	// reactivation, and the account's earlier MRR holds until then. The
	// default, zero, nets only changes stamped at the same instant: a
	// movement is then exactly a change of the account's total MRR from one
	// instant to the next, which is the bridge's definition. Billing
	// systems that replace a subscription by cancel-and-create want a
	// window as long as their replacement can take (an hour, a day). No
	// vendor's window is claimed here. It must not be negative.
	MergeWithin valuepath.Duration `json:"merge_within,omitempty"`
	// ExtraPlaces keeps MRR to this many decimal places beyond the
	// currency's minor units (0 to 6): a yearly 1000 is 83.33 per month with
	// 0, 83.3333 with 2. Normalised MRR is rounded half-even.
	ExtraPlaces int32 `json:"extra_places,omitempty"`
}

func (p Policy) check(c *validate.Collector) {
	if p.ExtraPlaces < 0 || p.ExtraPlaces > 6 {
		c.Addf("policy.extra_places", valuepath.ErrInvalid, "must be between 0 and 6, got %d", p.ExtraPlaces)
	}
	if p.MergeWithin < 0 {
		c.Addf("policy.merge_within", valuepath.ErrInvalid, "must not be negative, got %s", time.Duration(p.MergeWithin))
	}
	if p.ChurnAt > AtPeriodEnd {
		c.Addf("policy.churn_at", valuepath.ErrInvalid, "unknown value %d", p.ChurnAt)
	}
}

const maxIntervalMonths = 120

var (
	minTime = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// monthlyUnits returns the event's MRR in units of 10^-scale under p, rounded
// half-even. It works in int64 and falls back to decimal arithmetic when the
// numbers are too large or too precise for that.
func monthlyUnits(e *SubscriptionEvent, p Policy, scale int32, months int64) (int64, bool) {
	if e.Trial && !p.IncludeTrials {
		return 0, true
	}
	fine := scale
	for _, d := range [3]decimal.Decimal{e.Amount, e.Discount, e.Tax} {
		if -d.Exponent() > fine {
			fine = -d.Exponent()
		}
	}
	if fine <= 18 {
		a, ok1 := fixed(e.Amount, fine)
		d, ok2 := fixed(e.Discount, fine)
		t, ok3 := fixed(e.Tax, fine)
		if ok1 && ok2 && ok3 {
			v := a
			if !p.IgnoreDiscounts {
				v -= d // 0 <= d <= a: cannot overflow
			}
			ok := true
			if p.IncludeTax {
				v, ok = addChecked(v, t)
			}
			div, ok4 := mulChecked(months, pow10(fine-scale))
			if ok && ok4 && fine-scale <= 18 {
				return divHalfEven(v, div), true
			}
		}
	}
	v := e.Amount
	if !p.IgnoreDiscounts {
		v = v.Sub(e.Discount)
	}
	if p.IncludeTax {
		v = v.Add(e.Tax)
	}
	q, _ := valuepath.DivRound(v.Shift(scale), decimal.NewFromInt(months), 0, valuepath.HalfEven) // months ≥ 1
	if q.NumDigits() > 18 {
		return 0, false
	}
	return q.IntPart(), true
}

// plainAmounts reports whether e is the common event: an amount of at most
// 18 digits with at most 12 decimal places (and an exponent of at most 12),
// not negative, and a zero discount and tax whose exponents are between -12
// and 18. Such an event passes every check of its amounts that
// normalisation makes (checkAmount, signs, discount ≤ amount), so none of
// them needs to run, and [plainUnits] converts it to MRR in int64. It
// returns the amount's coefficient.
func plainAmounts(e *SubscriptionEvent) (int64, bool) {
	ea, ed, et := e.Amount.Exponent(), e.Discount.Exponent(), e.Tax.Exponent()
	if ea < -12 || ea > 12 || ed < -12 || ed > 18 || et < -12 || et > 18 || e.Discount.Sign() != 0 || e.Tax.Sign() != 0 {
		return 0, false
	}
	if e.Amount.NumDigits() > 18 { // 18 digits fit in an int64
		return 0, false
	}
	coef := e.Amount.CoefficientInt64()
	return coef, coef >= 0
}

// plainUnits is [monthlyUnits] for an event that [plainAmounts] accepts,
// whose amount's coefficient is coef: the same arithmetic, steps and
// result, without the work that a zero discount and tax make unnecessary.
// What does not fit in int64 goes to monthlyUnits.
func plainUnits(e *SubscriptionEvent, coef int64, p Policy, scale int32, months int64) (int64, bool) {
	if e.Trial && !p.IncludeTrials {
		return 0, true
	}
	ea := e.Amount.Exponent()
	fine := max(scale, -ea, -e.Discount.Exponent(), -e.Tax.Exponent())
	if fine <= 18 && fine-scale <= 18 {
		a, ok := int64(0), true
		if coef != 0 {
			if shift := ea + fine; shift <= 18 { // ≥ 0 as fine ≥ -ea
				a, ok = mulChecked(coef, pow10(shift))
			} else {
				ok = false
			}
		}
		div, ok2 := mulChecked(months, pow10(fine-scale))
		if ok && ok2 {
			return divHalfEven(a, div), true
		}
	}
	return monthlyUnits(e, p, scale, months)
}

// fixed returns d × 10^scale if that is an integer that fits in an int64.
func fixed(d decimal.Decimal, scale int32) (int64, bool) {
	if d.IsZero() {
		return 0, true
	}
	if d.NumDigits() > 18 {
		return 0, false
	}
	shift := d.Exponent() + scale
	if shift < 0 || shift > 18 {
		return 0, false
	}
	return mulChecked(d.CoefficientInt64(), pow10(shift))
}

func pow10(n int32) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}

func addChecked(a, b int64) (int64, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return s, false
	}
	return s, true
}

func mulChecked(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || (a == -1 && b == -1<<63) || (b == -1 && a == -1<<63) {
		return 0, false
	}
	return p, true
}

// divHalfEven returns v/d rounded half-even, for d > 0.
func divHalfEven(v, d int64) int64 {
	q, r := v/d, v%d
	if r == 0 {
		return q
	}
	if r < 0 {
		r = -r
	}
	twice := 2 * uint64(r)
	if twice > uint64(d) || (twice == uint64(d) && q%2 != 0) {
		if v < 0 {
			return q - 1
		}
		return q + 1
	}
	return q
}

// periodEnd returns the first billing-period boundary anchor + k×months
// (k ≥ 1) at or after at.
func periodEnd(anchor, at time.Time, months int) time.Time {
	k := ((at.Year()-anchor.Year())*12 + int(at.Month()-anchor.Month())) / months
	k = max(k-1, 1)
	for {
		end := anchor.AddDate(0, k*months, 0)
		if !end.Before(at) {
			return end
		}
		k++
	}
}
