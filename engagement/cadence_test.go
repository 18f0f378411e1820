package engagement_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath/engagement"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := engagement.LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestCadenceAround(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	syd := mustZone(t, "Australia/Sydney")
	utc := time.UTC
	at := func(loc *time.Location, y int, m time.Month, d, h, mi int) time.Time {
		return time.Date(y, m, d, h, mi, 0, 0, loc)
	}
	type want struct {
		Prev, Next time.Time
		OK         bool
	}
	tests := []struct {
		name        string
		cadence     engagement.Cadence
		loc         *time.Location
		start, asOf time.Time
		want        want
	}{
		{
			"monthly from Jan 31 clamps to Feb 28",
			engagement.Cadence{Unit: engagement.UnitMonth, Every: 1},
			utc, at(utc, 2026, 1, 31, 10, 0), at(utc, 2026, 3, 1, 0, 0),
			want{at(utc, 2026, 2, 28, 10, 0), at(utc, 2026, 3, 31, 10, 0), true},
		},
		{
			"monthly from Jan 31 clamps to Feb 29 in a leap year",
			engagement.Cadence{Unit: engagement.UnitMonth, Every: 1},
			utc, at(utc, 2028, 1, 31, 10, 0), at(utc, 2028, 3, 15, 0, 0),
			want{at(utc, 2028, 2, 29, 10, 0), at(utc, 2028, 3, 31, 10, 0), true},
		},
		{
			"monthly from Jan 31 returns to the 31st in March",
			engagement.Cadence{Unit: engagement.UnitMonth, Every: 1},
			utc, at(utc, 2026, 1, 31, 10, 0), at(utc, 2026, 4, 2, 0, 0),
			want{at(utc, 2026, 3, 31, 10, 0), at(utc, 2026, 4, 30, 10, 0), true},
		},
		{
			"before the first occurrence",
			engagement.Cadence{Unit: engagement.UnitQuarter, Every: 1},
			utc, at(utc, 2026, 1, 15, 9, 0), at(utc, 2026, 4, 15, 8, 59),
			want{time.Time{}, at(utc, 2026, 4, 15, 9, 0), false},
		},
		{
			"an occurrence at asOf is the current one",
			engagement.Cadence{Unit: engagement.UnitQuarter, Every: 1},
			utc, at(utc, 2026, 1, 15, 9, 0), at(utc, 2026, 4, 15, 9, 0),
			want{at(utc, 2026, 4, 15, 9, 0), at(utc, 2026, 7, 15, 9, 0), true},
		},
		{
			"weekly keeps 09:00 across the US DST start",
			engagement.Cadence{Unit: engagement.UnitWeek, Every: 1},
			ny, at(ny, 2026, 3, 2, 9, 0), at(ny, 2026, 3, 10, 12, 0),
			want{at(ny, 2026, 3, 9, 9, 0), at(ny, 2026, 3, 16, 9, 0), true},
		},
		{
			"fortnightly keeps 09:00 across the US DST end",
			engagement.Cadence{Unit: engagement.UnitWeek, Every: 2},
			ny, at(ny, 2026, 10, 26, 9, 0), at(ny, 2026, 11, 10, 8, 0),
			want{at(ny, 2026, 11, 9, 9, 0), at(ny, 2026, 11, 23, 9, 0), true},
		},
		{
			"daily in Sydney across its DST start",
			engagement.Cadence{Unit: engagement.UnitDay, Every: 1},
			syd, at(syd, 2026, 10, 1, 8, 30), at(syd, 2026, 10, 4, 12, 0),
			want{at(syd, 2026, 10, 4, 8, 30), at(syd, 2026, 10, 5, 8, 30), true},
		},
		{
			"calendar weeks start on Monday at midnight",
			engagement.Cadence{Unit: engagement.UnitWeek, Every: 1, Anchor: engagement.AnchorCalendar},
			ny, at(ny, 2026, 1, 7, 15, 0), at(ny, 2026, 3, 11, 3, 0),
			want{at(ny, 2026, 3, 9, 0, 0), at(ny, 2026, 3, 16, 0, 0), true},
		},
		{
			"calendar quarters",
			engagement.Cadence{Unit: engagement.UnitQuarter, Every: 1, Anchor: engagement.AnchorCalendar},
			utc, at(utc, 2025, 11, 20, 0, 0), at(utc, 2026, 5, 20, 0, 0),
			want{at(utc, 2026, 4, 1, 0, 0), at(utc, 2026, 7, 1, 0, 0), true},
		},
		{
			"calendar month not yet begun since the start",
			engagement.Cadence{Unit: engagement.UnitMonth, Every: 1, Anchor: engagement.AnchorCalendar},
			utc, at(utc, 2026, 5, 20, 0, 0), at(utc, 2026, 5, 25, 0, 0),
			want{time.Time{}, at(utc, 2026, 6, 1, 0, 0), false},
		},
		{
			"calendar years in the account's zone, not UTC",
			engagement.Cadence{Unit: engagement.UnitYear, Every: 1, Anchor: engagement.AnchorCalendar},
			syd, at(syd, 2024, 3, 1, 0, 0), time.Date(2025, 12, 31, 14, 0, 0, 0, time.UTC),
			want{at(syd, 2026, 1, 1, 0, 0), at(syd, 2027, 1, 1, 0, 0), true},
		},
		{
			"invalid cadence",
			engagement.Cadence{Unit: engagement.UnitMonth, Every: 0},
			utc, at(utc, 2026, 1, 1, 0, 0), at(utc, 2026, 5, 1, 0, 0),
			want{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got want
			got.Prev, got.Next, got.OK = tt.cadence.Around(tt.start, tt.asOf, tt.loc)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
				t.Errorf("Around (-want +got):\n%s", diff)
			}
		})
	}
}
