package equivalents

import (
	"encoding/json"
	"iter"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// AwardRule turns a quantity into an award in whole steps, such as "every
// 100 hours saved earns 2 hours of leave" or "every 5 points of revenue
// growth add USD 1,000 to the training budget". Unlike a factor it is not a
// ratio: only full steps count (the amount is floored to a multiple of
// Every), nothing is earned up to Threshold, an amount above it earns at
// least Floor, and the award may be capped.
type AwardRule struct {
	// Name identifies the rule in its catalog.
	Name string `json:"name"`
	// Input is the unit the rule counts in. A quantity in another unit is
	// converted to it first, through the catalog.
	Input Unit `json:"input"`
	// Every is the size of one step, in Input units; > 0.
	Every decimal.Decimal `json:"every"`
	// Award is what each full step earns: a quantity of a unit the catalog
	// declares (the unit needs no factors) or an amount of money; > 0.
	Award Award `json:"award"`
	// Threshold is the amount below which nothing is earned; steps are
	// counted above it. Zero counts from zero; it must be >= 0.
	Threshold decimal.Decimal `json:"threshold"`
	// Floor is the smallest award of any amount above Threshold, even
	// before a full step ("at least 1 hour of leave"), in the unit or
	// currency of Award; the zero Award means none. It must not exceed a
	// non-zero Cap.
	Floor Award `json:"floor,omitzero"`
	// Cap is the largest total award, in the unit or currency of Award; the
	// zero Award means none.
	Cap Award `json:"cap,omitzero"`
	// Source is where the rule comes from (a contract clause, an HR
	// policy); required, like a factor's.
	Source string `json:"source"`
}

// Award is what an [AwardRule] grants: a Quantity of a catalog unit ("2
// hours of leave") or an amount of Money ("USD 1,000"), exactly one of the
// two. Money is never a unit of a catalog: an award in a currency is a
// [valuepath.Money]. The zero value is no award.
type Award struct {
	Quantity Quantity        `json:"quantity"`
	Money    valuepath.Money `json:"money"`
}

// MarshalJSON writes the one form a holds: {"quantity": {"value": "2",
// "unit": "leave_hour"}} or {"money": {"amount": "1000.00", "currency":
// "USD"}}, and {} for the zero Award.
func (a Award) MarshalJSON() ([]byte, error) {
	switch {
	case a.isMoney():
		return json.Marshal(struct {
			Money valuepath.Money `json:"money"`
		}{a.Money})
	case a.Quantity == (Quantity{}):
		return []byte("{}"), nil
	default:
		return json.Marshal(struct {
			Quantity Quantity `json:"quantity"`
		}{a.Quantity})
	}
}

// isMoney reports whether a is an amount of money.
func (a Award) isMoney() bool { return a.Money.Valid() }

// value returns the amount of a, in its unit or currency.
func (a Award) value() decimal.Decimal {
	if a.isMoney() {
		return a.Money.Amount()
	}
	return a.Quantity.Value
}

// set reports whether a holds anything but zero.
func (a Award) set() bool { return !a.value().IsZero() }

// times returns a multiplied by k, in the same unit or currency.
func (a Award) times(k decimal.Decimal) Award {
	if a.isMoney() {
		return Award{Money: a.Money.Mul(k)}
	}
	return Award{Quantity: Quantity{Value: a.Quantity.Value.Mul(k), Unit: a.Quantity.Unit}}
}

// what names a's unit or currency, for messages.
func (a Award) what() string {
	if a.isMoney() {
		return "currency " + string(a.Money.Currency())
	}
	return "unit " + string(a.Quantity.Unit)
}

func (c *Catalog) checkAwardRule(v *validate.Collector, i int, r AwardRule) {
	p := validate.Index("award_rules", i)
	if v.NonEmpty(validate.Field(p, "name"), r.Name) {
		if j, dup := c.rules[r.Name]; dup {
			v.Addf(validate.Field(p, "name"), valuepath.ErrDuplicate, "award rule %q (also award_rules[%d])", r.Name, j)
		} else {
			c.rules[r.Name] = i
		}
	}
	c.unit(v, validate.Field(p, "input"), r.Input)
	positive := func(path string, d decimal.Decimal, zeroOK bool) {
		if msg := checkValue(d); msg != "" {
			v.Addf(path, valuepath.ErrInvalid, "%s", msg)
			return
		}
		if d.Sign() < 0 || (!zeroOK && d.Sign() == 0) {
			op := ">"
			if zeroOK {
				op = ">="
			}
			v.Addf(path, valuepath.ErrInvalid, "must be %s 0, got %s", op, plain(d))
		}
	}
	positive(validate.Field(p, "every"), r.Every, false)
	positive(validate.Field(p, "threshold"), r.Threshold, true)
	award := validate.Field(p, "award")
	switch {
	case !r.Award.isMoney() && r.Award.Quantity == (Quantity{}):
		v.Addf(award, valuepath.ErrInvalid, "needs a quantity or money")
	case r.Award.isMoney() && r.Award.Quantity != (Quantity{}):
		v.Addf(award, valuepath.ErrInvalid, "holds both a quantity and money; set one")
	case r.Award.isMoney():
		positive(validate.Field(award, "money.amount"), r.Award.Money.Amount(), false)
	default:
		c.unit(v, validate.Field(award, "quantity.unit"), r.Award.Quantity.Unit)
		positive(validate.Field(award, "quantity.value"), r.Award.Quantity.Value, false)
	}
	for _, b := range []struct {
		name string
		a    Award
	}{{"floor", r.Floor}, {"cap", r.Cap}} {
		if !b.a.set() {
			continue
		}
		path := validate.Field(p, b.name)
		if b.a.isMoney() != r.Award.isMoney() || b.a.Quantity.Unit != r.Award.Quantity.Unit ||
			b.a.Money.Currency() != r.Award.Money.Currency() {
			v.Addf(path, valuepath.ErrInvalid, "is in %s, the award in %s", b.a.what(), r.Award.what())
			continue
		}
		positive(path, b.a.value(), true)
	}
	if r.Cap.value().Sign() > 0 && r.Floor.value().GreaterThan(r.Cap.value()) {
		v.Addf(validate.Field(p, "floor"), valuepath.ErrInvalid, "%s is above the cap %s", plain(r.Floor.value()), plain(r.Cap.value()))
	}
	v.NonEmpty(validate.Field(p, "source"), strings.TrimSpace(r.Source))
}

// Grant is the result of applying an award rule, with how it was reached.
type Grant struct {
	// Rule is the name of the award rule applied.
	Rule string `json:"rule"`
	// Input is the amount counted, in the rule's Input unit; Conversion
	// is how it was obtained from the quantity given (no steps if none was
	// needed).
	Input      Quantity   `json:"input"`
	Conversion Conversion `json:"conversion"`
	// Steps is the number of full steps above the threshold.
	Steps decimal.Decimal `json:"steps"`
	// Award is Steps times the rule's award, raised to the floor or
	// lowered to the cap; zero of the award's unit or currency when nothing
	// is earned.
	Award   Award  `json:"award"`
	Floored bool   `json:"floored,omitempty"`
	Capped  bool   `json:"capped,omitempty"`
	Source  string `json:"source"`
}

// AwardRules yields the catalog's award rules in declaration order.
func (c *Catalog) AwardRules() iter.Seq[AwardRule] {
	return func(yield func(AwardRule) bool) {
		for _, r := range c.spec.AwardRules {
			if !yield(r) {
				return
			}
		}
	}
}

// AwardRule returns the named award rule, and false if the catalog lacks it.
func (c *Catalog) AwardRule(name string) (AwardRule, bool) {
	i, ok := c.rules[name]
	if !ok {
		return AwardRule{}, false
	}
	return c.spec.AwardRules[i], true
}

// Grant applies the named award rule to q, converting q to the rule's input
// unit first. An amount at or below the threshold (which includes any
// negative amount) earns nothing, not even the floor. A rule the catalog
// lacks is an error wrapping [ErrUnknownName].
func (c *Catalog) Grant(rule string, q Quantity) (Grant, error) {
	i, ok := c.rules[rule]
	if !ok {
		return Grant{}, errorf(ErrUnknownName, "award rule %q", rule)
	}
	r := c.spec.AwardRules[i]
	conv, err := c.Convert(q, r.Input)
	if err != nil {
		return Grant{}, err
	}
	g := Grant{Rule: r.Name, Input: conv.To, Conversion: conv, Source: r.Source,
		Steps: decimal.Zero, Award: r.Award.times(decimal.Zero)}
	above := conv.To.Value.Sub(r.Threshold)
	if above.Sign() <= 0 {
		return g, nil
	}
	steps, _ := above.QuoRem(r.Every, 0)
	g.Steps = steps
	g.Award = r.Award.times(steps)
	if r.Floor.set() && g.Award.value().LessThan(r.Floor.value()) {
		g.Award = r.Floor
		g.Floored = true
	}
	if r.Cap.set() && g.Award.value().GreaterThan(r.Cap.value()) {
		g.Award = r.Cap
		g.Capped = true
	}
	return g, nil
}
