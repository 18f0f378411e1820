package engagement_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/engagement"
)

// FuzzCadenceAround checks, for any start, asOf, zone and cadence, that the
// occurrences bracket asOf, follow the start, and keep the contract's day of
// month (clamped) for monthly units.
func FuzzCadenceAround(f *testing.F) {
	f.Add(int64(1769853600), int64(1772323200), uint8(2), uint8(1), false, uint8(0)) // Jan 31 -> Mar 1
	f.Add(int64(1772442000), int64(1773144000), uint8(1), uint8(1), false, uint8(1)) // across US DST
	f.Add(int64(1761465600), int64(1763000000), uint8(1), uint8(2), true, uint8(2))
	f.Add(int64(-5000000000), int64(5000000000), uint8(4), uint8(7), false, uint8(3))
	f.Add(int64(0), int64(0), uint8(0), uint8(0), true, uint8(4))
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham"}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		locs[i] = mustZone(f, z)
	}
	units := []engagement.CadenceUnit{engagement.UnitDay, engagement.UnitWeek, engagement.UnitMonth, engagement.UnitQuarter, engagement.UnitYear}
	f.Fuzz(func(t *testing.T, startSec, asOfSec int64, unit, every uint8, calendar bool, zone uint8) {
		const span = 200 * 365 * 86400 // keep within a couple of centuries of 1970
		if startSec < -span || startSec > span || asOfSec < -span || asOfSec > span {
			t.Skip()
		}
		c := engagement.Cadence{Unit: units[int(unit)%len(units)], Every: int(every%24) + 1}
		if calendar {
			c.Anchor = engagement.AnchorCalendar
		}
		loc := locs[int(zone)%len(locs)]
		start, asOf := time.Unix(startSec, 0), time.Unix(asOfSec, 0)
		prev, next, ok := c.Around(start, asOf, loc)
		if !next.After(asOf) {
			t.Fatalf("%v from %v at %v: next %v is not after asOf", c, start, asOf, next)
		}
		if next.Before(start) {
			t.Fatalf("%v from %v at %v: next %v before start", c, start, asOf, next)
		}
		if !ok {
			if !prev.IsZero() {
				t.Fatalf("prev %v with ok false", prev)
			}
			return
		}
		if prev.After(asOf) || prev.Before(start) || !prev.Before(next) {
			t.Fatalf("%v from %v at %v: prev %v, next %v out of order", c, start, asOf, prev, next)
		}
		if c.Anchor != engagement.AnchorCalendar && (c.Unit == engagement.UnitMonth || c.Unit == engagement.UnitQuarter || c.Unit == engagement.UnitYear) {
			s, p := start.In(loc), prev.In(loc)
			want := min(s.Day(), time.Date(p.Year(), p.Month()+1, 0, 12, 0, 0, 0, time.UTC).Day())
			if p.Day() != want && p.Hour() == s.Hour() {
				t.Fatalf("%v from %v: occurrence %v on day %d, want %d", c, s, p, p.Day(), want)
			}
		}
		// The occurrence after prev is next: stepping from prev finds it again.
		p2, n2, ok2 := c.Around(start, prev, loc)
		if !ok2 || !p2.Equal(prev) || !n2.Equal(next) {
			t.Fatalf("%v at prev %v: got %v %v %v, want %v %v", c, prev, p2, n2, ok2, prev, next)
		}
	})
}

// FuzzParse checks that Parse never panics and that every model it accepts
// survives a JSON round trip and evaluates without error on a plain account.
func FuzzParse(f *testing.F) {
	js, err := valuepath.Must(engagement.NewModel(testSpec())).MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(js)
	f.Add([]byte(`{"segment":"smb","moments":[{"id":"a","name":"A","phase":"onboarding","owner":"x","completed_by":"a","within":"1d","after":"a"}]}`))
	f.Add([]byte(`{"segment":"smb","moments":[{"id":"q","name":"Q","phase":"ongoing","owner":"x","completed_by":"q","cadence":{"unit":"month","every":1,"anchor":"calendar"}}]}`))
	f.Add([]byte(`{"segment":"smb","moments":[{"id":"t","name":"T","phase":"ongoing","owner":"x","completed_by":"c","within":"2d","trigger":{"absent":"support_case","for":"90d","cooldown":"30d"}}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"segment":"s","moments":[{"id":"t","name":"T","phase":"ongoing","owner":"x","completed_by":"c","within":"2d","trigger":{"event":"survey","attr":"score","at_most":1e400,"cooldown":"1ns"}}]}`))
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	acct := engagement.Input{ID: "a", Start: asOf.AddDate(-1, 0, 0), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "a", Kind: "a", At: asOf.AddDate(0, -11, 0)},
		{Account: "a", Kind: "survey", At: asOf.AddDate(0, -2, 0), Attrs: map[string]string{"score": "3"}},
		{Account: "a", Kind: "c", At: asOf.AddDate(0, -1, 0)},
	}))}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := engagement.ParseModel(data)
		if err != nil {
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := engagement.ParseModel(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if diff := cmp.Diff(m.Spec(), back.Spec()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		// A snapshot with every metric the model reads binds; one that
		// lacks them fails with ErrUnknownMetric.
		values := map[valuepath.Metric]float64{"other": 1}
		for _, mo := range m.Spec().Moments {
			if mo.CompletedWhen != nil {
				values[mo.CompletedWhen.Metric] = 1
			}
			if mo.Trigger != nil && mo.Trigger.When != nil {
				values[mo.Trigger.When.Metric] = -1
			}
		}
		in := acct
		in.Snapshot = valuepath.Must(valuepath.SnapshotOf(acct.ID, asOf, values))
		a, err := m.Agenda(in, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(values) > 1 {
			in.Snapshot = valuepath.Must(valuepath.SnapshotOf(acct.ID, asOf, map[valuepath.Metric]float64{"other": 1}))
			if _, err := m.Agenda(in, asOf); !errors.Is(err, valuepath.ErrUnknownMetric) {
				t.Fatalf("a snapshot without the model's metrics: got %v", err)
			}
		}
		if _, err := json.Marshal(a); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseJourney checks that ParseJourney never panics and that an
// accepted journey places a plain account without panicking.
func FuzzParseJourney(f *testing.F) {
	f.Add([]byte(`{"enter": {"adoption": ["kickoff"], "advocacy": ["reference"]}}`))
	f.Add([]byte(`{"contract_stage": "trial", "enter": {"trial": ["a", "a"]}}`))
	f.Add([]byte(`{"enter": {"nope": [""]}}`))
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	acct := engagement.Input{ID: "a", Start: asOf.AddDate(-1, 0, 0), Events: valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "a", Kind: "kickoff", At: asOf.AddDate(0, -11, 0)},
		{Account: "a", Kind: "reference", At: asOf.AddDate(0, -1, 0)},
	}))}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := engagement.ParseJourney(data)
		if err != nil {
			return
		}
		p, ok := j.Position(acct, asOf)
		st, known := j.Stage(p.Stage)
		if !ok || p.InStage < 0 || !known || st.Motion == "" {
			t.Fatalf("position %+v, %v", p, ok)
		}
	})
}
