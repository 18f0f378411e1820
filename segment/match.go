package segment

import (
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/valuepath/valuepath/internal/short"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
	"github.com/valuepath/valuepath/internal/validate"
)

// tri is a three-valued truth: conditions on missing data are unknown.
type tri uint8

// The encoding orders false < unknown < true, so that "all" is the minimum
// of its parts, "any" the maximum, and "not" is 2 − t.
const (
	triFalse   tri = 0
	triUnknown tri = 1
	triTrue    tri = 2
)

func (t tri) not() tri { return triTrue - t }

func truth(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// Matcher is a [Rules] set bound to one [valuepath.Schema]: every metric
// name is resolved to its position once, so evaluating an account reads
// snapshot values by index and does not allocate. It is immutable and safe
// for concurrent use.
type Matcher struct {
	rules  *Rules
	schema *valuepath.Schema
	nodes  []node // the condition trees, for explanations

	// The program. Every condition has a register holding its verdict;
	// registers [0, rules) hold the rules' verdicts. Leaves are grouped by
	// test so that each group runs as a tight, switch-free loop; then the
	// combinations run in dependency order.
	cmp    [6][]leafTest // by cmpOp
	notImp []leafTest
	attrs  []attrTest
	comb   []combine
	args   []int32
	regs   int
}

// leafTest compares metric pos with val into register reg.
type leafTest struct {
	pos int32
	reg int32
	val float64
}

// attrTest tests attribute key into register reg.
type attrTest struct {
	key string
	in  []string
	reg int32
}

// combine sets register reg from registers a and b (kAll2, kAny2), a
// (kNot, kRef: a copy) or args[lo:hi] (kAll, kAny).
type combine struct {
	kind   kind
	reg    int32
	a, b   int32
	lo, hi int32
}

// Two-part all and any, the common case, run without an inner loop.
const (
	kAll2 kind = 100 + iota
	kAny2
)

// negated maps a comparison to its complement: for finite values,
// not (v < x) is exactly v >= x, and missing stays unknown either way.
var negated = [...]cmpOp{opLT: opGE, opLE: opGT, opGT: opLE, opGE: opLT, opEQ: opNE, opNE: opEQ}

// Bind resolves the metrics the rules read against schema, giving a
// [Matcher] for snapshots on that schema. A metric the schema lacks is an
// error wrapping [valuepath.ErrUnknownMetric] that names the metric and
// the path of its first use (`rules[1].when.not_using: unknown metric
// "reports_30d"`); every such metric is reported. A nil schema is an
// error.
func (rs *Rules) Bind(schema *valuepath.Schema) (*Matcher, error) {
	pos, err := rs.resolve(schema)
	if err != nil {
		return nil, err
	}
	nodes := make([]node, len(rs.nodes))
	copy(nodes, rs.nodes)
	for i := range nodes {
		switch nodes[i].kind {
		case kCmp, kNotImproved, kNotUsing:
			nodes[i].pos = pos[nodes[i].pos]
		}
	}
	m := &Matcher{rules: rs, schema: schema, nodes: nodes, regs: len(rs.specs)}
	for _, r := range rs.order {
		m.emit(rs.roots[r], r)
	}
	return m, nil
}

// resolve returns the schema position of each metric slot, and the
// binding error of [Rules.Bind].
func (rs *Rules) resolve(schema *valuepath.Schema) ([]int32, error) {
	c := validate.New("segment")
	if schema == nil {
		c.Addf("schema", valuepath.ErrInvalid, "must not be nil")
		return nil, c.Err()
	}
	pos := make([]int32, len(rs.metrics))
	for s, name := range rs.metrics {
		i, ok := schema.Index(name)
		if !ok {
			c.Add(rs.uses[s], fmt.Errorf("%w %s", valuepath.ErrUnknownMetric, short.Quote(name)))
		}
		pos[s] = int32(i)
	}
	return pos, c.Err()
}

// emit compiles node i to write its verdict into register reg, and returns
// reg; reg < 0 asks for a fresh register.
func (m *Matcher) emit(i int32, reg int32) int32 {
	n := &m.nodes[i]
	if n.kind == kRef && reg < 0 {
		// Rules run in dependency order, so the referenced rule's register
		// already holds the verdict: read it, no copy needed.
		return n.pos
	}
	if reg < 0 {
		reg = int32(m.regs)
		m.regs++
	}
	switch n.kind {
	case kCmp:
		m.cmp[n.op] = append(m.cmp[n.op], leafTest{pos: n.pos, reg: reg, val: n.value})
	case kNotUsing:
		m.cmp[opLE] = append(m.cmp[opLE], leafTest{pos: n.pos, reg: reg, val: 0})
	case kNotImproved:
		m.notImp = append(m.notImp, leafTest{pos: n.pos, reg: reg, val: n.value})
	case kAttr:
		m.attrs = append(m.attrs, attrTest{key: n.attr, in: n.in, reg: reg})
	case kRef: // a rule that is just another rule: copy its verdict
		m.comb = append(m.comb, combine{kind: kRef, reg: reg, a: n.pos})
	case kNot:
		switch kid := &m.nodes[n.kids[0]]; kid.kind {
		case kCmp:
			op := negated[kid.op]
			m.cmp[op] = append(m.cmp[op], leafTest{pos: kid.pos, reg: reg, val: kid.value})
		case kNotUsing: // "not not using" is "using": v > 0
			m.cmp[opGT] = append(m.cmp[opGT], leafTest{pos: kid.pos, reg: reg, val: 0})
		default:
			m.comb = append(m.comb, combine{kind: kNot, reg: reg, a: m.emit(n.kids[0], -1)})
		}
	default: // kAll, kAny
		kids := make([]int32, len(n.kids))
		for k, kid := range n.kids {
			kids[k] = m.emit(kid, -1)
		}
		if len(kids) == 2 {
			k := kAll2
			if n.kind == kAny {
				k = kAny2
			}
			m.comb = append(m.comb, combine{kind: k, reg: reg, a: kids[0], b: kids[1]})
			break
		}
		lo := int32(len(m.args))
		m.args = append(m.args, kids...)
		m.comb = append(m.comb, combine{kind: n.kind, reg: reg, lo: lo, hi: int32(len(m.args))})
	}
	return reg
}

// Rules returns the rule set m evaluates.
func (m *Matcher) Rules() *Rules { return m.rules }

// Schema returns the schema m is bound to.
func (m *Matcher) Schema() *valuepath.Schema { return m.schema }

// Input is what a rule reads about one account.
type Input struct {
	// Current holds the metrics now; it must not be nil, and must be on
	// the matcher's schema. Its Account names the result.
	Current *valuepath.Snapshot
	// Baseline holds the metrics at the baseline (for example 30 days after
	// the contract start), on the same schema. It is optional: without one
	// (nil), "not improved" conditions are unknown, never true or false.
	Baseline *valuepath.Snapshot
	// Attrs are the account's attributes, read by attr conditions. Absent
	// keys are unknown.
	Attrs map[string]string
}

// Membership records which segments one account belongs to. It is a
// buffer that [Matcher.MatchInto] overwrites; [Membership.Clone] keeps a
// copy. Make one with [Matcher.NewMembership], or get a new one from
// [Matcher.Match].
type Membership struct {
	Account valuepath.AccountID
	rules   *Rules
	res     []tri // the rules' verdicts: regs[:rules]
	regs    []tri
}

// NewMembership returns an empty membership for m's rules.
func (m *Matcher) NewMembership() *Membership {
	ms := &Membership{}
	m.ready(ms)
	return ms
}

// ready makes ms a membership of m's rules, unless it already is one.
func (m *Matcher) ready(ms *Membership) {
	if ms.rules != m.rules || len(ms.regs) != m.regs {
		regs := make([]tri, m.regs)
		*ms = Membership{rules: m.rules, res: regs[:len(m.rules.specs)], regs: regs}
	}
}

// Has reports whether the account belongs to the segment id.
func (ms *Membership) Has(id string) bool {
	i, ok := ms.rules.index[id]
	return ok && ms.res[i] == triTrue
}

// Undecided reports whether the account's membership of segment id is
// unknown because data it needs is missing.
func (ms *Membership) Undecided(id string) bool {
	i, ok := ms.rules.index[id]
	return ok && ms.res[i] == triUnknown
}

// Len returns the number of segments the account belongs to.
func (ms *Membership) Len() int {
	n := 0
	for _, r := range ms.res {
		if r == triTrue {
			n++
		}
	}
	return n
}

// Segments yields the ids of the segments the account belongs to, in the
// order the rules were declared.
func (ms *Membership) Segments() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i, r := range ms.res {
			if r == triTrue && !yield(ms.rules.specs[i].ID) {
				return
			}
		}
	}
}

// Clone returns a copy that later matches into ms do not affect.
func (ms *Membership) Clone() *Membership {
	c := *ms
	c.regs = append([]tri(nil), ms.regs...)
	c.res = c.regs[:len(ms.res)]
	return &c
}

// MarshalJSON writes the account, its segments and its undecided segments.
func (ms *Membership) MarshalJSON() ([]byte, error) {
	out := struct {
		Account   valuepath.AccountID `json:"account"`
		Segments  []string            `json:"segments"`
		Undecided []string            `json:"undecided"`
	}{Account: ms.Account, Segments: []string{}, Undecided: []string{}}
	for i, r := range ms.res {
		switch r {
		case triTrue:
			out.Segments = append(out.Segments, ms.rules.specs[i].ID)
		case triUnknown:
			out.Undecided = append(out.Undecided, ms.rules.specs[i].ID)
		}
	}
	return json.Marshal(out)
}

// check validates an input against the matcher, returning an
// *[valuepath.AccountError].
func (m *Matcher) check(in *Input) error {
	var err error
	switch {
	case in.Current == nil:
		err = fmt.Errorf("segment: %w: input has no current snapshot", valuepath.ErrInvalid)
	case in.Current.Schema() != m.schema:
		err = m.otherSchema("current", in.Current.Schema())
	case in.Baseline != nil && in.Baseline.Schema() != m.schema:
		err = m.otherSchema("baseline", in.Baseline.Schema())
	default:
		return nil
	}
	var account valuepath.AccountID
	if in.Current != nil {
		account = in.Current.Account
	}
	return &valuepath.AccountError{Account: account, Err: err}
}

// otherSchema explains why a snapshot on schema s cannot be matched: the
// binding error if s lacks a metric of the rules, as [Rules.Bind] reports
// it, else that s is not the matcher's schema.
func (m *Matcher) otherSchema(which string, s *valuepath.Schema) error {
	if _, err := m.rules.resolve(s); err != nil {
		return err
	}
	return fmt.Errorf("segment: %w: %s snapshot is not on the matcher's schema; bind the rules to its schema", valuepath.ErrInvalid, which)
}

// Match evaluates every rule for one account and returns its membership.
// It fails, with an *[valuepath.AccountError], when the current snapshot
// is nil or a snapshot is not on m's schema; when that schema lacks a
// metric of the rules, the error wraps [valuepath.ErrUnknownMetric] as
// [Rules.Bind]'s does. See [Matcher.MatchInto] to reuse a membership.
func (m *Matcher) Match(in Input) (*Membership, error) {
	ms := m.NewMembership()
	if err := m.MatchInto(in, ms); err != nil {
		return nil, err
	}
	return ms, nil
}

// MatchInto evaluates every rule for one account into dst, which must come
// from m's [Matcher.NewMembership] (or an earlier [Matcher.Match]). It
// fails exactly when [Matcher.Match] does, leaving dst with the account
// (when known) and no segments; and when dst is not from m. It does not
// allocate.
func (m *Matcher) MatchInto(in Input, dst *Membership) error {
	if dst == nil || dst.rules != m.rules || len(dst.regs) != m.regs {
		return fmt.Errorf("segment: %w: membership is not from this matcher", valuepath.ErrInvalid)
	}
	if err := m.check(&in); err != nil {
		clear(dst.regs)
		dst.Account = ""
		if in.Current != nil {
			dst.Account = in.Current.Account
		}
		return err
	}
	dst.Account = in.Current.Account
	m.run(&in, dst.regs)
	return nil
}

// run executes the program. Every path is branch-light and allocation-free:
// it is the hot loop of segmenting a population.
func (m *Matcher) run(in *Input, regs []tri) {
	cur := in.Current
	for op := range m.cmp {
		tests := m.cmp[op]
		switch cmpOp(op) {
		case opLT:
			for _, l := range tests {
				v, ok := cur.ValueAt(int(l.pos))
				regs[l.reg] = leaf(ok, v < l.val)
			}
		case opLE:
			for _, l := range tests {
				v, ok := cur.ValueAt(int(l.pos))
				regs[l.reg] = leaf(ok, v <= l.val)
			}
		case opGT:
			for _, l := range tests {
				v, ok := cur.ValueAt(int(l.pos))
				regs[l.reg] = leaf(ok, v > l.val)
			}
		case opGE:
			for _, l := range tests {
				v, ok := cur.ValueAt(int(l.pos))
				regs[l.reg] = leaf(ok, v >= l.val)
			}
		case opEQ:
			for _, l := range tests {
				v, ok := cur.ValueAt(int(l.pos))
				regs[l.reg] = leaf(ok, v == l.val)
			}
		case opNE:
			for _, l := range tests {
				v, ok := cur.ValueAt(int(l.pos))
				regs[l.reg] = leaf(ok, v != l.val)
			}
		}
	}
	base := in.Baseline
	for _, l := range m.notImp {
		t := triUnknown
		if base != nil {
			v, ok := cur.ValueAt(int(l.pos))
			b, bok := base.ValueAt(int(l.pos))
			t = leaf(ok && bok, v-b <= l.val)
		}
		regs[l.reg] = t
	}
	for k := range m.attrs {
		a := &m.attrs[k]
		v, ok := in.Attrs[a.key]
		t := triUnknown
		if ok {
			t = triFalse
			for _, s := range a.in {
				if s == v {
					t = triTrue
					break
				}
			}
		}
		regs[a.reg] = t
	}
	for k := range m.comb {
		c := &m.comb[k]
		var t tri
		switch c.kind {
		case kAll2:
			t = min(regs[c.a], regs[c.b])
		case kAny2:
			t = max(regs[c.a], regs[c.b])
		case kAll:
			t = triTrue
			for _, a := range m.args[c.lo:c.hi] {
				t = min(t, regs[a])
			}
		case kAny:
			t = triFalse
			for _, a := range m.args[c.lo:c.hi] {
				t = max(t, regs[a])
			}
		case kNot:
			t = triTrue - regs[c.a]
		default: // kRef
			t = regs[c.a]
		}
		regs[c.reg] = t
	}
}

// leaf is the verdict of a test b on a value that may be missing (!ok).
func leaf(ok, b bool) tri {
	// Written to compile without branches: unknown is 1, false 0, true 2.
	var o, t tri
	if ok {
		o = 1
	}
	if b {
		t = 1
	}
	return 1 - o + 2*(o&t)
}

// MatchAll evaluates the rules for every input and streams the
// memberships in input order, one per input, in constant memory. The
// yielded *Membership is reused: it is valid until the loop body returns
// ([Membership.Clone] keeps it). A bad input is yielded beside its
// membership (with no segments) as an *[valuepath.AccountError], as
// [Matcher.Match] returns it, and the stream goes on; break to stop.
//
// opt.Concurrency sets how many goroutines match: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 matches on the caller's goroutine.
// Above 1, inputs is still ranged over on the caller's goroutine, which
// matches chunks of it beside opt.Concurrency-1 helper goroutines, and each
// input (its snapshots and the attributes the rules read) is copied before
// it is used, so an iterator that reuses one snapshot or map is safe,
// unless opt.InPlace says the input stays as it is; results still come in
// input order. For inputs already in a slice, [Matcher.MatchSlice] gains
// more from a second core.
func (m *Matcher) MatchAll(inputs iter.Seq[Input], opt valuepath.BatchOptions) iter.Seq2[*Membership, error] {
	if n := batch.Workers(opt.Concurrency); n > 1 {
		return func(yield func(*Membership, error) bool) {
			keys := m.attrKeys()
			batch.Ordered(inputs, n, putInput(keys, opt.InPlace), func() func(*inputSlot, *Membership) error {
				return func(in *inputSlot, ms *Membership) error {
					m.ready(ms)
					return m.MatchInto(in.get(keys), ms)
				}
			}, yield)
		}
	}
	return func(yield func(*Membership, error) bool) {
		ms := m.NewMembership()
		for in := range inputs {
			if !yield(ms, m.MatchInto(in, ms)) {
				return
			}
		}
	}
}

// inputSlot is a parallel batch's copy of one Input.
type inputSlot struct {
	cur, base       valuepath.Snapshot
	hasCur, hasBase bool
	// vals and has hold, per key of attrKeys, the input's value: what the
	// caller's goroutine copies. attrs is rebuilt from them by the
	// goroutine that matches.
	vals     []string
	has      []bool
	attrs    map[string]string
	hasAttrs bool
	// inPlace inputs are used as they are, in in.
	inPlace bool
	in      Input
}

// attrKeys returns the attributes m's conditions read, each once: the
// only ones a copied input needs.
func (m *Matcher) attrKeys() []string {
	var keys []string
	for i := range m.nodes {
		if n := &m.nodes[i]; n.kind == kAttr && !slices.Contains(keys, n.attr) {
			keys = append(keys, n.attr)
		}
	}
	return keys
}

// putInput returns the put function of the parallel batch: it keeps the
// input's own snapshots and attributes when inPlace, and otherwise copies
// the snapshots and the attributes among keys.
func putInput(keys []string, inPlace bool) func(*inputSlot, Input) {
	if inPlace {
		return func(slot *inputSlot, in Input) { slot.inPlace, slot.in = true, in }
	}
	return func(slot *inputSlot, in Input) {
		if slot.hasCur = in.Current != nil; slot.hasCur {
			in.Current.CloneInto(&slot.cur)
		}
		if slot.hasBase = in.Baseline != nil; slot.hasBase {
			in.Baseline.CloneInto(&slot.base)
		}
		// A lookup per key the rules read, not a copy of the map:
		// iterating a map costs more than matching the account.
		if slot.hasAttrs = in.Attrs != nil; slot.hasAttrs {
			slot.vals, slot.has = slot.vals[:0], slot.has[:0]
			for _, k := range keys {
				v, ok := in.Attrs[k]
				slot.vals, slot.has = append(slot.vals, v), append(slot.has, ok)
			}
		}
	}
}

func (slot *inputSlot) get(keys []string) Input {
	if slot.inPlace {
		return slot.in
	}
	var in Input
	if slot.hasCur {
		in.Current = &slot.cur
	}
	if slot.hasBase {
		in.Baseline = &slot.base
	}
	if slot.hasAttrs {
		if slot.attrs == nil {
			slot.attrs = make(map[string]string, len(keys))
		}
		clear(slot.attrs)
		for i, k := range keys {
			if slot.has[i] {
				slot.attrs[k] = slot.vals[i]
			}
		}
		in.Attrs = slot.attrs
	}
	return in
}

// eval evaluates node i by walking the condition tree; explanations use it,
// and tests check it against the compiled program.
func (m *Matcher) eval(i int32, in *Input, res []tri) tri {
	n := &m.nodes[i]
	switch n.kind {
	case kCmp:
		v, ok := in.Current.ValueAt(int(n.pos))
		if !ok {
			return triUnknown
		}
		return compare(n.op, v, n.value)
	case kAll:
		r := triTrue
		for _, k := range n.kids {
			switch m.eval(k, in, res) {
			case triFalse:
				return triFalse
			case triUnknown:
				r = triUnknown
			}
		}
		return r
	case kAny:
		r := triFalse
		for _, k := range n.kids {
			switch m.eval(k, in, res) {
			case triTrue:
				return triTrue
			case triUnknown:
				r = triUnknown
			}
		}
		return r
	case kNot:
		return m.eval(n.kids[0], in, res).not()
	case kRef:
		return res[n.pos]
	case kAttr:
		v, ok := in.Attrs[n.attr]
		if !ok {
			return triUnknown
		}
		for _, s := range n.in {
			if s == v {
				return triTrue
			}
		}
		return triFalse
	case kNotImproved:
		if in.Baseline == nil {
			return triUnknown
		}
		v, ok := in.Current.ValueAt(int(n.pos))
		b, bok := in.Baseline.ValueAt(int(n.pos))
		if !ok || !bok {
			return triUnknown
		}
		return truth(v-b <= n.value)
	case kNotUsing:
		v, ok := in.Current.ValueAt(int(n.pos))
		if !ok {
			return triUnknown
		}
		return truth(v <= 0)
	}
	return triUnknown
}

func compare(op cmpOp, v, x float64) tri {
	switch op {
	case opLT:
		return truth(v < x)
	case opLE:
		return truth(v <= x)
	case opGT:
		return truth(v > x)
	case opGE:
		return truth(v >= x)
	case opEQ:
		return truth(v == x)
	default:
		return truth(v != x)
	}
}

// Explanation is one account's membership with its reasons.
type Explanation struct {
	Account valuepath.AccountID `json:"account"`
	// Segments are the segments the account belongs to, in declaration
	// order, each with the terms that made its rule true.
	Segments []Match `json:"segments"`
	// Undecided are the segments whose rules are unknown for lack of data,
	// each with the terms that could not be decided.
	Undecided []Match `json:"undecided"`
}

// Match is one segment's verdict for an account and the terms behind it.
type Match struct {
	Segment     string `json:"segment"`
	Description string `json:"description,omitempty"`
	Terms       []Term `json:"terms"`
}

// Term is one leaf condition that decided a verdict: where it is declared
// and what it found, e.g. "seat_utilisation = 0.31, < 0.4".
type Term struct {
	Path string `json:"path"`
	Text string `json:"text"`
}

// Explain evaluates the rules for one account and says, for each segment it
// belongs to, which terms matched; for each undecided segment, which terms
// lacked data. A rule that refers to another contributes that rule's terms.
//
// Explain is a convenience: snapshots on another schema than m's are
// matched by binding the rules to their schema, with the error of
// [Rules.Bind] (wrapping [valuepath.ErrUnknownMetric]) if it lacks a
// metric. A nil current snapshot is an error. It allocates; use
// [Matcher.MatchInto] on hot paths.
func (m *Matcher) Explain(in Input) (Explanation, error) {
	if in.Current != nil && in.Current.Schema() != m.schema {
		other, err := m.rules.Bind(in.Current.Schema())
		if err != nil {
			return Explanation{}, &valuepath.AccountError{Account: in.Current.Account, Err: err}
		}
		m = other
	}
	ms, err := m.Match(in)
	if err != nil {
		return Explanation{}, err
	}
	ex := Explanation{Account: ms.Account, Segments: []Match{}, Undecided: []Match{}}
	for i, r := range ms.res {
		if r == triFalse {
			continue
		}
		spec := &m.rules.specs[i]
		mt := Match{Segment: spec.ID, Description: spec.Description, Terms: []Term{}}
		m.support(m.rules.roots[i], r, &in, ms.res, &mt.Terms)
		if r == triTrue {
			ex.Segments = append(ex.Segments, mt)
		} else {
			ex.Undecided = append(ex.Undecided, mt)
		}
	}
	return ex, nil
}

// support appends the leaf terms that make node i evaluate to want.
func (m *Matcher) support(i int32, want tri, in *Input, res []tri, out *[]Term) {
	n := &m.nodes[i]
	switch n.kind {
	case kAll, kAny:
		decisive := triFalse // All is decided by a false part, Any by a true one
		if n.kind == kAny {
			decisive = triTrue
		}
		for _, k := range n.kids {
			if m.eval(k, in, res) != want {
				continue
			}
			m.support(k, want, in, res, out)
			if want == decisive {
				return
			}
		}
	case kNot:
		m.support(n.kids[0], want.not(), in, res, out)
	case kRef:
		m.support(m.rules.roots[n.pos], want, in, res, out)
	default:
		if m.eval(i, in, res) == want {
			*out = append(*out, Term{Path: n.path, Text: m.describe(n, in, want)})
		}
	}
}

// describe renders a leaf condition's outcome.
func (m *Matcher) describe(n *node, in *Input, got tri) string {
	var name string
	var v float64
	var ok bool
	if n.kind != kAttr {
		name = string(m.schema.Metric(int(n.pos)))
		v, ok = in.Current.ValueAt(int(n.pos))
	}
	val := "missing"
	if ok {
		val = num(v)
	}
	switch n.kind {
	case kCmp:
		if got == triUnknown {
			return name + " " + opText[n.op] + " " + num(n.value) + ": unknown, " + name + " is missing"
		}
		op := opText[n.op]
		if got == triFalse {
			op = "not " + op
		}
		return name + " = " + val + ", " + op + " " + num(n.value)
	case kNotUsing:
		switch got {
		case triTrue:
			return "not using " + name + " (" + val + ")"
		case triFalse:
			return "using " + name + " (" + val + ")"
		}
		return "not using " + name + ": unknown, " + name + " is missing"
	case kNotImproved:
		bv := "missing"
		if in.Baseline == nil {
			bv = "no baseline"
		} else if b, bok := in.Baseline.ValueAt(int(n.pos)); bok {
			bv = num(b)
		}
		by := ""
		if n.value != 0 {
			by = " by more than " + num(n.value)
		}
		switch got {
		case triTrue:
			return name + " not improved" + by + ": " + val + " now, " + bv + " at baseline"
		case triFalse:
			return name + " improved" + by + ": " + val + " now, " + bv + " at baseline"
		}
		return name + " not improved" + by + ": unknown, " + val + " now, " + bv + " at baseline"
	case kAttr:
		list := "[" + strings.Join(n.in, ", ") + "]"
		v, has := in.Attrs[n.attr]
		switch {
		case !has:
			return n.attr + " in " + list + ": unknown, attribute absent"
		case got == triTrue:
			return n.attr + " = " + v + ", in " + list
		}
		return n.attr + " = " + v + ", not in " + list
	}
	return ""
}

// MatchSlice evaluates the rules for every input of inputs into dst[i], as
// [Matcher.MatchAll] would yield it: the batch to use when the inputs are
// already a slice in memory. Each goroutine matches one contiguous range
// and writes only its own part of dst, so nothing moves between cores per
// input and a second core nearly halves the time, which an ordered stream
// cannot do.
//
// Each dst[i] is filled as [Matcher.MatchInto] fills it (a zero Membership,
// or one from another matcher, is made ready first): its storage grows on
// first use and is reused after, so a dst reused from one call to the next
// allocates nothing per input. dst must hold at least len(inputs) memberships; MatchSlice fills
// dst[:len(inputs)] and leaves the rest alone. A dst too short fails before
// anything is written, with a *[valuepath.FieldError] for "dst". A bad input
// gets the membership MatchAll yields for it (no segments), and the
// returned error joins, for the first ten bad inputs in index order, a
// *[valuepath.FieldError] naming the index ("inputs[17]") that wraps the
// *[valuepath.AccountError] MatchAll yields, then a count of the rest.
//
// opt.Concurrency sets how many goroutines match: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 matches on the caller's goroutine.
// Slices shorter than 8,192 inputs are matched on the caller's goroutine.
// opt.InPlace does not apply: the inputs (their snapshots and attribute
// maps) are read where they are, and must not change until MatchSlice
// returns.
func (m *Matcher) MatchSlice(inputs []Input, dst []Membership, opt valuepath.BatchOptions) error {
	return batch.OverSlice("segment", "inputs", "inputs", len(inputs), len(dst), opt, func() func(lo, hi int, fail func(int, error)) {
		return func(lo, hi int, fail func(int, error)) {
			for i := lo; i < hi; i++ {
				ms := &dst[i]
				m.ready(ms)
				if e := m.MatchInto(inputs[i], ms); e != nil {
					fail(i, e)
				}
			}
		}
	})
}
