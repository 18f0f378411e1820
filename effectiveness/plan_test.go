package effectiveness_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

var day0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func date(month time.Month, d int) time.Time { return time.Date(2026, month, d, 0, 0, 0, 0, time.UTC) }

func crmBaseline(t testing.TB) effectiveness.Baseline {
	t.Helper()
	m := crmModel(t)
	s := valuepath.NewSnapshot(crmSchema, "acme", day0)
	for k, v := range map[valuepath.Metric]float64{"seat_utilisation": 0.6, "records_updated_30d": 400, "reports_created_30d": 4, "days_since_qbr": 200} {
		_ = s.Set(k, v)
	}
	a, err := m.Assess(s, effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := effectiveness.NewBaseline(a, s, []valuepath.Metric{"seat_utilisation", "reports_created_30d", "days_since_qbr", "workflows_run_30d"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newPlan is a plan of one revision: goals set from base.
func newPlan(m *effectiveness.Model, base effectiveness.Baseline, goals []effectiveness.Goal) (*effectiveness.Plan, error) {
	return effectiveness.NewPlan(effectiveness.PlanSpec{Revisions: []effectiveness.RevisionSpec{{Baseline: base, Goals: goals}}}, m)
}

func TestNewBaseline(t *testing.T) {
	b := crmBaseline(t)
	want := effectiveness.Baseline{Account: "acme", At: day0, Level: 1, Phase: "basics",
		Values:  map[valuepath.Metric]float64{"seat_utilisation": 0.6, "reports_created_30d": 4, "days_since_qbr": 200},
		Missing: []valuepath.Metric{"workflows_run_30d"}}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("baseline (-want +got):\n%s", diff)
	}
}

func TestNewPlanTargets(t *testing.T) {
	m := crmModel(t)
	b := crmBaseline(t)
	_, err := newPlan(m, b, []effectiveness.Goal{
		{Metric: "seat_utilisation", Policy: effectiveness.Relative, Amount: 0.25, Due: date(7, 1),
			Milestones: []effectiveness.Milestone{{Due: date(3, 1), Share: 0.5}}},
		{Metric: "reports_created_30d", Policy: effectiveness.NextPhase, Due: date(4, 1)},
		{Metric: "days_since_qbr", Policy: effectiveness.NextPhase, Due: date(4, 1)},
		{Metric: "days_since_qbr2", Policy: effectiveness.Absolute, Amount: 1, Due: date(4, 1)},
	})
	if err == nil {
		t.Fatal("plan with a metric without baseline accepted")
	}
	if diff := cmp.Diff([]string{`effectiveness: revisions[0].goals[3].metric: invalid value: no baseline value for "days_since_qbr2" to improve on`}, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	p, err := newPlan(m, b, []effectiveness.Goal{
		{Metric: "seat_utilisation", Policy: effectiveness.Relative, Amount: 0.25, Due: date(7, 1),
			Milestones: []effectiveness.Milestone{{Due: date(3, 1), Share: 0.5}}},
		{Metric: "reports_created_30d", Policy: effectiveness.NextPhase, Due: date(4, 1)},
		{Metric: "days_since_qbr", Policy: effectiveness.NextPhase, Due: date(4, 1)},
		{Metric: "days_since_qbr", Policy: effectiveness.Absolute, Better: valuepath.LowerIsBetter, Amount: 30, Due: date(4, 1)},
	}[:3])
	if err != nil {
		t.Fatal(err)
	}
	got := p.Current().Targets
	want := []effectiveness.Target{
		{Metric: "seat_utilisation", Better: "higher", Policy: "relative", Baseline: 0.6, Target: 0.75, Start: day0, Due: date(7, 1),
			Milestones: []effectiveness.Milestone{{Due: date(3, 1), Share: 0.5}}},
		{Metric: "reports_created_30d", Better: "higher", Policy: "next_phase", Baseline: 4, Target: 10, Start: day0, Due: date(4, 1)},
		{Metric: "days_since_qbr", Better: "lower", Policy: "next_phase", Baseline: 200, Target: 120, Start: day0, Due: date(4, 1)},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	assert.InDelta(t, 0.675, got[0].Expected(date(3, 1)), 1e-12, "the milestone's value")
}

func TestNewPlanErrors(t *testing.T) {
	m := crmModel(t)
	b := crmBaseline(t)
	b.Values["zero"] = 0
	_, err := newPlan(m, b, []effectiveness.Goal{
		{Metric: "seat_utilisation", Policy: effectiveness.Absolute, Amount: -0.1, Due: date(7, 1)},
		{Metric: "seat_utilisation", Policy: "double", Due: day0.AddDate(0, 0, -1)},
		{Metric: "zero", Policy: effectiveness.Relative, Amount: 0.1, Due: date(7, 1)},
		{Metric: "days_since_qbr", Policy: effectiveness.NextPhase, Better: valuepath.HigherIsBetter, Due: date(7, 1)},
		{Metric: "reports_created_30d", Policy: effectiveness.Relative, Amount: math.Inf(1), Due: date(7, 1)},
		{Metric: "seat_utilisation2", Policy: effectiveness.NextPhase, Due: date(7, 1),
			Milestones: []effectiveness.Milestone{{Due: date(8, 1), Share: 0.5}, {Due: date(3, 1), Share: 0.4}}},
	})
	want := []string{
		"effectiveness: revisions[0].goals[0].amount: invalid value: must be > 0, got -0.1",
		"effectiveness: revisions[0].goals[1].policy: invalid value: unknown policy \"double\" (want \"relative\", \"absolute\" or \"next_phase\")",
		"effectiveness: revisions[0].goals[1].due: invalid value: due 2025-12-31 is not after the baseline at 2026-01-01",
		"effectiveness: revisions[0].goals[1].metric: duplicate: metric \"seat_utilisation\" (also goals[0])",
		"effectiveness: revisions[0].goals[2].policy: invalid value: a relative improvement on a baseline of 0 is 0: use an absolute step",
		"effectiveness: revisions[0].goals[3].better: invalid value: the next phase needs lower values, not higher",
		"effectiveness: revisions[0].goals[4].amount: not a finite number: +Inf",
		"effectiveness: revisions[0].goals[5].metric: invalid value: no baseline value for \"seat_utilisation2\" to improve on",
		"effectiveness: revisions[0].goals[5].policy: invalid value: no ordered comparison of phase \"reporting\" reads \"seat_utilisation2\"",
		"effectiveness: revisions[0].goals[5].milestones[0].due: out of time order: 2026-08-01 must fall after the baseline and any earlier milestone, and before the goal's due date",
		"effectiveness: revisions[0].goals[5].milestones[1].due: out of time order: 2026-03-01 must fall after the baseline and any earlier milestone, and before the goal's due date",
		"effectiveness: revisions[0].goals[5].milestones[1].share: invalid value: must be in (0.5, 1), rising from milestone to milestone, got 0.4",
	}
	if diff := cmp.Diff(want, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// A baseline already past the next phase's threshold cannot improve
	// towards it.
	b.Values["reports_created_30d"] = 12
	_, err = newPlan(m, b, []effectiveness.Goal{{Metric: "reports_created_30d", Policy: effectiveness.NextPhase, Due: date(7, 1)}})
	if diff := cmp.Diff([]string{"effectiveness: revisions[0].goals[0].policy: invalid value: target 10 does not improve on baseline 12 (higher is better)"}, errLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestProgress(t *testing.T) {
	m := crmModel(t)
	p, err := newPlan(m, crmBaseline(t), []effectiveness.Goal{
		// Half the way by March 1 (59 days), the rest by July 1.
		{Metric: "seat_utilisation", Policy: effectiveness.Absolute, Amount: 0.2, Due: date(7, 1),
			Milestones: []effectiveness.Milestone{{Due: date(3, 1), Share: 0.5}}},
		{Metric: "reports_created_30d", Policy: effectiveness.NextPhase, Due: date(4, 1)},
		{Metric: "days_since_qbr", Policy: effectiveness.NextPhase, Due: date(4, 1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Metric        valuepath.Metric
		Share         valuepath.Number
		ExpectedShare float64
		Status        effectiveness.TargetStatus
		Overdue       bool
	}
	tests := []struct {
		name   string
		at     time.Time
		values map[valuepath.Metric]float64
		want   []row
	}{
		{"at the milestone", date(3, 1), map[valuepath.Metric]float64{"seat_utilisation": 0.7, "reports_created_30d": 4, "days_since_qbr": 40},
			[]row{
				{"seat_utilisation", valuepath.Defined(0.5), 0.5, effectiveness.OnTrack, false},
				{"reports_created_30d", valuepath.Defined(0), 59.0 / 90, effectiveness.Behind, false},
				{"days_since_qbr", valuepath.Defined(2), 59.0 / 90, effectiveness.Achieved, false},
			}},
		{"ahead and missing", date(2, 1), map[valuepath.Metric]float64{"seat_utilisation": 0.7, "reports_created_30d": 9},
			[]row{
				{"seat_utilisation", valuepath.Defined(0.5), 0.5 * 31 / 59, effectiveness.Ahead, false},
				{"reports_created_30d", valuepath.Defined(5.0 / 6), 31.0 / 90, effectiveness.Ahead, false},
				{"days_since_qbr", valuepath.Absent("the metric has no value as of the snapshot"), 31.0 / 90, effectiveness.NoValue, false},
			}},
		{"overdue", date(5, 1), map[valuepath.Metric]float64{"seat_utilisation": 0.5, "reports_created_30d": 9.9, "days_since_qbr": 120},
			[]row{
				{"seat_utilisation", valuepath.Defined(-0.5), 0.5 + 0.5*61/122, effectiveness.Behind, false},
				{"reports_created_30d", valuepath.Defined(5.9 / 6), 1, effectiveness.Behind, true},
				{"days_since_qbr", valuepath.Defined(1), 1, effectiveness.Achieved, false},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valuepath.NewSnapshot(crmSchema, "acme", tt.at)
			for k, v := range tt.values {
				_ = s.Set(k, v)
			}
			pr, err := p.Progress(s, effectiveness.ProgressOptions{})
			require.NoError(t, err)
			var into effectiveness.PlanProgress
			require.NoError(t, p.ProgressInto(s, effectiveness.ProgressOptions{}, &into))
			if diff := cmp.Diff(pr, into); diff != "" {
				t.Errorf("ProgressInto differs from Progress (-Progress +Into):\n%s", diff)
			}
			var got []row
			for _, tp := range pr.Targets {
				got = append(got, row{tp.Metric, tp.Share, tp.ExpectedShare, tp.Status, tp.Overdue})
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProgressErrors(t *testing.T) {
	m := crmModel(t)
	p, err := newPlan(m, crmBaseline(t), []effectiveness.Goal{
		{Metric: "seat_utilisation", Policy: effectiveness.Absolute, Amount: 0.2, Due: date(7, 1)},
		{Metric: "reports_created_30d", Policy: effectiveness.NextPhase, Due: date(4, 1)},
	})
	require.NoError(t, err)
	narrow := valuepath.Must(valuepath.NewSchema("seat_utilisation"))
	tests := []struct {
		name    string
		snap    *valuepath.Snapshot
		opt     effectiveness.ProgressOptions
		wantIs  error
		wantMsg string
	}{
		{"nil snapshot", nil, effectiveness.ProgressOptions{}, valuepath.ErrInvalid, "effectiveness: progress: invalid value: nil snapshot"},
		{"another account", valuepath.NewSnapshot(crmSchema, "globex", date(3, 1)), effectiveness.ProgressOptions{}, valuepath.ErrInvalid,
			`effectiveness: progress: invalid value: snapshot of "globex" for the plan of "acme"`},
		{"tolerance", valuepath.NewSnapshot(crmSchema, "acme", date(3, 1)), effectiveness.ProgressOptions{Tolerance: math.NaN()}, valuepath.ErrInvalid,
			"effectiveness: progress: tolerance: invalid value: must be in [0, 1], got NaN"},
		{"metric not in the schema", valuepath.NewSnapshot(narrow, "acme", date(3, 1)), effectiveness.ProgressOptions{}, valuepath.ErrUnknownMetric,
			`effectiveness: revisions[0].goals[1].metric: unknown metric "reports_created_30d"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Progress(tt.snap, tt.opt)
			require.ErrorIs(t, err, tt.wantIs)
			assert.EqualError(t, err, tt.wantMsg)
			var dst effectiveness.PlanProgress
			assert.Equal(t, err, p.ProgressInto(tt.snap, tt.opt, &dst), "ProgressInto fails exactly when Progress does")
		})
	}
}

func TestNewBaselineBindsMetrics(t *testing.T) {
	m := crmModel(t)
	s := valuepath.NewSnapshot(crmSchema, "acme", day0)
	a, err := m.Assess(s, effectiveness.Options{})
	require.NoError(t, err)
	_, err = effectiveness.NewBaseline(a, s, []valuepath.Metric{"seat_utilisation", "seat_utilization"})
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.EqualError(t, err, `effectiveness: metrics[1]: unknown metric "seat_utilization"`)
	_, err = effectiveness.NewBaseline(nil, s, nil)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	later := valuepath.NewSnapshot(crmSchema, "acme", day0.AddDate(0, 0, 1))
	_, err = effectiveness.NewBaseline(a, later, nil)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}

func TestReviseKeepsHistory(t *testing.T) {
	m := crmModel(t)
	base := crmBaseline(t)
	p, err := newPlan(m, base, []effectiveness.Goal{{Metric: "seat_utilisation", Policy: effectiveness.Absolute, Amount: 0.2, Due: date(7, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	now := effectiveness.Baseline{Account: "acme", At: date(4, 1), Level: 1, Phase: "basics", Values: map[valuepath.Metric]float64{"seat_utilisation": 0.72}}
	revised, err := p.Revise(effectiveness.RevisionSpec{Baseline: now, Goals: []effectiveness.Goal{{Metric: "seat_utilisation", Policy: effectiveness.Relative, Amount: 0.25, Due: date(10, 1)}}}, m)
	if err != nil {
		t.Fatal(err)
	}
	revs := revised.Revisions()
	got := []any{len(revs), revs[0].Targets[0].Baseline, revs[0].Targets[0].Target, revs[1].Number, revs[1].Targets[0].Baseline, revs[1].Targets[0].Target, len(p.Revisions())}
	want := []any{2, 0.6, 0.8, 2, 0.72, 0.9, 1}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
	_, err = revised.Revise(effectiveness.RevisionSpec{Baseline: now, Goals: []effectiveness.Goal{{Metric: "seat_utilisation", Policy: effectiveness.Absolute, Amount: 0.1, Due: date(11, 1)}}}, m)
	require.ErrorIs(t, err, valuepath.ErrOutOfOrder, "Revise accepted a revision at the same time as the last")
	assert.Equal(t, valuepath.AccountID("acme"), revised.Account())
	assert.Equal(t, 2, revised.Current().Number)
	// The spec round-trips through JSON with its history.
	data, err := json.Marshal(revised.Spec())
	if err != nil {
		t.Fatal(err)
	}
	back, err := effectiveness.ParsePlan(data, m)
	if err != nil {
		t.Fatalf("ParsePlan: %v\n%s", err, data)
	}
	if diff := cmp.Diff(revised.Revisions(), back.Revisions()); diff != "" {
		t.Errorf("ParsePlan(Spec()) (-want +got):\n%s", diff)
	}
	// MarshalJSON writes the resolved targets for a UI.
	view, err := json.Marshal(revised)
	require.NoError(t, err)
	assert.Contains(t, string(view), `"account":"acme"`)
	assert.Contains(t, string(view), `"targets":[{"metric":"seat_utilisation"`)
}

func TestParsePlanErrors(t *testing.T) {
	m := crmModel(t)
	tests := []struct{ name, json, want string }{
		{"empty", `{"revisions": []}`, "effectiveness: revisions: invalid value: want at least one revision"},
		{"unknown field", `{"revisions": [{"baseline": {}, "goals": [], "note": "x"}]}`, `effectiveness: plan: revisions[0].note: unknown field`},
		{"second revision out of order", `{"revisions": [
		  {"baseline": {"account": "a", "at": "2026-01-01T00:00:00Z", "level": 0, "values": {"x": 1}}, "goals": [{"metric": "x", "policy": "absolute", "amount": 1, "due": "2026-06-01T00:00:00Z"}]},
		  {"baseline": {"account": "a", "at": "2025-01-01T00:00:00Z", "level": 0, "values": {"x": 1}}, "goals": [{"metric": "x", "policy": "absolute", "amount": 1, "due": "2026-06-01T00:00:00Z"}]}]}`,
			"effectiveness: revisions[1].baseline.at: out of time order: a revision at 2025-01-01 is not after the last one at 2026-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := effectiveness.ParsePlan([]byte(tt.json), m)
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParsePlan error = %v, want %q", err, tt.want)
			}
		})
	}
}

func BenchmarkProgress10Targets(b *testing.B) {
	var names []valuepath.Metric
	values := map[valuepath.Metric]float64{}
	for i := range 10 {
		n := valuepath.Metric(fmt.Sprintf("metric_%d", i))
		names = append(names, n)
		values[n] = float64(10 + i)
	}
	schema := valuepath.Must(valuepath.NewSchema(names...))
	base := effectiveness.Baseline{Account: "acme", At: day0, Values: values}
	var goals []effectiveness.Goal
	for i, n := range names {
		g := effectiveness.Goal{Metric: n, Policy: effectiveness.Relative, Amount: 0.1 + 0.05*float64(i), Due: date(12, 1)}
		if i%2 == 0 {
			g.Milestones = []effectiveness.Milestone{{Due: date(4, 1), Share: 0.3}, {Due: date(8, 1), Share: 0.7}}
		}
		goals = append(goals, g)
	}
	p, err := newPlan(nil, base, goals)
	if err != nil {
		b.Fatal(err)
	}
	s := valuepath.NewSnapshot(schema, "acme", date(6, 15))
	for i, n := range names {
		_ = s.Set(n, values[n]*(1+0.02*float64(i)))
	}
	b.Run("Progress", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			pr, err := p.Progress(s, effectiveness.ProgressOptions{})
			if err != nil || len(pr.Targets) != 10 {
				b.Fatal(err)
			}
		}
	})
	b.Run("ProgressInto", func(b *testing.B) {
		b.ReportAllocs()
		var pr effectiveness.PlanProgress
		for range b.N {
			if err := p.ProgressInto(s, effectiveness.ProgressOptions{}, &pr); err != nil || len(pr.Targets) != 10 {
				b.Fatal(err)
			}
		}
	})
}
