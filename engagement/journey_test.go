package engagement_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/internal/validate"
)

func testJourney(t testing.TB) *engagement.Journey {
	t.Helper()
	j, err := engagement.ParseJourney([]byte(`{"enter": {
		"trial": ["trial_started"],
		"adoption": ["kickoff", "sponsor_change"],
		"performance": ["self_sufficient"],
		"transformation": ["expansion"],
		"advocacy": ["reference"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJourneyPosition(t *testing.T) {
	j := testJourney(t)
	start := day(2026, 1, 1, 0)
	log := valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev("trial_started", day(2025, 12, 1, 0)),
		ev("kickoff", day(2026, 1, 5, 0)),
		ev("self_sufficient", day(2026, 3, 1, 0)),
		ev("sponsor_change", day(2026, 5, 1, 0)),
		ev("note", day(2026, 5, 2, 0)),
	}))
	acct := engagement.Input{ID: "acme", Start: start, Events: log}
	tests := []struct {
		asOf time.Time
		want engagement.Position
		ok   bool
	}{
		{day(2025, 11, 1, 0), engagement.Position{}, false},
		{day(2025, 12, 11, 0), engagement.Position{Stage: engagement.Trial, Since: day(2025, 12, 1, 0), InStage: valuepath.Days(10), Event: "trial_started"}, true},
		{day(2026, 1, 3, 0), engagement.Position{Stage: engagement.Decision, Since: start, InStage: valuepath.Days(2)}, true},
		{day(2026, 4, 1, 0), engagement.Position{Stage: engagement.Performance, Since: day(2026, 3, 1, 0), InStage: valuepath.Days(31), Event: "self_sufficient"}, true},
		// A sponsor change sends the account back to adoption.
		{day(2026, 6, 1, 0), engagement.Position{Stage: engagement.Adoption, Since: day(2026, 5, 1, 0), InStage: valuepath.Days(31), Event: "sponsor_change"}, true},
	}
	for _, tt := range tests {
		got, ok := j.Position(acct, tt.asOf)
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(time.Time.Equal)); diff != "" || ok != tt.ok {
			t.Errorf("Position at %s: ok %v (want %v) (-want +got):\n%s", tt.asOf.Format(time.DateOnly), ok, tt.ok, diff)
		}
	}
	if got, _ := j.Stage(engagement.Advocacy); got.Motion != engagement.Boomerang {
		t.Errorf("advocacy motion = %s", got.Motion)
	}
}

func TestJourneyFlow(t *testing.T) {
	j := testJourney(t)
	start := day(2026, 1, 1, 0)
	mk := func(id valuepath.AccountID, evs ...valuepath.Event) engagement.Input {
		return engagement.Input{ID: id, Start: start, Events: valuepath.Must(valuepath.NewEventLog(evs))}
	}
	accts := []engagement.Input{
		mk("a", ev("kickoff", day(2026, 1, 5, 0)), ev("self_sufficient", day(2026, 3, 10, 0))),
		mk("b", ev("kickoff", day(2026, 1, 5, 0))),
		mk("c", ev("kickoff", day(2026, 1, 5, 0)), ev("self_sufficient", day(2026, 2, 1, 0)), ev("reference", day(2026, 3, 20, 0))),
	}
	got := j.Flow(slices.Values(accts), day(2026, 3, 1, 0), day(2026, 4, 1, 0))
	if diff := cmp.Diff([]engagement.Move{
		{From: engagement.Adoption, To: engagement.Performance, Accounts: 1},
		{From: engagement.Performance, To: engagement.Advocacy, Accounts: 1},
	}, got.Moves); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
	counts := map[engagement.Stage]int{}
	for _, s := range got.Stages {
		counts[s.Stage] = s.Accounts
	}
	for _, s := range got.Stages {
		if s.Accounts == 0 {
			assert.Equal(t, valuepath.Absent("no account in the stage"), s.MedianDaysInStage, s.Stage)
		}
	}
	assert.Equal(t, valuepath.Defined(22), got.Stages[5].MedianDaysInStage) // performance since Mar 10
	if diff := cmp.Diff(map[engagement.Stage]int{
		engagement.Awareness: 0, engagement.Consideration: 0, engagement.Trial: 0, engagement.Decision: 0,
		engagement.Adoption: 1, engagement.Performance: 1, engagement.Transformation: 0, engagement.Advocacy: 1,
	}, counts); diff != "" {
		t.Errorf("stage counts (-want +got):\n%s", diff)
	}
}

func TestJourneySpec(t *testing.T) {
	spec := engagement.JourneySpec{ContractStage: engagement.Trial, Enter: map[engagement.Stage][]valuepath.EventKind{engagement.Adoption: {"kickoff"}}}
	j, err := engagement.NewJourney(spec)
	require.NoError(t, err)
	spec.Enter[engagement.Adoption][0] = "changed"
	got := j.Spec()
	assert.Equal(t, engagement.JourneySpec{ContractStage: engagement.Trial, Enter: map[engagement.Stage][]valuepath.EventKind{engagement.Adoption: {"kickoff"}}}, got)
	got.Enter[engagement.Adoption][0] = "changed"
	assert.Equal(t, valuepath.EventKind("kickoff"), j.Spec().Enter[engagement.Adoption][0], "Spec returned storage shared with the journey")
	_, err = engagement.ParseJourney([]byte(`{"enter": {}, "colour": "red"}`))
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}

func TestNewJourneyRejects(t *testing.T) {
	_, err := engagement.NewJourney(engagement.JourneySpec{ContractStage: "signed", Enter: map[engagement.Stage][]valuepath.EventKind{
		engagement.Adoption: {"kickoff", ""}, engagement.Advocacy: {"kickoff"}, "delight": {"x"},
	}})
	want := []string{`contract_stage`, `enter["adoption"][1]`, `enter["advocacy"][0]`, `enter["delight"]`}
	if diff := cmp.Diff(want, validate.Paths(err)); diff != "" {
		t.Errorf("paths (-want +got):\n%s\n%v", diff, err)
	}
}

// TestBuiltInJourneys checks the two built-in stage sets against the
// practice: the boomerang (default) has customer success relaying with
// sales and marketing in performance, transformation and advocacy, the
// product team at every stage and finance from the signature on; the
// classic funnel-to-ellipse hands off at the contract.
func TestBuiltInJourneys(t *testing.T) {
	order := []engagement.Stage{engagement.Awareness, engagement.Consideration, engagement.Trial, engagement.Decision,
		engagement.Adoption, engagement.Performance, engagement.Transformation, engagement.Advocacy}
	motions := []engagement.Motion{engagement.Demand, engagement.Demand, engagement.Demand, engagement.Demand,
		engagement.Turnaround, engagement.Expand, engagement.Expand, engagement.Boomerang}
	j, err := engagement.NewJourney(engagement.JourneySpec{})
	require.NoError(t, err)
	assert.Equal(t, engagement.BoomerangStages(), j.Stages(), "the default is the boomerang")
	for _, tt := range []struct {
		name   string
		stages []engagement.StageSpec
		lead   []string
	}{
		{"boomerang", engagement.BoomerangStages(), []string{"marketing", "marketing", "sales", "sales", "customer success", "customer success", "customer success", "customer success"}},
		{"funnel to ellipse", engagement.FunnelToEllipseStages(), []string{"marketing", "marketing", "sales", "sales", "onboarding", "customer success", "customer success", "customer success"}},
	} {
		require.Len(t, tt.stages, 8, tt.name)
		for i, st := range tt.stages {
			assert.Equal(t, order[i], st.Name, tt.name)
			assert.Equal(t, motions[i], st.Motion, tt.name)
			assert.Equal(t, tt.lead[i], st.Teams[0], "%s %s", tt.name, st.Name)
		}
	}
	b := engagement.BoomerangStages()
	for i, st := range b {
		assert.Contains(t, st.Teams, "product", "product across the whole journey: %s", st.Name)
		// finance from the signature (decision and contract, index 3) on
		if i >= 3 {
			assert.Contains(t, st.Teams, "finance", st.Name)
		} else {
			assert.NotContains(t, st.Teams, "finance", st.Name)
		}
		// customer success relays with sales and marketing from performance (5) on
		if i >= 5 {
			assert.Subset(t, st.Teams, []string{"customer success", "sales", "marketing"}, st.Name)
		}
	}
	// The classic funnel hands off: no sales or product after the contract.
	for _, st := range engagement.FunnelToEllipseStages()[4:] {
		assert.NotContains(t, st.Teams, "sales", st.Name)
		assert.NotContains(t, st.Teams, "product", st.Name)
	}
	// Callers cannot change a journey's stages through what it returns.
	got := j.Stages()
	got[0].Teams[0] = "changed"
	st, ok := j.Stage(engagement.Awareness)
	require.True(t, ok)
	assert.Equal(t, "marketing", st.Teams[0])
	_, ok = j.Stage("delight")
	assert.False(t, ok)
}

// TestJourneyOwnStages: stages are data; a journey of one's own names its
// stages, and Flow lists them in its order.
func TestJourneyOwnStages(t *testing.T) {
	spec := engagement.JourneySpec{
		Stages: []engagement.StageSpec{
			{Name: "signed", Motion: "land", Teams: []string{"sales"}},
			{Name: "live", Motion: "land", Teams: []string{"customer success", "product"}},
			{Name: "expanding", Motion: "expand", Teams: []string{"customer success", "sales"}},
		},
		ContractStage: "signed",
		Enter:         map[engagement.Stage][]valuepath.EventKind{"live": {"kickoff"}, "expanding": {"upsell"}},
	}
	j, err := engagement.NewJourney(spec)
	require.NoError(t, err)
	assert.Equal(t, spec, j.Spec())
	start := day(2026, 1, 1, 0)
	mk := func(id valuepath.AccountID, evs ...valuepath.Event) engagement.Input {
		return engagement.Input{ID: id, Start: start, Events: valuepath.Must(valuepath.NewEventLog(evs))}
	}
	accts := []engagement.Input{
		mk("a"), // signed since Jan 1
		mk("b", ev("kickoff", day(2026, 1, 10, 0))),
		mk("c", ev("kickoff", day(2026, 1, 10, 0)), ev("upsell", day(2026, 2, 15, 0))),
	}
	// At Mar 1: a signed (59 days since Jan 1), b live (50 days since Jan
	// 10), c expanding (14 days since Feb 15). At Feb 1: a signed, b and c
	// live; so one move, live → expanding (c).
	f := j.Flow(slices.Values(accts), day(2026, 2, 1, 0), day(2026, 3, 1, 0))
	var got []string
	for _, s := range f.Stages {
		got = append(got, fmt.Sprintf("%s %d %v", s.Stage, s.Accounts, s.MedianDaysInStage.Value))
	}
	assert.Equal(t, []string{"signed 1 59", "live 1 50", "expanding 1 14"}, got)
	assert.Equal(t, []engagement.Move{{From: "live", To: "expanding", Accounts: 1}}, f.Moves)

	_, err = engagement.NewJourney(engagement.JourneySpec{Stages: []engagement.StageSpec{
		{Name: "a", Motion: "m", Teams: []string{"x"}},
		{Name: "a", Motion: "", Teams: nil},
		{Name: "", Motion: "m", Teams: []string{""}},
	}, Enter: map[engagement.Stage][]valuepath.EventKind{"adoption": {"kickoff"}}})
	want := []string{"contract_stage", `enter["adoption"]`, "stages[1].motion", "stages[1].name", "stages[1].teams", "stages[2].name", "stages[2].teams[0]"}
	if diff := cmp.Diff(want, validate.Paths(err)); diff != "" {
		t.Errorf("paths (-want +got):\n%s\n%v", diff, err)
	}
}
