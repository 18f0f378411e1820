package valuepath

import (
	"testing"
	"time"
)

// TestSinceTimeIsSub holds the slope's fast difference to time.Time.Sub:
// nanoseconds on either side, other locations, differences near and past
// the 272-year bound and past a Duration's range, and a monotonic reading
// on asOf, on t, or on both.
func TestSinceTimeIsSub(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	now := time.Now() // with a monotonic reading
	asOfs := []time.Time{
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 9, 30, 0, 999_999_999, tokyo),
		time.Date(1900, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		now,
		now.Round(0),
		{},
	}
	var ts []time.Time
	for _, a := range asOfs {
		for _, d := range []time.Duration{0, 1, -1, time.Second - 1, -time.Second + 1, 24 * time.Hour, -90 * 24 * time.Hour,
			1<<63 - 1, -1 << 63, 1<<33*time.Second - 1, -(1<<33*time.Second - 1)} {
			ts = append(ts, a.Add(d), a.Add(d).In(tokyo), a.Round(0).Add(d))
		}
		ts = append(ts, a.AddDate(272, 0, 0), a.AddDate(-272, 0, 0), a.AddDate(273, 0, 0), a.AddDate(-273, 0, 0),
			a.AddDate(400, 0, 0), a.AddDate(-400, 0, 0), a.AddDate(5000, 0, 0))
	}
	ts = append(ts, asOfs...)
	for _, a := range asOfs {
		since := sinceFrom(a)
		for _, x := range ts {
			if got, want := since.of(x), x.Sub(a); got != want {
				t.Errorf("%v minus %v: %v, Sub says %v", x, a, got, want)
			}
		}
	}
}
