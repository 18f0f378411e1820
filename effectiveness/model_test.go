package effectiveness_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

var asOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func crmModel(t testing.TB) *effectiveness.Model {
	t.Helper()
	data, err := os.ReadFile("testdata/crm.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := effectiveness.ParseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func leaf(metric string, op valuepath.Comparison, v float64) effectiveness.Criterion {
	return effectiveness.Criterion{Metric: valuepath.Metric(metric), Comparison: op, Value: v}
}

func phase(id string, behaviors ...string) effectiveness.Phase {
	p := effectiveness.Phase{ID: id}
	for _, b := range behaviors {
		p.Behaviors = append(p.Behaviors, effectiveness.Behavior{ID: b, Criterion: leaf(b, valuepath.AtLeast, 1)})
	}
	return p
}

// errLines splits a joined error into its lines, for comparison.
func errLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

func TestNewModelErrors(t *testing.T) {
	three := []effectiveness.Phase{phase("a", "x"), phase("b", "y"), phase("c", "z")}
	withPhases := func(ps ...effectiveness.Phase) effectiveness.ModelSpec { return effectiveness.ModelSpec{Phases: ps} }
	tests := []struct {
		name string
		spec effectiveness.ModelSpec
		want []string
	}{
		{"two phases", withPhases(phase("a", "x"), phase("b", "y")),
			[]string{"effectiveness: phases: invalid value: want 3 to 7 phases, got 2"}},
		{"eight phases", withPhases(phase("a", "a1"), phase("b", "b1"), phase("c", "c1"), phase("d", "d1"), phase("e", "e1"), phase("f", "f1"), phase("g", "g1"), phase("h", "h1")),
			[]string{"effectiveness: phases: invalid value: want 3 to 7 phases, got 8"}},
		{"duplicate ids and empty phase", withPhases(phase("a", "x"), phase("a", "x"), phase("")),
			[]string{
				`effectiveness: phases[1].id: duplicate: phase id "a" (also phases[0])`,
				`effectiveness: phases[1].behaviors[0].id: duplicate: behavior id "x" (also phases[0].behaviors[0])`,
				"effectiveness: phases[2].id: invalid value: must not be empty",
				"effectiveness: phases[2].behaviors: invalid value: a phase needs at least one behavior",
			}},
		{"bad criteria", withPhases(
			effectiveness.Phase{ID: "a", Behaviors: []effectiveness.Behavior{
				{ID: "op", Criterion: leaf("m", "=>", 1)},
				{ID: "nan", Criterion: leaf("m", valuepath.AtLeast, math.NaN())},
				{ID: "empty"},
				{ID: "two", Criterion: effectiveness.Criterion{Metric: "m", Comparison: valuepath.AtLeast, All: []effectiveness.Criterion{leaf("m", valuepath.AtLeast, 1)}}},
				{ID: "nested", Criterion: effectiveness.Criterion{Any: []effectiveness.Criterion{leaf("m", valuepath.AtLeast, 1), {Not: &effectiveness.Criterion{Comparison: valuepath.Below, Value: 2}}}}},
				{ID: "none", Criterion: effectiveness.Criterion{All: []effectiveness.Criterion{}}},
			}}, phase("b", "y"), phase("c", "z")),
			[]string{
				`effectiveness: phases[0].behaviors[0].criterion.op: invalid value: unknown comparison "=>" (want >=, >, <=, <, == or !=)`,
				"effectiveness: phases[0].behaviors[1].criterion.value: not a finite number: NaN",
				"effectiveness: phases[0].behaviors[2].criterion: invalid value: empty criterion: want a comparison (metric, op, value), all, any or not",
				"effectiveness: phases[0].behaviors[3].criterion: invalid value: a criterion is exactly one of a comparison, all, any or not",
				"effectiveness: phases[0].behaviors[4].criterion.any[1].not.metric: invalid value: must not be empty",
				"effectiveness: phases[0].behaviors[5].criterion.all: invalid value: must hold at least one criterion",
			}},
		{"placement", effectiveness.ModelSpec{Phases: three, Placement: effectiveness.Placement{Policy: effectiveness.ShareOfBehaviors, Share: 1.5}},
			[]string{"effectiveness: placement.share: invalid value: must be in (0, 1], got 1.5"}},
		{"placement policy", effectiveness.ModelSpec{Phases: three, Placement: effectiveness.Placement{Policy: "best"}},
			[]string{`effectiveness: placement.policy: invalid value: unknown policy "best" (want "ladder" or "share")`}},
		{"ladder with share", effectiveness.ModelSpec{Phases: three, Placement: effectiveness.Placement{Share: 0.5}},
			[]string{"effectiveness: placement.share: invalid value: the ladder policy takes no share (every behavior counts), got 0.5"}},
		{"metric sources", effectiveness.ModelSpec{Phases: three, Metrics: []effectiveness.MetricSource{{Metric: "x", Source: "guess"}, {Metric: "x", Source: effectiveness.Usage}}},
			[]string{
				`effectiveness: metrics[0].source: invalid value: unknown source "guess" (want "usage" or "customer_reported")`,
				`effectiveness: metrics[1].metric: duplicate: metric "x" (also metrics[0])`,
			}},
		{"valid", effectiveness.ModelSpec{Phases: three}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := effectiveness.NewModel(tt.spec)
			if diff := cmp.Diff(tt.want, errLines(err)); diff != "" {
				t.Errorf("NewModel errors (-want +got):\n%s", diff)
			}
			if (err == nil) != (m != nil) {
				t.Errorf("NewModel returned model %v with error %v", m, err)
			}
			if err != nil {
				var fe *valuepath.FieldError
				if !errors.As(err, &fe) {
					t.Errorf("error %v is not a *FieldError", err)
				}
			}
		})
	}
}

func TestParseModel(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"unknown field", `{"phases": [], "colour": "red"}`, `effectiveness: model: colour: unknown field`},
		{"unknown nested field", `{"phases": [{"id": "a", "behaviors": [{"id": "x", "criterion": {"metric": "m", "op": ">=", "value": 1, "weight": 2}}]}]}`, `effectiveness: model: phases[0].behaviors[0].criterion.weight: unknown field`},
		{"trailing", `{"phases": []} {}`, "effectiveness: model: line 1, column 16: data after the JSON value"},
		{"phases", `{"phases": []}`, "effectiveness: phases: invalid value: want 3 to 7 phases, got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := effectiveness.ParseModel([]byte(tt.json))
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseModel error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestModelJSONRoundTrip(t *testing.T) {
	m := crmModel(t)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := effectiveness.ParseModel(data)
	if err != nil {
		t.Fatalf("ParseModel(marshalled model): %v\n%s", err, data)
	}
	if diff := cmp.Diff(m.Spec(), back.Spec()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestModelCopiesSpec(t *testing.T) {
	spec := effectiveness.ModelSpec{Phases: []effectiveness.Phase{phase("a", "x"), phase("b", "y"), phase("c", "z")}}
	spec.Phases[0].Behaviors[0].Features = []string{"f"}
	m := valuepath.Must(effectiveness.NewModel(spec))
	spec.Phases[0].ID = "changed"
	spec.Phases[0].Behaviors[0].Features[0] = "changed"
	spec.Phases[0].Behaviors[0].Criterion.Value = 99
	got := m.Spec()
	if got.Phases[0].ID != "a" || got.Phases[0].Behaviors[0].Features[0] != "f" || got.Phases[0].Behaviors[0].Criterion.Value != 1 {
		t.Errorf("model changed with the caller's spec: %+v", got.Phases[0])
	}
	got.Phases[1].ID = "changed"
	if m.Phase(2).ID != "b" {
		t.Errorf("Spec() returned the model's own storage")
	}
}

func TestCriterionString(t *testing.T) {
	cr := effectiveness.Criterion{Any: []effectiveness.Criterion{
		leaf("a", valuepath.AtLeast, 0.5),
		{Not: &effectiveness.Criterion{All: []effectiveness.Criterion{leaf("b", valuepath.Below, 2), leaf("c", valuepath.NotEqual, 0)}}},
	}}
	if got, want := cr.String(), "any(a >= 0.5, not(all(b < 2, c != 0)))"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestModelReaders(t *testing.T) {
	m := crmModel(t)
	assert.Equal(t, m.Spec().Name, m.Name())
	a, err := m.Bind(crmSchema, effectiveness.Options{})
	require.NoError(t, err)
	assert.Same(t, m, a.Model())
}

func TestBehaviorStatusText(t *testing.T) {
	for _, st := range []effectiveness.BehaviorStatus{effectiveness.Unknown, effectiveness.NotMet, effectiveness.Met} {
		text, err := st.MarshalText()
		require.NoError(t, err)
		var back effectiveness.BehaviorStatus
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, st, back)
		assert.Equal(t, string(text), st.String())
	}
	var s effectiveness.BehaviorStatus
	require.ErrorIs(t, s.UnmarshalText([]byte("maybe")), valuepath.ErrInvalid)
	_, err := effectiveness.BehaviorStatus(7).MarshalText()
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.Equal(t, "BehaviorStatus(7)", effectiveness.BehaviorStatus(7).String())
}
