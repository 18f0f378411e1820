package equivalents

import (
	"iter"
	"strings"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Kind says what an equivalent is for.
type Kind string

const (
	// Action equivalents are meant to prompt a choice before it is made:
	// "this snack = 1 hour 15 minutes of walking".
	Action Kind = "action"
	// FeelGood equivalents show value already received: "3.2 staff-years
	// you did not need to hire".
	FeelGood Kind = "feel_good"
)

// Equivalent is a named way to express a quantity that a report can pick:
// the unit to convert to, what the equivalent is for, and the sentence it
// goes in.
type Equivalent struct {
	// Name identifies the equivalent in its catalog, e.g. "staff_years".
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Unit is the unit the equivalent is expressed in.
	Unit Unit `json:"unit"`
	// Template is the sentence, in which "{quantity}" stands for the
	// formatted amount: "{quantity} of work you did not have to do". Empty
	// means "{quantity}".
	Template string `json:"template,omitempty"`
}

// placeholder is where a formatted amount goes in a template.
const placeholder = "{quantity}"

func (c *Catalog) checkEquivalent(v *validate.Collector, i int, e Equivalent) {
	p := validate.Index("equivalents", i)
	if v.NonEmpty(validate.Field(p, "name"), e.Name) {
		if j, dup := c.equivs[e.Name]; dup {
			v.Addf(validate.Field(p, "name"), valuepath.ErrDuplicate, "equivalent %q (also equivalents[%d])", e.Name, j)
		} else {
			c.equivs[e.Name] = i
		}
	}
	if e.Kind != Action && e.Kind != FeelGood {
		v.Addf(validate.Field(p, "kind"), valuepath.ErrInvalid, "must be %q or %q, got %q", Action, FeelGood, e.Kind)
	}
	c.unit(v, validate.Field(p, "unit"), e.Unit)
	if e.Template != "" && !strings.Contains(e.Template, placeholder) {
		v.Addf(validate.Field(p, "template"), valuepath.ErrInvalid, "must contain %s", placeholder)
	}
}

// Equivalents yields the catalog's equivalents in declaration order.
func (c *Catalog) Equivalents() iter.Seq[Equivalent] {
	return func(yield func(Equivalent) bool) {
		for _, e := range c.spec.Equivalents {
			if !yield(e) {
				return
			}
		}
	}
}

// Equivalent returns the named equivalent, and false if the catalog lacks it.
func (c *Catalog) Equivalent(name string) (Equivalent, bool) {
	i, ok := c.equivs[name]
	if !ok {
		return Equivalent{}, false
	}
	return c.spec.Equivalents[i], true
}

// Item is one equivalent of a report with the conversion behind it.
type Item struct {
	Equivalent Equivalent `json:"equivalent"`
	Conversion Conversion `json:"conversion"`
}

// Report is a raw quantity expressed as a mix of equivalents.
type Report struct {
	Input Quantity `json:"input"`
	Items []Item   `json:"items"`
}

// Of yields the report's items of one kind, in order.
func (r Report) Of(k Kind) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for _, it := range r.Items {
			if it.Equivalent.Kind == k && !yield(it) {
				return
			}
		}
	}
}

// Report expresses q as the named equivalents, in the order named; a
// report picks its own mix of feel-good and action equivalents. With no
// names it uses every equivalent of the catalog that q's unit can be
// converted to, in declaration order. A name the catalog lacks, or one
// whose unit q cannot reach, is an error.
func (c *Catalog) Report(q Quantity, names ...string) (Report, error) {
	r := Report{Input: q}
	if len(names) == 0 {
		for _, e := range c.spec.Equivalents {
			conv, err := c.Convert(q, e.Unit)
			if err != nil {
				if isNoPath(err) {
					continue
				}
				return Report{}, err
			}
			r.Items = append(r.Items, Item{Equivalent: e, Conversion: conv})
		}
		return r, nil
	}
	for _, name := range names {
		i, ok := c.equivs[name]
		if !ok {
			return Report{}, errorf(ErrUnknownName, "equivalent %q", name)
		}
		e := c.spec.Equivalents[i]
		conv, err := c.Convert(q, e.Unit)
		if err != nil {
			return Report{}, err
		}
		r.Items = append(r.Items, Item{Equivalent: e, Conversion: conv})
	}
	return r, nil
}
