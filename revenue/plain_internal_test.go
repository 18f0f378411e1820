package revenue

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// randomAmount draws the amounts that matter to the fast path: small
// prices, 18- and 19-digit coefficients, coefficients near the int64
// boundary, zero with any exponent, and exponents across and beyond the
// range checkAmount accepts.
func randomAmount(r *rand.Rand) decimal.Decimal {
	exp := int32(r.IntN(34) - 16) // -16 … 17
	switch r.IntN(8) {
	case 0:
		return decimal.New(0, exp)
	case 1:
		return decimal.New(math.MaxInt64-r.Int64N(1000), exp)
	case 2:
		return decimal.New(999_999_999_999_999_999-r.Int64N(1000), exp) // 18 digits
	case 3:
		return decimal.New(1_000_000_000_000_000_000+r.Int64N(1000), exp) // 19 digits
	case 4:
		return decimal.New(-r.Int64N(100_000), exp)
	case 5:
		return decimal.New(922_337_203_685_477_580+r.Int64N(1000), exp) // 18 digits, near MaxInt64/10
	default:
		return decimal.New(r.Int64N(10_000_000), exp)
	}
}

// TestPlainPathMatchesSlowPath pits the fast path of the common event
// against the general one on random events: whenever plainAmounts accepts
// an event, every check normalisation skips for it passes, and plainUnits
// returns exactly what monthlyUnits does, for every currency's minor units,
// policy and interval.
func TestPlainPathMatchesSlowPath(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 3))
	currencies := []valuepath.Currency{"USD", "JPY", "BHD", "CLF", "KWD", "UYW", "CLP"}
	plain := 0
	for i := range 300_000 {
		e := SubscriptionEvent{Amount: randomAmount(r), Trial: r.IntN(8) == 0}
		if r.IntN(2) == 0 {
			e.Discount = decimal.New(0, int32(r.IntN(34)-16))
		} else if r.IntN(4) == 0 {
			e.Discount = randomAmount(r)
		}
		if r.IntN(2) == 0 {
			e.Tax = decimal.New(0, int32(r.IntN(34)-16))
		} else if r.IntN(4) == 0 {
			e.Tax = randomAmount(r)
		}
		p := Policy{IgnoreDiscounts: r.IntN(2) == 0, IncludeTrials: r.IntN(2) == 0, IncludeTax: r.IntN(2) == 0, ExtraPlaces: int32(r.IntN(7))}
		minor, _ := currencies[r.IntN(len(currencies))].MinorUnits()
		scale := minor + p.ExtraPlaces
		months := int64([]int{1, 1, 3, 12, 7, 120}[r.IntN(6)])
		coef, ok := plainAmounts(&e)
		if !ok {
			continue
		}
		plain++
		c := validate.New("revenue")
		if !checkAmount(c, i, "amount", e.Amount) || !checkAmount(c, i, "discount", e.Discount) || !checkAmount(c, i, "tax", e.Tax) ||
			e.Amount.Sign() < 0 || e.Discount.Sign() < 0 || e.Tax.Sign() < 0 || (!e.Discount.IsZero() && e.Discount.GreaterThan(e.Amount)) {
			t.Fatalf("plainAmounts accepts amount %s discount %s tax %s, which the checks reject: %v", e.Amount, e.Discount, e.Tax, c.Err())
		}
		gotU, gotOK := plainUnits(&e, coef, p, scale, months)
		wantU, wantOK := monthlyUnits(&e, p, scale, months)
		if gotU != wantU || gotOK != wantOK {
			t.Fatalf("amount %s (discount %s, tax %s) over %d months at scale %d, %+v: fast path %d %v, general %d %v",
				e.Amount, e.Discount, e.Tax, months, scale, p, gotU, gotOK, wantU, wantOK)
		}
	}
	if plain < 30_000 {
		t.Fatalf("only %d plain events: the test does not exercise the fast path", plain)
	}
}
