// Package plaindec parses decimal numbers written in plain notation: an
// optional sign, digits and at most one point, at most 64 characters. It
// refuses exponents, so that a short input cannot ask for a number with a
// billion digits; loaders of money and rates use it for every amount.
package plaindec

import "github.com/shopspring/decimal"

// MaxLen is the longest input Parse accepts.
const MaxLen = 64

// Parse returns the decimal written in s, and false if s is empty, longer
// than MaxLen, or not plain decimal notation ("1234.50", "-3", "+.5").
func Parse(s string) (decimal.Decimal, bool) {
	if s == "" || len(s) > MaxLen {
		return decimal.Decimal{}, false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= '0' && b <= '9':
		case b == '.' && !dot:
			dot = true
		case (b == '-' || b == '+') && i == 0 && len(s) > 1:
		default:
			return decimal.Decimal{}, false
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, false
	}
	return d, true
}
