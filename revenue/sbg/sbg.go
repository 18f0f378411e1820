// Package sbg fits and projects the shifted-beta-geometric (sBG) model of
// contract renewal of Fader and Hardie (2007), "How to Project Customer
// Retention".
//
// Each customer renews at the end of every period with a fixed probability
// of churning, θ, and θ varies across customers as Beta(α, β). Because the
// customers most likely to churn leave first, a cohort's retention rate
// rises over time — which is why a straight line or a constant rate fitted
// to early retention underestimates the long tail.
//
// [Fit] estimates a [Model] from one cohort's survivor counts (or
// [FitCohort] from a row of revenue.Cohorts); the model projects survival,
// retention rates, expected lifetime and the discounted expected residual
// lifetime used for a customer's remaining value. This is offline
// analysis, kept apart from package revenue's request-path metrics.
package sbg

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
	"github.com/valuepath/valuepath/revenue"
)

// ModelSpec holds the parameters of a [Model]: the Beta(Alpha, Beta)
// distribution of the per-period churn probability across customers. Both
// must be finite and > 0.
type ModelSpec struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

// Model is a shifted-beta-geometric model with valid parameters. Build it
// with [Fit] or [NewModel]; it is immutable and safe for concurrent use.
type Model struct {
	alpha, beta float64
	bound       string // set by Fit when a parameter stopped at its bound
}

// NewModel returns the model with the parameters of spec, and an error
// wrapping valuepath.ErrInvalid unless both are finite and > 0.
func NewModel(spec ModelSpec) (*Model, error) {
	c := validate.New("sbg")
	if c.Positive("alpha", spec.Alpha) && math.IsInf(spec.Alpha, 0) {
		c.Addf("alpha", valuepath.ErrNotFinite, "%v", spec.Alpha)
	}
	if c.Positive("beta", spec.Beta) && math.IsInf(spec.Beta, 0) {
		c.Addf("beta", valuepath.ErrNotFinite, "%v", spec.Beta)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return &Model{alpha: spec.Alpha, beta: spec.Beta}, nil
}

// AtBound says whether [Fit] stopped a parameter at the edge of its search
// range (α and β within e^-9 and e^11.5) and which: "" when neither did,
// and always for a model from [NewModel]; otherwise, for example, "beta at
// its upper bound 98715.8". A parameter at its bound is not an estimate:
// the likelihood still rises beyond it (typically when hardly anyone
// churns, or everyone churns at once), so the data do not identify it and
// projections from the model are the bound's, not the data's.
func (m *Model) AtBound() string { return m.bound }

// Spec returns the model's parameters.
func (m *Model) Spec() ModelSpec { return ModelSpec{Alpha: m.alpha, Beta: m.beta} }

// MarshalJSON writes the parameters, {"alpha": …, "beta": …}.
func (m *Model) MarshalJSON() ([]byte, error) { return json.Marshal(m.Spec()) }

// Survival returns S(t) = B(α, β+t) / B(α, β): the share of a cohort still
// active after t renewal periods. S(t) = 1 for t ≤ 0.
func (m *Model) Survival(t int) float64 {
	if t <= 0 {
		return 1
	}
	if t <= 64 {
		s := 1.0
		for i := 1; i <= t; i++ {
			s *= (m.beta + float64(i) - 1) / (m.alpha + m.beta + float64(i) - 1)
		}
		return s
	}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	ft := float64(t)
	return math.Exp(lg(m.beta+ft) + lg(m.alpha+m.beta) - lg(m.beta) - lg(m.alpha+m.beta+ft))
}

// ChurnProbability returns P(T = t) = B(α+1, β+t−1) / B(α, β): the
// probability that a new customer's last period is period t. It is 0 for
// t < 1: every customer stays for the first period.
func (m *Model) ChurnProbability(t int) float64 {
	if t < 1 {
		return 0
	}
	return m.Survival(t-1) * m.alpha / (m.alpha + m.beta + float64(t) - 1)
}

// RetentionRate returns r(t) = S(t) / S(t−1) = (β+t−1) / (α+β+t−1): the
// share of the customers active after t−1 periods who renew at the end of
// period t. It rises with t; for t < 1, where nobody has had to renew yet,
// it is 1.
func (m *Model) RetentionRate(t int) float64 {
	if t < 1 {
		return 1
	}
	return (m.beta + float64(t) - 1) / (m.alpha + m.beta + float64(t) - 1)
}

// Project returns the expected number of a cohort of size customers still
// active after 0, 1, …, periods renewal periods. A negative size or
// number of periods is an error wrapping valuepath.ErrInvalid.
func (m *Model) Project(size, periods int) ([]float64, error) {
	c := validate.New("sbg")
	if size < 0 {
		c.Addf("size", valuepath.ErrInvalid, "a cohort must not be negative, got %d", size)
	}
	if periods < 0 {
		c.Addf("periods", valuepath.ErrInvalid, "must not be negative, got %d", periods)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	out := make([]float64, periods+1)
	for t := range out {
		out[t] = float64(size) * m.Survival(t)
	}
	return out, nil
}

// ExpectedLifetime returns the expected number of further renewals of a
// customer active after t renewal periods, Σ S(t+k)/S(t) over k ≥ 1, which
// is (β+t)/(α−1). When α ≤ 1 the heterogeneity is so strong that the mean
// is infinite: the result is then absent, with the reason (use
// [Model.DiscountedResidualLifetime], which is always finite). A negative t
// is an error wrapping valuepath.ErrInvalid.
func (m *Model) ExpectedLifetime(t int) (valuepath.Number, error) {
	if t < 0 {
		return valuepath.Number{}, fmt.Errorf("sbg: t: %w: must be ≥ 0, got %d", valuepath.ErrInvalid, t)
	}
	if m.alpha <= 1 {
		return valuepath.Absent(fmt.Sprintf("alpha %.3g ≤ 1 makes the mean lifetime infinite", m.alpha)), nil
	}
	return valuepath.Defined((m.beta + float64(t)) / (m.alpha - 1)), nil
}

// DiscountedResidualLifetime returns the discounted expected residual
// lifetime (DERL) of Fader and Hardie (2010), "Customer-Base Valuation in a
// Contractual Setting": for a customer active after t renewal periods, the
// expected number of further renewal payments, the next one undiscounted
// and each later one discounted by a further 1/(1+discount):
//
//	DERL = Σ_{k≥0} S(t+1+k)/S(t) · (1+discount)^−k
//
// Multiply by the margin per period for the customer's residual lifetime
// value. discount is the rate per renewal period and must be in (0, 10];
// t must be ≥ 0.
func (m *Model) DiscountedResidualLifetime(t int, discount float64) (float64, error) {
	c := validate.New("sbg")
	if t < 0 {
		c.Addf("t", valuepath.ErrInvalid, "must be ≥ 0, got %d", t)
	}
	if c.Positive("discount", discount) && discount > 10 {
		c.Addf("discount", valuepath.ErrInvalid, "must be at most 10, got %v", discount)
	}
	if err := c.Err(); err != nil {
		return 0, err
	}
	x := 1 / (1 + discount)
	b := m.beta + float64(t)
	ab := m.alpha + m.beta + float64(t)
	term := b / ab
	sum := term
	for k := 1; k < 10_000_000; k++ {
		term *= (b + float64(k)) / (ab + float64(k)) * x
		sum += term
		if term < 1e-15*sum {
			break
		}
	}
	return sum, nil
}

// FitCohort fits the model to a cohort's survivors, with the cohort size as
// survivors[0] and each period end after the start period as one renewal
// period. Use it for monthly renewals; for yearly contracts, build the
// counts per year and call [Fit].
func FitCohort(c revenue.Cohort) (*Model, error) {
	s := make([]int, 0, len(c.Survivors)+1)
	s = append(s, c.Accounts)
	if len(c.Survivors) > 0 {
		s = append(s, c.Survivors[1:]...)
	}
	m, err := Fit(s)
	if err != nil {
		return nil, fmt.Errorf("cohort of %s: %w", c.Start.Format("2006-01"), err)
	}
	return m, nil
}

// sbgBounds keep the optimiser away from the edges where the likelihood is
// flat and the arithmetic underflows: α and β between e^-9 and e^11.5.
const (
	sbgLo = -9.0
	sbgHi = 11.5
)

// Fit fits the shifted-beta-geometric model by maximum likelihood to one
// cohort's survivor counts: survivors[0] is the cohort size and survivors[t]
// the number still active after t renewal periods. Customers lost in period
// t contribute P(T = t) each; those still active at the end are
// right-censored and contribute S(n). The likelihood is maximised over
// (ln α, ln β) with Nelder–Mead.
//
// It needs at least two counts, a positive cohort size, counts that never
// increase or go negative, some churn and some customers renewing at least
// once; otherwise the model is not identified and Fit says why, with an
// error wrapping valuepath.ErrInvalid or valuepath.ErrUndefined. When the
// likelihood keeps rising at the edge of the search range the fit stops
// there, and [Model.AtBound] says which parameter did.
func Fit(survivors []int) (*Model, error) {
	c := validate.New("sbg")
	if len(survivors) < 2 {
		c.Addf("survivors", valuepath.ErrInvalid, "need the cohort size and at least one period, got %d counts", len(survivors))
	} else if survivors[0] <= 0 {
		c.Addf("survivors[0]", valuepath.ErrInvalid, "cohort size must be > 0, got %d", survivors[0])
	}
	for t := 1; t < len(survivors); t++ {
		switch s := survivors[t]; {
		case s < 0:
			c.Addf(validate.Index("survivors", t), valuepath.ErrInvalid, "must not be negative, got %d", s)
		case s > survivors[0]:
			c.Addf(validate.Index("survivors", t), valuepath.ErrInvalid, "%d exceeds the cohort size %d", s, survivors[0])
		case s > survivors[t-1]:
			c.Addf(validate.Index("survivors", t), valuepath.ErrInvalid, "%d is more than survivors[%d] %d: survivors never increase", s, t-1, survivors[t-1])
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	n := len(survivors) - 1
	if survivors[n] == survivors[0] {
		return nil, fmt.Errorf("sbg: fit: %w: no customer churned, so the churn distribution cannot be estimated", valuepath.ErrUndefined)
	}
	if survivors[1] == 0 {
		return nil, fmt.Errorf("sbg: fit: %w: every customer churned in the first period, so heterogeneity cannot be estimated", valuepath.ErrUndefined)
	}
	var lost [64]float64
	lostS := lost[:0]
	if n > len(lost) {
		lostS = make([]float64, 0, n)
	}
	for t := 1; t <= n; t++ {
		lostS = append(lostS, float64(survivors[t-1]-survivors[t]))
	}
	alive := float64(survivors[n])
	nll := func(x [2]float64) float64 {
		a := math.Exp(clamp(x[0], sbgLo, sbgHi))
		b := math.Exp(clamp(x[1], sbgLo, sbgHi))
		s, ll := 1.0, 0.0
		for i, l := range lostS {
			d := a + b + float64(i)
			if l > 0 {
				ll += l * math.Log(s*a/d)
			}
			s *= (b + float64(i)) / d
		}
		if alive > 0 {
			ll += alive * math.Log(s)
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.MaxFloat64
		}
		return -ll
	}
	x := nelderMead(nll, [2]float64{0, 0}, 1)
	x = nelderMead(nll, x, 0.1) // restart: Nelder–Mead can stall on a ridge
	return &Model{alpha: math.Exp(clamp(x[0], sbgLo, sbgHi)), beta: math.Exp(clamp(x[1], sbgLo, sbgHi)),
		bound: atBound(x)}, nil
}

// atBound names the parameters of x (ln α, ln β) that the search left at
// or beyond a bound, where clamp pins them.
func atBound(x [2]float64) string {
	var parts []string
	for i, name := range [2]string{"alpha", "beta"} {
		// Within a hair of the bound counts: Nelder–Mead converges onto
		// a flat edge from inside.
		const eps = 1e-6
		switch {
		case x[i] >= sbgHi-eps:
			parts = append(parts, name+" at its upper bound "+strconv.FormatFloat(math.Exp(sbgHi), 'g', 6, 64))
		case x[i] <= sbgLo+eps:
			parts = append(parts, name+" at its lower bound "+strconv.FormatFloat(math.Exp(sbgLo), 'g', 6, 64))
		}
	}
	return strings.Join(parts, " and ")
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// nelderMead minimises f over two variables from x0 with an initial simplex
// of size step, using the standard coefficients (reflection 1, expansion 2,
// contraction ½, shrink ½). It stops when the simplex's values agree to
// 1e-12 relative or after 2000 iterations.
func nelderMead(f func([2]float64) float64, x0 [2]float64, step float64) [2]float64 {
	p := [3][2]float64{x0, {x0[0] + step, x0[1]}, {x0[0], x0[1] + step}}
	var v [3]float64
	for i := range p {
		v[i] = f(p[i])
	}
	for iter := 0; iter < 2000; iter++ {
		// order: p[0] best, p[2] worst
		for i := 1; i < 3; i++ {
			for j := i; j > 0 && v[j] < v[j-1]; j-- {
				v[j], v[j-1] = v[j-1], v[j]
				p[j], p[j-1] = p[j-1], p[j]
			}
		}
		if math.Abs(v[2]-v[0]) <= 1e-12*(math.Abs(v[0])+1e-12) &&
			math.Abs(p[2][0]-p[0][0])+math.Abs(p[2][1]-p[0][1]) < 1e-9 {
			break
		}
		c := [2]float64{(p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2}
		at := func(t float64) [2]float64 {
			return [2]float64{c[0] + t*(p[2][0]-c[0]), c[1] + t*(p[2][1]-c[1])}
		}
		xr := at(-1)
		fr := f(xr)
		switch {
		case fr < v[0]:
			xe := at(-2)
			if fe := f(xe); fe < fr {
				p[2], v[2] = xe, fe
			} else {
				p[2], v[2] = xr, fr
			}
		case fr < v[1]:
			p[2], v[2] = xr, fr
		default:
			var xc [2]float64
			if fr < v[2] {
				xc = at(-0.5)
			} else {
				xc = at(0.5)
			}
			if fc := f(xc); fc < math.Min(fr, v[2]) {
				p[2], v[2] = xc, fc
			} else {
				for i := 1; i < 3; i++ {
					p[i] = [2]float64{p[0][0] + (p[i][0]-p[0][0])/2, p[0][1] + (p[i][1]-p[0][1])/2}
					v[i] = f(p[i])
				}
			}
		}
	}
	best := 0
	for i := 1; i < 3; i++ {
		if v[i] < v[best] {
			best = i
		}
	}
	return p[best]
}
