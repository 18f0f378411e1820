package engagement_test

import (
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
	if got := engagement.Advocacy.Motion(); got != engagement.Boomerang {
		t.Errorf("advocacy motion = %s", got)
	}
	if got := engagement.Adoption.Teams(); got[0] != "onboarding" {
		t.Errorf("adoption teams = %v", got)
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

func TestStageMotionAndTeams(t *testing.T) {
	want := map[engagement.Stage]struct {
		motion engagement.Motion
		lead   string
	}{
		engagement.Awareness:      {engagement.Demand, "marketing"},
		engagement.Consideration:  {engagement.Demand, "marketing"},
		engagement.Trial:          {engagement.Demand, "sales"},
		engagement.Decision:       {engagement.Demand, "sales"},
		engagement.Adoption:       {engagement.Turnaround, "onboarding"},
		engagement.Performance:    {engagement.Expand, "customer success"},
		engagement.Transformation: {engagement.Expand, "customer success"},
		engagement.Advocacy:       {engagement.Boomerang, "customer success"},
	}
	stages := engagement.Stages()
	require.Len(t, stages, len(want))
	for _, st := range stages {
		assert.Equal(t, want[st].motion, st.Motion(), st)
		assert.Equal(t, want[st].lead, st.Teams()[0], st)
	}
	assert.Empty(t, engagement.Stage("delight").Motion())
	assert.Nil(t, engagement.Stage("delight").Teams())
}
