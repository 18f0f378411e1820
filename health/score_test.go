package health_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/validate"
)

// summary is the part of a score the tables compare.
type summary struct {
	Present  bool
	Reason   string
	Value    float64
	Band     health.Band
	DataBand health.Band
	Coverage health.MeasureCoverage
	Shares   map[string]float64
	Statuses map[string]health.MeasureStatus
	Rules    []string
}

func summarise(s *health.Score) summary {
	out := summary{Present: s.Present, Reason: s.Reason, Value: s.Value, Band: s.Band, DataBand: s.DataBand, Coverage: s.Coverage,
		Shares: map[string]float64{}, Statuses: map[string]health.MeasureStatus{}}
	for _, m := range s.Measures {
		out.Shares[m.ID] = m.Share
		out.Statuses[m.ID] = m.Status
	}
	for _, r := range s.Rules {
		out.Rules = append(out.Rules, r.ID)
	}
	return out
}

var approx = cmpopts.EquateApprox(0, 1e-9)

func TestScore(t *testing.T) {
	withPolicy := func(p health.MissingPolicy) health.ScorecardSpec {
		s := smallSpec()
		s.Groups[0].Measures[1].Missing = p
		return s
	}
	withRules := func(rules ...health.Rule) health.ScorecardSpec {
		s := smallSpec()
		s.Rules = rules
		return s
	}
	sponsorCap := health.Rule{ID: "sponsor", Reason: "sponsor left within 60 days", Metric: "sponsor_days", Op: valuepath.AtMost, Value: 60, Cap: health.Yellow}
	casesFloor := health.Rule{ID: "quiet", Reason: "no cases", Metric: "cases", Op: valuepath.Equal, Value: 0, Floor: health.Yellow}
	full := map[valuepath.Metric]float64{"logins": 80, "util": 0.6, "cases": 2}
	tests := []struct {
		name   string
		spec   health.ScorecardSpec
		values map[valuepath.Metric]float64
		want   summary
	}{{
		// usage = (80+60)/2 = 70, relationship = 80; overall = .75*70 + .25*80 = 72.5
		name: "all present", spec: smallSpec(), values: full,
		want: summary{Present: true, Value: 72.5, Band: health.Yellow, DataBand: health.Yellow,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 3, Weight: 1},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.Scored, "cases": health.Scored}},
	}, {
		// seats excluded: usage = 80; overall = .75*80 + .25*80 = 80
		name: "missing excluded renormalises", spec: smallSpec(), values: map[valuepath.Metric]float64{"logins": 80, "cases": 2},
		want: summary{Present: true, Value: 80, Band: health.Green, DataBand: health.Green,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 2, Weight: 0.625},
			Shares:   map[string]float64{"logins": 0.75, "seats": 0, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.ExcludedMissing, "cases": health.Scored}},
	}, {
		// seats neutral 50: usage 65; overall .75*65 + .25*80 = 68.75
		name: "missing neutral", spec: withPolicy(health.MissingNeutral), values: map[valuepath.Metric]float64{"logins": 80, "cases": 2},
		want: summary{Present: true, Value: 68.75, Band: health.Yellow, DataBand: health.Yellow,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 2, Weight: 0.625},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.NeutralMissing, "cases": health.Scored}},
	}, {
		// seats worst 0: usage 40; overall .75*40 + .25*80 = 50
		name: "missing worst", spec: withPolicy(health.MissingWorst), values: map[valuepath.Metric]float64{"logins": 80, "cases": 2},
		want: summary{Present: true, Value: 50, Band: health.Yellow, DataBand: health.Yellow,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 2, Weight: 0.625},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.WorstMissing, "cases": health.Scored}},
	}, {
		name: "missing unavailable", spec: withPolicy(health.MissingUnavailable), values: map[valuepath.Metric]float64{"logins": 80, "cases": 2},
		want: summary{Reason: health.ReasonRequiredMissing,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 2, Weight: 0.625},
			Shares:   map[string]float64{"logins": 0, "seats": 0, "cases": 0},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.RequiredMissing, "cases": health.Scored}},
	}, {
		// a whole group missing: only relationship counts.
		name: "group missing", spec: smallSpec(), values: map[valuepath.Metric]float64{"cases": 5},
		want: summary{Present: true, Value: 50, Band: health.Yellow, DataBand: health.Yellow,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 1, Weight: 0.25},
			Shares:   map[string]float64{"logins": 0, "seats": 0, "cases": 1},
			Statuses: map[string]health.MeasureStatus{"logins": health.ExcludedMissing, "seats": health.ExcludedMissing, "cases": health.Scored}},
	}, {
		name: "nothing present", spec: smallSpec(), values: map[valuepath.Metric]float64{"other": 1},
		want: summary{Reason: health.ReasonNoData, Coverage: health.MeasureCoverage{Measures: 3},
			Shares:   map[string]float64{"logins": 0, "seats": 0, "cases": 0},
			Statuses: map[string]health.MeasureStatus{"logins": health.ExcludedMissing, "seats": health.ExcludedMissing, "cases": health.ExcludedMissing}},
	}, {
		// a fill-in policy does not make a score out of no data at all.
		name: "nothing present, neutral fill-in", spec: withPolicy(health.MissingNeutral), values: map[valuepath.Metric]float64{"other": 1},
		want: summary{Reason: health.ReasonNoData, Coverage: health.MeasureCoverage{Measures: 3},
			Shares:   map[string]float64{"logins": 0, "seats": 0, "cases": 0},
			Statuses: map[string]health.MeasureStatus{"logins": health.ExcludedMissing, "seats": health.NeutralMissing, "cases": health.ExcludedMissing}},
	}, {
		name: "nothing present, worst fill-in", spec: withPolicy(health.MissingWorst), values: map[valuepath.Metric]float64{"other": 1},
		want: summary{Reason: health.ReasonNoData, Coverage: health.MeasureCoverage{Measures: 3},
			Shares:   map[string]float64{"logins": 0, "seats": 0, "cases": 0},
			Statuses: map[string]health.MeasureStatus{"logins": health.ExcludedMissing, "seats": health.WorstMissing, "cases": health.ExcludedMissing}},
	}, {
		name: "nothing present, required measure", spec: withPolicy(health.MissingUnavailable), values: map[valuepath.Metric]float64{"other": 1},
		want: summary{Reason: health.ReasonNoData, Coverage: health.MeasureCoverage{Measures: 3},
			Shares:   map[string]float64{"logins": 0, "seats": 0, "cases": 0},
			Statuses: map[string]health.MeasureStatus{"logins": health.ExcludedMissing, "seats": health.RequiredMissing, "cases": health.ExcludedMissing}},
	}, {
		// clamped at both ends: logins 250 -> 100, util -1 -> 0, cases 40 -> 0.
		name: "values beyond the thresholds clamp", spec: smallSpec(), values: map[valuepath.Metric]float64{"logins": 250, "util": -1, "cases": 40},
		want: summary{Present: true, Value: 37.5, Band: health.Red, DataBand: health.Red,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 3, Weight: 1},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.Scored, "cases": health.Scored}},
	}, {
		name: "cap fires", spec: withRules(sponsorCap), values: map[valuepath.Metric]float64{"logins": 100, "util": 1, "cases": 0, "sponsor_days": 12},
		want: summary{Present: true, Value: 100, Band: health.Yellow, DataBand: health.Green,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 3, Weight: 1},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.Scored, "cases": health.Scored},
			Rules:    []string{"sponsor"}},
	}, {
		name: "cap does not fire on a missing metric", spec: withRules(sponsorCap), values: map[valuepath.Metric]float64{"logins": 100, "util": 1, "cases": 0},
		want: summary{Present: true, Value: 100, Band: health.Green, DataBand: health.Green,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 3, Weight: 1},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.Scored, "cases": health.Scored}},
	}, {
		// usage 0 -> overall 25 red, floored to yellow.
		name: "floor fires", spec: withRules(casesFloor), values: map[valuepath.Metric]float64{"logins": 0, "util": 0, "cases": 0},
		want: summary{Present: true, Value: 25, Band: health.Yellow, DataBand: health.Red,
			Coverage: health.MeasureCoverage{Measures: 3, Present: 3, Weight: 1},
			Shares:   map[string]float64{"logins": 0.375, "seats": 0.375, "cases": 0.25},
			Statuses: map[string]health.MeasureStatus{"logins": health.Scored, "seats": health.Scored, "cases": health.Scored},
			Rules:    []string{"quiet"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := valuepath.Must(health.NewScorecard(tt.spec))
			s := score(t, sc, snap(t, tt.values))
			if diff := cmp.Diff(tt.want, summarise(s), approx); diff != "" {
				t.Errorf("score (-want +got):\n%s", diff)
			}
			if sum := summarize(t, sc, snap(t, tt.values)); sum.Present != s.Present || sum.Reason != s.Reason || sum.Value != s.Value || sum.Band != s.Band {
				t.Errorf("summary = present %v %q, %v %s; Score = present %v %q, %v %s", sum.Present, sum.Reason, sum.Value, sum.Band, s.Present, s.Reason, s.Value, s.Band)
			}
			if s.Scorecard != sc.Hash() || s.Account != "acct-1" || !s.AsOf.Equal(asOf) {
				t.Errorf("identity: got %q %q %v", s.Scorecard, s.Account, s.AsOf)
			}
			if s.Present {
				sum := 0.0
				for _, m := range s.Measures {
					sum += m.Contribution
				}
				if math.Abs(sum-s.Value) > 1e-9 {
					t.Errorf("contributions sum to %v, score is %v", sum, s.Value)
				}
				gsum := 0.0
				for _, g := range s.Groups {
					if g.Parent == "" {
						gsum += g.Contribution
					}
				}
				if math.Abs(gsum-s.Value) > 1e-9 {
					t.Errorf("group contributions sum to %v, score is %v", gsum, s.Value)
				}
			}
		})
	}
}

func TestSchemes(t *testing.T) {
	measure := func(dir valuepath.Direction, s health.Scheme) health.ScorecardSpec {
		return health.ScorecardSpec{Groups: []health.Group{{ID: "g", Weight: 1, Measures: []health.Measure{{ID: "m", Metric: "x", Weight: 1, Direction: dir, Scheme: s}}}}}
	}
	thresholds := health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 10, Score: 0}, {Value: 20, Score: 50}, {Value: 40, Score: 100}}}
	steps := health.Scheme{Kind: health.Steps, Points: []health.Point{{Value: 0, Score: 10}, {Value: 5, Score: 40}, {Value: 10, Score: 90}}}
	lower := health.Scheme{Kind: health.Steps, Points: []health.Point{{Value: 0, Score: 100}, {Value: 1, Score: 60}, {Value: 3, Score: 0}}}
	cats := health.Scheme{Kind: health.Categories, Categories: []health.Category{{Value: 1, Label: "detractor", Score: 0}, {Value: 2, Label: "passive", Score: 50}, {Value: 3, Label: "promoter", Score: 100}}}
	tests := []struct {
		name   string
		spec   health.ScorecardSpec
		value  float64
		want   float64
		status health.MeasureStatus
	}{
		{"thresholds below", measure("", thresholds), 5, 0, health.Scored},
		{"thresholds at point", measure("", thresholds), 20, 50, health.Scored},
		{"thresholds between", measure("", thresholds), 15, 25, health.Scored},
		{"thresholds upper segment", measure("", thresholds), 30, 75, health.Scored},
		{"thresholds above", measure("", thresholds), 1e300, 100, health.Scored},
		{"steps below first", measure("", steps), -3, 10, health.Scored},
		{"steps at tier", measure("", steps), 5, 40, health.Scored},
		{"steps inside tier", measure("", steps), 9.99, 40, health.Scored},
		{"steps top", measure("", steps), 50, 90, health.Scored},
		{"lower is better", measure(valuepath.LowerIsBetter, lower), 2, 60, health.Scored},
		{"category", measure("", cats), 3, 100, health.Scored},
		{"no category", measure("", cats), 2.5, 0, health.UnmatchedMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := score(t, valuepath.Must(health.NewScorecard(tt.spec)), snap(t, map[valuepath.Metric]float64{"x": tt.value}))
			m := s.Measures[0]
			if diff := cmp.Diff(tt.want, m.Score, approx); diff != "" || m.Status != tt.status {
				t.Errorf("score %v status %s, want %v %s", m.Score, m.Status, tt.want, tt.status)
			}
		})
	}
}

func TestPerMeasureBands(t *testing.T) {
	spec := smallSpec()
	spec.Groups[1].Measures[0].Bands = health.BandSet{{Name: "bad", Min: 0, Max: 90}, {Name: "good", Min: 90, Max: 100}}
	s := score(t, valuepath.Must(health.NewScorecard(spec)), snap(t, map[valuepath.Metric]float64{"logins": 80, "util": 0.6, "cases": 2}))
	got := map[string]health.Band{}
	for _, m := range s.Measures {
		got[m.ID] = m.Band
	}
	want := map[string]health.Band{"logins": health.Green, "seats": health.Yellow, "cases": "bad"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("measure bands (-want +got):\n%s", diff)
	}
}

// TestBinding checks that a schema lacking a metric the scorecard reads is
// an error naming the metric and its path, the same from Check, Score,
// ScoreInto, ScoreAll and SummarizeAll; and that a nil snapshot is an error.
func TestBinding(t *testing.T) {
	spec := smallSpec()
	spec.Rules = []health.Rule{{ID: "sponsor", Reason: "r", Metric: "sponsor_days", Op: valuepath.AtMost, Value: 60, Cap: health.Yellow}}
	sc := valuepath.Must(health.NewScorecard(spec))
	foreign, err := valuepath.SnapshotOf("acct-1", asOf, map[valuepath.Metric]float64{"logins": 50, "cases": 1})
	require.NoError(t, err)

	err = sc.Check(foreign.Schema())
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.Equal(t, []string{"groups[0].measures[1].metric", "rules[0].metric"}, validate.Paths(err))
	assert.Contains(t, err.Error(), `health: groups[0].measures[1].metric: unknown metric "util"`)
	assert.Contains(t, err.Error(), `health: rules[0].metric: unknown metric "sponsor_days"`)
	require.NoError(t, sc.Check(snap(t, nil).Schema()))
	require.ErrorIs(t, sc.Check(nil), valuepath.ErrInvalid)

	s, scoreErr := sc.Score(foreign)
	assert.Nil(t, s)
	assert.Equal(t, err, scoreErr, "Score returns Check's error")
	var dst health.Score
	require.Equal(t, err, sc.ScoreInto(foreign, &dst), "ScoreInto returns Check's error")
	assert.False(t, dst.Present)
	assert.Equal(t, valuepath.AccountID("acct-1"), dst.Account)
	assert.Empty(t, dst.Measures)

	_, err = sc.Score(nil)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	_, err = sc.Score(&valuepath.Snapshot{Account: "zero"})
	require.ErrorIs(t, err, valuepath.ErrInvalid, "a snapshot without a schema")
	require.ErrorIs(t, sc.ScoreInto(nil, &dst), valuepath.ErrInvalid)

	// The batches yield the error beside the account and go on.
	good := snap(t, map[valuepath.Metric]float64{"logins": 80, "util": 0.6, "cases": 2})
	in := slices.Values([]*valuepath.Snapshot{good, foreign, nil, good})
	var got []string
	for s, err := range sc.ScoreAll(in, valuepath.BatchOptions{Concurrency: 1}) {
		got = append(got, fmt.Sprintf("%s %v %v", s.Account, s.Present, errKind(err)))
	}
	for s, err := range sc.SummarizeAll(in, valuepath.BatchOptions{Concurrency: 1}) {
		got = append(got, fmt.Sprintf("%s %v %v", s.Account, s.Present, errKind(err)))
	}
	row := []string{"acct-1 true none", "acct-1 false unknown metric", " false invalid", "acct-1 true none"}
	assert.Equal(t, append(row, row...), got)
}

// errKind names the sentinel err wraps, checking that a batch error is an
// *AccountError.
func errKind(err error) string {
	var ae *valuepath.AccountError
	switch {
	case err == nil:
		return "none"
	case !errors.As(err, &ae):
		return "not an AccountError"
	case errors.Is(err, valuepath.ErrUnknownMetric):
		return "unknown metric"
	case errors.Is(err, valuepath.ErrInvalid):
		return "invalid"
	}
	return err.Error()
}

func TestScoreJSON(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	s := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 80, "cases": 2}))
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back health.Score
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, &back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, key := range []string{`"score":80`, `"band":"green"`, `"status":"missing_excluded"`, `"scorecard":"sha256:`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s: %s", key, data)
		}
	}
}

func TestScoreIntoDoesNotAllocate(t *testing.T) {
	spec, metrics := benchSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	schema := valuepath.Must(valuepath.NewSchema(metrics...))
	sn := valuepath.NewSnapshot(schema, "a", asOf)
	for i := range metrics {
		_ = sn.SetAt(i, float64(i*7))
	}
	var dst health.Score
	require.NoError(t, sc.ScoreInto(sn, &dst))
	if n := testing.AllocsPerRun(100, func() { _ = sc.ScoreInto(sn, &dst) }); n != 0 {
		t.Errorf("ScoreInto allocates %v times per call", n)
	}
}

func TestDraggers(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	s := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 90, "util": 0.2, "cases": 6}))
	var got []string
	for _, m := range s.Draggers(2) {
		got = append(got, m.ID)
	}
	// drags: logins .375*10=3.75, seats .375*80=30, cases .25*60=15
	if diff := cmp.Diff([]string{"seats", "cases"}, got); diff != "" {
		t.Errorf("draggers (-want +got):\n%s", diff)
	}
}

func TestScoreClone(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	var dst health.Score
	require.NoError(t, sc.ScoreInto(snap(t, map[valuepath.Metric]float64{"logins": 90}), &dst))
	kept := dst.Clone()
	require.NoError(t, sc.ScoreInto(snap(t, map[valuepath.Metric]float64{"logins": 10}), &dst))
	if kept.Value != 90 || kept.Measures[0].Score != 90 {
		t.Errorf("clone changed with the buffer: %v %v", kept.Value, kept.Measures[0].Score)
	}
}
