package engagement_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
	"github.com/valuepath/valuepath/internal/validate"
)

func TestTimes(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	start := day(2026, 1, 1, 0)
	acct := engagement.Account{ID: "acme", Start: start, Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev("kickoff", day(2026, 1, 3, 0)), ev("first_metrics_review", day(2026, 2, 10, 12)), ev("first_metrics_review", day(2026, 3, 1, 0)),
	}))}
	got := m.Times(acct, day(2026, 4, 1, 0))
	want := engagement.Times{
		ToValue:    engagement.Elapsed{Reached: true, At: day(2026, 2, 10, 12), Elapsed: valuepath.Duration(40*valuepath.Day + 12*time.Hour)},
		ToAdvocacy: engagement.Elapsed{Elapsed: valuepath.Days(90)},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("Times (-want +got):\n%s", diff)
	}
	// An event after the cut-off does not count.
	if e := engagement.TimeTo(acct, "first_metrics_review", day(2026, 2, 1, 0)); e.Reached || e.Elapsed != valuepath.Days(31) {
		t.Errorf("TimeTo before the event = %+v", e)
	}
}

func TestTransitions(t *testing.T) {
	m := valuepath.Must(engagement.NewModel(testSpec()))
	asOf := day(2026, 6, 1, 0)
	mk := func(id valuepath.AccountID, start time.Time, kickoffDays, loginDays int) engagement.Account {
		var evs []valuepath.Event
		k := start.Add(time.Duration(kickoffDays) * valuepath.Day)
		evs = append(evs, valuepath.Event{Account: id, Kind: "kickoff", At: k})
		if loginDays >= 0 {
			evs = append(evs, valuepath.Event{Account: id, Kind: "first_login", At: k.Add(time.Duration(loginDays) * valuepath.Day)})
		}
		return engagement.Account{ID: id, Start: start, Events: valuepath.Must(valuepath.NewEventLog(evs))}
	}
	accts := []engagement.Account{
		mk("a", day(2026, 1, 1, 0), 2, 3),
		mk("b", day(2026, 1, 1, 0), 4, 20),  // 15 days late
		mk("c", day(2026, 1, 1, 0), 10, 30), // kickoff 3 days late, login 25 days late
		mk("d", day(2026, 5, 20, 0), 1, -1), // waiting 11 days for a login due in 5: stuck
		mk("e", day(2026, 5, 28, 0), 1, -1), // waiting 3 days: not stuck
	}
	got := m.Transitions(slices.Values(accts), asOf)
	want := engagement.Transitions{
		Transitions: []engagement.Transition{
			{From: "", To: "kickoff", Summary: engagement.Summary{Reached: 5, Median: valuepath.Days(2), P90: valuepath.Duration(7.6 * float64(valuepath.Day))}, Expected: valuepath.Days(7), Delay: valuepath.Days(3), Stuck: []valuepath.AccountID{}},
			{From: "kickoff", To: "activation", Summary: engagement.Summary{Reached: 3, NotYet: 2, Median: valuepath.Days(20), P90: valuepath.Days(28)}, Expected: valuepath.Days(5), Delay: valuepath.Days(40), Stuck: []valuepath.AccountID{"d"}},
		},
		Bottleneck: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Transitions (-want +got):\n%s", diff)
	}
}

func TestCatalogTimeToValue(t *testing.T) {
	ent := valuepath.Must(engagement.NewModel(testSpec()))
	cat, err := engagement.NewCatalog(ent)
	if err != nil {
		t.Fatal(err)
	}
	accts := []engagement.Account{
		{ID: "a", Segment: "enterprise", Start: day(2026, 1, 1, 0), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{ev("first_metrics_review", day(2026, 1, 11, 0))}))},
		{ID: "b", Segment: "enterprise", Start: day(2026, 1, 1, 0), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{ev("first_metrics_review", day(2026, 1, 31, 0))}))},
		{ID: "c", Segment: "enterprise", Start: day(2026, 1, 1, 0)},
		{ID: "d", Segment: "nowhere", Start: day(2026, 1, 1, 0)},
	}
	got, err := cat.TimeToValue(slices.Values(accts), day(2026, 3, 1, 0))
	if diff := cmp.Diff([]string{"segment"}, validate.Paths(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	want := []engagement.SegmentTimes{{Segment: "enterprise", ToValue: engagement.Summary{Reached: 2, NotYet: 1, Median: valuepath.Days(20), P90: valuepath.Days(28)}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TimeToValue (-want +got):\n%s", diff)
	}
}
