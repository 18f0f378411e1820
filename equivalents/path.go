package equivalents

import (
	"errors"
	"iter"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// Step is one link of a conversion chain: the factor applied, which way,
// and the amounts before and after it.
type Step struct {
	From   Quantity `json:"from"`
	To     Quantity `json:"to"`
	Factor Factor   `json:"factor"`
	// Inverse is true when the factor was applied backwards: its To is this
	// step's From, and the amount was divided by its ratio.
	Inverse bool `json:"inverse,omitempty"`
}

// Conversion is a converted quantity with the chain that produced it. Every
// step names its factor, so its source and edition, which makes the result
// its own justification.
type Conversion struct {
	From  Quantity `json:"from"`
	To    Quantity `json:"to"`
	Steps []Step   `json:"steps"`
}

// Sources yields the distinct "source (edition)" citations of the chain, in
// the order the steps use them.
func (c Conversion) Sources() iter.Seq[string] {
	return func(yield func(string) bool) {
		seen := map[string]bool{}
		for _, s := range c.Steps {
			cite := s.Factor.Source
			if s.Factor.Edition != "" {
				cite += " (" + s.Factor.Edition + ")"
			}
			if seen[cite] {
				continue
			}
			seen[cite] = true
			if !yield(cite) {
				return
			}
		}
	}
}

// Path is a precompiled chain of factors from one unit to another, for
// converting many quantities: [Path.Apply] multiplies by the product of the
// chain's forward ratios and divides by the product of its inverse ones, so
// a quantity costs one multiplication and at most one division, and the
// result is rounded once. A *Path is immutable and safe for concurrent use.
type Path struct {
	from, to Unit
	steps    []pathStep
	num, den decimal.Decimal // value(to) = value(from) * num / den
	scale    scaler
}

type pathStep struct {
	factor  Factor
	inverse bool
	scale   scaler // cumulative up to and including this step
}

type pathKey struct{ from, to Unit }

// Path returns the precompiled shortest path from one unit to another: the
// fewest factors, and among equally short chains the one a breadth-first
// search finds first when it tries each unit's factors in declaration order,
// so the choice never changes between runs. The path from a unit to itself
// has no steps. Paths are computed once per pair and cached.
func (c *Catalog) Path(from, to Unit) (*Path, error) {
	key := pathKey{from, to}
	c.mu.RLock()
	p := c.paths[key]
	c.mu.RUnlock()
	if p != nil {
		return p, nil
	}
	fi, ok := c.units[from]
	if !ok {
		return nil, errorf(ErrUnknownUnit, "%q", from)
	}
	ti, ok := c.units[to]
	if !ok {
		return nil, errorf(ErrUnknownUnit, "%q", to)
	}
	p = c.search(fi, ti)
	if p == nil {
		return nil, errorf(ErrNoPath, "from %q to %q", from, to)
	}
	c.mu.Lock()
	if q := c.paths[key]; q != nil {
		p = q
	} else {
		c.paths[key] = p
	}
	c.mu.Unlock()
	return p, nil
}

// search runs a breadth-first search, which finds a fewest-steps chain;
// edges are tried in factor declaration order, which makes the choice
// among equally short chains deterministic.
func (c *Catalog) search(from, to int) *Path {
	n := len(c.spec.Units)
	prev := make([]edge, n)
	seen := make([]bool, n)
	seen[from] = true
	queue := []int{from}
	for len(queue) > 0 && !seen[to] {
		u := queue[0]
		queue = queue[1:]
		for _, e := range c.adj[u] {
			if seen[e.to] {
				continue
			}
			seen[e.to] = true
			prev[e.to] = edge{to: u, factor: e.factor, inverse: e.inverse}
			queue = append(queue, e.to)
		}
	}
	if !seen[to] {
		return nil
	}
	var rev []edge
	for u := to; u != from; u = prev[u].to {
		rev = append(rev, prev[u])
	}
	p := &Path{from: c.spec.Units[from].Name, to: c.spec.Units[to].Name, num: one, den: one}
	divides := false
	for i := len(rev) - 1; i >= 0; i-- {
		e := rev[i]
		f := c.spec.Factors[e.factor]
		if e.inverse {
			p.den = p.den.Mul(f.Ratio)
			divides = true
		} else {
			p.num = p.num.Mul(f.Ratio)
		}
		p.steps = append(p.steps, pathStep{factor: f, inverse: e.inverse, scale: newScaler(p.num, p.den, divides, c.places)})
	}
	p.scale = newScaler(p.num, p.den, divides, c.places)
	return p
}

// From returns the unit the path converts from.
func (p *Path) From() Unit { return p.from }

// To returns the unit the path converts to.
func (p *Path) To() Unit { return p.to }

// Factors yields the chain's factors in order, each with whether it is
// applied backwards.
func (p *Path) Factors() iter.Seq2[Factor, bool] {
	return func(yield func(Factor, bool) bool) {
		for _, s := range p.steps {
			if !yield(s.factor, s.inverse) {
				return
			}
		}
	}
}

// Apply converts the amount v, in the path's From unit, to its To unit. A
// path that only multiplies is exact; one that divides rounds once, half
// away from zero, to the catalog's Places decimal places. It fails only
// for a value beyond the package's limits (an exponent beyond ±1000 or
// more than 200 digits), which could not be converted in bounded time.
//
// For an amount whose coefficient fits an int64 and whose exponent lies in
// [-18, 18] (any count or measurement a host is likely to hold), Apply
// allocates only its result: the big.Int inside the returned decimal and
// its digits. Other amounts take decimal's general DivRound, which
// allocates more.
func (p *Path) Apply(v decimal.Decimal) (decimal.Decimal, error) {
	if msg := checkValue(v); msg != "" {
		return decimal.Decimal{}, errorf(valuepath.ErrInvalid, "quantity of %q: %s", p.from, msg)
	}
	return p.scale.apply(v), nil
}

// convertInto converts q, whose unit must be the path's From unit, into
// dst, reusing dst.Steps, and explains the result with every step's
// amounts and factor. Each step's amount is computed from q directly (not
// from the previous, rounded step), so the last step's amount is exactly
// [Path.Apply]'s result.
func (p *Path) convertInto(q Quantity, dst *Conversion) error {
	if q.Unit != p.from {
		return errorf(valuepath.ErrInvalid, "quantity is in %q, path converts from %q", q.Unit, p.from)
	}
	if msg := checkValue(q.Value); msg != "" {
		return errorf(valuepath.ErrInvalid, "quantity of %q: %s", q.Unit, msg)
	}
	steps := dst.Steps[:0]
	if steps == nil {
		steps = make([]Step, 0, len(p.steps))
	}
	cur := q
	for _, s := range p.steps {
		next := Quantity{Unit: s.factor.To}
		if s.inverse {
			next.Unit = s.factor.From
		}
		next.Value = s.scale.apply(q.Value)
		steps = append(steps, Step{From: cur, To: next, Factor: s.factor, Inverse: s.inverse})
		cur = next
	}
	*dst = Conversion{From: q, To: cur, Steps: steps}
	return nil
}

// Convert converts q to the unit to along the shortest chain of factors and
// returns the result with its chain. See [Catalog.Path] for which chain.
// Each step's amount is computed from q directly (not from the previous,
// rounded step), so the last step's amount is exactly what [Path.Apply]
// gives. An undeclared unit is an error wrapping [ErrUnknownUnit], two
// units no chain connects one wrapping [ErrNoPath], and an amount beyond
// the package's limits one wrapping [valuepath.ErrInvalid].
func (c *Catalog) Convert(q Quantity, to Unit) (Conversion, error) {
	var out Conversion
	err := c.ConvertInto(q, to, &out)
	return out, err
}

// ConvertInto is [Catalog.Convert] into dst, whose Steps it reuses, so
// that converting many quantities allocates only their amounts. It fails
// exactly when Convert does, and then leaves dst empty.
func (c *Catalog) ConvertInto(q Quantity, to Unit, dst *Conversion) error {
	p, err := c.Path(q.Unit, to)
	if err == nil {
		err = p.convertInto(q, dst)
	}
	if err != nil {
		*dst = Conversion{Steps: dst.Steps[:0]}
	}
	return err
}

func isNoPath(err error) bool { return errors.Is(err, ErrNoPath) }
