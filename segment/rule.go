package segment

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/valuepath/valuepath/internal/short"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Rule declares a behavioral segment as data: the accounts for which When
// holds. Build rules in Go or load a set from JSON with [ParseRules].
type Rule struct {
	// ID names the segment, unique within its set; campaigns and other
	// rules refer to it.
	ID string `json:"id"`
	// Description says in words who is in the segment.
	Description string `json:"description,omitempty"`
	// When is the condition an account must meet.
	When Condition `json:"when"`
}

// Condition is one test in a rule. Exactly one of its forms is set:
//
//   - All, Any: every / at least one of the sub-conditions holds;
//   - Not: the sub-condition does not hold;
//   - Rule: the rule with that id holds;
//   - Metric with Comparison and Value: a comparison of a snapshot metric
//     (JSON {"metric": "seat_utilisation", "op": "<", "value": 0.4});
//   - Attr with In: the account attribute is one of the values in In;
//   - NotImproved: the metric has risen by no more than By since the
//     baseline snapshot;
//   - NotUsing: the usage metric is present and at most 0.
//
// Conditions on missing data are unknown, not false. All is false if any
// part is false, else unknown if any part is unknown; Any is true if any
// part is true, else unknown if any is unknown; Not of unknown is unknown.
// An account is a member of a segment only when its rule is true, so a
// "not" never puts an account with missing data into a segment.
type Condition struct {
	All []Condition `json:"all,omitempty"`
	Any []Condition `json:"any,omitempty"`
	Not *Condition  `json:"not,omitempty"`
	// Rule is the id of another rule of the set.
	Rule string `json:"rule,omitempty"`
	// Metric, Comparison and Value compare a snapshot metric with a
	// constant: "Metric Comparison Value" holds.
	Metric     valuepath.Metric     `json:"metric,omitempty"`
	Comparison valuepath.Comparison `json:"op,omitempty"`
	Value      float64              `json:"value,omitempty"`
	// Attr and In test an account attribute; an absent attribute is unknown.
	Attr string   `json:"attr,omitempty"`
	In   []string `json:"in,omitempty"`
	// NotImproved holds when the metric's current value exceeds its
	// baseline value by at most By (By is 0 when omitted: "not above the
	// baseline"). Unknown without a baseline snapshot or either value.
	NotImproved valuepath.Metric `json:"not_improved,omitempty"`
	By          float64          `json:"by,omitempty"`
	// NotUsing holds when the usage metric (e.g. "reports_created_30d") is
	// present and at most 0; unknown when it is missing.
	NotUsing valuepath.Metric `json:"not_using,omitempty"`
}

// cmpOp is a comparison compiled to a small integer, to index the
// matcher's groups of tests.
type cmpOp uint8

const (
	opLT cmpOp = iota
	opLE
	opGT
	opGE
	opEQ
	opNE
)

var ops = map[valuepath.Comparison]cmpOp{
	valuepath.Below: opLT, valuepath.AtMost: opLE, valuepath.Above: opGT,
	valuepath.AtLeast: opGE, valuepath.Equal: opEQ, valuepath.NotEqual: opNE,
}
var opText = [...]string{"<", "<=", ">", ">=", "==", "!="}

type kind uint8

const (
	kAll kind = iota
	kAny
	kNot
	kRef
	kCmp
	kAttr
	kNotImproved
	kNotUsing
)

// node is a compiled condition. Metric positions are slots into
// Rules.metrics until a Matcher resolves them to schema positions.
type node struct {
	kind  kind
	op    cmpOp
	pos   int32 // metric slot, then schema position; or rule position for kRef
	value float64
	kids  []int32
	attr  string
	in    []string
	path  string
}

// maxDepth bounds how deeply conditions nest.
const maxDepth = 64

// RulesSpec is the configuration of a [Rules] set: the rules in
// declaration order. Its JSON form is an array of [Rule].
type RulesSpec []Rule

// Rules is a validated, immutable set of behavioral rules, compiled for
// evaluation. It is safe for concurrent use. Bind it to the schema of the
// snapshots to evaluate with [Rules.Bind].
type Rules struct {
	specs   RulesSpec
	index   map[string]int
	roots   []int32 // per rule, its root node
	nodes   []node
	order   []int32 // rule evaluation order: referenced rules first
	metrics []valuepath.Metric
	uses    []string // per metric slot, the path of its first use
}

// NewRules validates spec and compiles it. Every problem is reported, each
// as a *[valuepath.FieldError] with its path ("rules[2].when.all[1].op"),
// joined: empty or duplicate ids, conditions with no form or several,
// unknown comparisons, references to unknown rules, and cycles among
// references. spec is copied, not kept.
func NewRules(spec RulesSpec) (*Rules, error) {
	rules := spec
	c := validate.New("segment")
	rs := &Rules{index: make(map[string]int, len(rules)), specs: cloneRules(rules)}
	for i, r := range rules {
		path := validate.Index("rules", i)
		if !c.NonEmpty(path+".id", r.ID) {
			continue
		}
		if j, dup := rs.index[r.ID]; dup {
			c.Addf(path+".id", valuepath.ErrDuplicate, "rule %s (also rules[%d])", short.Quote(r.ID), j)
			continue
		}
		rs.index[r.ID] = i
	}
	slots := map[valuepath.Metric]int32{}
	refs := make([][]int32, len(rules))
	for i, r := range rules {
		b := builder{c: c, rs: rs, slots: slots, refs: &refs[i]}
		rs.roots = append(rs.roots, b.build(&r.When, validate.Index("rules", i)+".when", 0))
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	order, err := ruleOrder(rules, refs)
	if err != nil {
		return nil, err
	}
	rs.order = order
	return rs, nil
}

// ParseRules reads a JSON array of [Rule] and compiles it with [NewRules].
// Unknown fields and trailing data are errors.
func ParseRules(data []byte) (*Rules, error) {
	var spec RulesSpec
	if err := decodeStrict(data, &spec); err != nil {
		return nil, fmt.Errorf("segment: rules: %w", err)
	}
	return NewRules(spec)
}

// MarshalJSON writes the rules as declared, so a set round-trips through
// [ParseRules].
func (rs *Rules) MarshalJSON() ([]byte, error) {
	if rs.specs == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(rs.specs)
}

// Spec returns a copy of the rules as declared.
func (rs *Rules) Spec() RulesSpec { return cloneRules(rs.specs) }

// Metrics returns the distinct metrics the rules read, in order of first use.
func (rs *Rules) Metrics() []valuepath.Metric { return append([]valuepath.Metric(nil), rs.metrics...) }

// has reports whether the set has a rule with id.
func (rs *Rules) has(id string) bool {
	_, ok := rs.index[id]
	return ok
}

type builder struct {
	c     *validate.Collector
	rs    *Rules
	slots map[valuepath.Metric]int32
	refs  *[]int32
}

func (b *builder) slot(m valuepath.Metric, path string) int32 {
	s, ok := b.slots[m]
	if !ok {
		s = int32(len(b.rs.metrics))
		b.slots[m] = s
		b.rs.metrics = append(b.rs.metrics, m)
		b.rs.uses = append(b.rs.uses, path)
	}
	return s
}

// build compiles cond at path into a node and returns its position.
func (b *builder) build(cond *Condition, path string, depth int) int32 {
	c := b.c
	at := int32(len(b.rs.nodes))
	b.rs.nodes = append(b.rs.nodes, node{path: path})
	n := node{path: path}
	var forms []string
	if cond.All != nil {
		forms = append(forms, "all")
	}
	if cond.Any != nil {
		forms = append(forms, "any")
	}
	if cond.Not != nil {
		forms = append(forms, "not")
	}
	if cond.Rule != "" {
		forms = append(forms, "rule")
	}
	if cond.Metric != "" {
		forms = append(forms, "metric")
	}
	if cond.Attr != "" {
		forms = append(forms, "attr")
	}
	if cond.NotImproved != "" {
		forms = append(forms, "not_improved")
	}
	if cond.NotUsing != "" {
		forms = append(forms, "not_using")
	}
	switch {
	case len(forms) == 0:
		c.Addf(path, valuepath.ErrInvalid, "empty condition: want one of all, any, not, rule, metric, attr, not_improved or not_using")
		return at
	case len(forms) > 1:
		c.Addf(path, valuepath.ErrInvalid, "sets %s: want exactly one form", strings.Join(forms, " and "))
		return at
	}
	if depth >= maxDepth && (cond.All != nil || cond.Any != nil || cond.Not != nil) {
		c.Addf(path, valuepath.ErrInvalid, "conditions nest deeper than %d", maxDepth)
		return at
	}
	form := forms[0]
	if cond.Comparison != "" && form != "metric" {
		c.Addf(path+".op", valuepath.ErrInvalid, "only a metric comparison takes an op")
	}
	if cond.Value != 0 && form != "metric" {
		c.Addf(path+".value", valuepath.ErrInvalid, "only a metric comparison takes a value")
	}
	if cond.In != nil && form != "attr" {
		c.Addf(path+".in", valuepath.ErrInvalid, "only an attr test takes in")
	}
	if cond.By != 0 && form != "not_improved" {
		c.Addf(path+".by", valuepath.ErrInvalid, "only not_improved takes by")
	}
	switch form {
	case "all", "any":
		kids, kind := cond.All, kAll
		if form == "any" {
			kids, kind = cond.Any, kAny
		}
		n.kind = kind
		if len(kids) == 0 {
			c.Addf(path+"."+form, valuepath.ErrInvalid, "must list at least one condition")
		}
		for i := range kids {
			n.kids = append(n.kids, b.build(&kids[i], validate.Index(path+"."+form, i), depth+1))
		}
	case "not":
		n.kind = kNot
		n.kids = []int32{b.build(cond.Not, path+".not", depth+1)}
	case "rule":
		n.kind = kRef
		j, ok := b.rs.index[cond.Rule]
		if !ok {
			c.Addf(path+".rule", valuepath.ErrInvalid, "unknown rule %s", short.Quote(cond.Rule))
		}
		n.pos = int32(j)
		*b.refs = append(*b.refs, int32(j))
	case "metric":
		n.kind = kCmp
		op, ok := ops[cond.Comparison]
		switch {
		case cond.Comparison == "":
			c.Addf(path+".op", valuepath.ErrInvalid, "a metric comparison needs an op (<, <=, >, >=, == or !=)")
		case !ok:
			c.Addf(path+".op", valuepath.ErrInvalid, "unknown op %s (want <, <=, >, >=, == or !=)", short.Quote(cond.Comparison))
		}
		c.Finite(path+".value", cond.Value)
		n.op, n.value, n.pos = op, cond.Value, b.slot(cond.Metric, path+".metric")
	case "attr":
		n.kind, n.attr = kAttr, cond.Attr
		if len(cond.In) == 0 {
			c.Addf(path+".in", valuepath.ErrInvalid, "an attr test needs at least one value in in")
		}
		n.in = append([]string(nil), cond.In...)
	case "not_improved":
		n.kind = kNotImproved
		c.Finite(path+".by", cond.By)
		n.value, n.pos = cond.By, b.slot(cond.NotImproved, path+".not_improved")
	case "not_using":
		n.kind, n.pos = kNotUsing, b.slot(cond.NotUsing, path+".not_using")
	}
	b.rs.nodes[at] = n
	return at
}

// ruleOrder orders rules so that each comes after the rules it refers to,
// keeping declaration order otherwise, and reports every cycle.
func ruleOrder(rules RulesSpec, refs [][]int32) ([]int32, error) {
	const (
		unvisited = iota
		visiting
		done
	)
	c := validate.New("segment")
	state := make([]uint8, len(rules))
	order := make([]int32, 0, len(rules))
	var visit func(i int32, stack []int32)
	visit = func(i int32, stack []int32) {
		switch state[i] {
		case done:
			return
		case visiting:
			start := 0
			for k, j := range stack {
				if j == i {
					start = k
				}
			}
			var ids []string
			for _, j := range stack[start:] {
				ids = append(ids, strconv.Quote(rules[j].ID))
			}
			ids = append(ids, strconv.Quote(rules[i].ID))
			c.Addf(validate.Index("rules", int(i)), valuepath.ErrCycle, "%s", strings.Join(ids, " -> "))
			return
		}
		state[i] = visiting
		stack = append(stack, i)
		for _, j := range refs[i] {
			visit(j, stack)
		}
		state[i] = done
		order = append(order, i)
	}
	for i := range rules {
		visit(int32(i), nil)
	}
	return order, c.Err()
}

func cloneRules(rules RulesSpec) RulesSpec {
	if rules == nil {
		return nil
	}
	out := make(RulesSpec, len(rules))
	for i, r := range rules {
		out[i] = r
		out[i].When = cloneCondition(r.When)
	}
	return out
}

func cloneCondition(c Condition) Condition {
	if c.All != nil {
		all := make([]Condition, len(c.All))
		for i := range c.All {
			all[i] = cloneCondition(c.All[i])
		}
		c.All = all
	}
	if c.Any != nil {
		anyc := make([]Condition, len(c.Any))
		for i := range c.Any {
			anyc[i] = cloneCondition(c.Any[i])
		}
		c.Any = anyc
	}
	if c.Not != nil {
		n := cloneCondition(*c.Not)
		c.Not = &n
	}
	if c.In != nil {
		c.In = append([]string(nil), c.In...)
	}
	return c
}
