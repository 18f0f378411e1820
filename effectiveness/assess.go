package effectiveness

import (
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
	"github.com/valuepath/valuepath/internal/validate"
)

// BehaviorStatus is the state of a behavior for one account. Missing data
// makes a behavior Unknown, never NotMet. The zero value is Unknown. It
// marshals to "unknown", "not_met" or "met".
type BehaviorStatus uint8

// The states of a behavior.
const (
	Unknown BehaviorStatus = iota
	NotMet
	Met
)

var statusNames = [...]string{Unknown: "unknown", NotMet: "not_met", Met: "met"}

// String returns "unknown", "not_met" or "met".
func (s BehaviorStatus) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "BehaviorStatus(" + fmt.Sprint(uint8(s)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (s BehaviorStatus) MarshalText() ([]byte, error) {
	if int(s) >= len(statusNames) {
		return nil, fmt.Errorf("effectiveness: %w: status %d", valuepath.ErrInvalid, uint8(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *BehaviorStatus) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = BehaviorStatus(i)
			return nil
		}
	}
	return fmt.Errorf("effectiveness: %w: unknown status %q", valuepath.ErrInvalid, b)
}

// Observation is the value a criterion read for one metric. Present is
// false when the snapshot has no value for it; Value is then 0 and means
// nothing.
type Observation struct {
	Metric  valuepath.Metric `json:"metric"`
	Value   float64          `json:"value"`
	Present bool             `json:"present"`
	// Excluded is true when the metric is customer-reported and the account
	// has not consented to its use; Present is then false.
	Excluded bool `json:"excluded,omitempty"`
}

// BehaviorResult is one behavior assessed for one account.
type BehaviorResult struct {
	ID     string         `json:"id"`
	Status BehaviorStatus `json:"status"`
	// Gap is how far the observed values are from meeting the criterion,
	// relative to its thresholds: 0.25 means a quarter of the threshold
	// short, 0 that the behavior is met. It is absent when the behavior is
	// unknown: nobody can tell how far missing data is from a threshold.
	Gap valuepath.Number `json:"gap"`
	// Observed holds what each comparison of the criterion read, in the
	// criterion's order.
	Observed []Observation `json:"observed"`
}

// PhaseResult is one phase assessed for one account.
type PhaseResult struct {
	Level    int    `json:"level"` // 1-based
	ID       string `json:"id"`
	Reached  bool   `json:"reached"`
	Met      int    `json:"met"`
	Unknown  int    `json:"unknown"`
	Total    int    `json:"total"`
	Required int    `json:"required"` // behaviors to meet for the phase to count
	// Behaviors holds every behavior of the phase, in model order.
	Behaviors []BehaviorResult `json:"behaviors"`
}

// PathStep is one behavior on the path to the next phase: its status and
// gap as in [BehaviorResult].
type PathStep struct {
	Behavior    string           `json:"behavior"`
	Description string           `json:"description,omitempty"`
	Status      BehaviorStatus   `json:"status"`
	Gap         valuepath.Number `json:"gap"`
	// Features lists the product features that help. It shares the model's
	// storage: treat it as read-only.
	Features []string `json:"features,omitempty"`
}

// PhasePath is what an account needs to reach its next phase.
type PhasePath struct {
	// Level is the next phase (1-based), or 0 when the account has reached
	// the top phase and there is nowhere further to go.
	Level int    `json:"level"`
	Phase string `json:"phase,omitempty"`
	// Needed is how many more behaviors of the next phase must be met.
	Needed int `json:"needed"`
	// Progress is the fraction of the way to the next phase: behaviors met
	// over behaviors required, in [0, 1]. It is 1 on the top phase.
	Progress float64 `json:"progress"`
	// Steps lists the behaviors of the next phase not yet met: first those
	// not met, closest first (smallest Gap; behaviors with features that
	// help before those without), then the unknown ones, whose data is
	// missing, in model order.
	Steps []PathStep `json:"steps"`
}

// Assessment is where one account stands on an effectiveness model, with
// every behavior's state and the path to the next phase. It marshals to
// JSON for a host's UI.
type Assessment struct {
	Account valuepath.AccountID `json:"account"`
	AsOf    time.Time           `json:"as_of"`
	// Level is the phase reached (1-based), or 0 when even the first phase
	// is not reached yet.
	Level int `json:"level"`
	// Phase is the ID of the phase reached; empty when Level is 0.
	Phase  string        `json:"phase,omitempty"`
	Phases []PhaseResult `json:"phases"`
	Next   PhasePath     `json:"next"`
	// Excluded lists the customer-reported metrics the criteria would have
	// read but could not, for want of the account's consent.
	Excluded []valuepath.Metric `json:"excluded,omitempty"`

	model     *Model
	behaviors []BehaviorResult
	obs       []Observation
	order     []int // scratch for ordering the path's steps
}

// Behavior returns the result of the behavior with id, and false if the
// model has none.
func (a *Assessment) Behavior(id string) (BehaviorResult, bool) {
	for _, b := range a.behaviors {
		if b.ID == id {
			return b, true
		}
	}
	return BehaviorResult{}, false
}

// Clone returns a deep copy that later reuse of a does not affect.
func (a *Assessment) Clone() *Assessment {
	c := *a
	c.order = nil // scratch: never shared
	c.obs = append([]Observation(nil), a.obs...)
	c.behaviors = append([]BehaviorResult(nil), a.behaviors...)
	for i := range c.behaviors {
		info := a.model.behaviors[i]
		c.behaviors[i].Observed = c.obs[info.leafStart:info.leafEnd:info.leafEnd]
	}
	c.Phases = append([]PhaseResult(nil), a.Phases...)
	start := 0
	for p := range c.Phases {
		end := a.model.phaseEnd[p]
		c.Phases[p].Behaviors = c.behaviors[start:end:end]
		start = end
	}
	c.Next.Steps = append([]PathStep(nil), a.Next.Steps...)
	c.Excluded = append([]valuepath.Metric(nil), a.Excluded...)
	return &c
}

// Options tunes [Model.Bind]. The zero value uses no customer-reported
// metric.
type Options struct {
	// Consent says which accounts consent to which customer-reported
	// metrics. Nil consents to none.
	Consent Consent
}

// Assessor is a [Model] bound to one snapshot schema: the metric names of
// its criteria are resolved to schema positions once, so assessing an
// account reads values by index and does not allocate. An *Assessor is safe
// for concurrent use.
type Assessor struct {
	m        *Model
	schema   *valuepath.Schema
	idx      []int // per leaf: schema position
	reported []bool
	consent  Consent
	beh      []boundBehavior
}

// boundBehavior is a behavior as the hot loop reads it: a behavior of one
// comparison (the common case) is evaluated inline, without the tree walk.
type boundBehavior struct {
	phase              int32
	root               int32
	leafStart, leafEnd int32
	simple             bool // one comparison, of any op
	ordered            bool // one comparison by >=, >, <= or <
	op                 opCode
	value, scale       float64
	// An ordered comparison is normalised to sign*v >= bound, with the gap
	// (threshold - sign*v) * inv: <= and < flip the sign, and v > t is
	// v >= the next float above t.
	sign, threshold, bound, inv float64
}

func bindBehavior(info behaviorInfo, n node) boundBehavior {
	bb := boundBehavior{phase: int32(info.phase), root: info.root, leafStart: info.leafStart, leafEnd: info.leafEnd,
		simple: n.kind == nodeLeaf, op: n.op, value: n.value, scale: n.scale}
	if !bb.simple {
		return bb
	}
	bb.ordered, bb.sign, bb.inv = true, 1, 1/n.scale
	switch n.op {
	case opGE:
		bb.bound = n.value
	case opGT:
		bb.bound = math.Nextafter(n.value, math.Inf(1))
	case opLE:
		bb.sign, bb.bound = -1, -n.value
	case opLT:
		bb.sign, bb.bound = -1, math.Nextafter(-n.value, math.Inf(1))
	default:
		bb.ordered = false
	}
	bb.threshold = bb.sign * n.value
	return bb
}

// Bind resolves the model's metrics against schema. If the schema lacks a
// metric the model reads it fails with a *[valuepath.FieldError] per
// comparison, wrapping [valuepath.ErrUnknownMetric] and naming the metric
// and its field path ("phases[2].behaviors[0].criterion.metric"), joined:
// a misspelt metric would otherwise leave a behavior unknown forever.
func (m *Model) Bind(schema *valuepath.Schema, opt Options) (*Assessor, error) {
	if schema == nil {
		return nil, fmt.Errorf("effectiveness: bind: %w: nil schema", valuepath.ErrInvalid)
	}
	c := validate.New("effectiveness")
	a := &Assessor{m: m, schema: schema, idx: make([]int, len(m.leaves)), reported: make([]bool, len(m.leaves)), consent: opt.Consent}
	for _, info := range m.behaviors {
		for l := info.leafStart; l < info.leafEnd; l++ {
			metric := m.leaves[l]
			i, ok := schema.Index(metric)
			if !ok {
				c.Add(m.leafPaths[l], fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, metric))
				continue
			}
			a.idx[l] = i
			a.reported[l] = m.reported[metric]
		}
		a.beh = append(a.beh, bindBehavior(info, m.nodes[info.root]))
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// Assess is a convenience that binds m to snap's schema, as [Model.Bind]
// does and with the same errors, and assesses it. Assessing many accounts,
// bind once with [Model.Bind] instead. A nil snapshot is an error.
func (m *Model) Assess(snap *valuepath.Snapshot, opt Options) (*Assessment, error) {
	if snap == nil {
		return nil, fmt.Errorf("effectiveness: assess: %w: nil snapshot", valuepath.ErrInvalid)
	}
	a, err := m.Bind(snap.Schema(), opt)
	if err != nil {
		return nil, err
	}
	return a.Assess(snap)
}

// Model returns the bound model.
func (a *Assessor) Model() *Model { return a.m }

// NewAssessment returns an empty assessment laid out for this model, for
// [Assessor.AssessInto] to fill again and again.
func (a *Assessor) NewAssessment() *Assessment {
	dst := &Assessment{}
	a.prepare(dst)
	return dst
}

func (a *Assessor) prepare(dst *Assessment) {
	m := a.m
	if dst.model == m && len(dst.behaviors) == len(m.behaviors) {
		return
	}
	dst.model = m
	dst.obs = make([]Observation, len(m.leaves))
	dst.behaviors = make([]BehaviorResult, len(m.behaviors))
	maxPhase := 0
	for i, info := range m.behaviors {
		dst.behaviors[i] = BehaviorResult{ID: m.behavior(i).ID, Observed: dst.obs[info.leafStart:info.leafEnd:info.leafEnd]}
		for l := info.leafStart; l < info.leafEnd; l++ {
			dst.obs[l].Metric = m.leaves[l]
		}
	}
	dst.Phases = make([]PhaseResult, len(m.phaseEnd))
	start := 0
	for p, end := range m.phaseEnd {
		dst.Phases[p] = PhaseResult{Level: p + 1, ID: m.spec.Phases[p].ID, Total: end - start, Required: m.required[p], Behaviors: dst.behaviors[start:end:end]}
		maxPhase = max(maxPhase, end-start)
		start = end
	}
	dst.Next.Steps = make([]PathStep, 0, maxPhase)
	dst.order = make([]int, 0, maxPhase)
	dst.Excluded = make([]valuepath.Metric, 0, 2)
}

// Assess assesses one account. snap must be on the bound schema. It fails
// exactly when [Assessor.AssessInto] does.
func (a *Assessor) Assess(snap *valuepath.Snapshot) (*Assessment, error) {
	dst := a.NewAssessment()
	if err := a.AssessInto(snap, dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// AssessInto assesses one account into dst, reusing its storage: after the
// first use with this model it does not allocate. dst must not be in use by
// another goroutine.
//
// A nil snapshot, or one not on the bound schema, is an error: a
// *[valuepath.AccountError] wrapping [valuepath.ErrInvalid], with dst
// holding the account and every behavior unknown.
func (a *Assessor) AssessInto(snap *valuepath.Snapshot, dst *Assessment) error {
	a.prepare(dst)
	if snap == nil {
		dst.clear("", time.Time{})
		return &valuepath.AccountError{Err: errNilSnapshot}
	}
	if snap.Schema() != a.schema {
		dst.clear(snap.Account, snap.AsOf)
		return &valuepath.AccountError{Account: snap.Account, Err: errOtherSchema}
	}
	m := a.m
	dst.Account, dst.AsOf = snap.Account, snap.AsOf
	dst.Excluded = dst.Excluded[:0]
	for p := range dst.Phases {
		dst.Phases[p].Met, dst.Phases[p].Unknown = 0, 0
	}
	obs, nodes := dst.obs, m.nodes
	for b := range a.beh {
		bb := &a.beh[b]
		for l := bb.leafStart; l < bb.leafEnd; l++ {
			// A missing value reads as 0 (the Snapshot keeps it so).
			v, ok := snap.ValueAt(a.idx[l])
			o := &obs[l]
			o.Value, o.Present = v, ok
			if a.reported[l] {
				o.Excluded = a.consent == nil || !a.consent(snap.Account, o.Metric)
				if o.Excluded {
					o.Value, o.Present = 0, false
					dst.addExcluded(o.Metric)
				}
			}
		}
		var st BehaviorStatus
		var gap float64
		if bb.ordered {
			// Most behaviors are one ordered comparison: evaluate it inline
			// and without branching on the outcome, which is as good as
			// random across accounts (a mispredicted branch costs more than
			// the arithmetic). Met gives a gap of g*0 + 0, which is +0.
			if o := &obs[bb.leafStart]; o.Present {
				x := bb.sign * o.Value
				var met uint8
				if x >= bb.bound {
					met = 1
				}
				g := (bb.threshold - x) * bb.inv
				if g > math.MaxFloat64 || g < -math.MaxFloat64 {
					g = math.Copysign(math.MaxFloat64, g) // overflow from extreme values
				}
				st, gap = NotMet+BehaviorStatus(met), g*float64(1-met)+0
			}
		} else if bb.simple {
			if o := &obs[bb.leafStart]; o.Present {
				st, gap = compare(bb.op, bb.value, bb.scale, o.Value)
			}
		} else {
			st, gap = eval(nodes, obs, bb.root)
		}
		r := &dst.behaviors[b]
		r.Status, r.Gap = st, valuepath.Number{Value: gap, Present: st != Unknown, Reason: gapReason[st]}
		pr := &dst.Phases[bb.phase]
		pr.Met += int(st >> 1) // Met is 2, NotMet 1, Unknown 0
		pr.Unknown += int(1 - (st|st>>1)&1)
	}
	dst.Level, dst.Phase = 0, ""
	for p := range dst.Phases {
		pr := &dst.Phases[p]
		pr.Reached = pr.Met >= pr.Required && (p == 0 || dst.Phases[p-1].Reached)
		if pr.Reached {
			dst.Level, dst.Phase = p+1, pr.ID
		}
	}
	a.path(dst)
	return nil
}

var (
	errNilSnapshot = fmt.Errorf("effectiveness: assess: %w: nil snapshot", valuepath.ErrInvalid)
	errOtherSchema = fmt.Errorf("effectiveness: assess: %w: snapshot is not on the schema the model was bound to", valuepath.ErrInvalid)
)

// gapReason says why the gap of a behavior in each state is absent.
var gapReason = [...]string{Unknown: "unknown: a metric the criterion reads has no value", NotMet: "", Met: ""}

// clear resets a prepared dst to account at asOf with every behavior
// unknown, for an assessment that failed.
func (dst *Assessment) clear(account valuepath.AccountID, asOf time.Time) {
	dst.Account, dst.AsOf = account, asOf
	dst.Level, dst.Phase = 0, ""
	dst.Excluded = dst.Excluded[:0]
	for i := range dst.obs {
		dst.obs[i].Value, dst.obs[i].Present, dst.obs[i].Excluded = 0, false, false
	}
	for i := range dst.behaviors {
		dst.behaviors[i].Status, dst.behaviors[i].Gap = Unknown, valuepath.Absent(gapReason[Unknown])
	}
	for p := range dst.Phases {
		pr := &dst.Phases[p]
		pr.Met, pr.Unknown, pr.Reached = 0, pr.Total, false
	}
	dst.Next = PhasePath{Steps: dst.Next.Steps[:0]}
}

func (dst *Assessment) addExcluded(metric valuepath.Metric) {
	for _, e := range dst.Excluded {
		if e == metric {
			return
		}
	}
	dst.Excluded = append(dst.Excluded, metric)
}

// path fills dst.Next from the phase after dst.Level.
func (a *Assessor) path(dst *Assessment) {
	m := a.m
	next := &dst.Next
	next.Steps = next.Steps[:0]
	if dst.Level == len(dst.Phases) {
		next.Level, next.Phase, next.Needed, next.Progress = 0, "", 0, 1
		return
	}
	p := dst.Level
	pr := &dst.Phases[p]
	next.Level, next.Phase = p+1, pr.ID
	next.Needed = max(pr.Required-pr.Met, 0)
	next.Progress = min(float64(pr.Met)/float64(pr.Required), 1)
	// Order the indices of the steps, not the steps: a step is a large
	// struct, an index a word. Insertion sort: the steps are few and this
	// must not allocate.
	ord := dst.order[:0]
	for i := range pr.Behaviors {
		if pr.Behaviors[i].Status != Met {
			ord = append(ord, i)
		}
	}
	behaviors := m.spec.Phases[p].Behaviors
	for i := 1; i < len(ord); i++ {
		for j := i; j > 0 && stepLess(&pr.Behaviors[ord[j]], &pr.Behaviors[ord[j-1]], behaviors[ord[j]].Features, behaviors[ord[j-1]].Features); j-- {
			ord[j], ord[j-1] = ord[j-1], ord[j]
		}
	}
	for _, i := range ord {
		r, bh := &pr.Behaviors[i], &behaviors[i]
		next.Steps = append(next.Steps, PathStep{Behavior: r.ID, Description: bh.Description, Status: r.Status, Gap: r.Gap, Features: bh.Features})
	}
	dst.order = ord
}

// stepLess orders not-met steps before unknown ones, then by gap, then
// steps with helping features first (fx and fy are x's and y's); equal
// steps keep model order.
func stepLess(x, y *BehaviorResult, fx, fy []string) bool {
	if x.Status != y.Status {
		return x.Status == NotMet
	}
	if x.Status == Unknown {
		return false
	}
	if x.Gap.Value != y.Gap.Value {
		return x.Gap.Value < y.Gap.Value
	}
	return len(fx) > 0 && len(fy) == 0
}

// eval evaluates the criterion rooted at nodes[i] over the observations.
func eval(nodes []node, obs []Observation, i int32) (BehaviorStatus, float64) {
	n := &nodes[i]
	switch n.kind {
	case nodeLeaf:
		o := &obs[n.leaf]
		if !o.Present {
			return Unknown, 0
		}
		return compare(n.op, n.value, n.scale, o.Value)
	case nodeAll:
		st, gap := Met, 0.0
		for c := n.first; c < n.first+n.count; c++ {
			cs, cg := eval(nodes, obs, c)
			switch cs {
			case NotMet:
				st = NotMet
				gap = finite(gap + cg)
			case Unknown:
				if st == Met {
					st = Unknown
				}
			}
		}
		if st != NotMet {
			gap = 0
		}
		return st, gap
	case nodeAny:
		st, gap := NotMet, math.MaxFloat64
		for c := n.first; c < n.first+n.count; c++ {
			cs, cg := eval(nodes, obs, c)
			switch cs {
			case Met:
				st = Met
			case Unknown:
				if st == NotMet {
					st = Unknown
				}
			case NotMet:
				gap = min(gap, cg)
			}
		}
		if st != NotMet {
			gap = 0
		}
		return st, gap
	default: // nodeNot
		switch cs, _ := eval(nodes, obs, n.first); cs {
		case Met:
			return NotMet, 1
		case NotMet:
			return Met, 0
		}
		return Unknown, 0
	}
}

// compare applies comparison op with threshold t to v, with the gap to the
// threshold in units of scale (> 0).
func compare(op opCode, t, scale, v float64) (BehaviorStatus, float64) {
	var ok bool
	var short float64
	switch op {
	case opGE:
		ok, short = v >= t, t-v
	case opGT:
		ok, short = v > t, t-v
	case opLE:
		ok, short = v <= t, v-t
	case opLT:
		ok, short = v < t, v-t
	case opEQ:
		ok, short = v == t, math.Abs(v-t)
	default: // opNE
		ok, short = v != t, scale
	}
	// Branch-free on purpose: whether a value meets its threshold is as
	// good as random across accounts, and a mispredicted branch costs more
	// than the arithmetic. When met, the gap is short*0 + 0, which is +0
	// even for a negative short; when not met, short >= 0.
	var m uint8
	if ok {
		m = 1
	}
	g := short / scale
	if g > math.MaxFloat64 || g < -math.MaxFloat64 {
		// Overflow from extreme values: keep it finite so that g*0 is 0.
		g = math.Copysign(math.MaxFloat64, g)
	}
	return NotMet + BehaviorStatus(m), g*float64(1-m) + 0
}

// finite caps an overflowed gap at the largest float. Gaps come from finite
// values and positive scales, so they are never NaN.
func finite(x float64) float64 {
	if x > math.MaxFloat64 {
		return math.MaxFloat64
	}
	return x
}

// AssessAll assesses every snapshot, in order, streaming one result per
// snapshot. The yielded *Assessment is reused: it is valid until the loop
// body returns; call [Assessment.Clone] to keep it. A snapshot that cannot
// be assessed is yielded with its *[valuepath.AccountError], beside an
// assessment that names the account with every behavior unknown, and the
// stream goes on; break out of the loop to stop it. It does not allocate
// per account.
//
// opt.Concurrency sets how many goroutines assess: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 assesses on the caller's goroutine.
// Above 1, snaps is still ranged over on the caller's goroutine, which
// assesses chunks of it beside opt.Concurrency-1 helper goroutines, and each
// snapshot is copied before it is used, so an iterator that reuses one
// snapshot is safe, unless opt.InPlace says the input stays as it is;
// results still come in input order. For snapshots already in a slice,
// [Assessor.AssessSlice] gains more from a second core.
func (a *Assessor) AssessAll(snaps iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) iter.Seq2[*Assessment, error] {
	if n := batch.Workers(opt.Concurrency); n > 1 {
		return func(yield func(*Assessment, error) bool) {
			batch.Ordered(snaps, n, batch.PutSnap(opt), func() func(*batch.Snap, *Assessment) error {
				return func(in *batch.Snap, dst *Assessment) error { return a.AssessInto(in.Get(), dst) }
			}, yield)
		}
	}
	return func(yield func(*Assessment, error) bool) {
		dst := a.NewAssessment()
		for snap := range snaps {
			if !yield(dst, a.AssessInto(snap, dst)) {
				return
			}
		}
	}
}

// AssessSlice assesses every snapshot of snaps into dst[i], as
// [Assessor.AssessAll] would yield it: the batch to use when the base is
// already a slice of snapshots in memory. Each goroutine assesses one
// contiguous range and writes only its own part of dst, so nothing moves
// between cores per account and a second core nearly halves the time, which
// an ordered stream cannot do.
//
// Each dst[i] is filled as [Assessor.AssessInto] fills it: its slices grow
// on first use and are reused after, so a dst reused from one call to the
// next allocates nothing per account. dst must hold at least len(snaps)
// assessments; AssessSlice fills dst[:len(snaps)] and leaves the rest
// alone. A dst too short fails before anything is written, with a
// *[valuepath.FieldError] for "dst". A snapshot that cannot be assessed
// gets the assessment AssessAll yields for it (every behavior unknown),
// and the returned error joins, for the first ten such snapshots in index
// order, a *[valuepath.FieldError] naming the index ("snaps[17]") that wraps
// the *[valuepath.AccountError] AssessAll yields, then a count of the rest.
//
// opt.Concurrency sets how many goroutines assess: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 assesses on the caller's goroutine.
// Slices shorter than 8,192 snapshots are assessed on the caller's
// goroutine. opt.InPlace does not apply: the snapshots are read where they
// are, and must not change until AssessSlice returns.
func (a *Assessor) AssessSlice(snaps []*valuepath.Snapshot, dst []Assessment, opt valuepath.BatchOptions) error {
	return batch.OverSlice("effectiveness", "snaps", "snapshots", len(snaps), len(dst), opt, func() func(lo, hi int, fail func(int, error)) {
		return func(lo, hi int, fail func(int, error)) {
			for i := lo; i < hi; i++ {
				if e := a.AssessInto(snaps[i], &dst[i]); e != nil {
					fail(i, e)
				}
			}
		}
	})
}
