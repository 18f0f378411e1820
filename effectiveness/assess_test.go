package effectiveness_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

var crmSchema = valuepath.Must(valuepath.NewSchema("seat_utilisation", "records_updated_30d", "reports_created_30d",
	"days_since_qbr", "workflows_run_30d", "transactions_30d", "win_rate"))

func snap(t testing.TB, account string, values map[valuepath.Metric]float64) *valuepath.Snapshot {
	t.Helper()
	s := valuepath.NewSnapshot(crmSchema, valuepath.AccountID(account), asOf)
	for m, v := range values {
		if err := s.Set(m, v); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// summary is the part of an assessment the table tests compare.
type summary struct {
	Level    int
	Phase    string
	Statuses map[string]string
	Next     string
	Needed   int
	Progress float64
	Steps    []string
	Excluded []valuepath.Metric
}

func summarise(a *effectiveness.Assessment) summary {
	s := summary{Level: a.Level, Phase: a.Phase, Statuses: map[string]string{}, Next: a.Next.Phase, Needed: a.Next.Needed, Progress: a.Next.Progress, Excluded: a.Excluded}
	for _, p := range a.Phases {
		for _, b := range p.Behaviors {
			s.Statuses[b.ID] = b.Status.String()
		}
	}
	for _, st := range a.Next.Steps {
		s.Steps = append(s.Steps, st.Behavior)
	}
	return s
}

func TestAssess(t *testing.T) {
	m := crmModel(t)
	full := map[valuepath.Metric]float64{"seat_utilisation": 0.8, "records_updated_30d": 500, "reports_created_30d": 20, "days_since_qbr": 30,
		"workflows_run_30d": 80, "transactions_30d": 2000, "win_rate": 0.35}
	with := func(changes map[valuepath.Metric]float64, drop ...valuepath.Metric) map[valuepath.Metric]float64 {
		out := map[valuepath.Metric]float64{}
		for k, v := range full {
			if !slices.Contains(drop, k) {
				out[k] = v
			}
		}
		for k, v := range changes {
			out[k] = v
		}
		return out
	}
	all := func(overrides map[string]string) map[string]string {
		s := map[string]string{"users-active": "met", "records-kept": "met", "reports": "met", "reviews": "met", "workflows": "met", "volume": "met", "win-rate": "met"}
		for k, v := range overrides {
			s[k] = v
		}
		return s
	}
	consentAll := func(valuepath.AccountID, valuepath.Metric) bool { return true }
	tests := []struct {
		name    string
		values  map[valuepath.Metric]float64
		consent effectiveness.Consent
		want    summary
	}{
		{"top phase with consent", full, consentAll,
			summary{Level: 4, Phase: "outcomes", Statuses: all(nil), Progress: 1}},
		{"customer-reported metric excluded without consent", full, nil,
			summary{Level: 3, Phase: "automation", Statuses: all(map[string]string{"win-rate": "unknown"}), Next: "outcomes", Needed: 1,
				Steps: []string{"win-rate"}, Excluded: []valuepath.Metric{"win_rate"}}},
		{"nothing known", map[valuepath.Metric]float64{}, consentAll,
			summary{Statuses: map[string]string{"users-active": "unknown", "records-kept": "unknown", "reports": "unknown", "reviews": "unknown", "workflows": "unknown", "volume": "unknown", "win-rate": "unknown"},
				Next: "basics", Needed: 2, Steps: []string{"users-active", "records-kept"}}},
		{"ladder stops at the first gap", with(map[valuepath.Metric]float64{"days_since_qbr": 200}), consentAll,
			summary{Level: 1, Phase: "basics", Statuses: all(map[string]string{"reviews": "not_met"}), Next: "reporting", Needed: 1, Progress: 0.5, Steps: []string{"reviews"}}},
		{"missing is unknown, not missed", with(nil, "reports_created_30d"), consentAll,
			summary{Level: 1, Phase: "basics", Statuses: all(map[string]string{"reports": "unknown"}), Next: "reporting", Needed: 1, Progress: 0.5, Steps: []string{"reports"}}},
		{"steps closest first, unknown last", with(map[valuepath.Metric]float64{"workflows_run_30d": 45, "transactions_30d": 100}), consentAll,
			// workflows is 10% short; volume is 90% short on transactions.
			summary{Level: 2, Phase: "reporting", Statuses: all(map[string]string{"workflows": "not_met", "volume": "not_met"}), Next: "automation", Needed: 2,
				Steps: []string{"workflows", "volume"}}},
		{"all is unknown when a part is unknown and none fails", with(nil, "transactions_30d"), consentAll,
			summary{Level: 2, Phase: "reporting", Statuses: all(map[string]string{"volume": "unknown"}), Next: "automation", Needed: 1, Progress: 0.5, Steps: []string{"volume"}}},
		{"all fails when a part fails even if another is unknown", with(map[valuepath.Metric]float64{"seat_utilisation": 0.6}, "transactions_30d"), consentAll,
			summary{Level: 2, Phase: "reporting", Statuses: all(map[string]string{"volume": "not_met"}), Next: "automation", Needed: 1, Progress: 0.5, Steps: []string{"volume"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := m.Assess(snap(t, "acme", tt.values), effectiveness.Options{Consent: tt.consent})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarise(a), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("assessment (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssessObservationsAndGaps(t *testing.T) {
	m := crmModel(t)
	a, err := m.Assess(snap(t, "acme", map[valuepath.Metric]float64{"seat_utilisation": 0.6, "transactions_30d": 250}), effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := a.Behavior("volume")
	if !ok {
		t.Fatal("no behavior volume")
	}
	want := effectiveness.BehaviorResult{ID: "volume", Status: effectiveness.NotMet, Gap: valuepath.Defined(0.75 + (0.7-0.6)/0.7), Observed: []effectiveness.Observation{
		{Metric: "transactions_30d", Value: 250, Present: true},
		{Metric: "seat_utilisation", Value: 0.6, Present: true},
	}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("volume (-want +got):\n%s", diff)
	}
	wr, _ := a.Behavior("win-rate")
	if diff := cmp.Diff([]effectiveness.Observation{{Metric: "win_rate", Excluded: true}}, wr.Observed); diff != "" {
		t.Errorf("win-rate observed (-want +got):\n%s", diff)
	}
	// An unknown behavior has no gap: nobody knows how far missing data is
	// from a threshold.
	assert.Equal(t, valuepath.Absent("unknown: a metric the criterion reads has no value"), wr.Gap)
	_, ok = a.Behavior("no-such-behavior")
	assert.False(t, ok)
}

func TestCriteriaLogic(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("a", "b"))
	// Each model has the criterion under test as the only behavior of its
	// first phase.
	tests := []struct {
		name   string
		cr     effectiveness.Criterion
		a, b   *float64
		want   effectiveness.BehaviorStatus
		wantGp float64
	}{
		{"any met beats unknown", any2(), f(5), nil, effectiveness.Met, 0},
		{"any unknown beats not met", any2(), f(0), nil, effectiveness.Unknown, 0},
		{"any not met takes the smallest gap", any2(), f(0), f(2.5), effectiveness.NotMet, 0.5},
		{"not flips met", effectiveness.Criterion{Not: ptr(leaf("a", valuepath.Above, 1))}, f(2), nil, effectiveness.NotMet, 1},
		{"not flips not met", effectiveness.Criterion{Not: ptr(leaf("a", valuepath.Above, 1))}, f(1), nil, effectiveness.Met, 0},
		{"not keeps unknown", effectiveness.Criterion{Not: ptr(leaf("a", valuepath.Above, 1))}, nil, nil, effectiveness.Unknown, 0},
		{"<= gap", leaf("a", valuepath.AtMost, 4), f(5), nil, effectiveness.NotMet, 0.25},
		{"< at the threshold", leaf("a", valuepath.Below, 4), f(4), nil, effectiveness.NotMet, 0},
		{"== with zero threshold", leaf("a", valuepath.Equal, 0), f(-2), nil, effectiveness.NotMet, 2},
		{"!= met", leaf("a", valuepath.NotEqual, 0), f(-2), nil, effectiveness.Met, 0},
		{"met across an overflowing difference", leaf("a", valuepath.AtLeast, -1.7e308), f(1.7e308), nil, effectiveness.Met, 0},
		{"huge gap stays finite", leaf("a", valuepath.AtLeast, 1e-300), f(-1.7e308), nil, effectiveness.NotMet, 1.7976931348623157e308},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valuepath.Must(effectiveness.NewModel(effectiveness.ModelSpec{Phases: []effectiveness.Phase{
				{ID: "p1", Behaviors: []effectiveness.Behavior{{ID: "x", Criterion: tt.cr}}},
				phase("p2", "b"), phase("p3", "a"),
			}}))
			s := valuepath.NewSnapshot(schema, "acme", asOf)
			if tt.a != nil {
				_ = s.Set("a", *tt.a)
			}
			if tt.b != nil {
				_ = s.Set("b", *tt.b)
			}
			got, err := m.Assess(s, effectiveness.Options{})
			if err != nil {
				t.Fatal(err)
			}
			x, _ := got.Behavior("x")
			if x.Status != tt.want || x.Gap.Value != tt.wantGp || math.Signbit(x.Gap.Value) || x.Gap.Present != (tt.want != effectiveness.Unknown) {
				t.Errorf("got %v gap %v, want %v gap %v", x.Status, x.Gap, tt.want, tt.wantGp)
			}
		})
	}
}

func any2() effectiveness.Criterion {
	return effectiveness.Criterion{Any: []effectiveness.Criterion{leaf("a", valuepath.AtLeast, 5), leaf("b", valuepath.AtLeast, 5)}}
}
func f(v float64) *float64                                   { return &v }
func ptr(c effectiveness.Criterion) *effectiveness.Criterion { return &c }

func TestSharePlacement(t *testing.T) {
	// Five behaviors per phase; 0.8 needs four of them.
	var phases []effectiveness.Phase
	for _, id := range []string{"p1", "p2", "p3"} {
		p := effectiveness.Phase{ID: id}
		for i := range 5 {
			p.Behaviors = append(p.Behaviors, effectiveness.Behavior{ID: id + "-" + string(rune('a'+i)), Criterion: leaf(id+"_"+string(rune('a'+i)), valuepath.AtLeast, 1)})
		}
		phases = append(phases, p)
	}
	m := valuepath.Must(effectiveness.NewModel(effectiveness.ModelSpec{Phases: phases, Placement: effectiveness.Placement{Policy: effectiveness.ShareOfBehaviors, Share: 0.8}}))
	var names []valuepath.Metric
	for _, p := range phases {
		for _, b := range p.Behaviors {
			names = append(names, b.Criterion.Metric)
		}
	}
	schema := valuepath.Must(valuepath.NewSchema(names...))
	tests := []struct {
		name         string
		met          []valuepath.Metric
		wantLevel    int
		wantNeeded   int
		wantProgress float64
	}{
		{"four of five reach the phase", []valuepath.Metric{"p1_a", "p1_b", "p1_c", "p1_d", "p2_a"}, 1, 3, 0.25},
		{"a higher phase does not count without the lower", []valuepath.Metric{"p1_a", "p1_b", "p1_c", "p2_a", "p2_b", "p2_c", "p2_d", "p2_e"}, 0, 1, 0.75},
		{"every phase", []valuepath.Metric{"p1_a", "p1_b", "p1_c", "p1_d", "p2_a", "p2_b", "p2_c", "p2_e", "p3_a", "p3_b", "p3_d", "p3_e"}, 3, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valuepath.NewSnapshot(schema, "acme", asOf)
			for _, n := range names {
				v := 0.0
				if slices.Contains(tt.met, n) {
					v = 1
				}
				_ = s.Set(n, v)
			}
			a, err := m.Assess(s, effectiveness.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := []any{a.Level, a.Next.Needed, a.Next.Progress}
			want := []any{tt.wantLevel, tt.wantNeeded, tt.wantProgress}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("level, needed, progress (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBindErrors(t *testing.T) {
	m := crmModel(t)
	narrow := valuepath.Must(valuepath.NewSchema("seat_utilisation", "records_updated_30d", "reports_created_30d", "days_since_qbr", "transactions_30d"))
	_, err := m.Bind(narrow, effectiveness.Options{})
	want := []string{
		`effectiveness: phases[2].behaviors[0].criterion.metric: unknown metric "workflows_run_30d"`,
		`effectiveness: phases[3].behaviors[0].criterion.metric: unknown metric "win_rate"`,
	}
	assert.Equal(t, want, errLines(err))
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	var fe *valuepath.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "phases[2].behaviors[0].criterion.metric", fe.Path)

	// The convenience binds the same way, with the same error.
	s := valuepath.NewSnapshot(narrow, "acme", asOf)
	_, err2 := m.Assess(s, effectiveness.Options{})
	require.ErrorIs(t, err2, valuepath.ErrUnknownMetric)
	assert.Equal(t, want, errLines(err2))
	_, err = m.Assess(nil, effectiveness.Options{})
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Assess of a nil snapshot")
	_, err = m.Bind(nil, effectiveness.Options{})
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Bind to a nil schema")

	// A nested comparison is named by its own path.
	nested := valuepath.Must(effectiveness.NewModel(effectiveness.ModelSpec{Phases: []effectiveness.Phase{
		{ID: "p1", Behaviors: []effectiveness.Behavior{{ID: "x", Criterion: effectiveness.Criterion{All: []effectiveness.Criterion{
			leaf("a", valuepath.AtLeast, 1), {Not: ptr(leaf("tenrue", valuepath.Below, 2))}}}}}},
		phase("p2", "a"), {ID: "p3", Behaviors: []effectiveness.Behavior{{ID: "y", Criterion: leaf("a", valuepath.AtLeast, 2)}}},
	}}))
	_, err = nested.Bind(valuepath.Must(valuepath.NewSchema("a")), effectiveness.Options{})
	assert.EqualError(t, err, `effectiveness: phases[0].behaviors[0].criterion.all[1].not.metric: unknown metric "tenrue"`)
}

func TestAssessIntoErrors(t *testing.T) {
	m := crmModel(t)
	a, err := m.Bind(crmSchema, effectiveness.Options{})
	require.NoError(t, err)
	other, err := valuepath.SnapshotOf("acme", asOf, map[valuepath.Metric]float64{"seat_utilisation": 1})
	require.NoError(t, err)
	for _, tt := range []struct {
		name    string
		snap    *valuepath.Snapshot
		account valuepath.AccountID
	}{
		{"another schema", other, "acme"},
		{"nil snapshot", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Assess(tt.snap)
			var ae *valuepath.AccountError
			require.ErrorAs(t, err, &ae)
			require.ErrorIs(t, err, valuepath.ErrInvalid)
			assert.Equal(t, tt.account, ae.Account)
			// AssessInto fails exactly when Assess does, and leaves dst
			// naming the account with nothing known.
			dst := a.NewAssessment()
			require.NoError(t, a.AssessInto(snap(t, "full", map[valuepath.Metric]float64{"seat_utilisation": 0.9, "records_updated_30d": 200}), dst))
			require.Equal(t, 1, dst.Level)
			intoErr := a.AssessInto(tt.snap, dst)
			require.Error(t, intoErr)
			assert.Equal(t, err.Error(), intoErr.Error())
			assert.Equal(t, tt.account, dst.Account)
			assert.Equal(t, 0, dst.Level)
			b, _ := dst.Behavior("users-active")
			assert.Equal(t, effectiveness.Unknown, b.Status)
			assert.False(t, b.Gap.Present)
		})
	}
}

func TestAssessAllReusesAndClones(t *testing.T) {
	m := crmModel(t)
	a, err := m.Bind(crmSchema, effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snaps := []*valuepath.Snapshot{
		snap(t, "a", map[valuepath.Metric]float64{"seat_utilisation": 0.9, "records_updated_30d": 200}),
		snap(t, "b", map[valuepath.Metric]float64{"seat_utilisation": 0.1}),
	}
	var kept []*effectiveness.Assessment
	for got, err := range a.AssessAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}) {
		require.NoError(t, err)
		kept = append(kept, got.Clone())
	}
	if kept[0].Level != 1 || kept[1].Level != 0 || kept[0].Account != "a" {
		t.Errorf("levels %d, %d; want 1, 0", kept[0].Level, kept[1].Level)
	}
	first, _ := kept[0].Behavior("users-active")
	if first.Status != effectiveness.Met || first.Observed[0].Value != 0.9 {
		t.Errorf("clone changed by reuse: %+v", first)
	}
	single, err := a.Assess(snaps[0])
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(single)
	j2, _ := json.Marshal(kept[0])
	if string(j1) != string(j2) {
		t.Errorf("clone marshals differently:\n%s\n%s", j1, j2)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for range a.AssessAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}) {
		}
	})
	// One assessment per stream (its buffers) and the closures; nothing per account.
	perStream := allocs
	snaps4 := append(append([]*valuepath.Snapshot{}, snaps...), snaps...)
	allocs4 := testing.AllocsPerRun(100, func() {
		for range a.AssessAll(slices.Values(snaps4), valuepath.BatchOptions{Concurrency: 1}) {
		}
	})
	if allocs4 != perStream {
		t.Errorf("allocations grow with accounts: %v for 2, %v for 4", perStream, allocs4)
	}
}

func TestAssessAllYieldsAccountErrors(t *testing.T) {
	m := crmModel(t)
	a, err := m.Bind(crmSchema, effectiveness.Options{})
	require.NoError(t, err)
	other, err := valuepath.SnapshotOf("stray", asOf, map[valuepath.Metric]float64{"seat_utilisation": 1})
	require.NoError(t, err)
	snaps := []*valuepath.Snapshot{
		snap(t, "a", map[valuepath.Metric]float64{"seat_utilisation": 0.9, "records_updated_30d": 200}),
		other,
		nil,
		snap(t, "b", map[valuepath.Metric]float64{"seat_utilisation": 0.1}),
	}
	type row struct {
		Account valuepath.AccountID
		Level   int
		Failed  valuepath.AccountID
	}
	var got []row
	for r, err := range a.AssessAll(slices.Values(snaps), valuepath.BatchOptions{Concurrency: 1}) {
		require.NotNil(t, r, "every input has a result")
		x := row{Account: r.Account, Level: r.Level, Failed: "-"}
		if err != nil {
			var ae *valuepath.AccountError
			require.ErrorAs(t, err, &ae)
			x.Failed = ae.Account
		}
		got = append(got, x)
	}
	want := []row{{"a", 1, "-"}, {"stray", 0, "stray"}, {"", 0, ""}, {"b", 0, "-"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stream (-want +got):\n%s", diff)
	}
}

func TestAssessmentJSON(t *testing.T) {
	m := crmModel(t)
	a, err := m.Assess(snap(t, "acme", map[valuepath.Metric]float64{"seat_utilisation": 0.9, "records_updated_30d": 20}), effectiveness.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Level int
		Next  struct {
			Phase string
			Steps []struct {
				Behavior string
				Status   string
				Gap      valuepath.Number
				Features []string
			}
		}
		Excluded []string
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Level != 0 || back.Next.Phase != "basics" || len(back.Next.Steps) != 1 || back.Next.Steps[0].Status != "not_met" ||
		back.Next.Steps[0].Gap != valuepath.Defined(0.8) || back.Next.Steps[0].Features[0] != "mobile app" || back.Excluded[0] != "win_rate" {
		t.Errorf("JSON does not explain the assessment: %s", data)
	}
}
