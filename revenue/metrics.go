package revenue

import (
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// ratio returns a/b, or a [valuepath.Number] absent for reason when b is
// zero: a rate of nothing is undefined, never 0.
func ratio(a, b decimal.Decimal, reason string) valuepath.Number {
	if b.IsZero() {
		return valuepath.Absent(reason)
	}
	return valuepath.Defined(a.DivRound(b, 15).InexactFloat64())
}

const noOpening = "no account paying at the opening of the window"

// ARR returns the annual run rate of the closing MRR: twelve times it.
func (p Period) ARR() valuepath.Money { return p.Closing.Mul(decimal.NewFromInt(12)) }

// GRR returns the period's gross revenue retention, p.Retention.GRR: of the
// MRR of the accounts in force at the opening, the share still there at
// the closing with each account capped at its opening MRR (the cohort
// definition). Accounts that joined within the period do not count, so GRR
// lies in [0, 1] and equals [CohortRetention]'s for the same window. Like
// every rate of this package it is absent, with the reason, when there is
// nothing to take a share of (here: no account paying at the opening).
func (p Period) GRR() valuepath.Number {
	return ratio(p.Retention.Gross.Amount(), p.Retention.Starting.Amount(), noOpening)
}

// NRR returns the period's net revenue retention, p.Retention.NRR: the MRR
// at the closing of the accounts in force at the opening over their MRR at
// the opening (the cohort definition). It is never negative and equals
// [CohortRetention]'s for the same window; an account that left and came
// back within the window counts with its MRR at the closing.
func (p Period) NRR() valuepath.Number {
	return ratio(p.Retention.Net.Amount(), p.Retention.Starting.Amount(), noOpening)
}

// LogoChurn returns the share of the accounts paying at the opening that
// pay nothing at the closing; absent when no account paid at the opening.
func (p Period) LogoChurn() valuepath.Number {
	if p.Accounts.Opening == 0 {
		return valuepath.Absent("no paying account at the start of the period")
	}
	return valuepath.Defined(float64(p.Accounts.Lost) / float64(p.Accounts.Opening))
}

// GrossMRRChurn returns (Contraction + Churn) / Opening: the movements of
// every account, including those that joined within the period, so unlike
// 1 − GRR it can exceed 1.
func (p Period) GrossMRRChurn() valuepath.Number {
	return ratio(p.Contraction.Amount().Add(p.Churn.Amount()), p.Opening.Amount(), noOpening)
}

// NetMRRChurn returns (Contraction + Churn − Expansion − Reactivation) /
// Opening; negative when the base grows on its own ("negative churn").
func (p Period) NetMRRChurn() valuepath.Number {
	num := p.Contraction.Amount().Add(p.Churn.Amount()).Sub(p.Expansion.Amount()).Sub(p.Reactivation.Amount())
	return ratio(num, p.Opening.Amount(), noOpening)
}

// QuickRatio returns (New + Expansion + Reactivation) / (Contraction +
// Churn): how many dollars of MRR are gained per dollar lost. Above 4 is
// commonly called efficient growth. It is absent when no MRR was lost.
func (p Period) QuickRatio() valuepath.Number {
	gain := p.New.Amount().Add(p.Expansion.Amount()).Add(p.Reactivation.Amount())
	return ratio(gain, p.Contraction.Amount().Add(p.Churn.Amount()), "no MRR lost in the period")
}

// Total returns one period spanning the whole bridge: the first opening,
// the last closing, the sums of the movements and the bridge's
// [Bridge.Retention] (so its GRR, NRR and logo churn follow the accounts in
// force at the first opening). Its movement counts are sums of the
// periods' counts; Lost counts the accounts of the first opening without
// MRR at the last closing.
func (b *Bridge) Total() Period {
	if len(b.Periods) == 0 {
		z := valuepath.ZeroMoney(b.Currency)
		return Period{Opening: z, New: z, Expansion: z, Reactivation: z, Contraction: z, Churn: z, FX: z, Closing: z}
	}
	first, last := b.Periods[0], b.Periods[len(b.Periods)-1]
	t := Period{Start: first.Start, End: last.End, Opening: first.Opening, Closing: last.Closing}
	sum := func(get func(Period) valuepath.Money) valuepath.Money {
		d := decimal.Zero
		for _, p := range b.Periods {
			d = d.Add(get(p).Amount())
		}
		return money(d, b.Currency)
	}
	t.New = sum(func(p Period) valuepath.Money { return p.New })
	t.Expansion = sum(func(p Period) valuepath.Money { return p.Expansion })
	t.Reactivation = sum(func(p Period) valuepath.Money { return p.Reactivation })
	t.Contraction = sum(func(p Period) valuepath.Money { return p.Contraction })
	t.Churn = sum(func(p Period) valuepath.Money { return p.Churn })
	t.FX = sum(func(p Period) valuepath.Money { return p.FX })
	t.Accounts.Opening, t.Accounts.Closing = first.Accounts.Opening, last.Accounts.Closing
	t.Retention = b.Retention
	t.Accounts.Lost = b.Retention.Accounts - b.Retention.Retained
	for _, p := range b.Periods {
		t.Accounts.New += p.Accounts.New
		t.Accounts.Expansion += p.Accounts.Expansion
		t.Accounts.Contraction += p.Accounts.Contraction
		t.Accounts.Churn += p.Accounts.Churn
		t.Accounts.Reactivation += p.Accounts.Reactivation
	}
	return t
}

// Retention is cohort-based revenue retention: the accounts in force at the
// opening of the window From → To, followed to its closing (the package's
// boundary rule says which instants those are). Accounts that start within
// the window, at From included, are not in the cohort.
type Retention struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Accounts is the cohort size; Retained how many of them pay at To.
	Accounts int `json:"accounts"`
	Retained int `json:"retained"`
	// Starting is the cohort's MRR at From; Net its MRR at To; Gross its
	// MRR at To with each account capped at its MRR at From.
	Starting valuepath.Money `json:"starting"`
	Gross    valuepath.Money `json:"gross"`
	Net      valuepath.Money `json:"net"`
	// GRR = Gross / Starting and NRR = Net / Starting; LogoRetention =
	// Retained / Accounts. All three are absent when the cohort is empty.
	GRR           valuepath.Number `json:"grr"`
	NRR           valuepath.Number `json:"nrr"`
	LogoRetention valuepath.Number `json:"logo_retention"`
}

// CohortRetention measures gross and net revenue retention of the accounts
// in force at the opening of the window from → to (typically twelve months
// long), as of its closing: under the package's boundary rule, the MRR in
// force just before from and just before to, as a bridge period over the
// same window counts them (its [Period.GRR] and [Period.NRR] are these). GRR
// caps each account at its MRR at from, so expansion never hides
// contraction and churn. Amounts in other currencies are converted at the
// rate in force at to for both dates (constant currency), so exchange rates
// do not move retention. A cohort without MRR is an error wrapping
// [valuepath.ErrUndefined].
func CohortRetention(timelines []Timeline, from, to time.Time, conv CurrencyConversion) (Retention, error) {
	c := validate.New("revenue")
	if !from.Before(to) {
		c.Addf("from", valuepath.ErrInvalid, "%s is not before to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	report, extra, rates := resolve(c, timelines, conv)
	if c.Len() > 0 {
		return Retention{}, c.Err()
	}
	minor, _ := report.MinorUnits()
	scale := minor + extra
	// The window's opening and closing: just before from and to.
	f, tt := clampNanos(from)-1, clampNanos(to)-1
	var start, gross, net decimal.Decimal
	r := Retention{From: from, To: to}
	for i := range timelines {
		t := &timelines[i]
		a, b := t.unitsAt(f), t.unitsAt(tt)
		if a == 0 {
			continue
		}
		r.Accounts++
		if b > 0 {
			r.Retained++
		}
		da, db := decimal.New(a, -t.scale), decimal.New(b, -t.scale)
		if t.currency != report {
			rate, ok := rates.at(t.currency, clampNanos(to))
			if !ok {
				c.Addf(validate.Index("timelines", i), valuepath.ErrCurrencyMismatch, "no rate from %s to %s at or before %s", t.currency, report, to.Format(time.RFC3339))
				continue
			}
			da, db = da.Mul(rate).RoundBank(scale), db.Mul(rate).RoundBank(scale)
		}
		start = start.Add(da)
		net = net.Add(db)
		gross = gross.Add(decimal.Min(da, db))
	}
	if c.Len() > 0 {
		return Retention{}, c.Err()
	}
	r.Starting = money(start, report)
	r.Gross = money(gross, report)
	r.Net = money(net, report)
	r.fill()
	return r, nil
}

// fill sets r's rates from its counts and amounts.
func (r *Retention) fill() {
	empty := noOpening + " " + r.From.Format(time.RFC3339)
	r.GRR = ratio(r.Gross.Amount(), r.Starting.Amount(), empty)
	r.NRR = ratio(r.Net.Amount(), r.Starting.Amount(), empty)
	r.LogoRetention = ratio(decimal.NewFromInt(int64(r.Retained)), decimal.NewFromInt(int64(r.Accounts)), empty)
}

func checkRate(what string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1 {
		return fmt.Errorf("revenue: %s: %w: must be between 0 and 1, got %v", what, valuepath.ErrInvalid, v)
	}
	return nil
}

// AnnualRate converts a monthly churn (or retention-loss) rate to the
// annual rate it compounds to: 1 − (1 − m)^12. 2% a month is 21.5% a year,
// not 24%.
func AnnualRate(monthly float64) (float64, error) {
	if err := checkRate("monthly rate", monthly); err != nil {
		return 0, err
	}
	return 1 - math.Pow(1-monthly, 12), nil
}

// MonthlyRate converts an annual churn rate to the monthly rate that
// compounds to it: 1 − (1 − a)^(1/12).
func MonthlyRate(annual float64) (float64, error) {
	if err := checkRate("annual rate", annual); err != nil {
		return 0, err
	}
	return 1 - math.Pow(1-annual, 1.0/12), nil
}

// ARPA returns the average revenue per account, mrr / accounts, rounded
// half-even to the currency's minor units. An average over no accounts has
// no value: an amount cannot be absent, so it is an error wrapping
// valuepath.ErrUndefined (and a negative count one wrapping
// valuepath.ErrInvalid).
func ARPA(mrr valuepath.Money, accounts int) (valuepath.Money, error) {
	if !mrr.Valid() {
		return valuepath.Money{}, fmt.Errorf("revenue: arpa: mrr: %w", valuepath.ErrUnknownCurrency)
	}
	if accounts < 0 {
		return valuepath.Money{}, fmt.Errorf("revenue: arpa: accounts: %w: must not be negative, got %d", valuepath.ErrInvalid, accounts)
	}
	if accounts == 0 {
		return valuepath.Money{}, fmt.Errorf("revenue: arpa: %w: no accounts", valuepath.ErrUndefined)
	}
	places, _ := mrr.Currency().MinorUnits()
	return mrr.Div(decimal.NewFromInt(int64(accounts)), places)
}

// LifetimeValue returns ARPA × margin / churn: the gross profit an account
// brings over its expected life when a share churn of accounts leaves each
// period (the period of arpa and churn must match, e.g. both monthly).
// Margin 1 gives the revenue lifetime value. Zero churn means an infinite
// value: an amount cannot be absent, so it is an error wrapping
// valuepath.ErrUndefined, never +Inf or 0. The result is rounded half-even
// to minor units.
func LifetimeValue(arpa valuepath.Money, churn, margin float64) (valuepath.Money, error) {
	if !arpa.Valid() {
		return valuepath.Money{}, fmt.Errorf("revenue: lifetime value: arpa: %w", valuepath.ErrUnknownCurrency)
	}
	if err := checkRate("lifetime value: churn", churn); err != nil {
		return valuepath.Money{}, err
	}
	if err := checkRate("lifetime value: margin", margin); err != nil {
		return valuepath.Money{}, err
	}
	if churn == 0 {
		return valuepath.Money{}, fmt.Errorf("revenue: lifetime value: %w: churn is zero", valuepath.ErrUndefined)
	}
	places, _ := arpa.Currency().MinorUnits()
	v := arpa.Mul(decimal.NewFromFloat(margin))
	return v.Div(decimal.NewFromFloat(churn), places)
}

// CACPayback returns the months of gross profit it takes to earn back the
// cost of acquiring an account: cac / (monthly arpa × margin). Both amounts
// must share a currency; zero gross profit is an error wrapping
// [valuepath.ErrUndefined].
func CACPayback(cac, arpa valuepath.Money, margin float64) (valuepath.Number, error) {
	if err := sameCurrency("cac payback", cac, arpa); err != nil {
		return valuepath.Number{}, err
	}
	if err := checkRate("cac payback: margin", margin); err != nil {
		return valuepath.Number{}, err
	}
	if cac.Sign() < 0 {
		return valuepath.Number{}, fmt.Errorf("revenue: cac payback: cac: %w: must not be negative, got %s", valuepath.ErrInvalid, cac)
	}
	if arpa.Sign() < 0 {
		return valuepath.Number{}, fmt.Errorf("revenue: cac payback: arpa: %w: must not be negative, got %s", valuepath.ErrInvalid, arpa)
	}
	return ratio(cac.Amount(), arpa.Amount().Mul(decimal.NewFromFloat(margin)), "no gross profit per month to pay the cost back"), nil
}
