package effectiveness

import (
	"fmt"
	"math"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Criterion says when a behavior is met, over snapshot metrics. It is exactly
// one of: a comparison (Metric, Comparison, Value: the observed value on the
// left, Value on the right), All (every criterion met), Any (at least one
// met) or Not (the criterion not met). Its JSON form names the comparison
// "op": {"metric": "seat_utilisation", "op": ">=", "value": 0.5}.
//
// Criteria use three-valued logic, so missing data is never mistaken for a
// miss: a comparison on a missing metric is Unknown; All is NotMet if any
// part is NotMet, else Unknown if any part is Unknown; Any is Met if any
// part is Met, else Unknown if any part is Unknown; Not keeps Unknown.
type Criterion struct {
	Metric     valuepath.Metric     `json:"metric,omitempty"`
	Comparison valuepath.Comparison `json:"op,omitempty"`
	Value      float64              `json:"value,omitempty"`
	All        []Criterion          `json:"all,omitempty"`
	Any        []Criterion          `json:"any,omitempty"`
	Not        *Criterion           `json:"not,omitempty"`
}

// maxDepth bounds how deeply criteria nest; deeper models are rejected so
// evaluation cannot exhaust the stack.
const maxDepth = 32

type nodeKind uint8

const (
	nodeLeaf nodeKind = iota
	nodeAll
	nodeAny
	nodeNot
)

type opCode uint8

const (
	opGE opCode = iota
	opGT
	opLE
	opLT
	opEQ
	opNE
)

var opCodes = map[valuepath.Comparison]opCode{
	valuepath.AtLeast: opGE, valuepath.Above: opGT, valuepath.AtMost: opLE,
	valuepath.Below: opLT, valuepath.Equal: opEQ, valuepath.NotEqual: opNE,
}

// node is one criterion compiled into a flat array. The children of a
// composite node sit at nodes[first : first+count].
type node struct {
	kind  nodeKind
	op    opCode
	leaf  int32 // for leaves: index of the observation slot, model-wide
	first int32
	count int32
	value float64
	scale float64 // |value|, or 1 when value is 0: the unit of a leaf's gap
}

// compiler flattens criteria, collecting each leaf's metric and the field
// path of its metric, for binding errors.
type compiler struct {
	c         *validate.Collector
	nodes     []node
	leaves    []valuepath.Metric
	leafPaths []string
}

// add validates cr at path and compiles it into the reserved slot at.
func (k *compiler) add(path string, cr *Criterion, depth int, at int32) {
	forms := 0
	leaf := cr.Metric != "" || cr.Comparison != "" || cr.Value != 0
	if leaf {
		forms++
	}
	if cr.All != nil {
		forms++
	}
	if cr.Any != nil {
		forms++
	}
	if cr.Not != nil {
		forms++
	}
	switch {
	case depth > maxDepth:
		k.c.Addf(path, valuepath.ErrInvalid, "criteria nest deeper than %d levels", maxDepth)
		return
	case forms == 0:
		k.c.Addf(path, valuepath.ErrInvalid, "empty criterion: want a comparison (metric, op, value), all, any or not")
		return
	case forms > 1:
		k.c.Addf(path, valuepath.ErrInvalid, "a criterion is exactly one of a comparison, all, any or not")
		return
	}
	var n node
	var children []Criterion
	var childPath string
	switch {
	case leaf:
		n.kind = nodeLeaf
		k.c.NonEmpty(validate.Field(path, "metric"), string(cr.Metric))
		code, ok := opCodes[cr.Comparison]
		if !ok {
			k.c.Addf(validate.Field(path, "op"), valuepath.ErrInvalid, "unknown comparison %q (want >=, >, <=, <, == or !=)", cr.Comparison)
		}
		n.op = code
		n.scale = 1
		if k.c.Finite(validate.Field(path, "value"), cr.Value) {
			n.value = cr.Value
			if a := math.Abs(cr.Value); a > 0 {
				n.scale = a
			}
		}
		n.leaf = int32(len(k.leaves))
		k.leaves = append(k.leaves, cr.Metric)
		k.leafPaths = append(k.leafPaths, validate.Field(path, "metric"))
		k.nodes[at] = n
		return
	case cr.All != nil:
		n.kind, children, childPath = nodeAll, cr.All, validate.Field(path, "all")
	case cr.Any != nil:
		n.kind, children, childPath = nodeAny, cr.Any, validate.Field(path, "any")
	default:
		n.kind, children, childPath = nodeNot, []Criterion{*cr.Not}, validate.Field(path, "not")
	}
	if len(children) == 0 {
		k.c.Addf(childPath, valuepath.ErrInvalid, "must hold at least one criterion")
	}
	n.first = int32(len(k.nodes))
	n.count = int32(len(children))
	k.nodes = append(k.nodes, make([]node, len(children))...)
	k.nodes[at] = n
	for i := range children {
		p := childPath
		if n.kind != nodeNot {
			p = validate.Index(childPath, i)
		}
		k.add(p, &children[i], depth+1, n.first+int32(i))
	}
}

// root compiles cr as a new tree and returns the index of its root node.
func (k *compiler) root(path string, cr *Criterion) int32 {
	at := int32(len(k.nodes))
	k.nodes = append(k.nodes, node{})
	k.add(path, cr, 0, at)
	return at
}

// clone returns a deep copy of cr.
func (cr Criterion) clone() Criterion {
	out := cr
	if cr.All != nil {
		out.All = make([]Criterion, len(cr.All))
		for i := range cr.All {
			out.All[i] = cr.All[i].clone()
		}
	}
	if cr.Any != nil {
		out.Any = make([]Criterion, len(cr.Any))
		for i := range cr.Any {
			out.Any[i] = cr.Any[i].clone()
		}
	}
	if cr.Not != nil {
		n := cr.Not.clone()
		out.Not = &n
	}
	return out
}

// String formats the criterion the way people write it:
// "seat_utilisation >= 0.6", "all(a > 1, b < 2)", "not(c == 0)".
func (cr Criterion) String() string {
	switch {
	case cr.All != nil:
		return "all" + listString(cr.All)
	case cr.Any != nil:
		return "any" + listString(cr.Any)
	case cr.Not != nil:
		return "not(" + cr.Not.String() + ")"
	}
	return fmt.Sprintf("%s %s %s", cr.Metric, cr.Comparison, formatFloat(cr.Value))
}

func listString(cs []Criterion) string {
	s := "("
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += c.String()
	}
	return s + ")"
}
