package segment

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/valuepath/valuepath/internal/short"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Owner is who owns a renewal, upsell or cross-sell. The zero value is not
// an owner.
type Owner uint8

// The owners, from the lightest touch to the heaviest.
const (
	// OwnerWeb: web self-service; simple to serve and simple to transact.
	OwnerWeb Owner = iota + 1
	// OwnerCSM: the CSM; the customer needs help to get value, but the
	// transaction is simple.
	OwnerCSM
	// OwnerSales: sales; simple to serve, but a complex transaction.
	OwnerSales
	// OwnerSalesWithCSM: sales leads with the CSM; complex on both counts.
	OwnerSalesWithCSM
)

var ownerNames = [...]string{"", "web", "csm", "sales", "sales_with_csm"}

// String returns "web", "csm", "sales" or "sales_with_csm".
func (o Owner) String() string {
	if o != 0 && int(o) < len(ownerNames) {
		return ownerNames[o]
	}
	return "owner(" + strconv.Itoa(int(o)) + ")"
}

// MarshalText writes the owner's name.
func (o Owner) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// DealKind is the kind of commercial event being owned.
type DealKind string

// The deal kinds.
const (
	Renewal   DealKind = "renewal"
	Upsell    DealKind = "upsell"
	CrossSell DealKind = "cross_sell"
)

// ValueBand shifts the complexity boundaries for contracts worth at least
// From per year: a positive Shift lowers both thresholds (toward higher
// touch), a negative one raises them (toward self-service). From is in the
// spec's currency.
type ValueBand struct {
	Name  string          `json:"name"`
	From  valuepath.Money `json:"from"`
	Shift float64         `json:"shift"`
}

// OwnershipSpec is the configuration of an [Ownership]: it decides owners
// from service complexity × transaction complexity, both scores in [0, 1]
// that the host computes (how much help the customer needs to get value;
// how hard the deal is to transact). A score at or above its threshold is
// high.
type OwnershipSpec struct {
	// Currency is the currency of the bands (ISO 4217, in either case);
	// Rates converts deals in others, exactly, as in [TieringSpec].
	Currency valuepath.Currency                     `json:"currency"`
	Rates    map[valuepath.Currency]decimal.Decimal `json:"rates,omitempty"`
	// ServiceThreshold and TransactionThreshold are the boundaries, in
	// (0, 1]. Zero means 0.5.
	ServiceThreshold     float64 `json:"service_threshold,omitempty"`
	TransactionThreshold float64 `json:"transaction_threshold,omitempty"`
	// Bands, in ascending order of From, shift the boundaries by contract
	// value. A deal below the first band is not shifted.
	Bands []ValueBand `json:"bands,omitempty"`
}

// Ownership is a validated, immutable [OwnershipSpec], safe for
// concurrent use.
type Ownership struct {
	spec     OwnershipSpec
	conv     converter
	service  float64
	transact float64
}

// NewOwnership validates spec: a currency code, rates > 0, thresholds in
// (0, 1], bands named (each name once), in the spec's currency, non-negative, strictly
// ascending, with shifts in [-1, 1]. Every problem is reported with its
// path. spec is copied, not kept.
func NewOwnership(spec OwnershipSpec) (*Ownership, error) {
	c := validate.New("segment")
	conv := newConverter(c, spec.Currency, spec.Rates)
	p := spec
	threshold := func(path string, v float64) float64 {
		if v == 0 {
			return 0.5
		}
		if c.Finite(path, v) && (v <= 0 || v > 1) {
			c.Addf(path, valuepath.ErrInvalid, "must be in (0, 1], got %v", v)
		}
		return v
	}
	o := &Ownership{
		service:  threshold("service_threshold", p.ServiceThreshold),
		transact: threshold("transaction_threshold", p.TransactionThreshold),
	}
	names := make(map[string]int, len(p.Bands))
	for i, b := range p.Bands {
		path := validate.Index("bands", i)
		if c.NonEmpty(path+".name", b.Name) {
			// A decision names its band: two bands of one name would make
			// "in band X" ambiguous.
			if j, dup := names[b.Name]; dup {
				c.Addf(path+".name", valuepath.ErrDuplicate, "band %q is also bands[%d]", b.Name, j)
			} else {
				names[b.Name] = i
			}
		}
		switch {
		case !b.From.Valid():
			c.Addf(path+".from.currency", valuepath.ErrUnknownCurrency, "a band needs an amount in %s", conv.currency)
		case conv.currency != "" && b.From.Currency() != conv.currency:
			c.Addf(path+".from.currency", valuepath.ErrCurrencyMismatch, "%s, but the bands are in %s", b.From.Currency(), conv.currency)
		case b.From.Sign() < 0:
			c.Addf(path+".from.amount", valuepath.ErrInvalid, "must not be negative, got %s", b.From.Amount())
		case i > 0 && b.From.Amount().Cmp(p.Bands[i-1].From.Amount()) <= 0:
			c.Addf(path+".from.amount", valuepath.ErrInvalid, "must be above bands[%d].from (%s), got %s", i-1, p.Bands[i-1].From.Amount(), b.From.Amount())
		}
		if c.Finite(path+".shift", b.Shift) && math.Abs(b.Shift) > 1 {
			c.Addf(path+".shift", valuepath.ErrInvalid, "must be in [-1, 1], got %v", b.Shift)
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	p.Rates = maps.Clone(p.Rates)
	p.Bands = slices.Clone(p.Bands)
	o.spec, o.conv = p, conv
	return o, nil
}

// ParseOwnership reads a JSON [OwnershipSpec] and validates it with
// [NewOwnership]. Unknown fields and trailing data are errors.
func ParseOwnership(data []byte) (*Ownership, error) {
	var spec OwnershipSpec
	if err := decodeStrict(data, &spec); err != nil {
		return nil, fmt.Errorf("segment: ownership: %w", err)
	}
	return NewOwnership(spec)
}

// Spec returns a copy of the configuration o was built from.
func (o *Ownership) Spec() OwnershipSpec {
	s := o.spec
	s.Rates = maps.Clone(s.Rates)
	s.Bands = slices.Clone(s.Bands)
	return s
}

// MarshalJSON writes the spec, so an Ownership round-trips through
// [ParseOwnership].
func (o *Ownership) MarshalJSON() ([]byte, error) { return json.Marshal(o.spec) }

// Deal is a renewal, upsell or cross-sell to be owned.
type Deal struct {
	Account valuepath.AccountID `json:"account"`
	Kind    DealKind            `json:"kind"`
	// ACV is the annual contract value at stake; its currency must be the
	// spec's or have a rate.
	ACV valuepath.Money `json:"acv"`
	// ServiceComplexity is how much help the customer needs to get value,
	// TransactionComplexity how hard the deal is to transact (approvals,
	// negotiation, procurement); both in [0, 1].
	ServiceComplexity     float64 `json:"service_complexity"`
	TransactionComplexity float64 `json:"transaction_complexity"`
}

// Decision is the owner of one deal and the reasoning.
type Decision struct {
	Account valuepath.AccountID `json:"account"`
	Kind    DealKind            `json:"kind"`
	Owner   Owner               `json:"owner"`
	// ACV is the contract value in the spec's currency.
	ACV valuepath.Money `json:"acv"`
	// Band is the value band that applied ("" for none) and Shift its
	// shift; the thresholds are after the shift.
	Band                 string  `json:"band,omitempty"`
	Shift                float64 `json:"shift"`
	ServiceThreshold     float64 `json:"service_threshold"`
	TransactionThreshold float64 `json:"transaction_threshold"`
	ServiceHigh          bool    `json:"service_high"`
	TransactionHigh      bool    `json:"transaction_high"`
	Why                  string  `json:"why"`
}

// Decide returns the owner of d: service and transaction complexity each
// high or low against the thresholds, shifted by the value band of d's ACV.
// A bad deal (empty account, unknown kind, scores outside [0, 1], negative
// or unconvertible ACV) is an error naming every problem.
func (o *Ownership) Decide(d Deal) (Decision, error) {
	c := validate.New("segment")
	c.NonEmpty("deal.account", string(d.Account))
	switch d.Kind {
	case Renewal, Upsell, CrossSell:
	default:
		c.Addf("deal.kind", valuepath.ErrInvalid, "unknown kind %s (want renewal, upsell or cross_sell)", short.Quote(d.Kind))
	}
	score := func(path string, v float64) {
		if c.Finite(path, v) && (v < 0 || v > 1) {
			c.Addf(path, valuepath.ErrInvalid, "must be in [0, 1], got %v", v)
		}
	}
	score("deal.service_complexity", d.ServiceComplexity)
	score("deal.transaction_complexity", d.TransactionComplexity)
	acv, _ := o.conv.check(c, "deal.acv", d.ACV)
	if err := c.Err(); err != nil {
		return Decision{}, err
	}
	dec := Decision{Account: d.Account, Kind: d.Kind, ACV: o.conv.money(acv)}
	for _, b := range o.spec.Bands {
		if acv.Cmp(b.From.Amount()) >= 0 {
			dec.Band, dec.Shift = b.Name, b.Shift
		}
	}
	dec.ServiceThreshold = clamp01(o.service - dec.Shift)
	dec.TransactionThreshold = clamp01(o.transact - dec.Shift)
	dec.ServiceHigh = d.ServiceComplexity >= dec.ServiceThreshold
	dec.TransactionHigh = d.TransactionComplexity >= dec.TransactionThreshold
	switch {
	case dec.ServiceHigh && dec.TransactionHigh:
		dec.Owner = OwnerSalesWithCSM
	case dec.TransactionHigh:
		dec.Owner = OwnerSales
	case dec.ServiceHigh:
		dec.Owner = OwnerCSM
	default:
		dec.Owner = OwnerWeb
	}
	level := func(high bool) string {
		if high {
			return "high"
		}
		return "low"
	}
	cmpText := func(v, t float64, high bool) string {
		if high {
			return num(v) + " ≥ " + num(t)
		}
		return num(v) + " < " + num(t)
	}
	dec.Why = fmt.Sprintf("service %s (%s), transaction %s (%s)",
		level(dec.ServiceHigh), cmpText(d.ServiceComplexity, dec.ServiceThreshold, dec.ServiceHigh),
		level(dec.TransactionHigh), cmpText(d.TransactionComplexity, dec.TransactionThreshold, dec.TransactionHigh))
	switch {
	case dec.Shift > 0:
		dec.Why += fmt.Sprintf("; ACV %s in band %q moves the boundaries %s toward higher touch", dec.ACV, dec.Band, num(dec.Shift))
	case dec.Shift < 0:
		dec.Why += fmt.Sprintf("; ACV %s in band %q moves the boundaries %s toward self-service", dec.ACV, dec.Band, num(-dec.Shift))
	}
	dec.Why += ": " + dec.Owner.String()
	return dec, nil
}

// clamp01 keeps a shifted threshold in [0, 1], rounded to 1e-9 so that
// 0.5 − 0.2 reads 0.3 in JSON.
func clamp01(v float64) float64 { return math.Round(math.Max(0, math.Min(1, v))*1e9) / 1e9 }
