package engagement_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/internal/validate"
)

// testSpec is a small high-touch model used across the tests: a three-step
// onboarding, a quarterly review, and three kinds of trigger.
func testSpec() engagement.ModelSpec {
	six := 6.0
	return engagement.ModelSpec{
		Segment:       "enterprise",
		ValueEvent:    "first_metrics_review",
		AdvocacyEvent: "reference",
		Moments: []engagement.Moment{
			{ID: "kickoff", Name: "Kickoff", Phase: engagement.Onboarding, Owner: "csm", Objective: "agree goals", CompletedBy: "kickoff", Within: valuepath.Days(7), StuckAfter: valuepath.Days(21), EscalateTo: "cs_manager"},
			{ID: "activation", Name: "Activation", Phase: engagement.Onboarding, Owner: "automated", CompletedBy: "first_login", After: "kickoff", Within: valuepath.Days(5)},
			{ID: "users", Name: "Ten users", Phase: engagement.Onboarding, Owner: "csm", CompletedWhen: &engagement.Condition{Metric: "users", Op: valuepath.AtLeast, Value: 10}, After: "activation", Within: valuepath.Days(14), StuckAfter: valuepath.Days(28), EscalateTo: "cs_manager"},
			{ID: "qbr", Name: "Quarterly business review", Phase: engagement.Ongoing, Owner: "csm", CompletedBy: "qbr", Cadence: &engagement.Cadence{Unit: engagement.UnitQuarter, Every: 1}, Within: valuepath.Days(14)},
			{ID: "critical_case", Name: "Critical case follow-up", Phase: engagement.Ongoing, Owner: "support_lead", CompletedBy: "case_review", Within: valuepath.Days(2),
				Trigger: &engagement.Trigger{Event: "support_case", Attr: "severity", In: []string{"high", "critical"}, Cooldown: valuepath.Days(14), DedupeKey: "exec"}},
			{ID: "detractor", Name: "Detractor call", Phase: engagement.Ongoing, Owner: "csm", CompletedBy: "call", Within: valuepath.Days(3),
				Trigger: &engagement.Trigger{Event: "survey", Attr: "score", AtMost: &six, Cooldown: valuepath.Days(30)}},
			{ID: "quiet", Name: "Quiet account check-in", Phase: engagement.Ongoing, Owner: "automated", CompletedBy: "checkin", Within: valuepath.Days(7),
				Trigger: &engagement.Trigger{Absent: "support_case", For: valuepath.Days(60), Cooldown: valuepath.Days(30)}},
			{ID: "usage_drop", Name: "Usage drop call", Phase: engagement.Ongoing, Owner: "csm", CompletedBy: "call", Within: valuepath.Days(5),
				Trigger: &engagement.Trigger{When: &engagement.Condition{Metric: "logins_change_30d", Op: valuepath.AtMost, Value: -0.2}, Cooldown: valuepath.Days(30)}},
		},
	}
}

func TestNewRejectsBadModels(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(s *engagement.ModelSpec)
		paths  []string
		target error
	}{
		{"empty segment", func(s *engagement.ModelSpec) { s.Segment = "" }, []string{"segment"}, valuepath.ErrInvalid},
		{"no moments", func(s *engagement.ModelSpec) { s.Moments = nil }, []string{"moments"}, valuepath.ErrInvalid},
		{"duplicate id", func(s *engagement.ModelSpec) { s.Moments[1].ID = "kickoff"; s.Moments[2].After = "kickoff" }, []string{"moments[1].id"}, valuepath.ErrDuplicate},
		{"zero offset", func(s *engagement.ModelSpec) { s.Moments[0].Within = 0 }, []string{"moments[0].within"}, valuepath.ErrInvalid},
		{"negative offset", func(s *engagement.ModelSpec) { s.Moments[1].Within = -valuepath.Days(1) }, []string{"moments[1].within"}, valuepath.ErrInvalid},
		{"stuck before due", func(s *engagement.ModelSpec) { s.Moments[2].StuckAfter = valuepath.Days(3) }, []string{"moments[2].stuck_after"}, valuepath.ErrInvalid},
		{"unknown predecessor", func(s *engagement.ModelSpec) { s.Moments[1].After = "nope" }, []string{"moments[1].after"}, valuepath.ErrInvalid},
		{"cycle", func(s *engagement.ModelSpec) { s.Moments[0].After = "users" }, []string{"moments[0].after"}, valuepath.ErrCycle},
		{"self cycle", func(s *engagement.ModelSpec) { s.Moments[0].After = "kickoff" }, []string{"moments[0].after"}, valuepath.ErrCycle},
		{"zero cadence", func(s *engagement.ModelSpec) { s.Moments[3].Cadence.Every = 0 }, []string{"moments[3].cadence.every"}, valuepath.ErrInvalid},
		{"bad unit and anchor", func(s *engagement.ModelSpec) {
			s.Moments[3].Cadence.Unit = "fortnight"
			s.Moments[3].Cadence.Anchor = "moon"
		}, []string{"moments[3].cadence.anchor", "moments[3].cadence.unit"}, valuepath.ErrInvalid},
		{"zero cooldown", func(s *engagement.ModelSpec) { s.Moments[4].Trigger.Cooldown = 0 }, []string{"moments[4].trigger.cooldown"}, valuepath.ErrInvalid},
		{"two trigger sources", func(s *engagement.ModelSpec) { s.Moments[4].Trigger.Absent = "qbr" }, []string{"moments[4].trigger"}, valuepath.ErrInvalid},
		{"absence without period", func(s *engagement.ModelSpec) { s.Moments[6].Trigger.For = 0 }, []string{"moments[6].trigger.for"}, valuepath.ErrInvalid},
		{"cadence and trigger", func(s *engagement.ModelSpec) { s.Moments[3].Trigger = &engagement.Trigger{Event: "x", Cooldown: 1} }, []string{"moments[3]"}, valuepath.ErrInvalid},
		{"nothing completes", func(s *engagement.ModelSpec) { s.Moments[3].CompletedBy = "" }, []string{"moments[3]"}, valuepath.ErrInvalid},
		{"bad condition", func(s *engagement.ModelSpec) { s.Moments[7].Trigger.When.Op = "~" }, []string{"moments[7].trigger.when.op"}, valuepath.ErrInvalid},
		{"unknown phase, empty owner", func(s *engagement.ModelSpec) { s.Moments[0].Phase = "cruise"; s.Moments[0].Owner = "" }, []string{"moments[0].owner", "moments[0].phase", "moments[1].after"}, valuepath.ErrInvalid},
		{"ongoing with predecessor", func(s *engagement.ModelSpec) { s.Moments[3].After = "kickoff" }, []string{"moments[3].after"}, valuepath.ErrInvalid},
		{"triggered moment without response time", func(s *engagement.ModelSpec) { s.Moments[5].Within = 0 }, []string{"moments[5].within"}, valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := testSpec()
			tt.edit(&spec)
			m, err := engagement.NewModel(spec)
			if err == nil {
				t.Fatalf("New: got model %v, want error", m.Segment())
			}
			if diff := cmp.Diff(tt.paths, validate.Paths(err)); diff != "" {
				t.Errorf("error paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if !errors.Is(err, tt.target) {
				t.Errorf("error %v does not wrap %v", err, tt.target)
			}
			if !strings.HasPrefix(err.Error(), "engagement: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestNewDoesNotRetainSpec(t *testing.T) {
	spec := testSpec()
	m := valuepath.Must(engagement.NewModel(spec))
	spec.Moments[4].Trigger.In[0] = "low"
	spec.Moments[0].ID = "changed"
	got := m.Spec()
	if got.Moments[0].ID != "kickoff" || got.Moments[4].Trigger.In[0] != "high" {
		t.Errorf("model changed with the caller's spec: %+v", got.Moments[4].Trigger)
	}
	got.Moments[4].Trigger.In[0] = "low"
	if m.Spec().Moments[4].Trigger.In[0] != "high" {
		t.Error("Spec returned storage shared with the model")
	}
}

func TestParseRoundTrips(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	js, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := engagement.ParseModel(js)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m.Spec(), back.Spec()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"unknown field", `{"segment":"smb","moments":[],"colour":"red"}`, `colour: unknown field`},
		{"trailing data", `{"segment":"smb","moments":[{"id":"a","name":"A","phase":"onboarding","owner":"x","completed_by":"a","within":"1d"}]} {}`, "data after"},
		{"bad duration", `{"segment":"smb","moments":[{"id":"a","name":"A","phase":"onboarding","owner":"x","completed_by":"a","within":"soon"}]}`, `duration "soon"`},
		{"invalid model", `{"segment":"smb","moments":[{"id":"a","name":"A","phase":"ongoing","owner":"x","completed_by":"a","cadence":{"unit":"week","every":-1}}]}`, "moments[0].cadence.every"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := engagement.ParseModel([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	smb := testSpec()
	smb.Segment = "smb"
	spec := engagement.CatalogSpec{testSpec(), smb}
	cat, err := engagement.NewCatalog(spec)
	require.NoError(t, err)
	m, ok := cat.Model("smb")
	require.True(t, ok)
	assert.Equal(t, "smb", m.Segment())
	_, ok = cat.Model("nowhere")
	assert.False(t, ok)
	if diff := cmp.Diff(spec, cat.Spec()); diff != "" {
		t.Errorf("Spec (-want +got):\n%s", diff)
	}
	spec[1].Segment = "changed"
	assert.Equal(t, "smb", cat.Spec()[1].Segment, "the catalog kept the caller's spec")

	_, err = engagement.NewCatalog(engagement.CatalogSpec{testSpec(), testSpec()})
	require.ErrorIs(t, err, valuepath.ErrDuplicate)
	assert.Equal(t, []string{"models[1].segment"}, validate.Paths(err))

	js, err := cat.MarshalJSON()
	require.NoError(t, err)
	back, err := engagement.ParseCatalog(js)
	require.NoError(t, err)
	var segs []string
	for m := range back.Models() {
		segs = append(segs, m.Segment())
	}
	assert.Equal(t, []string{"enterprise", "smb"}, segs)
	_, err = engagement.ParseCatalog([]byte(`[{"segment":"a","moments":[]},{"segment":"b","moments":[{"id":"x","name":"X","phase":"onboarding","owner":"o","completed_by":"x","within":"0d"}]}]`))
	assert.Equal(t, []string{"models[0].moments", "models[1].moments[0].within"}, validate.Paths(err))
	_, err = engagement.ParseCatalog([]byte(`{"segment":"a"}`))
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}
