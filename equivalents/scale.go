package equivalents

import (
	"math/big"
	"sync"

	"github.com/shopspring/decimal"
)

// scaler computes v * num / den, exact when den is 1 and otherwise rounded
// half away from zero to places decimal places, with the same result as
// v.Mul(num).DivRound(den, places).
//
// decimal.DivRound builds powers of ten and several big.Ints on every call.
// A scaler precomputes, for every input exponent in [minTableExp, maxTableExp], the
// integer multiplier and divisor that the division reduces to, so that a
// quantity whose coefficient fits an int64 costs one small multiplication
// and one division on reused scratch integers, and allocates only its
// result. Other quantities take the general path.
type scaler struct {
	num, den decimal.Decimal
	divides  bool
	places   int32
	table    []scaleEntry // index: input exponent - minTableExp
}

type scaleEntry struct{ mult, div *big.Int }

const minTableExp, maxTableExp = -18, 18

func newScaler(num, den decimal.Decimal, divides bool, places int32) scaler {
	s := scaler{num: num, den: den, divides: divides, places: places}
	if !divides {
		return s
	}
	s.table = make([]scaleEntry, maxTableExp-minTableExp+1)
	for e := minTableExp; e <= maxTableExp; e++ {
		shift := int64(e) + int64(num.Exponent()) - int64(den.Exponent()) + int64(places)
		mult, div := num.Coefficient(), den.Coefficient()
		if shift >= 0 {
			mult.Mul(mult, new(big.Int).Exp(big.NewInt(10), big.NewInt(shift), nil))
		} else {
			div.Mul(div, new(big.Int).Exp(big.NewInt(10), big.NewInt(-shift), nil))
		}
		s.table[e-minTableExp] = scaleEntry{mult: mult, div: div}
	}
	return s
}

type scratch struct{ n, q, r big.Int }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (s *scaler) apply(v decimal.Decimal) decimal.Decimal {
	if !s.divides {
		return v.Mul(s.num)
	}
	e := v.Exponent()
	if e < minTableExp || e > maxTableExp || v.NumDigits() > 18 {
		return v.Mul(s.num).DivRound(s.den, s.places)
	}
	t := &s.table[e-minTableExp]
	sc := scratchPool.Get().(*scratch)
	sc.n.SetInt64(v.CoefficientInt64())
	sc.n.Mul(&sc.n, t.mult)
	sc.q.QuoRem(&sc.n, t.div, &sc.r)
	// Round half away from zero: compare 2|r| with the divisor.
	sc.r.Abs(&sc.r)
	sc.r.Lsh(&sc.r, 1)
	if sc.r.Cmp(t.div) >= 0 {
		if sc.n.Sign() < 0 {
			sc.q.Sub(&sc.q, bigOne)
		} else {
			sc.q.Add(&sc.q, bigOne)
		}
	}
	out := decimal.NewFromBigInt(&sc.q, -s.places)
	scratchPool.Put(sc)
	return out
}

var bigOne = big.NewInt(1)
