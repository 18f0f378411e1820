package equivalents

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"math/big"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// CatalogSpec is the configuration of a [Catalog]: its units, the factors
// between them, the equivalents a report can pick, and award rules. Build
// one in Go (the built-in catalogs such as [TimeAndStaffing] and [PACE] are
// CatalogSpecs, which [Merge] combines) or load one from JSON with
// [ParseCatalog]; [NewCatalog] validates it once. The zero value is an empty
// catalog.
type CatalogSpec struct {
	// Name identifies the catalog in explanations; optional.
	Name        string       `json:"name,omitempty"`
	Units       []UnitDef    `json:"units"`
	Factors     []Factor     `json:"factors"`
	Equivalents []Equivalent `json:"equivalents,omitempty"`
	AwardRules  []AwardRule  `json:"award_rules,omitempty"`
	// Tolerance is the largest relative disagreement allowed between two
	// paths that connect the same units, for example 0.005 for 0.5%. A
	// catalog whose factors form a cycle that does not multiply out to 1
	// within it is rejected. Zero means 1e-9 (one part in a billion), which
	// in effect demands that cycles be exact: catalogs mixing rounded
	// published figures that form cycles must state a looser tolerance. It
	// must lie in [0, 1).
	Tolerance float64 `json:"tolerance,omitempty"`
	// Places is the number of decimal places a conversion that divides is
	// rounded to (half away from zero, with decimal.DivRound). Conversions
	// that only multiply are exact. Zero means 20, far below anything a
	// statement shows and far above any source's precision; at most 100.
	Places int32 `json:"places,omitempty"`
}

// Defaults for the zero fields of a [CatalogSpec], documented there.
const (
	defaultTolerance = 1e-9
	defaultPlaces    = 20
	maxPlaces        = 100
)

// Merge returns one CatalogSpec holding the units, factors, equivalents and
// award rules of specs in order, with the first non-empty name, the loosest
// tolerance and the most places. A unit or factor declared identically by
// several specs is kept once (so the built-in catalogs combine: each
// declares the hour); any other repeat is left in and reported by
// [NewCatalog]. The inputs are not modified.
func Merge(specs ...CatalogSpec) CatalogSpec {
	var out CatalogSpec
	seen := map[UnitDef]bool{}
	type factorKey struct {
		from, to                     Unit
		ratio, source, edition, note string
	}
	seenF := map[factorKey]bool{}
	for _, s := range specs {
		if out.Name == "" {
			out.Name = s.Name
		}
		out.Tolerance = max(out.Tolerance, s.Tolerance)
		out.Places = max(out.Places, s.Places)
		for _, u := range s.Units {
			if seen[u] {
				continue
			}
			seen[u] = true
			out.Units = append(out.Units, u)
		}
		for _, f := range s.Factors {
			k := factorKey{f.From, f.To, f.Ratio.String(), f.Source, f.Edition, f.Note}
			if seenF[k] {
				continue
			}
			seenF[k] = true
			out.Factors = append(out.Factors, f)
		}
		out.Equivalents = append(out.Equivalents, s.Equivalents...)
		out.AwardRules = append(out.AwardRules, s.AwardRules...)
	}
	return out
}

// Catalog is a validated, immutable conversion catalog. It converts
// quantities along the shortest chain of factors (fewest steps, ties broken
// deterministically by declaration order; see [Catalog.Path]) and explains
// every result with that chain. A *Catalog is safe for concurrent use: build it once and
// convert any number of quantities with it.
type Catalog struct {
	spec   CatalogSpec
	units  map[Unit]int
	adj    [][]edge // per unit: edges in factor declaration order
	equivs map[string]int
	rules  map[string]int
	places int32

	mu    sync.RWMutex
	paths map[pathKey]*Path
}

// edge is one factor seen from one of its ends.
type edge struct {
	to      int
	factor  int
	inverse bool // the edge runs from factor.To to factor.From
}

// NewCatalog validates spec and returns the catalog. It reports every
// problem at once, each a *valuepath.FieldError with its path, such as
// factors[3].source or units[2].name: unknown or duplicate units, factors
// without a source, ratios that are not positive or out of range, cycles
// whose paths disagree beyond the tolerance, and bad equivalents and
// award rules. A catalog holds at most 10,000 units and 50,000 factors.
// The catalog keeps a deep copy of spec.
func NewCatalog(spec CatalogSpec) (*Catalog, error) {
	c := &Catalog{spec: cloneSpec(spec), paths: map[pathKey]*Path{}}
	v := validate.New("equivalents")
	c.places = spec.Places
	if c.places == 0 {
		c.places = defaultPlaces
	}
	if spec.Places < 0 || spec.Places > maxPlaces {
		v.Addf("places", valuepath.ErrInvalid, "must be within [0, %d], got %d", maxPlaces, spec.Places)
	}
	tol := spec.Tolerance
	if v.Finite("tolerance", tol) && (tol < 0 || tol >= 1) {
		v.Addf("tolerance", valuepath.ErrInvalid, "must be within [0, 1), got %v", tol)
	}
	if tol == 0 || math.IsNaN(tol) || math.IsInf(tol, 0) {
		tol = defaultTolerance
	}

	if len(spec.Units) > maxUnits {
		v.Addf("units", valuepath.ErrInvalid, "%d units; a catalog holds at most %d", len(spec.Units), maxUnits)
		return nil, v.Err()
	}
	if len(spec.Factors) > maxFactors {
		v.Addf("factors", valuepath.ErrInvalid, "%d factors; a catalog holds at most %d", len(spec.Factors), maxFactors)
		return nil, v.Err()
	}
	c.units = make(map[Unit]int, len(spec.Units))
	for i, u := range c.spec.Units {
		p := validate.Index("units", i)
		if !v.NonEmpty(validate.Field(p, "name"), string(u.Name)) {
			continue
		}
		if j, dup := c.units[u.Name]; dup {
			v.Addf(validate.Field(p, "name"), valuepath.ErrDuplicate, "unit %q (also units[%d])", u.Name, j)
			continue
		}
		if u.Time < 0 {
			v.Addf(validate.Field(p, "time"), valuepath.ErrInvalid, "must be >= 0, got %s", u.Time)
		}
		c.units[u.Name] = i
	}
	c.adj = make([][]edge, len(c.spec.Units))
	inGraph := make([]bool, len(c.spec.Factors))
	for i, f := range c.spec.Factors {
		p := validate.Index("factors", i)
		from, okF := c.unit(v, validate.Field(p, "from"), f.From)
		to, okT := c.unit(v, validate.Field(p, "to"), f.To)
		okR := true
		if msg := checkRatio(f.Ratio); msg != "" {
			v.Addf(validate.Field(p, "ratio"), valuepath.ErrInvalid, "%s", msg)
			okR = false
		}
		v.NonEmpty(validate.Field(p, "source"), strings.TrimSpace(f.Source))
		if okF && okT && from == to {
			v.Addf(p, valuepath.ErrInvalid, "factor converts %q to itself", f.From)
			continue
		}
		if okF && okT && okR {
			c.adj[from] = append(c.adj[from], edge{to: to, factor: i})
			c.adj[to] = append(c.adj[to], edge{to: from, factor: i, inverse: true})
			inGraph[i] = true
		}
	}
	c.checkCycles(v, tol, inGraph)
	c.equivs = make(map[string]int, len(spec.Equivalents))
	for i, e := range c.spec.Equivalents {
		c.checkEquivalent(v, i, e)
	}
	c.rules = make(map[string]int, len(spec.AwardRules))
	for i, r := range c.spec.AwardRules {
		c.checkAwardRule(v, i, r)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Catalog) unit(v *validate.Collector, path string, u Unit) (int, bool) {
	if !v.NonEmpty(path, string(u)) {
		return 0, false
	}
	i, ok := c.units[u]
	if !ok {
		v.Addf(path, ErrUnknownUnit, "%q is not declared in units", u)
	}
	return i, ok
}

// checkCycles adds the factors to a spanning forest in declaration order
// (a weighted union-find that keeps every unit's exact scale relative to
// its tree's root). A factor whose ends are already connected closes a
// cycle, and the cycle is consistent exactly when the factor agrees with
// the path through the tree, so the factor reported is always the last
// declared one of an inconsistent cycle.
func (c *Catalog) checkCycles(v *validate.Collector, tol float64, inGraph []bool) {
	n := len(c.spec.Units)
	parent := make([]int, n)
	size := make([]int, n)
	// weight[u] is scale(u) / scale(parent(u)), kept as a big.Float of
	// fixed precision: exact rationals gain digits with every link of a
	// chain, which made this check cubic in the chain's length. 200 bits
	// keep a chain of a million factors far inside any tolerance, and the
	// exponent range covers any product of ratios within [1e-30, 1e30].
	weight := make([]*big.Float, n)
	for i := range n {
		parent[i], size[i] = i, 1
		weight[i] = newFloat().SetInt64(1)
	}
	var stack []int
	// find returns u's root and scale(u)/scale(root), compressing the path
	// without recursion, so a long chain cannot exhaust the stack.
	find := func(u int) (int, *big.Float) {
		stack = stack[:0]
		for parent[u] != u {
			stack = append(stack, u)
			u = parent[u]
		}
		root := u
		// Walk back from the node nearest the root, so each weight becomes
		// relative to the root.
		for i := len(stack) - 2; i >= 0; i-- {
			x := stack[i]
			weight[x].Mul(weight[x], weight[parent[x]])
			parent[x] = root
		}
		if len(stack) > 0 {
			parent[stack[len(stack)-1]] = root
			return root, weight[stack[0]]
		}
		return root, newFloat().SetInt64(1)
	}
	tree := make([][]edge, n)
	tolF := newFloat().SetFloat64(tol)
	for i, f := range c.spec.Factors {
		if !inGraph[i] {
			continue
		}
		from, to := c.units[f.From], c.units[f.To]
		r := newFloat().SetRat(f.Ratio.Rat())
		rf, wf := find(from)
		rt, wt := find(to)
		if rf != rt {
			// scale(to) = scale(from) * r, so scale(rt)/scale(rf) = wf*r/wt.
			w := newFloat().Mul(wf, r)
			w.Quo(w, wt)
			if size[rf] >= size[rt] {
				parent[rt], weight[rt] = rf, w
				size[rf] += size[rt]
			} else {
				parent[rf], weight[rf] = rt, w.Quo(newFloat().SetInt64(1), w)
				size[rt] += size[rf]
			}
			tree[from] = append(tree[from], edge{to: to, factor: i})
			tree[to] = append(tree[to], edge{to: from, factor: i, inverse: true})
			continue
		}
		implied := newFloat().Quo(wt, wf)
		diff := newFloat().Sub(implied, r)
		diff.Abs(diff)
		diff.Quo(diff, r)
		if diff.Cmp(tolF) <= 0 {
			continue
		}
		refs := treePath(tree, from, to)
		v.Addf(validate.Index("factors", i), ErrInconsistent,
			"1 %s = %s %s here but %s %s through %s (differs by %s, tolerance %s)",
			f.From, plain(f.Ratio), f.To, floatText(implied, 12), f.To,
			strings.Join(refs, ", "), percent(diff), percent(tolF))
	}
}

func newFloat() *big.Float { return new(big.Float).SetPrec(200) }

// treePath returns the factors on the unique path from one unit to another
// in a forest, as field paths.
func treePath(tree [][]edge, from, to int) []string {
	prev := make([]edge, len(tree))
	seen := make([]bool, len(tree))
	seen[from] = true
	queue := []int{from}
	for len(queue) > 0 && !seen[to] {
		u := queue[0]
		queue = queue[1:]
		for _, e := range tree[u] {
			if !seen[e.to] {
				seen[e.to] = true
				prev[e.to] = edge{to: u, factor: e.factor}
				queue = append(queue, e.to)
			}
		}
	}
	var refs []string
	for u := to; u != from && seen[to]; u = prev[u].to {
		refs = append(refs, validate.Index("factors", prev[u].factor))
	}
	slices.Reverse(refs)
	return refs
}

// percent writes a ratio as a percentage with 3 significant figures.
func percent(x *big.Float) string {
	return floatText(newFloat().Mul(x, newFloat().SetInt64(100)), 3) + "%"
}

// floatText writes f with sig significant figures.
func floatText(f *big.Float, sig int) string {
	d, err := decimal.NewFromString(f.Text('g', sig))
	if err != nil {
		return f.Text('g', sig)
	}
	return English{SigFigs: sig}.Number(d)
}

// Limits of a catalog (documented on NewCatalog): far above any published set of conversions, low
// enough that loading and validating one stays fast.
const (
	maxUnits   = 10000
	maxFactors = 50000
)

// Errors that wrap the sentinels of package valuepath where they apply.
var (
	// ErrUnknownUnit reports a unit that the catalog does not declare.
	ErrUnknownUnit = errors.New("unknown unit")
	// ErrNoPath reports two units that no chain of factors connects.
	ErrNoPath = errors.New("no conversion path")
	// ErrInconsistent reports two paths between the same units that
	// disagree beyond the catalog's tolerance.
	ErrInconsistent = errors.New("inconsistent factors")
	// ErrUnknownName reports an equivalent or award rule name the catalog lacks.
	ErrUnknownName = errors.New("unknown name")
)

// Spec returns a deep copy of the configuration the catalog was built from.
func (c *Catalog) Spec() CatalogSpec { return cloneSpec(c.spec) }

// Name returns the catalog's name.
func (c *Catalog) Name() string { return c.spec.Name }

// Unit returns the declaration of unit u, and false if the catalog lacks it.
func (c *Catalog) Unit(u Unit) (UnitDef, bool) {
	i, ok := c.units[u]
	if !ok {
		return UnitDef{Name: u}, false
	}
	return c.spec.Units[i], true
}

// Units yields the declared units in order.
func (c *Catalog) Units() iter.Seq[UnitDef] { return slices.Values(slices.Clone(c.spec.Units)) }

// Factors yields the factors in declaration order.
func (c *Catalog) Factors() iter.Seq[Factor] { return slices.Values(slices.Clone(c.spec.Factors)) }

func cloneSpec(s CatalogSpec) CatalogSpec {
	s.Units = slices.Clone(s.Units)
	s.Factors = slices.Clone(s.Factors)
	s.Equivalents = slices.Clone(s.Equivalents)
	s.AwardRules = slices.Clone(s.AwardRules)
	return s
}

// errorf returns an error prefixed with the package name.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("equivalents: %w: "+format, append([]any{sentinel}, args...)...)
}
