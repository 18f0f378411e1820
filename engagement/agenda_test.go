package engagement_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/internal/validate"
)

func day(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

func ev(kind valuepath.EventKind, at time.Time, attrs ...string) valuepath.Event {
	e := valuepath.Event{Account: "acme", Kind: kind, At: at}
	if len(attrs) > 0 {
		e.Attrs = map[string]string{}
		for i := 0; i+1 < len(attrs); i += 2 {
			e.Attrs[attrs[i]] = attrs[i+1]
		}
	}
	return e
}

func snapshot(t testing.TB, values map[valuepath.Metric]float64) *valuepath.Snapshot {
	t.Helper()
	s, err := valuepath.SnapshotOf("acme", day(2026, 3, 1, 0), values)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// row is the part of an item the tests compare.
type row struct {
	Moment      string
	Status      engagement.ItemStatus
	Opens, Due  time.Time
	CompletedAt time.Time
	Late        valuepath.Duration
	Progress    engagement.Progress
}

func rows(a *engagement.Agenda) []row {
	out := make([]row, len(a.Items))
	for i, it := range a.Items {
		out[i] = row{it.Moment, it.Status, it.Opens, it.Due, it.CompletedAt, it.Late, it.Progress}
	}
	return out
}

func TestAgenda(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	start := day(2026, 1, 5, 9)
	asOf := day(2026, 3, 1, 0)
	tests := []struct {
		name        string
		acct        engagement.Input
		asOf        time.Time
		want        []row
		escalations []engagement.Escalation
	}{
		{
			name: "onboarding stuck, triggers fired and answered",
			acct: engagement.Input{ID: "acme", Start: start, Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
				ev("kickoff", day(2026, 1, 9, 10)),
				ev("first_login", day(2026, 1, 20, 8)),
				ev("support_case", day(2026, 2, 10, 9), "severity", "high"),
				ev("case_review", day(2026, 2, 11, 9)),
				ev("support_case", day(2026, 2, 20, 9), "severity", "critical"), // within the cooldown
				ev("support_case", day(2026, 2, 21, 9), "severity", "low"),
				ev("survey", day(2026, 2, 25, 12), "score", "5"),
			})), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 4, "logins_change_30d": -0.35})},
			asOf: asOf,
			want: []row{
				{Moment: "kickoff", Status: engagement.Completed, Opens: start, Due: day(2026, 1, 12, 9), CompletedAt: day(2026, 1, 9, 10), Progress: engagement.Reached},
				{Moment: "activation", Status: engagement.Completed, Opens: day(2026, 1, 9, 10), Due: day(2026, 1, 14, 10), CompletedAt: day(2026, 1, 20, 8), Progress: engagement.Reached},
				{Moment: "users", Status: engagement.Overdue, Opens: day(2026, 1, 20, 8), Due: day(2026, 2, 3, 8), Late: valuepath.Duration(25*24*time.Hour + 16*time.Hour), Progress: engagement.Stuck},
				{Moment: "qbr", Status: engagement.Upcoming, Opens: day(2026, 4, 5, 9), Due: day(2026, 4, 19, 9)},
				{Moment: "critical_case", Status: engagement.Completed, Opens: day(2026, 2, 10, 9), Due: day(2026, 2, 12, 9), CompletedAt: day(2026, 2, 11, 9)},
				{Moment: "detractor", Status: engagement.Overdue, Opens: day(2026, 2, 25, 12), Due: day(2026, 2, 28, 12), Late: valuepath.Duration(12 * time.Hour)},
				{Moment: "usage_drop", Status: engagement.Due, Opens: asOf, Due: day(2026, 3, 6, 0)},
			},
			escalations: []engagement.Escalation{{
				Moment: "users", Name: "Ten users", To: "cs_manager", Level: engagement.Stuck, Since: day(2026, 2, 3, 8), Late: valuepath.Duration(25*24*time.Hour + 16*time.Hour),
				Rule: engagement.Rule{Kind: engagement.RuleOffset, From: "activation", Base: day(2026, 1, 20, 8), Within: valuepath.Days(14)},
			}},
		},
		{
			name: "cruise: review done, quiet account, recent usage call",
			acct: engagement.Input{ID: "acme", Start: day(2025, 6, 2, 9), TimeZone: "Europe/Berlin", Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
				ev("kickoff", day(2025, 6, 3, 9)),
				ev("first_login", day(2025, 6, 4, 9)),
				ev("support_case", day(2025, 10, 1, 9), "severity", "low"),
				ev("qbr", day(2025, 12, 10, 9)),
				ev("call", day(2026, 2, 14, 9)),
			})), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 40, "logins_change_30d": -0.5})},
			asOf: asOf,
			want: []row{
				{Moment: "kickoff", Status: engagement.Completed, Opens: day(2025, 6, 2, 9), Due: day(2025, 6, 9, 9), CompletedAt: day(2025, 6, 3, 9), Progress: engagement.Reached},
				{Moment: "activation", Status: engagement.Completed, Opens: day(2025, 6, 3, 9), Due: day(2025, 6, 8, 9), CompletedAt: day(2025, 6, 4, 9), Progress: engagement.Reached},
				// Completed by its condition: the time is unknown.
				{Moment: "users", Status: engagement.Completed, Opens: day(2025, 6, 4, 9), Due: day(2025, 6, 18, 9), Progress: engagement.Reached},
				// 09:00 UTC on Jun 2 is 11:00 in Berlin (CEST); the reviews stay at
				// 11:00 Berlin time, which is 10:00 UTC in winter.
				{Moment: "qbr", Status: engagement.Completed, Opens: day(2025, 12, 2, 10), Due: day(2025, 12, 16, 10), CompletedAt: day(2025, 12, 10, 9)},
				{Moment: "qbr", Status: engagement.Upcoming, Opens: day(2026, 3, 2, 10), Due: day(2026, 3, 16, 10)},
				// Silent since Oct 1 + 60d = Nov 30, then every 30 days: Dec 30, Jan 29, Feb 28.
				{Moment: "quiet", Status: engagement.Due, Opens: day(2026, 2, 28, 9), Due: day(2026, 3, 7, 9)},
				{Moment: "usage_drop", Status: engagement.Completed, Opens: day(2026, 2, 14, 9), Due: day(2026, 2, 19, 9), CompletedAt: day(2026, 2, 14, 9)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := m.Agenda(tt.acct, tt.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows(a), cmp.Comparer(time.Time.Equal)); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.escalations, a.Escalations, cmp.Comparer(time.Time.Equal)); diff != "" {
				t.Errorf("escalations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAgendaRules(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	a, err := m.Agenda(engagement.Input{ID: "acme", Start: day(2026, 1, 5, 9), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev("kickoff", day(2026, 1, 9, 10)),
		ev("survey", day(2026, 2, 25, 12), "score", "5"),
	})), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 4, "logins_change_30d": -0.35})}, day(2026, 3, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range a.Items {
		got = append(got, it.Moment+": "+it.Rule.String())
	}
	want := []string{
		"kickoff: due 7d after the contract start on 2026-01-05",
		"activation: due 5d after kickoff on 2026-01-09",
		"users: due 14d after activation, once it is completed",
		"qbr: every 1 quarter from the contract start, occurrence of 2026-04-05",
		"detractor: fired by survey on 2026-02-25",
		"usage_drop: logins_change_30d <= -0.2 holds (-0.35) on 2026-03-01",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if a.Items[2].Status != engagement.Waiting || a.Items[1].Status != engagement.Overdue {
		t.Errorf("activation %s, users %s; want overdue and waiting", a.Items[1].Status, a.Items[2].Status)
	}
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{`"late":"45d14h"`, `"escalations":[]`, `"status":"waiting"`, `"explain":"fired by survey on 2026-02-25"`} {
		if !strings.Contains(string(js), frag) {
			t.Errorf("JSON lacks %s:\n%s", frag, js)
		}
	}
	if strings.Contains(string(js), "0001-01-01") {
		t.Errorf("JSON shows a zero time:\n%s", js)
	}
}

func TestAgendaErrors(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	asOf := day(2026, 3, 1, 0)
	snap := snapshot(t, map[valuepath.Metric]float64{"users": 3, "logins_change_30d": 0})
	tests := []struct {
		name   string
		acct   engagement.Input
		paths  []string
		target error
	}{
		{"unknown zone", engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0), TimeZone: "Mars/Olympus", Snapshot: snap}, []string{"time_zone"}, valuepath.ErrInvalid},
		{"local zone", engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0), TimeZone: "Local", Snapshot: snap}, []string{"time_zone"}, valuepath.ErrInvalid},
		{"start after asOf", engagement.Input{ID: "acme", Start: day(2026, 4, 1, 0), Snapshot: snap}, []string{"start"}, valuepath.ErrInvalid},
		{"no start, no id", engagement.Input{Snapshot: snap}, []string{"id", "start"}, valuepath.ErrInvalid},
		{"events in the future", engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0), Snapshot: snap, Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
			ev("kickoff", day(2026, 1, 2, 0)), ev("qbr", asOf), ev("qbr", day(2026, 3, 5, 0)),
		}))}, []string{"events[1].at"}, valuepath.ErrOutOfOrder},
		{"nil snapshot", engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0)}, []string{"snapshot"}, valuepath.ErrInvalid},
		{"snapshot without a schema", engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0), Snapshot: &valuepath.Snapshot{}}, []string{"snapshot"}, valuepath.ErrInvalid},
		{"snapshot lacking the model's metrics", engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0), Snapshot: snapshot(t, map[valuepath.Metric]float64{"logins": 3})},
			[]string{"moments[2].completed_when.metric", "moments[7].trigger.when.metric"}, valuepath.ErrUnknownMetric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := m.Agenda(tt.acct, asOf)
			assert.Nil(t, a)
			if diff := cmp.Diff(tt.paths, validate.Paths(err)); diff != "" {
				t.Errorf("paths (-want +got):\n%s\n%v", diff, err)
			}
			var ae *valuepath.AccountError
			require.ErrorAs(t, err, &ae)
			require.ErrorIs(t, err, tt.target)
			// AgendaInto fails exactly when Agenda does, with the same error.
			var dst engagement.Agenda
			assert.Equal(t, err.Error(), m.AgendaInto(tt.acct, asOf, &dst).Error())
		})
	}
	_, err := m.Agenda(engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 3})}, asOf)
	assert.EqualError(t, err, `valuepath: account "acme": engagement: moments[7].trigger.when.metric: unknown metric "logins_change_30d"`)
}

func TestCheck(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	require.NoError(t, m.Check(valuepath.Must(valuepath.NewSchema("logins_change_30d", "users", "nps"))))
	err := m.Check(valuepath.Must(valuepath.NewSchema("users")))
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.EqualError(t, err, `engagement: moments[7].trigger.when.metric: unknown metric "logins_change_30d"`)
	require.ErrorIs(t, m.Check(nil), valuepath.ErrInvalid)

	// A model that reads no metric needs no snapshot and fits any schema.
	spec := testSpec()
	spec.Moments = spec.Moments[:2]
	plain := valuepath.Must(engagement.NewModel(spec))
	require.NoError(t, plain.Check(valuepath.Must(valuepath.NewSchema("nps"))))
	_, err = plain.Agenda(engagement.Input{ID: "acme", Start: day(2026, 1, 1, 0)}, day(2026, 3, 1, 0))
	require.NoError(t, err)

	smb := testSpec()
	smb.Segment = "smb"
	cat := valuepath.Must(engagement.NewCatalog(engagement.CatalogSpec{spec, smb}))
	err = cat.Check(valuepath.Must(valuepath.NewSchema("users")))
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.Equal(t, []string{"models[1].moments[7].trigger.when.metric"}, validate.Paths(err))
}

func TestAgendaCount(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	a, err := m.Agenda(engagement.Input{ID: "acme", Start: day(2026, 1, 5, 9), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 4, "logins_change_30d": 0}),
		Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{ev("kickoff", day(2026, 1, 9, 10))}))}, day(2026, 3, 1, 0))
	require.NoError(t, err)
	assert.Equal(t, 1, a.Count(engagement.Completed))
	assert.Equal(t, 1, a.Count(engagement.Overdue))
	assert.Equal(t, 1, a.Count(engagement.Waiting))
	assert.Equal(t, 1, a.Count(engagement.Upcoming))
	assert.Equal(t, 0, a.Count(engagement.Due))
}

func TestAgendaIntoReuses(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	acct := engagement.Input{ID: "acme", Start: day(2025, 6, 2, 9), TimeZone: "America/Chicago", Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev("kickoff", day(2025, 6, 3, 9)), ev("support_case", day(2025, 10, 1, 9), "severity", "critical"), ev("survey", day(2026, 1, 2, 9), "score", "9"),
	})), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 12, "logins_change_30d": -0.3})}
	var a engagement.Agenda
	if err := m.AgendaInto(acct, day(2026, 3, 1, 0), &a); err != nil {
		t.Fatal(err)
	}
	first := rows(&a)
	allocs := testing.AllocsPerRun(50, func() {
		if err := m.AgendaInto(acct, day(2026, 3, 1, 0), &a); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AgendaInto allocates %v times per account in the steady state", allocs)
	}
	if diff := cmp.Diff(first, rows(&a), cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("a reused agenda differs (-first +again):\n%s", diff)
	}
}

func TestAgendasStreamsErrorsAndGoesOn(t *testing.T) {
	cat, err := engagement.NewCatalog(engagement.CatalogSpec{testSpec()})
	require.NoError(t, err)
	snap := snapshot(t, map[valuepath.Metric]float64{"users": 3, "logins_change_30d": 0})
	accts := []engagement.Input{
		{ID: "a", Segment: "enterprise", Start: day(2026, 1, 1, 0), Snapshot: snap},
		{ID: "b", Segment: "unknown", Start: day(2026, 1, 1, 0), Snapshot: snap},
		{ID: "c", Segment: "enterprise", Start: day(2026, 1, 1, 0), TimeZone: "Nowhere/Else", Snapshot: snap},
		{ID: "d", Segment: "enterprise", Start: day(2026, 2, 1, 0), Snapshot: snap},
		{ID: "e", Segment: "enterprise", Start: day(2026, 2, 1, 0)},
		{ID: "f", Segment: "enterprise", Start: day(2026, 2, 1, 0), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 3})},
	}
	var got []string
	for a, err := range cat.AgendaAll(slices.Values(accts), day(2026, 3, 1, 0), valuepath.BatchOptions{Concurrency: 1}) {
		if err != nil {
			var ae *valuepath.AccountError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, a.Account, ae.Account)
		}
		var fe *valuepath.FieldError
		switch {
		case errors.As(err, &fe):
			got = append(got, string(a.Account)+": "+fe.Path)
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, fmt.Sprintf("%s: %d items", a.Account, len(a.Items)))
		}
	}
	want := []string{"a: 4 items", "b: segment", "c: time_zone", "d: 4 items", "e: snapshot", "f: moments[7].trigger.when.metric"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stream (-want +got):\n%s", diff)
	}
	if _, err := cat.Workload(slices.Values(accts), day(2026, 3, 1, 0), 0); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("Workload with a zero period: got %v", err)
	}
	wl, err := cat.Workload(slices.Values(accts), day(2026, 3, 1, 0), 7*valuepath.Day)
	if len(validate.Paths(err)) != 4 || wl == nil || len(wl.Roles) == 0 {
		t.Errorf("Workload: got %v roles, error %v; want the good accounts' work and two errors", wl, err)
	}
}

func TestModelIsSafeForConcurrentUse(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	acct := engagement.Input{ID: "acme", Start: day(2025, 6, 2, 9), TimeZone: "Europe/Berlin", Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev("kickoff", day(2025, 6, 3, 9)), ev("survey", day(2026, 1, 2, 9), "score", "2"),
	})), Snapshot: snapshot(t, map[valuepath.Metric]float64{"users": 4, "logins_change_30d": -0.5})}
	want, err := m.Agenda(acct, day(2026, 3, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a engagement.Agenda
			for range 50 {
				if err := m.AgendaInto(acct, day(2026, 3, 1, 0), &a); err != nil {
					t.Error(err)
					return
				}
				if diff := cmp.Diff(rows(want), rows(&a), cmp.Comparer(time.Time.Equal)); diff != "" {
					t.Error(diff)
					return
				}
			}
		}()
	}
	wg.Wait()
}
