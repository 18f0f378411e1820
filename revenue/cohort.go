package revenue

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Cohort is one row of a retention matrix: the accounts whose first MRR
// came in one period, followed through the periods after it. Index k of
// the slices is the end of the k'th period after the start period (k = 0 is
// the end of the start period itself).
type Cohort struct {
	Start time.Time `json:"start"`
	// Accounts is the cohort size.
	Accounts int `json:"accounts"`
	// Active counts the cohort's accounts with MRR at each period end; it can
	// rise again when accounts come back.
	Active []int `json:"active"`
	// Survivors counts the accounts that have had MRR without a break since
	// they joined: it never rises, and is what an sBG fit (package
	// revenue/sbg) expects.
	Survivors []int `json:"survivors"`
	// MRR is the cohort's total MRR at each period end.
	MRR []valuepath.Money `json:"mrr"`
}

// LogoRetention returns Active[k] / Accounts; absent, with the reason, for
// an empty cohort or a k outside the cohort's periods.
func (c Cohort) LogoRetention(k int) valuepath.Number {
	if k < 0 || k >= len(c.Active) {
		return valuepath.Absent(fmt.Sprintf("period %d is outside the cohort's %d periods", k, len(c.Active)))
	}
	return ratio(decimal.NewFromInt(int64(c.Active[k])), decimal.NewFromInt(int64(c.Accounts)), "empty cohort")
}

// RevenueRetention returns MRR[k] / MRR[0]; absent, with the reason, when
// the cohort had no MRR at the end of its first period or k is outside its
// periods.
func (c Cohort) RevenueRetention(k int) valuepath.Number {
	if k < 0 || k >= len(c.MRR) {
		return valuepath.Absent(fmt.Sprintf("period %d is outside the cohort's %d periods", k, len(c.MRR)))
	}
	return ratio(c.MRR[k].Amount(), c.MRR[0].Amount(), "no MRR at the end of the cohort's first period")
}

// Cohorts builds the retention matrix of timelines over consecutive
// periods: one [Cohort] per period in which at least one account first had
// MRR, oldest first. Accounts whose first MRR came before the first period
// are left out (their start is unknown to the matrix). Amounts in other
// currencies convert at the rate in force at the end of the last period
// (constant currency).
func Cohorts(timelines []Timeline, periods []valuepath.Interval, conv CurrencyConversion) ([]Cohort, error) {
	c := validate.New("revenue")
	checkPeriods(c, periods)
	report, extra, rates := resolve(c, timelines, conv)
	if c.Len() > 0 {
		return nil, c.Err()
	}
	minor, _ := report.MinorUnits()
	scale := minor + extra
	n := len(periods)
	ends := make([]int64, n)
	for k, p := range periods {
		ends[k] = clampNanos(p.End)
	}
	first := clampNanos(periods[0].Start)
	type row struct {
		accounts          int
		active, survivors []int
		mrr               []decimal.Decimal
	}
	rows := make([]*row, n)
	asOf := periods[n-1].End
	for i := range timelines {
		t := &timelines[i]
		j := 0
		for j < len(t.mrr) && t.mrr[j] == 0 {
			j++
		}
		if j == len(t.mrr) || t.at[j] < first || t.at[j] >= ends[n-1] {
			continue
		}
		rate := decimal.NewFromInt(1)
		if t.currency != report {
			r, ok := rates.at(t.currency, ends[n-1])
			if !ok {
				c.Addf(validate.Index("timelines", i), valuepath.ErrCurrencyMismatch, "no rate from %s to %s at or before %s", t.currency, report, asOf.Format(time.RFC3339))
				continue
			}
			rate = r
		}
		k0 := 0
		for ends[k0] <= t.at[j] {
			k0++
		}
		r := rows[k0]
		if r == nil {
			r = &row{active: make([]int, n-k0), survivors: make([]int, n-k0), mrr: make([]decimal.Decimal, n-k0)}
			rows[k0] = r
		}
		r.accounts++
		// The first moment after joining with no MRR ends survival.
		brk := int64(1<<63 - 1)
		for x := j; x < len(t.mrr); x++ {
			if t.mrr[x] == 0 {
				brk = t.at[x]
				break
			}
		}
		for k := k0; k < n; k++ {
			u := t.unitsAt(ends[k] - 1)
			if u > 0 {
				r.active[k-k0]++
				v := decimal.New(u, -t.scale)
				if t.currency != report {
					v = v.Mul(rate).RoundBank(scale)
				}
				r.mrr[k-k0] = r.mrr[k-k0].Add(v)
			}
			if brk >= ends[k] {
				r.survivors[k-k0]++
			}
		}
	}
	if c.Len() > 0 {
		return nil, c.Err()
	}
	var out []Cohort
	for k, r := range rows {
		if r == nil {
			continue
		}
		co := Cohort{Start: periods[k].Start, Accounts: r.accounts, Active: r.active, Survivors: r.survivors, MRR: make([]valuepath.Money, len(r.mrr))}
		for x, d := range r.mrr {
			co.MRR[x] = money(d, report)
		}
		out = append(out, co)
	}
	return out, nil
}
