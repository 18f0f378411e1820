package effectiveness

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Baseline is the benchmark on day one: an account's phase and metric values
// at the start, which an improvement plan's targets improve on.
type Baseline struct {
	Account valuepath.AccountID `json:"account"`
	At      time.Time           `json:"at"`
	// Level and Phase are the phase reached at At (0 and "" when none).
	Level int    `json:"level"`
	Phase string `json:"phase,omitempty"`
	// Values holds the metrics captured, present ones only.
	Values map[valuepath.Metric]float64 `json:"values"`
	// Missing lists the metrics asked for that had no value.
	Missing []valuepath.Metric `json:"missing,omitempty"`
}

// NewBaseline captures a's phase and the values of metrics from snap. a and
// snap must be of the same account at the same time (a from snap, usually).
// A metric snap's schema lacks is an error wrapping
// [valuepath.ErrUnknownMetric] that names it ("metrics[2]"); a metric the
// schema has but snap does not is listed as missing.
func NewBaseline(a *Assessment, snap *valuepath.Snapshot, metrics []valuepath.Metric) (Baseline, error) {
	if a == nil || snap == nil {
		return Baseline{}, fmt.Errorf("effectiveness: baseline: %w: nil assessment or snapshot", valuepath.ErrInvalid)
	}
	if a.Account != snap.Account || !a.AsOf.Equal(snap.AsOf) {
		return Baseline{}, fmt.Errorf("effectiveness: baseline: %w: assessment of %q at %s, snapshot of %q at %s",
			valuepath.ErrInvalid, a.Account, a.AsOf.Format(time.RFC3339), snap.Account, snap.AsOf.Format(time.RFC3339))
	}
	c := validate.New("effectiveness")
	b := Baseline{Account: snap.Account, At: snap.AsOf, Level: a.Level, Phase: a.Phase, Values: map[valuepath.Metric]float64{}}
	for i, m := range metrics {
		j, ok := snap.Schema().Index(m)
		if !ok {
			c.Add(validate.Index("metrics", i), fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, m))
			continue
		}
		if v, ok := snap.ValueAt(j); ok {
			b.Values[m] = v
		} else if !slices.Contains(b.Missing, m) {
			b.Missing = append(b.Missing, m)
		}
	}
	if err := c.Err(); err != nil {
		return Baseline{}, err
	}
	return b, nil
}

// TargetPolicy says how a goal sets its target from the baseline.
type TargetPolicy string

// The target policies.
const (
	// Relative improves on the baseline by Amount times its magnitude:
	// 0.2 is 20% better.
	Relative TargetPolicy = "relative"
	// Absolute improves on the baseline by Amount units.
	Absolute TargetPolicy = "absolute"
	// NextPhase targets the threshold that the model's next phase (after
	// the baseline's) sets on the metric: the most demanding one if several
	// criteria read it. For a strict comparison (> or <) the target is the
	// threshold itself, which the criterion needs a little more than.
	NextPhase TargetPolicy = "next_phase"
)

// Goal is one target of an improvement plan as data.
type Goal struct {
	Metric valuepath.Metric `json:"metric"`
	// Better is the direction of improvement; NextPhase takes it from the
	// model's comparison, so leave it empty there or make it agree.
	Better valuepath.Direction `json:"better,omitempty"`
	Policy TargetPolicy        `json:"policy"`
	// Amount is the improvement for Relative and Absolute, > 0.
	Amount float64   `json:"amount,omitempty"`
	Due    time.Time `json:"due"`
	// Milestones are optional intermediate checkpoints.
	Milestones []Milestone `json:"milestones,omitempty"`
}

// Milestone is a checkpoint of a goal and its target: Share of the way from
// baseline to target by Due. [Target.Expected] at Due is its value.
type Milestone struct {
	Due   time.Time `json:"due"`
	Share float64   `json:"share"`
}

// Target is a goal resolved against a baseline.
type Target struct {
	Metric     valuepath.Metric    `json:"metric"`
	Better     valuepath.Direction `json:"better"`
	Policy     TargetPolicy        `json:"policy"`
	Baseline   float64             `json:"baseline"`
	Target     float64             `json:"target"`
	Start      time.Time           `json:"start"`
	Due        time.Time           `json:"due"`
	Milestones []Milestone         `json:"milestones,omitempty"`
}

// Expected returns the value on the straight path from the baseline at
// Start to the target at Due, through the milestones, at t: the baseline
// before Start and the target from Due on.
func (t *Target) Expected(at time.Time) float64 {
	return t.Baseline + t.expectedShare(at)*(t.Target-t.Baseline)
}

func (t *Target) expectedShare(at time.Time) float64 {
	prevT, prevS := t.Start, 0.0
	for i := 0; i <= len(t.Milestones); i++ {
		nextT, nextS := t.Due, 1.0
		if i < len(t.Milestones) {
			nextT, nextS = t.Milestones[i].Due, t.Milestones[i].Share
		}
		if at.Before(nextT) {
			if !at.After(prevT) {
				return prevS
			}
			f := float64(at.Sub(prevT)) / float64(nextT.Sub(prevT))
			return prevS + f*(nextS-prevS)
		}
		prevT, prevS = nextT, nextS
	}
	return 1
}

// Revision is one version of a plan: the baseline its targets start from
// and the targets.
type Revision struct {
	Number   int      `json:"revision"` // 1 for the original plan
	Baseline Baseline `json:"baseline"`
	Goals    []Goal   `json:"goals"`
	Targets  []Target `json:"targets"`
}

// Plan is an improvement plan for one account: targets that improve
// incrementally on the day-one baseline, and every revision since. A *Plan
// is immutable and safe for concurrent use; [Plan.Revise] returns a new one.
type Plan struct {
	revisions []Revision
}

// PlanSpec is a plan as data: each revision's baseline and goals, oldest
// first; a new plan has one. [NewPlan] builds it, [ParsePlan] reads it from
// JSON and [Plan.Spec] returns it.
type PlanSpec struct {
	Revisions []RevisionSpec `json:"revisions"`
}

// RevisionSpec is one revision of a [PlanSpec]: goals set from a baseline.
type RevisionSpec struct {
	Baseline Baseline `json:"baseline"`
	Goals    []Goal   `json:"goals"`
}

// NewPlan sets the targets of every revision of spec from its baseline and
// goals. model is needed only by [NextPhase] goals and may be nil
// otherwise. Every problem is reported with its path
// ("revisions[0].goals[1].amount"): no revision, goals on metrics without a
// baseline value, unknown policies, amounts that are not > 0, targets that
// would not improve on the baseline, due dates not after the baseline,
// milestones out of order or outside (0, 1), NaN or infinite numbers, and
// revisions of another account or not later than the one before. spec is
// copied, not kept.
func NewPlan(spec PlanSpec, model *Model) (*Plan, error) {
	if len(spec.Revisions) == 0 {
		return nil, &valuepath.FieldError{Pkg: "effectiveness", Path: "revisions", Err: fmt.Errorf("%w: want at least one revision", valuepath.ErrInvalid)}
	}
	p := &Plan{}
	for i, rs := range spec.Revisions {
		prefix := validate.Index("revisions", i) + "."
		if i > 0 {
			if err := p.checkNext(prefix, rs.Baseline); err != nil {
				return nil, err
			}
		}
		r, err := newRevision(model, prefix, rs.Baseline, rs.Goals, i+1)
		if err != nil {
			return nil, err
		}
		p.revisions = append(p.revisions, r)
	}
	return p, nil
}

// ParsePlan reads a [PlanSpec] from JSON, rejecting unknown fields and
// trailing data, and builds the plan with every revision with [NewPlan].
// model is as for NewPlan.
func ParsePlan(data []byte, model *Model) (*Plan, error) {
	var spec PlanSpec
	if err := strictUnmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("effectiveness: plan: %w", err)
	}
	return NewPlan(spec, model)
}

func (p *Plan) checkNext(prefix string, current Baseline) error {
	last := p.revisions[len(p.revisions)-1].Baseline
	c := validate.New("effectiveness")
	if current.Account != last.Account {
		c.Addf(prefix+"baseline.account", valuepath.ErrInvalid, "%q is not the plan's account %q", current.Account, last.Account)
	}
	if !current.At.After(last.At) {
		c.Addf(prefix+"baseline.at", valuepath.ErrOutOfOrder, "a revision at %s is not after the last one at %s", current.At.Format(time.DateOnly), last.At.Format(time.DateOnly))
	}
	return c.Err()
}

// Revise returns a new plan whose current targets are next's goals, set from
// next's baseline (the account's values now), and keeps every earlier
// revision as history. The baseline must be of the plan's account and later
// than the last revision's. model is as for [NewPlan]; errors are too, with
// paths relative to next ("goals[0].amount").
func (p *Plan) Revise(next RevisionSpec, model *Model) (*Plan, error) {
	if err := p.checkNext("", next.Baseline); err != nil {
		return nil, err
	}
	r, err := newRevision(model, "", next.Baseline, next.Goals, len(p.revisions)+1)
	if err != nil {
		return nil, err
	}
	return &Plan{revisions: append(slices.Clip(p.revisions), r)}, nil
}

func newRevision(model *Model, prefix string, base Baseline, goals []Goal, number int) (Revision, error) {
	c := validate.New("effectiveness")
	c.NonEmpty(prefix+"baseline.account", string(base.Account))
	if base.At.IsZero() {
		c.Addf(prefix+"baseline.at", valuepath.ErrInvalid, "must not be zero")
	}
	for _, m := range slices.Sorted(maps.Keys(base.Values)) {
		c.Finite(validate.Key(prefix+"baseline.values", string(m)), base.Values[m])
	}
	if len(goals) == 0 {
		c.Addf(prefix+"goals", valuepath.ErrInvalid, "want at least one goal")
	}
	r := Revision{Number: number, Baseline: cloneBaseline(base), Goals: cloneGoals(goals)}
	seen := map[valuepath.Metric]int{}
	for i, g := range goals {
		path := validate.Index(prefix+"goals", i)
		if t, ok := resolveGoal(c, path, model, base, g); ok {
			r.Targets = append(r.Targets, t)
		}
		if g.Metric != "" {
			if j, dup := seen[g.Metric]; dup {
				c.Addf(validate.Field(path, "metric"), valuepath.ErrDuplicate, "metric %q (also goals[%d])", g.Metric, j)
			}
			seen[g.Metric] = i
		}
	}
	if err := c.Err(); err != nil {
		return Revision{}, err
	}
	return r, nil
}

func resolveGoal(c *validate.Collector, path string, model *Model, base Baseline, g Goal) (Target, bool) {
	n := c.Len()
	t := Target{Metric: g.Metric, Better: g.Better, Policy: g.Policy, Start: base.At, Due: g.Due}
	if !c.NonEmpty(validate.Field(path, "metric"), string(g.Metric)) {
		return t, false
	}
	if !g.Better.Valid() {
		c.Addf(validate.Field(path, "better"), valuepath.ErrInvalid, "unknown direction %q (want %q or %q)", g.Better, valuepath.HigherIsBetter, valuepath.LowerIsBetter)
	}
	v, ok := base.Values[g.Metric]
	if !ok {
		c.Addf(validate.Field(path, "metric"), valuepath.ErrInvalid, "no baseline value for %q to improve on", g.Metric)
	}
	amount := validate.Field(path, "amount")
	switch g.Policy {
	case Relative, Absolute:
		if c.Finite(amount, g.Amount) && g.Amount <= 0 {
			c.Addf(amount, valuepath.ErrInvalid, "must be > 0, got %v", g.Amount)
		}
		if t.Better == "" {
			t.Better = valuepath.HigherIsBetter
		}
		step := g.Amount
		if g.Policy == Relative {
			if ok && v == 0 {
				c.Addf(validate.Field(path, "policy"), valuepath.ErrInvalid, "a relative improvement on a baseline of 0 is 0: use an absolute step")
			}
			step *= math.Abs(v)
		}
		t.Target = v + t.Better.Sign()*step
	case NextPhase:
		if g.Amount != 0 {
			c.Addf(amount, valuepath.ErrInvalid, "next_phase takes no amount")
		}
		target, dir, err := nextPhaseThreshold(model, base.Level, g.Metric)
		if err != "" {
			c.Addf(validate.Field(path, "policy"), valuepath.ErrInvalid, "%s", err)
			break
		}
		if g.Better != "" && g.Better != dir {
			c.Addf(validate.Field(path, "better"), valuepath.ErrInvalid, "the next phase needs %s values, not %s", dir, g.Better)
		}
		t.Better, t.Target = dir, target
	default:
		c.Addf(validate.Field(path, "policy"), valuepath.ErrInvalid, "unknown policy %q (want %q, %q or %q)", g.Policy, Relative, Absolute, NextPhase)
	}
	t.Baseline = v
	if c.Len() == n && (math.IsInf(t.Target, 0) || math.IsNaN(t.Target)) {
		c.Addf(amount, valuepath.ErrNotFinite, "the target overflows")
	}
	if c.Len() == n && (t.Target-v)*t.Better.Sign() <= 0 {
		c.Addf(validate.Field(path, "policy"), valuepath.ErrInvalid, "target %s does not improve on baseline %s (%s is better)", formatFloat(t.Target), formatFloat(v), t.Better)
	}
	if !g.Due.After(base.At) {
		c.Addf(validate.Field(path, "due"), valuepath.ErrInvalid, "due %s is not after the baseline at %s", g.Due.Format(time.DateOnly), base.At.Format(time.DateOnly))
	}
	prevDue, prevShare := base.At, 0.0
	for i, ms := range g.Milestones {
		mpath := validate.Index(validate.Field(path, "milestones"), i)
		if !ms.Due.After(prevDue) || !ms.Due.Before(g.Due) {
			c.Addf(validate.Field(mpath, "due"), valuepath.ErrOutOfOrder, "%s must fall after the baseline and any earlier milestone, and before the goal's due date", ms.Due.Format(time.DateOnly))
		}
		if c.Finite(validate.Field(mpath, "share"), ms.Share) && (ms.Share <= prevShare || ms.Share >= 1) {
			c.Addf(validate.Field(mpath, "share"), valuepath.ErrInvalid, "must be in (%v, 1), rising from milestone to milestone, got %v", prevShare, ms.Share)
		}
		prevDue, prevShare = ms.Due, ms.Share
		t.Milestones = append(t.Milestones, ms)
	}
	return t, c.Len() == n
}

// nextPhaseThreshold finds the most demanding threshold on metric among
// the comparisons of the phase after level.
func nextPhaseThreshold(m *Model, level int, metric valuepath.Metric) (float64, valuepath.Direction, string) {
	if m == nil {
		return 0, "", "next_phase needs the effectiveness model"
	}
	if level >= len(m.spec.Phases) {
		return 0, "", "the baseline is on the top phase: there is no next phase"
	}
	found := false
	var best float64
	var dir valuepath.Direction
	start := 0
	if level > 0 {
		start = m.phaseEnd[level-1]
	}
	for b := start; b < m.phaseEnd[level]; b++ {
		info := m.behaviors[b]
		walkLeaves(m.nodes, info.root, func(n *node) {
			if m.leaves[n.leaf] != metric {
				return
			}
			var d valuepath.Direction
			switch n.op {
			case opGE, opGT:
				d = valuepath.HigherIsBetter
			case opLE, opLT:
				d = valuepath.LowerIsBetter
			default:
				return
			}
			switch {
			case !found:
				found, best, dir = true, n.value, d
			case d == dir && (n.value-best)*d.Sign() > 0:
				best = n.value
			}
		})
	}
	if !found {
		return 0, "", fmt.Sprintf("no ordered comparison of phase %q reads %q", m.spec.Phases[level].ID, metric)
	}
	return best, dir, ""
}

// walkLeaves calls f for every comparison under nodes[i] that is not
// negated.
func walkLeaves(nodes []node, i int32, f func(*node)) {
	n := &nodes[i]
	switch n.kind {
	case nodeLeaf:
		f(n)
	case nodeAll, nodeAny:
		for c := n.first; c < n.first+n.count; c++ {
			walkLeaves(nodes, c, f)
		}
	}
}

func cloneBaseline(b Baseline) Baseline {
	b.Values = maps.Clone(b.Values)
	if b.Values == nil {
		b.Values = map[valuepath.Metric]float64{}
	}
	b.Missing = slices.Clone(b.Missing)
	return b
}

func cloneGoals(goals []Goal) []Goal {
	out := slices.Clone(goals)
	for i := range out {
		out[i].Milestones = slices.Clone(out[i].Milestones)
	}
	return out
}

func cloneRevision(r Revision) Revision {
	r.Baseline = cloneBaseline(r.Baseline)
	r.Goals = cloneGoals(r.Goals)
	r.Targets = slices.Clone(r.Targets)
	for i := range r.Targets {
		r.Targets[i].Milestones = slices.Clone(r.Targets[i].Milestones)
	}
	return r
}

// Account returns the plan's account.
func (p *Plan) Account() valuepath.AccountID { return p.revisions[0].Baseline.Account }

// Current returns a copy of the current (latest) revision.
func (p *Plan) Current() Revision { return cloneRevision(p.revisions[len(p.revisions)-1]) }

// Revisions returns a copy of every revision, oldest first.
func (p *Plan) Revisions() []Revision {
	out := make([]Revision, len(p.revisions))
	for i, r := range p.revisions {
		out[i] = cloneRevision(r)
	}
	return out
}

// Spec returns the plan as data for [ParsePlan].
func (p *Plan) Spec() PlanSpec {
	var s PlanSpec
	for _, r := range p.revisions {
		s.Revisions = append(s.Revisions, RevisionSpec{Baseline: cloneBaseline(r.Baseline), Goals: cloneGoals(r.Goals)})
	}
	return s
}

// MarshalJSON writes every revision with its resolved targets, for a UI.
// Store [Plan.Spec] to read the plan back with [ParsePlan].
func (p *Plan) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Account   valuepath.AccountID `json:"account"`
		Revisions []Revision          `json:"revisions"`
	}{p.Account(), p.revisions})
}

// TargetStatus is how a target is doing.
type TargetStatus string

// The states of a target.
const (
	Achieved TargetStatus = "achieved"
	Ahead    TargetStatus = "ahead"
	OnTrack  TargetStatus = "on_track"
	Behind   TargetStatus = "behind"
	// NoValue: the metric has no value now.
	NoValue TargetStatus = "no_data"
)

// TargetProgress is one target's progress.
type TargetProgress struct {
	Metric   valuepath.Metric `json:"metric"`
	Baseline float64          `json:"baseline"`
	Target   float64          `json:"target"`
	// Actual is the metric's value now, absent when it has none (the status
	// is then [NoValue]).
	Actual valuepath.Number `json:"actual"`
	// Share is the share of the way from baseline to target covered:
	// negative when worse than the baseline, above 1 past the target;
	// absent with Actual.
	Share valuepath.Number `json:"share"`
	// Expected is the value on the straight path (through the milestones)
	// to the due date at the time of progress; ExpectedShare its share.
	Expected      float64      `json:"expected"`
	ExpectedShare float64      `json:"expected_share"`
	Due           time.Time    `json:"due"`
	Overdue       bool         `json:"overdue"`
	Status        TargetStatus `json:"status"`
}

// PlanProgress is an account's progress against its current plan revision.
type PlanProgress struct {
	Account  valuepath.AccountID `json:"account"`
	AsOf     time.Time           `json:"as_of"`
	Revision int                 `json:"revision"`
	Targets  []TargetProgress    `json:"targets"`
}

// ProgressOptions tunes [Plan.Progress]. The zero value uses the defaults.
type ProgressOptions struct {
	// Tolerance is how far, as a share of the way from baseline to target,
	// the actual may be from the expected and still be on track; zero
	// means 0.05. A target further ahead is ahead, further behind, behind.
	Tolerance float64
}

// defaultTolerance is the on-track band when ProgressOptions.Tolerance is 0.
const defaultTolerance = 0.05

// reasonNoValue says why a target's actual value is absent.
const reasonNoValue = "the metric has no value as of the snapshot"

// Progress measures snap (the account's metrics now) against the current
// revision. A target is achieved once the actual reaches it; past its due
// date an unachieved target is behind (and overdue); otherwise it is ahead,
// on track or behind its straight path. It fails exactly when
// [Plan.ProgressInto] does.
func (p *Plan) Progress(snap *valuepath.Snapshot, opt ProgressOptions) (PlanProgress, error) {
	var out PlanProgress
	if err := p.ProgressInto(snap, opt, &out); err != nil {
		return PlanProgress{}, err
	}
	return out, nil
}

// ProgressInto is [Plan.Progress] into dst, reusing its Targets slice, so
// that tracking many plans in a loop does not allocate. It fails if snap is
// nil or another account's, if the tolerance is not a finite number in
// [0, 1], and if snap's schema lacks a target's metric: an error wrapping
// [valuepath.ErrUnknownMetric] naming the metric and the goal's path
// ("revisions[1].goals[0].metric"), as binding a model does.
func (p *Plan) ProgressInto(snap *valuepath.Snapshot, opt ProgressOptions, dst *PlanProgress) error {
	if snap == nil {
		return fmt.Errorf("effectiveness: progress: %w: nil snapshot", valuepath.ErrInvalid)
	}
	if snap.Account != p.Account() {
		return fmt.Errorf("effectiveness: progress: %w: snapshot of %q for the plan of %q", valuepath.ErrInvalid, snap.Account, p.Account())
	}
	tol := opt.Tolerance
	if math.IsNaN(tol) || tol < 0 || tol > 1 {
		return fmt.Errorf("effectiveness: progress: tolerance: %w: must be in [0, 1], got %v", valuepath.ErrInvalid, tol)
	}
	if tol == 0 {
		tol = defaultTolerance
	}
	r := &p.revisions[len(p.revisions)-1]
	dst.Account, dst.AsOf, dst.Revision = snap.Account, snap.AsOf, r.Number
	dst.Targets = slices.Grow(dst.Targets[:0], len(r.Targets))[:len(r.Targets)]
	// One schema lookup per target binds it and reads it; every target the
	// schema lacks is reported.
	schema := snap.Schema()
	var c *validate.Collector
	for i := range r.Targets {
		j, ok := schema.Index(r.Targets[i].Metric)
		if !ok {
			if c == nil {
				c = validate.New("effectiveness")
			}
			path := validate.Field(validate.Index(validate.Field(validate.Index("revisions", r.Number-1), "goals"), i), "metric")
			c.Add(path, fmt.Errorf("%w %q", valuepath.ErrUnknownMetric, r.Targets[i].Metric))
			continue
		}
		dst.Targets[i] = progressOf(&r.Targets[i], snap, j, tol)
	}
	if c != nil {
		return c.Err()
	}
	return nil
}

// progressOf measures t at snap, where t's metric is at schema position j,
// with tolerance tol.
func progressOf(t *Target, snap *valuepath.Snapshot, j int, tol float64) TargetProgress {
	tp := TargetProgress{Metric: t.Metric, Baseline: t.Baseline, Target: t.Target, Due: t.Due}
	tp.ExpectedShare = t.expectedShare(snap.AsOf)
	tp.Expected = t.Baseline + tp.ExpectedShare*(t.Target-t.Baseline)
	v, ok := snap.ValueAt(j)
	if !ok {
		tp.Actual, tp.Share, tp.Status = valuepath.Absent(reasonNoValue), valuepath.Absent(reasonNoValue), NoValue
		return tp
	}
	share := finiteOr0((v - t.Baseline) / (t.Target - t.Baseline))
	tp.Actual, tp.Share = valuepath.Defined(v), valuepath.Defined(share)
	tp.Overdue = !snap.AsOf.Before(t.Due)
	switch {
	case share >= 1:
		tp.Status, tp.Overdue = Achieved, false
	case tp.Overdue, share < tp.ExpectedShare-tol:
		tp.Status = Behind
	case share > tp.ExpectedShare+tol:
		tp.Status = Ahead
	default:
		tp.Status = OnTrack
	}
	return tp
}
