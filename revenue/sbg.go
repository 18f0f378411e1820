package revenue

import (
	"fmt"
	"math"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// SBG is the shifted-beta-geometric model of contract renewal (Fader and
// Hardie 2007, "How to Project Customer Retention"). Each customer renews at
// the end of every period with a fixed probability of churning, θ, and θ
// varies across customers as Beta(Alpha, Beta). Because the customers most
// likely to churn leave first, the cohort's retention rate rises over time —
// which is why a straight line or a constant rate fitted to early retention
// underestimates the long tail.
//
// Fit it with [FitSBG]; the zero value is not a valid model (both
// parameters must be finite and > 0), and its methods then return zeros.
type SBG struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

func (m SBG) valid() bool {
	return m.Alpha > 0 && m.Beta > 0 && !math.IsInf(m.Alpha, 0) && !math.IsInf(m.Beta, 0)
}

// Survival returns S(t) = B(α, β+t) / B(α, β): the share of a cohort still
// active after t renewal periods. S(0) = 1.
func (m SBG) Survival(t int) float64 {
	if !m.valid() {
		return 0
	}
	if t <= 0 {
		return 1
	}
	if t <= 64 {
		s := 1.0
		for i := 1; i <= t; i++ {
			s *= (m.Beta + float64(i) - 1) / (m.Alpha + m.Beta + float64(i) - 1)
		}
		return s
	}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	ft := float64(t)
	return math.Exp(lg(m.Beta+ft) + lg(m.Alpha+m.Beta) - lg(m.Beta) - lg(m.Alpha+m.Beta+ft))
}

// ChurnProbability returns P(T = t) = B(α+1, β+t−1) / B(α, β): the
// probability that a new customer's last period is period t (t ≥ 1).
func (m SBG) ChurnProbability(t int) float64 {
	if !m.valid() || t < 1 {
		return 0
	}
	return m.Survival(t-1) * m.Alpha / (m.Alpha + m.Beta + float64(t) - 1)
}

// RetentionRate returns r(t) = S(t) / S(t−1) = (β+t−1) / (α+β+t−1): the
// share of the customers active after t−1 periods who renew at the end of
// period t (t ≥ 1). It rises with t.
func (m SBG) RetentionRate(t int) float64 {
	if !m.valid() || t < 1 {
		return 0
	}
	return (m.Beta + float64(t) - 1) / (m.Alpha + m.Beta + float64(t) - 1)
}

// Project returns the expected number of a cohort of size customers still
// active after 0, 1, …, periods renewal periods.
func (m SBG) Project(size, periods int) []float64 {
	out := make([]float64, max(periods, 0)+1)
	for t := range out {
		out[t] = float64(size) * m.Survival(t)
	}
	return out
}

// ExpectedLifetime returns the expected number of further renewals of a
// customer active after t renewal periods, Σ S(t+k)/S(t) over k ≥ 1, which
// is (β+t)/(α−1). When α ≤ 1 the heterogeneity is so strong that the mean
// is infinite: that is an error wrapping [valuepath.ErrUndefined]; use
// [SBG.DiscountedResidualLifetime], which is always finite.
func (m SBG) ExpectedLifetime(t int) (float64, error) {
	if !m.valid() {
		return 0, fmt.Errorf("revenue: sbg: %w: alpha and beta must be > 0", valuepath.ErrInvalid)
	}
	if t < 0 {
		return 0, fmt.Errorf("revenue: sbg: %w: t must be ≥ 0, got %d", valuepath.ErrInvalid, t)
	}
	if m.Alpha <= 1 {
		return 0, fmt.Errorf("revenue: sbg: expected lifetime: %w: alpha %.3g ≤ 1 makes the mean infinite", valuepath.ErrUndefined, m.Alpha)
	}
	return (m.Beta + float64(t)) / (m.Alpha - 1), nil
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
// value. discount is the rate per renewal period and must be in (0, 10].
func (m SBG) DiscountedResidualLifetime(t int, discount float64) (float64, error) {
	c := validate.New("revenue")
	if !m.valid() {
		c.Addf("sbg", valuepath.ErrInvalid, "alpha and beta must be > 0")
	}
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
	b := m.Beta + float64(t)
	ab := m.Alpha + m.Beta + float64(t)
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

// sbgBounds keep the optimiser away from the edges where the likelihood is
// flat and the arithmetic underflows: α and β between e^-9 and e^11.5.
const (
	sbgLo = -9.0
	sbgHi = 11.5
)

// FitSBG fits the shifted-beta-geometric model by maximum likelihood to one
// cohort's survivor counts: survivors[0] is the cohort size and survivors[t]
// the number still active after t renewal periods. Customers lost in period
// t contribute P(T = t) each; those still active at the end are
// right-censored and contribute S(n). The likelihood is maximised over
// (ln α, ln β) with Nelder–Mead.
//
// It needs at least two counts, a positive cohort size, counts that never
// increase or go negative, some churn and some customers renewing at least
// once; otherwise the model is not identified and FitSBG says why.
func FitSBG(survivors []int) (SBG, error) {
	c := validate.New("revenue")
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
		return SBG{}, err
	}
	n := len(survivors) - 1
	if survivors[n] == survivors[0] {
		return SBG{}, fmt.Errorf("revenue: fit sbg: %w: no customer churned, so the churn distribution cannot be estimated", valuepath.ErrUndefined)
	}
	if survivors[1] == 0 {
		return SBG{}, fmt.Errorf("revenue: fit sbg: %w: every customer churned in the first period, so heterogeneity cannot be estimated", valuepath.ErrUndefined)
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
	m := SBG{Alpha: math.Exp(clamp(x[0], sbgLo, sbgHi)), Beta: math.Exp(clamp(x[1], sbgLo, sbgHi))}
	return m, nil
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
