// Package forecast calibrates renewal probabilities per health band from
// past renewals, forecasts the renewals coming due with them, and projects
// how churn compounds on ARR.
//
// Health bands are plain strings, the host's own labels (for example the
// bands of a health scorecard), so this package depends on no scoring
// package. It is planning and offline analysis, kept apart from package
// revenue's request-path metrics; amounts are valuepath.Money.
package forecast

import (
	"cmp"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Outcome is one past renewal decision of an account, with the health band
// the account was in before it. Band is the host's own label (for example
// the band of a health scorecard): this package treats it as an opaque
// string so it depends on no scoring package.
type Outcome struct {
	Account valuepath.AccountID `json:"account"`
	Band    string              `json:"band"`
	Renewed bool                `json:"renewed"`
}

// BandRate is the calibrated renewal probability of one health band.
type BandRate struct {
	Band string `json:"band"`
	// Outcomes and Renewed count the past renewals of the band.
	Outcomes int `json:"outcomes"`
	Renewed  int `json:"renewed"`
	// Probability is the band's renewal rate shrunk towards the pooled rate
	// of all bands by the prior strength: (Renewed + k·pooled) / (Outcomes +
	// k). Few outcomes lean on the pool; many speak for themselves.
	Probability float64 `json:"probability"`
	// Low and High are the 90% Wilson interval of the band's raw rate.
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Pooled is true when the band had no outcomes and the pooled rate of
	// all bands stands in for it.
	Pooled bool `json:"pooled,omitempty"`
}

// CalibrationOptions tunes [Calibrate]. The zero value uses a prior
// strength of 2 outcomes.
type CalibrationOptions struct {
	// PriorStrength is how many outcomes' worth of weight the pooled rate
	// gets in each band's estimate. Zero means 2; negative is invalid.
	PriorStrength float64 `json:"prior_strength,omitempty"`
}

// Calibration holds renewal probabilities per health band, computed from
// past outcomes by [Calibrate]. It is immutable and safe for concurrent use.
type Calibration struct {
	bands  []BandRate // sorted by band
	pooled BandRate
}

const z90 = 1.6448536269514722 // standard normal quantile of 0.95

// wilson returns the Wilson score interval of k successes in n trials.
func wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p := float64(k) / float64(n)
	fn := float64(n)
	z2 := z90 * z90
	centre := (p + z2/(2*fn)) / (1 + z2/fn)
	half := z90 * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / (1 + z2/fn)
	lo, hi = math.Max(0, centre-half), math.Min(1, centre+half)
	if k == 0 {
		lo = 0 // exact at the edges, where rounding would leave 1e-17
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// Calibrate computes each band's renewal probability from past outcomes
// rather than taking it as a constant: a band's own rate, shrunk towards the
// pooled rate so that a band with three outcomes does not claim 100%. It
// needs at least one outcome.
func Calibrate(outcomes []Outcome, opt CalibrationOptions) (*Calibration, error) {
	c := validate.New("forecast")
	if len(outcomes) == 0 {
		c.Addf("outcomes", valuepath.ErrInvalid, "need at least one past renewal")
	}
	k := opt.PriorStrength
	if k == 0 {
		k = 2
	}
	if c.Finite("options.prior_strength", k) && k < 0 {
		c.Addf("options.prior_strength", valuepath.ErrInvalid, "must not be negative, got %v", k)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	idx := map[string]int{}
	var bands []BandRate
	renewed := 0
	for _, o := range outcomes {
		i, ok := idx[o.Band]
		if !ok {
			i = len(bands)
			idx[o.Band] = i
			bands = append(bands, BandRate{Band: o.Band})
		}
		bands[i].Outcomes++
		if o.Renewed {
			bands[i].Renewed++
			renewed++
		}
	}
	pooled := float64(renewed) / float64(len(outcomes))
	for i := range bands {
		b := &bands[i]
		b.Probability = (float64(b.Renewed) + k*pooled) / (float64(b.Outcomes) + k)
		b.Low, b.High = wilson(b.Renewed, b.Outcomes)
	}
	slices.SortFunc(bands, func(a, b BandRate) int { return cmp.Compare(a.Band, b.Band) })
	lo, hi := wilson(renewed, len(outcomes))
	return &Calibration{bands: bands, pooled: BandRate{Outcomes: len(outcomes), Renewed: renewed, Probability: pooled, Low: lo, High: hi, Pooled: true}}, nil
}

// Rate returns the calibrated rate of band. A band without past outcomes
// gets the pooled rate with Pooled set, and ok false.
func (c *Calibration) Rate(band string) (r BandRate, ok bool) {
	i, found := slices.BinarySearchFunc(c.bands, band, func(b BandRate, s string) int { return cmp.Compare(b.Band, s) })
	if found {
		return c.bands[i], true
	}
	r = c.pooled
	r.Band = band
	return r, false
}

// MarshalJSON writes the bands and the pooled rate.
func (c *Calibration) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Bands  []BandRate `json:"bands"`
		Pooled BandRate   `json:"pooled"`
	}{c.bands, c.pooled})
}

// Bands yields the calibrated bands in name order.
func (c *Calibration) Bands() iter.Seq[BandRate] { return slices.Values(c.bands) }

// Pooled returns the rate of all outcomes together.
func (c *Calibration) Pooled() BandRate { return c.pooled }

// Renewal is a contract coming up for renewal.
type Renewal struct {
	Account valuepath.AccountID `json:"account"`
	// Band is the account's current health band, as the host labels it.
	Band string    `json:"band"`
	Due  time.Time `json:"due"`
	// ARR is the annual recurring revenue up for renewal.
	ARR valuepath.Money `json:"arr"`
}

// RenewalLine is one renewal in a forecast with the probability applied.
type RenewalLine struct {
	Renewal
	Probability float64         `json:"probability"`
	Expected    valuepath.Money `json:"expected"`
	Pooled      bool            `json:"pooled,omitempty"`
}

// BandForecast sums a forecast's renewals of one band.
type BandForecast struct {
	Band        string          `json:"band"`
	Renewals    int             `json:"renewals"`
	ARR         valuepath.Money `json:"arr"`
	Probability float64         `json:"probability"`
	Expected    valuepath.Money `json:"expected"`
}

// RenewalForecast is the health-weighted forecast of the renewals due in a
// window: each contract's ARR times the renewal probability of its band.
type RenewalForecast struct {
	Window valuepath.Interval `json:"window"`
	// Due is the ARR of every renewal in the window; Expected the
	// probability-weighted ARR expected to renew.
	Due      valuepath.Money `json:"due"`
	Expected valuepath.Money `json:"expected"`
	// Low and High bound a 90% range for the renewed ARR, by the normal
	// approximation to independent renewals at the calibrated
	// probabilities, clamped to [0, Due].
	Low   valuepath.Money `json:"low"`
	High  valuepath.Money `json:"high"`
	Bands []BandForecast  `json:"bands"`
	Lines []RenewalLine   `json:"lines"`
}

// Renewals forecasts the renewals due in window [Start, End) using
// the calibrated probability of each account's band. All ARR must share one
// currency and be non-negative; renewals outside the window are skipped.
func Renewals(renewals []Renewal, cal *Calibration, window valuepath.Interval) (RenewalForecast, error) {
	c := validate.New("forecast")
	if cal == nil {
		c.Addf("calibration", valuepath.ErrInvalid, "must not be nil")
	}
	if window.Empty() {
		c.Addf("window", valuepath.ErrInvalid, "start %s is not before end %s", window.Start.Format(time.RFC3339), window.End.Format(time.RFC3339))
	}
	var cur valuepath.Currency
	for i, r := range renewals {
		path := validate.Index("renewals", i)
		c.NonEmpty(validate.Field(path, "account"), string(r.Account))
		if !r.ARR.Valid() {
			c.Addf(validate.Field(path, "arr.currency"), valuepath.ErrUnknownCurrency, "%q is not an ISO 4217 code", string(r.ARR.Currency()))
			continue
		}
		if cur == "" {
			cur = r.ARR.Currency()
		} else if r.ARR.Currency() != cur {
			c.Addf(validate.Field(path, "arr.currency"), valuepath.ErrCurrencyMismatch, "%s differs from %s", r.ARR.Currency(), cur)
		}
		if r.ARR.Sign() < 0 {
			c.Addf(validate.Field(path, "arr"), valuepath.ErrInvalid, "must not be negative, got %s", r.ARR)
		}
	}
	if err := c.Err(); err != nil {
		return RenewalForecast{}, err
	}
	if cur == "" {
		cur = "USD"
	}
	places, _ := cur.MinorUnits()
	f := RenewalForecast{Window: window}
	due, exp := decimal.Zero, decimal.Zero
	variance := 0.0
	byBand := map[string]int{}
	for _, r := range renewals {
		if !window.Contains(r.Due) {
			continue
		}
		rate, ok := cal.Rate(r.Band)
		e := r.ARR.Amount().Mul(decimal.NewFromFloat(rate.Probability)).RoundBank(places)
		f.Lines = append(f.Lines, RenewalLine{Renewal: r, Probability: rate.Probability, Expected: money(e, cur), Pooled: !ok})
		due = due.Add(r.ARR.Amount())
		exp = exp.Add(e)
		a := r.ARR.Amount().InexactFloat64()
		variance += rate.Probability * (1 - rate.Probability) * a * a
		i, seen := byBand[r.Band]
		if !seen {
			i = len(f.Bands)
			byBand[r.Band] = i
			f.Bands = append(f.Bands, BandForecast{Band: r.Band, ARR: valuepath.ZeroMoney(cur), Expected: valuepath.ZeroMoney(cur), Probability: rate.Probability})
		}
		b := &f.Bands[i]
		b.Renewals++
		b.ARR = money(b.ARR.Amount().Add(r.ARR.Amount()), cur)
		b.Expected = money(b.Expected.Amount().Add(e), cur)
	}
	slices.SortStableFunc(f.Lines, func(a, b RenewalLine) int { return a.Due.Compare(b.Due) })
	slices.SortFunc(f.Bands, func(a, b BandForecast) int { return cmp.Compare(a.Band, b.Band) })
	f.Due = money(due, cur)
	f.Expected = money(exp, cur)
	half := decimal.NewFromFloat(z90 * math.Sqrt(variance)).RoundBank(places)
	f.Low = money(decimal.Max(decimal.Zero, exp.Sub(half)), cur)
	f.High = money(decimal.Min(due, exp.Add(half)), cur)
	return f, nil
}

// Margin is the margin of a revenue stream, such as the renewals of a
// quarter after the cost to serve and renew them. Ratio is Profit /
// Revenue, absent when there is no revenue.
type Margin struct {
	Revenue valuepath.Money  `json:"revenue"`
	Cost    valuepath.Money  `json:"cost"`
	Profit  valuepath.Money  `json:"profit"`
	Ratio   valuepath.Number `json:"ratio"`
}

// Margin returns the renewal-stream margin of the forecast: the expected
// renewed ARR after cost, the cost to serve and renew those accounts over
// the same year. cost must be in the forecast's currency and not negative.
func (f RenewalForecast) Margin(cost valuepath.Money) (Margin, error) {
	rev := f.Expected
	if err := sameCurrency("margin", rev, cost); err != nil {
		return Margin{}, err
	}
	if cost.Sign() < 0 {
		return Margin{}, fmt.Errorf("forecast: margin: cost: %w: must not be negative, got %s", valuepath.ErrInvalid, cost)
	}
	profit := rev.Amount().Sub(cost.Amount())
	return Margin{Revenue: rev, Cost: cost, Profit: money(profit, rev.Currency()),
		Ratio: ratio(profit, rev.Amount(), "no renewed ARR expected")}, nil
}

// ProjectionRates are the rates per period applied by [ProjectARR], as
// shares of the period's opening ARR.
type ProjectionRates struct {
	Churn       float64 `json:"churn"`
	Contraction float64 `json:"contraction"`
	Expansion   float64 `json:"expansion"`
}

// ProjectionRow is one period of an ARR projection. Closing = Opening +
// Expansion − Contraction − Churn, exactly.
type ProjectionRow struct {
	Period      int             `json:"period"`
	Opening     valuepath.Money `json:"opening"`
	Expansion   valuepath.Money `json:"expansion"`
	Contraction valuepath.Money `json:"contraction"`
	Churn       valuepath.Money `json:"churn"`
	Closing     valuepath.Money `json:"closing"`
	// LostToChurn is the churn of every period so far: how churn compounds.
	LostToChurn valuepath.Money `json:"lost_to_churn"`
}

// ProjectARR projects arr over periods periods of a base with no new sales
// under constant rates, each movement rounded half-even to minor units. It
// shows what a few points of churn do over years. Churn and contraction are
// shares in [0, 1] that together are at most 1; expansion is in [0, 10].
func ProjectARR(arr valuepath.Money, periods int, r ProjectionRates) ([]ProjectionRow, error) {
	c := validate.New("forecast")
	if !arr.Valid() {
		c.Addf("arr.currency", valuepath.ErrUnknownCurrency, "%q is not an ISO 4217 code", string(arr.Currency()))
	} else if arr.Sign() < 0 {
		c.Addf("arr", valuepath.ErrInvalid, "must not be negative, got %s", arr)
	}
	if periods < 1 || periods > 1200 {
		c.Addf("periods", valuepath.ErrInvalid, "must be between 1 and 1200, got %d", periods)
	}
	for _, x := range []struct {
		path string
		v    float64
		max  float64
	}{{"rates.churn", r.Churn, 1}, {"rates.contraction", r.Contraction, 1}, {"rates.expansion", r.Expansion, 10}} {
		if c.Finite(x.path, x.v) && (x.v < 0 || x.v > x.max) {
			c.Addf(x.path, valuepath.ErrInvalid, "must be between 0 and %v, got %v", x.max, x.v)
		}
	}
	if r.Churn+r.Contraction > 1 {
		c.Addf("rates", valuepath.ErrInvalid, "churn %v and contraction %v together exceed 1", r.Churn, r.Contraction)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	places, _ := arr.Currency().MinorUnits()
	ch, co, ex := decimal.NewFromFloat(r.Churn), decimal.NewFromFloat(r.Contraction), decimal.NewFromFloat(r.Expansion)
	open := arr.Amount()
	lost := decimal.Zero
	rows := make([]ProjectionRow, periods)
	m := func(d decimal.Decimal) valuepath.Money { return money(d, arr.Currency()) }
	for k := range rows {
		churn := open.Mul(ch).RoundBank(places)
		contr := decimal.Min(open.Sub(churn), open.Mul(co).RoundBank(places))
		exp := open.Mul(ex).RoundBank(places)
		closing := open.Add(exp).Sub(contr).Sub(churn)
		lost = lost.Add(churn)
		rows[k] = ProjectionRow{Period: k + 1, Opening: m(open), Expansion: m(exp), Contraction: m(contr), Churn: m(churn), Closing: m(closing), LostToChurn: m(lost)}
		open = closing
	}
	return rows, nil
}

// money returns amount in cur, a currency already checked.
func money(amount decimal.Decimal, cur valuepath.Currency) valuepath.Money {
	m, _ := valuepath.NewMoney(amount, cur)
	return m
}

// sameCurrency returns a *valuepath.MismatchError unless a and b share a
// known currency.
func sameCurrency(op string, a, b valuepath.Money) error {
	if a.Currency() != b.Currency() || !a.Valid() {
		return &valuepath.MismatchError{Op: op, A: a.Currency(), B: b.Currency()}
	}
	return nil
}

// ratio returns a/b, absent for reason when b is zero.
func ratio(a, b decimal.Decimal, reason string) valuepath.Number {
	if b.IsZero() {
		return valuepath.Absent(reason)
	}
	return valuepath.Defined(a.DivRound(b, 15).InexactFloat64())
}
