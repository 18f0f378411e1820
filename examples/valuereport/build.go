package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"strings"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/equivalents"
	"github.com/valuepath/valuepath/health"
)

// trendMonths is how many monthly health scores the trend shows, the last
// one as of the report's date.
const trendMonths = 12

// baselineMonths is how long before the report's date the day-one baseline
// of the improvement plan was taken, as in the quickstart.
const baselineMonths = 6

// Inputs are the models and data a report reads. Nothing in build.go knows
// the demo: a host fills Inputs with its own provider and models.
type Inputs struct {
	Provider    valuepath.Provider
	Derivations *valuepath.Derivations // every metric the models below read
	Scorecard   *health.Scorecard
	Model       *effectiveness.Model
	Catalog     *equivalents.Catalog
	// BaselineMetrics are the metrics the day-one baseline records.
	BaselineMetrics []valuepath.Metric
	// Goals sets the improvement plan's goals from the baseline, with their
	// due date; no goals means no plan.
	Goals func(*effectiveness.Model, effectiveness.Baseline) ([]effectiveness.Goal, time.Time)
	// Volume and Records are the metrics the equivalents convert: a year
	// of transactions (feel-good) and a month of record updates (action).
	Volume, Records           valuepath.Metric
	VolumeUnit, RecordsUnit   equivalents.Unit
	FeelGood, Action          []string // equivalents of the catalog to state
	VolumePeriod, RecordsSpan string   // "in the last 12 months", "a month"
	// Labels name metrics for customers; metrics without one are shown by
	// name.
	Labels map[valuepath.Metric]Label
}

// Label is how a metric is shown to a customer.
type Label struct {
	Name    string
	Percent bool // the value is a share, shown as a percentage
}

// Customer is the account as the report introduces it.
type Customer struct {
	ID        valuepath.AccountID
	Name      string
	Segment   string
	Industry  string
	Seats     int
	Start     time.Time // contract start
	ChurnedAt time.Time // zero while a customer
}

// customerAt reports whether c was a customer at t.
func (c Customer) customerAt(t time.Time) bool {
	return !t.Before(c.Start) && (c.ChurnedAt.IsZero() || t.Before(c.ChurnedAt))
}

// Report is everything a value report shows, as plain data: build computes
// it, charts.go draws it and render.go writes it. Missing data is kept
// missing (Present or Available false), never turned into zero.
type Report struct {
	Customer      Customer
	AsOf          time.Time
	Effectiveness Effectiveness
	Plan          Plan
	Health        Health
	Value         Value
	// Labels name the metrics for customers (a copy of Inputs.Labels).
	Labels map[valuepath.Metric]Label
	// Sources lists every source the report cites, each once, in order of
	// first citation; ChainStep.Ref points into it (1-based).
	Sources []Source
}

// Effectiveness is where the account stands on the effectiveness model.
type Effectiveness struct {
	Model string
	// Level is the phase reached, 0 before the first; Phase its name.
	Level  int
	Phase  string
	Phases int
	// Known is how many behaviors had data; 0 means no data yet.
	Known int
	Rungs []Rung
	// Next is the path to the next phase; nil on the top phase.
	Next *NextPhase
}

// Rung is one phase of the ladder for this account.
type Rung struct {
	Level      int
	Name       string
	Met, Total int
	Reached    bool
	Current    bool // the phase the account stands on
	Behaviors  []BehaviorLine
}

// BehaviorLine is one behavior of a phase for this account.
type BehaviorLine struct {
	Description string
	Status      effectiveness.BehaviorStatus
}

// NextPhase is the path to the next phase.
type NextPhase struct {
	Level    int
	Name     string
	Needed   int
	Progress float64 // share of the behaviors met, 0 to 1
	Steps    []PathStep
}

// PathStep is one missing behavior on the path, closest first.
type PathStep struct {
	Description string
	Status      effectiveness.BehaviorStatus // NotMet or Unknown (no data yet)
	Gap         float64                      // share of the threshold short; meaningful only when NotMet
	Features    []string
	Metric      valuepath.Metric
	Value       float64 // meaningful only when Present
	Present     bool
	Op          valuepath.Comparison
	Threshold   float64
	Comparison  bool // the criterion is a single comparison, so Value, Op and Threshold apply
}

// Plan is progress against the improvement plan agreed on day one.
type Plan struct {
	// Present is false when there is no plan; Reason says why.
	Present       bool
	Reason        string
	BaselineAt    time.Time
	BaselineLevel int
	BaselinePhase string
	Due           time.Time
	Targets       []PlanTarget
}

// PlanTarget is one target with its progress and history.
type PlanTarget struct {
	Progress effectiveness.TargetProgress
	// Path is the planned straight path (through the milestones) from the
	// baseline to the target; Actual the monthly values since the
	// baseline, present ones only.
	Path   []Point
	Actual []Point
}

// Point is one value at one time.
type Point struct {
	At    time.Time
	Value float64
}

// Health is the account's health trend.
type Health struct {
	Scorecard string
	Hash      string
	Bands     health.BandSet
	// Points are monthly, oldest first, the last as of the report's date.
	Points []HealthPoint
	Now    HealthPoint
	// Drags are the measures that cost the score most now, largest first;
	// Moves the measures that moved it most since the month before.
	Drags []Mover
	Moves []Mover
}

// HealthPoint is the health score as of one month.
type HealthPoint struct {
	At        time.Time
	Available bool
	Value     float64
	Band      health.Band
	// Customer is false when the account was not a customer then.
	Customer bool
}

// Mover is one measure's part in the score.
type Mover struct {
	Metric  valuepath.Metric
	Value   float64 // the raw value, when Present
	Present bool
	Points  float64 // points at stake (Drags) or gained, negative lost (Moves)
}

// Value is the account's value in familiar terms.
type Value struct {
	Catalog  string
	FeelGood Equivalents
	Action   Equivalents
}

// Equivalents is one raw quantity stated as equivalents.
type Equivalents struct {
	// Present is false when the raw metric has no data yet.
	Present    bool
	Input      string // "81,830 transactions in the last 12 months"
	Statements []Statement
}

// Statement is one equivalent with the chain behind it.
type Statement struct {
	Kind  equivalents.Kind
	Text  string // Catalog.Statement
	Chain []ChainStep
}

// ChainStep is one conversion step, with the source that justifies it.
type ChainStep struct {
	Text string // Catalog.Explain's line for the step
	Ref  int    // 1-based index into Report.Sources
}

// Source is one cited source.
type Source struct {
	Name    string
	Edition string
}

// Build computes the report of customer as of asOf from in. It fails on a
// provider error or a model that does not fit the derivations; missing data
// is reported in the Report, not as an error. The report describes the
// account as a customer: on dates when it was not one (before its start,
// after it left) every metric counts as missing.
func Build(ctx context.Context, in Inputs, customer Customer, asOf time.Time) (*Report, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	asOf = asOf.UTC()
	assessor, err := in.Model.Bind(in.Derivations.Schema(), effectiveness.Options{})
	if err != nil {
		return nil, fmt.Errorf("valuereport: effectiveness model: %w", err)
	}
	if err := in.Scorecard.Check(in.Derivations.Schema()); err != nil {
		return nil, fmt.Errorf("valuereport: scorecard: %w", err)
	}
	// One snapshot per month of the trend, oldest first; the last is now
	// and the day-one baseline is among them.
	snaps := make([]*valuepath.Snapshot, trendMonths)
	for k := range trendMonths {
		at := asOf.AddDate(0, -(trendMonths - 1 - k), 0)
		if !customer.customerAt(at) {
			// Not a customer then: whatever trailing windows still hold
			// is not the account's state, so every metric is missing.
			snaps[k] = in.Derivations.NewSnapshot()
			snaps[k].Reset(customer.ID, at)
			continue
		}
		if snaps[k], err = derive(ctx, in, customer.ID, at); err != nil {
			return nil, err
		}
	}
	now := snaps[trendMonths-1]
	r := &Report{Customer: customer, AsOf: asOf, Labels: maps.Clone(in.Labels)}
	a, err := assessor.Assess(now)
	if err != nil {
		return nil, fmt.Errorf("valuereport: assess %s: %w", customer.ID, err)
	}
	r.Effectiveness = effectivenessOf(in.Model, a)
	if r.Plan, err = planOf(in, assessor, customer, snaps); err != nil {
		return nil, err
	}
	r.Health, err = healthOf(in, customer, snaps)
	if err != nil {
		return nil, err
	}
	if r.Value, err = r.valueOf(in, now); err != nil {
		return nil, err
	}
	return r, nil
}

func (in Inputs) check() error {
	var errs []error
	for _, f := range []struct {
		name string
		nil  bool
	}{
		{"Provider", in.Provider == nil}, {"Derivations", in.Derivations == nil}, {"Scorecard", in.Scorecard == nil},
		{"Model", in.Model == nil}, {"Catalog", in.Catalog == nil}, {"Goals", in.Goals == nil},
	} {
		if f.nil {
			errs = append(errs, fmt.Errorf("valuereport: inputs: %s: must be set", f.name))
		}
	}
	return errors.Join(errs...)
}

// derive evaluates the derivations for id as of at. An account without
// data then gets a snapshot with every metric missing.
func derive(ctx context.Context, in Inputs, id valuepath.AccountID, at time.Time) (*valuepath.Snapshot, error) {
	s, err := in.Derivations.Evaluate(ctx, in.Provider, id, at)
	if err != nil && !errors.Is(err, valuepath.ErrNoData) {
		return nil, fmt.Errorf("valuereport: derive %s as of %s: %w", id, at.Format(time.DateOnly), err)
	}
	return s, nil
}

func effectivenessOf(m *effectiveness.Model, a *effectiveness.Assessment) Effectiveness {
	e := Effectiveness{Model: m.Name(), Level: a.Level, Phases: m.NumPhases()}
	if a.Level > 0 {
		e.Phase = m.Phase(a.Level).Name
	}
	for _, p := range a.Phases {
		phase := m.Phase(p.Level)
		rung := Rung{Level: p.Level, Name: phase.Name, Met: p.Met, Total: p.Total, Reached: p.Reached, Current: p.Level == a.Level}
		for i, b := range p.Behaviors {
			rung.Behaviors = append(rung.Behaviors, BehaviorLine{Description: phase.Behaviors[i].Description, Status: b.Status})
			if b.Status != effectiveness.Unknown {
				e.Known++
			}
		}
		e.Rungs = append(e.Rungs, rung)
	}
	if a.Next.Level == 0 {
		return e
	}
	next := m.Phase(a.Next.Level)
	n := &NextPhase{Level: a.Next.Level, Name: next.Name, Needed: a.Next.Needed, Progress: a.Next.Progress}
	for _, s := range a.Next.Steps {
		st := PathStep{Description: s.Description, Status: s.Status, Gap: s.Gap.Value, Features: s.Features}
		for _, b := range next.Behaviors {
			if b.ID == s.Behavior && b.Criterion.Metric != "" {
				st.Comparison, st.Metric, st.Op, st.Threshold = true, b.Criterion.Metric, b.Criterion.Comparison, b.Criterion.Value
			}
		}
		if res, ok := a.Behavior(s.Behavior); ok && st.Comparison && len(res.Observed) == 1 {
			st.Value, st.Present = res.Observed[0].Value, res.Observed[0].Present
		}
		n.Steps = append(n.Steps, st)
	}
	e.Next = n
	return e
}

// planOf takes the day-one baseline from the snapshot baselineMonths back,
// sets the plan from it and measures progress now.
func planOf(in Inputs, assessor *effectiveness.Assessor, c Customer, snaps []*valuepath.Snapshot) (Plan, error) {
	first := trendMonths - 1 - baselineMonths
	then, now := snaps[first], snaps[trendMonths-1]
	p := Plan{BaselineAt: then.AsOf}
	if !c.customerAt(then.AsOf) {
		p.Reason = fmt.Sprintf("no data yet: the plan starts from a day-one baseline %d months back, and %s was not a customer on %s",
			baselineMonths, c.Name, then.AsOf.Format(time.DateOnly))
		return p, nil
	}
	a, err := assessor.Assess(then)
	if err != nil {
		return p, fmt.Errorf("valuereport: assess baseline: %w", err)
	}
	base, err := effectiveness.NewBaseline(a, then, in.BaselineMetrics)
	if err != nil {
		return p, fmt.Errorf("valuereport: baseline: %w", err)
	}
	p.BaselineLevel = base.Level
	if base.Level > 0 {
		p.BaselinePhase = in.Model.Phase(base.Level).Name
	}
	goals, due := in.Goals(in.Model, base)
	p.Due = due
	if len(goals) == 0 {
		p.Reason = "no data yet: the day-one baseline had no values to set targets from"
		return p, nil
	}
	plan, err := effectiveness.NewPlan(effectiveness.PlanSpec{Revisions: []effectiveness.RevisionSpec{{Baseline: base, Goals: goals}}}, in.Model)
	if err != nil {
		return p, fmt.Errorf("valuereport: plan: %w", err)
	}
	pr, err := plan.Progress(now, effectiveness.ProgressOptions{})
	if err != nil {
		return p, fmt.Errorf("valuereport: plan progress: %w", err)
	}
	targets := plan.Current().Targets
	p.Present = true
	for i, tp := range pr.Targets {
		t := targets[i]
		pt := PlanTarget{Progress: tp, Path: []Point{{t.Start, t.Baseline}}}
		for _, m := range t.Milestones {
			pt.Path = append(pt.Path, Point{m.Due, t.Expected(m.Due)})
		}
		pt.Path = append(pt.Path, Point{t.Due, t.Target})
		for _, s := range snaps[first:] {
			if v, ok := s.Value(t.Metric); ok && c.customerAt(s.AsOf) {
				pt.Actual = append(pt.Actual, Point{s.AsOf, v})
			}
		}
		p.Targets = append(p.Targets, pt)
	}
	return p, nil
}

func healthOf(in Inputs, c Customer, snaps []*valuepath.Snapshot) (Health, error) {
	sc := in.Scorecard
	spec := sc.Spec()
	h := Health{Scorecard: spec.Name, Hash: sc.Hash(), Bands: spec.Bands}
	scores := make([]*health.Score, len(snaps))
	for i, s := range snaps {
		pt := HealthPoint{At: s.AsOf, Customer: c.customerAt(s.AsOf)}
		if pt.Customer {
			score, err := sc.Score(s)
			if err != nil {
				return h, fmt.Errorf("valuereport: health: %w", err)
			}
			scores[i] = score
			if score.Present && finite(score.Value) {
				pt.Available, pt.Value, pt.Band = true, scores[i].Value, scores[i].Band
			}
		}
		h.Points = append(h.Points, pt)
	}
	h.Now = h.Points[len(h.Points)-1]
	if !h.Now.Available {
		return h, nil
	}
	cur := scores[len(scores)-1]
	for _, m := range cur.Draggers(3) {
		h.Drags = append(h.Drags, Mover{Metric: m.Metric, Value: m.Value, Present: m.Present, Points: m.Drag()})
	}
	if prev := h.Points[len(h.Points)-2]; prev.Available {
		at, err := health.Attribute(scores[len(scores)-2], cur, 1)
		if err != nil {
			return h, fmt.Errorf("valuereport: health change: %w", err)
		}
		for _, ch := range at.Changes {
			if len(h.Moves) == 3 || math.Abs(ch.Delta) < 0.05 {
				break
			}
			ms, _ := cur.Measure(ch.Measure)
			h.Moves = append(h.Moves, Mover{Metric: ms.Metric, Value: ms.Value, Present: ms.Present, Points: ch.Delta})
		}
	}
	return h, nil
}

// valueOf states the account's volume and record updates as equivalents.
func (r *Report) valueOf(in Inputs, now *valuepath.Snapshot) (Value, error) {
	v := Value{Catalog: in.Catalog.Name()}
	var err error
	if v.FeelGood, err = r.equivalentsOf(in, now, in.Volume, in.VolumeUnit, in.VolumePeriod, in.FeelGood, equivalents.FeelGood); err != nil {
		return v, err
	}
	if v.Action, err = r.equivalentsOf(in, now, in.Records, in.RecordsUnit, in.RecordsSpan, in.Action, equivalents.Action); err != nil {
		return v, err
	}
	return v, nil
}

func (r *Report) equivalentsOf(in Inputs, now *valuepath.Snapshot, m valuepath.Metric, unit equivalents.Unit, period string, names []string, kind equivalents.Kind) (Equivalents, error) {
	var e Equivalents
	x, ok := now.Value(m)
	if !ok || len(names) == 0 {
		return e, nil
	}
	q, err := equivalents.QuantityOf(x, unit)
	if err != nil {
		return e, fmt.Errorf("valuereport: %s: %w", m, err)
	}
	rep, err := in.Catalog.Report(q, names...)
	if err != nil {
		return e, fmt.Errorf("valuereport: equivalents of %s: %w", m, err)
	}
	en := equivalents.English{}
	def, _ := in.Catalog.Unit(unit)
	e.Present = true
	e.Input = strings.TrimSpace(en.Quantity(q.Value, def) + " " + period)
	for it := range rep.Of(kind) {
		st := Statement{Kind: kind, Text: in.Catalog.Statement(it, en)}
		lines := in.Catalog.Explain(it.Conversion, en)
		for i, step := range it.Conversion.Steps {
			st.Chain = append(st.Chain, ChainStep{Text: lines[i], Ref: r.cite(step.Factor.Source, step.Factor.Edition)})
		}
		e.Statements = append(e.Statements, st)
	}
	return e, nil
}

// cite returns the 1-based reference of a source, adding it on first use.
func (r *Report) cite(name, edition string) int {
	for i, s := range r.Sources {
		if s.Name == name && s.Edition == edition {
			return i + 1
		}
	}
	r.Sources = append(r.Sources, Source{Name: name, Edition: edition})
	return len(r.Sources)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
