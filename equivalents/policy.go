package equivalents

import (
	"iter"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Policy is a rule that turns a quantity into an award in whole steps, such
// as "every 100 hours saved earns 2 hours of leave" or "every 5% of revenue
// growth adds 1,000 USD to the training budget". Unlike a factor it is not
// a ratio: only full steps count (the amount is floored to a multiple of
// Every), nothing is earned up to Threshold, an amount above it earns at
// least Floor, and the award may be capped.
type Policy struct {
	// Name identifies the policy in its catalog.
	Name string `json:"name"`
	// Input is the unit the rule counts in. A quantity in another unit is
	// converted to it first, through the catalog.
	Input Unit `json:"input"`
	// Every is the size of one step, in Input units; > 0.
	Every decimal.Decimal `json:"every"`
	// Award is what each full step earns; its value must be > 0 and its
	// unit declared in the catalog (it needs no factors).
	Award Quantity `json:"award"`
	// Threshold is the amount below which nothing is earned; steps are
	// counted above it. Zero counts from zero; it must be >= 0.
	Threshold decimal.Decimal `json:"threshold"`
	// Floor is the smallest award of any amount above Threshold, in Award
	// units, even before a full step ("at least 1 hour of leave"); zero
	// means none. It must not exceed a non-zero Cap.
	Floor decimal.Decimal `json:"floor"`
	// Cap is the largest total award, in Award units; zero means none.
	Cap decimal.Decimal `json:"cap"`
	// Source is where the rule comes from (a contract clause, an HR
	// policy); required, like a factor's.
	Source string `json:"source"`
}

func (c *Catalog) checkPolicy(v *validate.Collector, i int, pol Policy) {
	p := validate.Index("policies", i)
	if v.NonEmpty(validate.Field(p, "name"), pol.Name) {
		if j, dup := c.pols[pol.Name]; dup {
			v.Addf(validate.Field(p, "name"), valuepath.ErrDuplicate, "policy %q (also policies[%d])", pol.Name, j)
		} else {
			c.pols[pol.Name] = i
		}
	}
	c.unit(v, validate.Field(p, "input"), pol.Input)
	c.unit(v, validate.Field(p, "award.unit"), pol.Award.Unit)
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
	positive(validate.Field(p, "every"), pol.Every, false)
	positive(validate.Field(p, "award.value"), pol.Award.Value, false)
	positive(validate.Field(p, "threshold"), pol.Threshold, true)
	positive(validate.Field(p, "floor"), pol.Floor, true)
	positive(validate.Field(p, "cap"), pol.Cap, true)
	if pol.Cap.Sign() > 0 && pol.Floor.GreaterThan(pol.Cap) {
		v.Addf(validate.Field(p, "floor"), valuepath.ErrInvalid, "%s is above the cap %s", plain(pol.Floor), plain(pol.Cap))
	}
	v.NonEmpty(validate.Field(p, "source"), strings.TrimSpace(pol.Source))
}

// Grant is the result of applying a policy, with how it was reached.
type Grant struct {
	Policy string `json:"policy"`
	// Input is the amount counted, in the policy's Input unit; Conversion
	// is how it was obtained from the quantity given (no steps if none was
	// needed).
	Input      Quantity   `json:"input"`
	Conversion Conversion `json:"conversion"`
	// Steps is the number of full steps above the threshold.
	Steps decimal.Decimal `json:"steps"`
	// Award is Steps times the policy's award, raised to the floor or
	// lowered to the cap.
	Award   Quantity `json:"award"`
	Floored bool     `json:"floored,omitempty"`
	Capped  bool     `json:"capped,omitempty"`
	Source  string   `json:"source"`
}

// Policies yields the catalog's policies in declaration order.
func (c *Catalog) Policies() iter.Seq[Policy] {
	return func(yield func(Policy) bool) {
		for _, p := range c.spec.Policies {
			if !yield(p) {
				return
			}
		}
	}
}

// Policy returns the named policy, and false if the catalog lacks it.
func (c *Catalog) Policy(name string) (Policy, bool) {
	i, ok := c.pols[name]
	if !ok {
		return Policy{}, false
	}
	return c.spec.Policies[i], true
}

// Apply applies the named policy to q, converting q to the policy's input
// unit first. An amount at or below the threshold (which includes any
// negative amount) earns nothing, not even the floor.
func (c *Catalog) Apply(policy string, q Quantity) (Grant, error) {
	i, ok := c.pols[policy]
	if !ok {
		return Grant{}, errorf(ErrUnknownName, "policy %q", policy)
	}
	pol := c.spec.Policies[i]
	conv, err := c.Convert(q, pol.Input)
	if err != nil {
		return Grant{}, err
	}
	g := Grant{Policy: pol.Name, Input: conv.To, Conversion: conv, Source: pol.Source,
		Steps: decimal.Zero, Award: Quantity{Value: decimal.Zero, Unit: pol.Award.Unit}}
	above := conv.To.Value.Sub(pol.Threshold)
	if above.Sign() <= 0 {
		return g, nil
	}
	steps, _ := above.QuoRem(pol.Every, 0)
	g.Steps = steps
	g.Award.Value = steps.Mul(pol.Award.Value)
	if g.Award.Value.LessThan(pol.Floor) {
		g.Award.Value = pol.Floor
		g.Floored = true
	}
	if pol.Cap.Sign() > 0 && g.Award.Value.GreaterThan(pol.Cap) {
		g.Award.Value = pol.Cap
		g.Capped = true
	}
	return g, nil
}
