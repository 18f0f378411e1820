package engagement_test

import (
	"encoding/json"
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

func TestTimes(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	start := day(2026, 1, 1, 0)
	acct := engagement.Input{ID: "acme", Start: start, Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev("kickoff", day(2026, 1, 3, 0)), ev("first_metrics_review", day(2026, 2, 10, 12)), ev("first_metrics_review", day(2026, 3, 1, 0)),
	}))}
	got := m.Times(acct, day(2026, 4, 1, 0))
	want := engagement.Times{
		ToValue:    engagement.Elapsed{Present: true, Reached: true, At: day(2026, 2, 10, 12), Elapsed: valuepath.Duration(40*valuepath.Day + 12*time.Hour)},
		ToAdvocacy: engagement.Elapsed{Present: true, Elapsed: valuepath.Days(90)},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("Times (-want +got):\n%s", diff)
	}
	// An event after the cut-off does not count.
	if e := engagement.TimeTo(acct, "first_metrics_review", day(2026, 2, 1, 0)); e.Reached || e.Elapsed != valuepath.Days(31) {
		t.Errorf("TimeTo before the event = %+v", e)
	}
	// Nothing to measure is absent, with the reason, never zero.
	for _, tt := range []struct {
		acct engagement.Input
		kind valuepath.EventKind
		why  string
	}{
		{acct, "", "no event kind to measure"},
		{engagement.Input{ID: "acme"}, "kickoff", "no contract start"},
		{engagement.Input{ID: "acme", Start: day(2026, 5, 1, 0)}, "kickoff", "the contract starts at or after asOf"},
	} {
		e := engagement.TimeTo(tt.acct, tt.kind, day(2026, 4, 1, 0))
		assert.Equal(t, engagement.Elapsed{Reason: tt.why}, e)
	}
	spec := testSpec()
	spec.ValueEvent, spec.AdvocacyEvent = "", ""
	times := valuepath.Must(engagement.NewModel(spec)).Times(acct, day(2026, 4, 1, 0))
	assert.False(t, times.ToValue.Present)
	assert.Equal(t, "the model names no advocacy event", times.ToAdvocacy.Reason)
	js, err := json.Marshal(times)
	require.NoError(t, err)
	assert.JSONEq(t, `{"to_value":{"present":false,"reason":"the model names no value event"},"to_advocacy":{"present":false,"reason":"the model names no advocacy event"}}`, string(js))
	js, err = json.Marshal(m.Times(acct, day(2026, 2, 1, 0)).ToValue)
	require.NoError(t, err)
	assert.JSONEq(t, `{"present":true,"reached":false,"elapsed":"31d"}`, string(js))
}

func TestTransitions(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	asOf := day(2026, 6, 1, 0)
	mk := func(id valuepath.AccountID, start time.Time, kickoffDays, loginDays int) engagement.Input {
		var evs []valuepath.Event
		k := start.Add(time.Duration(kickoffDays) * valuepath.Day)
		evs = append(evs, valuepath.Event{Account: id, Kind: "kickoff", At: k})
		if loginDays >= 0 {
			evs = append(evs, valuepath.Event{Account: id, Kind: "first_login", At: k.Add(time.Duration(loginDays) * valuepath.Day)})
		}
		return engagement.Input{ID: id, Start: start, Events: valuepath.Must(valuepath.NewEventLog(evs))}
	}
	accts := []engagement.Input{
		mk("a", day(2026, 1, 1, 0), 2, 3),
		mk("b", day(2026, 1, 1, 0), 4, 20),  // 15 days late
		mk("c", day(2026, 1, 1, 0), 10, 30), // kickoff 3 days late, login 25 days late
		mk("d", day(2026, 5, 20, 0), 1, -1), // waiting 11 days for a login due in 5: stuck
		mk("e", day(2026, 5, 28, 0), 1, -1), // waiting 3 days: not stuck
	}
	got := m.Transitions(slices.Values(accts), asOf)
	want := engagement.Transitions{
		Transitions: []engagement.Transition{
			{From: "", To: "kickoff", Summary: engagement.Summary{Reached: 5, MedianDays: valuepath.Defined(2), P90Days: valuepath.Defined(7.6)}, Expected: valuepath.Days(7), Delay: valuepath.Days(3), Stuck: []valuepath.AccountID{}},
			{From: "kickoff", To: "activation", Summary: engagement.Summary{Reached: 3, NotYet: 2, MedianDays: valuepath.Defined(20), P90Days: valuepath.Defined(28)}, Expected: valuepath.Days(5), Delay: valuepath.Days(40), Stuck: []valuepath.AccountID{"d"}},
		},
		Bottleneck: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Transitions (-want +got):\n%s", diff)
	}
	// Over accounts that have not completed kickoff, the activation times
	// are a median of nothing: absent, not 0.
	got = m.Transitions(slices.Values(accts[3:]), day(2026, 5, 21, 0))
	require.Len(t, got.Transitions, 2)
	act := got.Transitions[1]
	assert.Equal(t, 0, act.Reached)
	assert.Equal(t, valuepath.Absent("no account has completed activation yet"), act.MedianDays)
	assert.Equal(t, valuepath.Absent("no account has completed activation yet"), act.P90Days)
	assert.Equal(t, -1, got.Bottleneck)
}

func TestCatalogTimeToValue(t *testing.T) {
	ent := valuepath.Must(engagement.NewModel(testSpec()))
	noValue := testSpec()
	noValue.Segment, noValue.ValueEvent = "smb", ""
	late := testSpec()
	late.Segment = "mid-market"
	cat, err := engagement.NewCatalog(engagement.CatalogSpec{ent.Spec(), noValue, late})
	require.NoError(t, err)
	accts := []engagement.Input{
		{ID: "a", Segment: "enterprise", Start: day(2026, 1, 1, 0), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{ev("first_metrics_review", day(2026, 1, 11, 0))}))},
		{ID: "b", Segment: "enterprise", Start: day(2026, 1, 1, 0), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{ev("first_metrics_review", day(2026, 1, 31, 0))}))},
		{ID: "c", Segment: "enterprise", Start: day(2026, 1, 1, 0)},
		{ID: "d", Segment: "nowhere", Start: day(2026, 1, 1, 0)},
		{ID: "e", Segment: "smb", Start: day(2026, 1, 1, 0)},
		{ID: "f", Segment: "mid-market", Start: day(2026, 1, 1, 0)},
	}
	got, err := cat.TimeToValue(slices.Values(accts), day(2026, 3, 1, 0))
	if diff := cmp.Diff([]string{"segment"}, validate.Paths(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	want := []engagement.SegmentTimes{
		{Segment: "enterprise", ToValue: engagement.Summary{Reached: 2, NotYet: 1, MedianDays: valuepath.Defined(20), P90Days: valuepath.Defined(28)}},
		{Segment: "smb", ToValue: engagement.Summary{MedianDays: valuepath.Absent("the model names no value event"), P90Days: valuepath.Absent("the model names no value event")}},
		{Segment: "mid-market", ToValue: engagement.Summary{NotYet: 1, MedianDays: valuepath.Absent("no account has reached first_metrics_review yet"), P90Days: valuepath.Absent("no account has reached first_metrics_review yet")}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TimeToValue (-want +got):\n%s", diff)
	}
}
