package health_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/validate"
)

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*health.ScorecardSpec)
		paths []string
	}{
		{"no groups", func(s *health.ScorecardSpec) { s.Groups = nil }, []string{"groups"}},
		{"zero and negative weights", func(s *health.ScorecardSpec) {
			s.Groups[0].Weight = 0
			s.Groups[0].Measures[1].Weight = -1
		}, []string{"groups[0].measures[1].weight", "groups[0].weight"}},
		{"NaN weight", func(s *health.ScorecardSpec) { s.Groups[1].Weight = math.NaN() }, []string{"groups[1].weight"}},
		{"weights out of scale", func(s *health.ScorecardSpec) {
			s.Groups[1].Weight = 1e300
			s.Groups[0].Measures[0].Weight = 1e-300
		}, []string{"groups[0].measures[0].weight", "groups[1].weight"}},
		{"empty group", func(s *health.ScorecardSpec) { s.Groups[1].Measures = nil }, []string{"groups[1]"}},
		{"duplicate ids", func(s *health.ScorecardSpec) {
			s.Groups[0].Measures[1].ID = "logins"
			s.Groups[1].ID = "usage"
		}, []string{"groups[0].measures[1].id", "groups[1].id"}},
		{"empty id and metric", func(s *health.ScorecardSpec) {
			s.Groups[0].Measures[0].ID = ""
			s.Groups[0].Measures[0].Metric = ""
		}, []string{"groups[0].measures[0].id", "groups[0].measures[0].metric"}},
		{"thresholds out of order", func(s *health.ScorecardSpec) {
			s.Groups[0].Measures[0].Scheme = health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 5, Score: 0}, {Value: 5, Score: 50}, {Value: 1, Score: 100}}}
		}, []string{"groups[0].measures[0].scheme.points[1].value", "groups[0].measures[0].scheme.points[2].value"}},
		{"scores against direction and out of range", func(s *health.ScorecardSpec) {
			s.Groups[1].Measures[0].Scheme = health.Scheme{Kind: health.Thresholds, Points: []health.Point{{Value: 0, Score: 10}, {Value: 1, Score: 20}, {Value: 2, Score: 120}}}
		}, []string{"groups[1].measures[0].scheme.points[1].score", "groups[1].measures[0].scheme.points[2].score", "groups[1].measures[0].scheme.points[2].score"}},
		{"one threshold", func(s *health.ScorecardSpec) {
			s.Groups[0].Measures[0].Scheme.Points = s.Groups[0].Measures[0].Scheme.Points[:1]
		}, []string{"groups[0].measures[0].scheme.points"}},
		{"unknown kind, direction, policy, timing, scope", func(s *health.ScorecardSpec) {
			m := &s.Groups[0].Measures[0]
			m.Scheme.Kind, m.Direction, m.Missing, m.Timing, m.Scope = "spline", "sideways", "guess", "soon", "wide"
		}, []string{"groups[0].measures[0].direction", "groups[0].measures[0].missing", "groups[0].measures[0].scheme.kind", "groups[0].measures[0].scope", "groups[0].measures[0].timing"}},
		{"duplicate and NaN categories", func(s *health.ScorecardSpec) {
			s.Groups[0].Measures[0].Scheme = health.Scheme{Kind: health.Categories, Categories: []health.Category{{Value: 1, Score: 0}, {Value: 1, Score: 5}, {Value: math.Inf(1), Score: 5}}}
		}, []string{"groups[0].measures[0].scheme.categories[1].value", "groups[0].measures[0].scheme.categories[2].value"}},
		{"band gap and overlap", func(s *health.ScorecardSpec) {
			s.Bands = health.BandSet{{Name: "red", Min: 0, Max: 40}, {Name: "yellow", Min: 50, Max: 80}, {Name: "green", Min: 70, Max: 100}}
		}, []string{"bands[1].min", "bands[2].min"}},
		{"bands not covering 0-100", func(s *health.ScorecardSpec) {
			s.Bands = health.BandSet{{Name: "low", Min: 10, Max: 60}, {Name: "low", Min: 60, Max: 90}}
		}, []string{"bands[0].min", "bands[1].max", "bands[1].name"}},
		{"measure band inverted", func(s *health.ScorecardSpec) {
			s.Groups[0].Measures[0].Bands = health.BandSet{{Name: "all", Min: 100, Max: 0}}
		}, []string{"groups[0].measures[0].bands[0]", "groups[0].measures[0].bands[0].max", "groups[0].measures[0].bands[0].min"}},
		{"bad rules", func(s *health.ScorecardSpec) {
			s.Rules = []health.Rule{
				{ID: "a", Metric: "x", Op: "~", Value: math.NaN(), Cap: "purple"},
				{ID: "a", Metric: "", Op: valuepath.Below, Cap: health.Red, Floor: health.Green},
			}
		}, []string{"rules[0].cap", "rules[0].op", "rules[0].value", "rules[1]", "rules[1].id", "rules[1].metric"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := smallSpec()
			tt.edit(&spec)
			sc, err := health.NewScorecard(spec)
			if err == nil {
				t.Fatalf("New succeeded: %v", sc)
			}
			if diff := cmp.Diff(tt.paths, validate.Paths(err)); diff != "" {
				t.Errorf("paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if !strings.HasPrefix(err.Error(), "health: ") {
				t.Errorf("error not prefixed: %v", err)
			}
		})
	}
}

func TestNewCopiesSpec(t *testing.T) {
	spec := smallSpec()
	sc := valuepath.Must(health.NewScorecard(spec))
	spec.Groups[0].Measures[0].Scheme.Points[1].Score = 10
	spec.Groups[0].Weight = 100
	s := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 100, "util": 1, "cases": 0}))
	if s.Value != 100 {
		t.Errorf("scorecard changed with the caller's spec: %v", s.Value)
	}
	got := sc.Spec()
	got.Groups[0].Measures[0].ID = "changed"
	if sc.Spec().Groups[0].Measures[0].ID != "logins" {
		t.Error("Spec returned shared memory")
	}
}

// TestReadBack checks what a scorecard says about itself: its spec with
// defaults filled in, its measures in score order with their shares and
// band sets, and the metrics it reads.
func TestReadBack(t *testing.T) {
	spec := smallSpec()
	spec.Rules = []health.Rule{{ID: "sponsor", Reason: "r", Metric: "sponsor_days", Op: valuepath.AtMost, Value: 60, Cap: health.Yellow}}
	spec.Groups[1].Measures[0].Bands = health.BandSet{{Name: "bad", Min: 0, Max: 90}, {Name: "good", Min: 90, Max: 100}}
	sc := valuepath.Must(health.NewScorecard(spec))

	got := sc.Spec()
	assert.Equal(t, "small", got.Name)
	assert.Equal(t, health.DefaultBands(), got.Bands, "empty bands mean the default")
	m := got.Groups[0].Measures[1]
	assert.Equal(t, valuepath.HigherIsBetter, m.Direction)
	assert.Equal(t, health.MissingExclude, m.Missing)
	assert.Equal(t, "seats", m.Name, "an empty name means the id")

	want := []health.MeasureInfo{
		{ID: "logins", Name: "logins", Group: "usage", Metric: "logins", Direction: valuepath.HigherIsBetter, Timing: health.Leading, Scope: health.Generic, Share: 0.375, Bands: health.DefaultBands()},
		{ID: "seats", Name: "seats", Group: "usage", Metric: "util", Direction: valuepath.HigherIsBetter, Share: 0.375, Bands: health.DefaultBands()},
		{ID: "cases", Name: "cases", Group: "relationship", Metric: "cases", Direction: valuepath.LowerIsBetter, Share: 0.25, Bands: spec.Groups[1].Measures[0].Bands},
	}
	if diff := cmp.Diff(want, sc.Measures(), approx); diff != "" {
		t.Errorf("Measures (-want +got):\n%s", diff)
	}
	assert.Equal(t, []valuepath.Metric{"logins", "util", "cases", "sponsor_days"}, sc.Metrics())

	s := score(t, sc, snap(t, map[valuepath.Metric]float64{"logins": 80, "util": 0.6, "cases": 2}))
	ms, ok := s.Measure("cases")
	require.True(t, ok)
	assert.Equal(t, health.Band("bad"), ms.Band)
	assert.Same(t, &s.Measures[2], ms)
	_, ok = s.Measure("nope")
	assert.False(t, ok)
}

func TestParse(t *testing.T) {
	sc := valuepath.Must(health.NewScorecard(smallSpec()))
	data, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := health.ParseScorecard(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash() != sc.Hash() {
		t.Errorf("hash changed on round trip: %s != %s", back.Hash(), sc.Hash())
	}
	if diff := cmp.Diff(sc.Spec(), back.Spec()); diff != "" {
		t.Errorf("spec round trip (-want +got):\n%s", diff)
	}
	// Defaults are part of the content: spelling them out keeps the hash.
	explicit := smallSpec()
	explicit.Bands = health.DefaultBands()
	explicit.Groups[0].Measures[0].Missing = health.MissingExclude
	if valuepath.Must(health.NewScorecard(explicit)).Hash() != sc.Hash() {
		t.Error("explicit defaults changed the hash")
	}
	changed := smallSpec()
	changed.Groups[0].Measures[0].Weight = 2
	if valuepath.Must(health.NewScorecard(changed)).Hash() == sc.Hash() {
		t.Error("a weight change kept the hash")
	}

	errs := []struct{ name, json, want string }{
		{"unknown field", `{"name":"x","groups":[],"colour":"red"}`, `colour: unknown field`},
		{"trailing data", `{"groups":[{"id":"g","weight":1,"measures":[{"id":"m","metric":"x","weight":1,"scheme":{"kind":"steps","points":[{"value":0,"score":1}]}}]}]} {}`, "data after the JSON value"},
		{"not json", `{`, "decoding scorecard"},
		{"invalid model", `{"groups":[{"id":"g","weight":-1,"measures":[]}]}`, "groups[0].weight"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := health.ParseScorecard([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestNestedGroups(t *testing.T) {
	// root: a (w1) {x (w1), inner (w1) {y (w1), z (w3)}}, b (w1) {w}
	spec := health.ScorecardSpec{Groups: []health.Group{
		{ID: "a", Weight: 1, Measures: []health.Measure{{ID: "x", Metric: "x", Weight: 1, Scheme: linear(0, 100)}},
			Groups: []health.Group{{ID: "inner", Weight: 1, Measures: []health.Measure{
				{ID: "y", Metric: "y", Weight: 1, Scheme: linear(0, 100)},
				{ID: "z", Metric: "z", Weight: 3, Scheme: linear(0, 100)},
			}}}},
		{ID: "b", Weight: 1, Measures: []health.Measure{{ID: "w", Metric: "w", Weight: 1, Scheme: linear(0, 100)}}},
	}}
	sc := valuepath.Must(health.NewScorecard(spec))
	wantShares := map[string]float64{"x": 0.25, "y": 0.0625, "z": 0.1875, "w": 0.5}
	gotShares := map[string]float64{}
	for _, m := range sc.Measures() {
		gotShares[m.ID] = m.Share
	}
	if diff := cmp.Diff(wantShares, gotShares, approx); diff != "" {
		t.Errorf("nominal shares (-want +got):\n%s", diff)
	}
	// inner = (1*20 + 3*60)/4 = 50; a = (40+50)/2 = 45; overall = (45+80)/2 = 62.5
	s := score(t, sc, snap(t, map[valuepath.Metric]float64{"x": 40, "y": 20, "z": 60, "w": 80}))
	got := map[string]float64{"overall": s.Value}
	for _, g := range s.Groups {
		got[g.ID] = g.Score
	}
	want := map[string]float64{"overall": 62.5, "a": 45, "inner": 50, "b": 80}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("group scores (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]valuepath.Metric{"x", "y", "z", "w"}, sc.Metrics()); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

func TestBandSet(t *testing.T) {
	bs := health.DefaultBands()
	of := []struct {
		s    float64
		want health.Band
	}{{-5, health.Red}, {0, health.Red}, {49.999, health.Red}, {50, health.Yellow}, {74.9, health.Yellow}, {75, health.Green}, {100, health.Green}, {120, health.Green}}
	for _, tt := range of {
		if got, _ := bs.Of(tt.s); got != tt.want {
			t.Errorf("Of(%v) = %s, want %s", tt.s, got, tt.want)
		}
	}
	sticky := []struct {
		name      string
		prev      health.Band
		s, margin float64
		want      health.Band
	}{
		{"stays yellow just above the boundary", health.Yellow, 76, 3, health.Yellow},
		{"moves to green past the margin", health.Yellow, 78, 3, health.Green},
		{"stays green just below the boundary", health.Green, 73, 3, health.Green},
		{"drops to yellow past the margin", health.Green, 71.9, 3, health.Yellow},
		{"falls two bands at once", health.Green, 20, 3, health.Red},
		{"climbs one band when the second is within the margin", health.Red, 76, 3, health.Yellow},
		{"no margin", health.Yellow, 75, 0, health.Green},
		{"unknown previous band", "", 76, 3, health.Green},
	}
	for _, tt := range sticky {
		t.Run(tt.name, func(t *testing.T) {
			if got := bs.Sticky(tt.prev, tt.s, tt.margin); got != tt.want {
				t.Errorf("Sticky(%s, %v, %v) = %s, want %s", tt.prev, tt.s, tt.margin, got, tt.want)
			}
		})
	}
	if got, want := bs.String(), "red [0,50) yellow [50,75) green [75,100]"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
