package revenue

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// ParseEvents reads a JSON array of subscription events, as
// [SubscriptionEvent]'s field tags spell them, rejecting unknown fields and
// amounts that are not plain decimals of at most 30 digits (so "1e999999999"
// cannot ask for a billion-digit number). It checks the form of the data
// only; [NormalizeAll] checks what the events mean.
func ParseEvents(data []byte) ([]SubscriptionEvent, error) {
	type raw struct {
		SubscriptionEvent
		Amount   json.RawMessage `json:"amount"`
		Discount json.RawMessage `json:"discount"`
		Tax      json.RawMessage `json:"tax"`
	}
	var rows []raw
	if err := strictjson.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("revenue: events: %w: %w", valuepath.ErrInvalid, err)
	}
	c := validate.New("revenue")
	out := make([]SubscriptionEvent, len(rows))
	for i, r := range rows {
		e := r.SubscriptionEvent
		for _, f := range []struct {
			name string
			raw  json.RawMessage
			dst  *decimal.Decimal
		}{{"amount", r.Amount, &e.Amount}, {"discount", r.Discount, &e.Discount}, {"tax", r.Tax, &e.Tax}} {
			if len(f.raw) == 0 || string(f.raw) == "null" {
				continue
			}
			s := string(f.raw)
			var str string
			if json.Unmarshal(f.raw, &str) == nil {
				s = str
			}
			d, err := parseDecimal(s)
			if err != nil {
				c.Add(evPath(i, f.name), err)
				continue
			}
			*f.dst = d
		}
		if iso, ok := isoCurrency(e.Currency); ok {
			e.Currency = iso
		}
		out[i] = e
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// checkAmount records a problem unless d is a plain amount of at most 30
// digits with at most 12 decimal places: arithmetic on anything larger is
// slow, and no price needs it.
func checkAmount(c *validate.Collector, i int, field string, d decimal.Decimal) bool {
	if d.Exponent() < -12 || d.Exponent() > 18 || d.NumDigits()+int(max(d.Exponent(), 0)) > 30 {
		c.Addf(evPath(i, field), valuepath.ErrInvalid, "%s has too many digits (at most 30, 12 after the point)", d.String())
		return false
	}
	return true
}
