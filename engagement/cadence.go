package engagement

import (
	"time"
)

// Around returns the cadence's occurrences for a contract that started at
// start, around asOf, in loc: prev is the newest occurrence at or before
// asOf (ok is false when there is none yet) and next the first one after
// asOf. Occurrences are computed on the wall clock of loc, so they keep their
// time of day across DST changes, and days past a month's end are clamped to
// its last day. Occurrences are strictly after start for [AnchorContract]
// (the first monthly review comes a month after the start) and at or after
// start for [AnchorCalendar].
//
// Around expects a valid cadence (Every between 1 and 1000 and a known
// unit); for any other it returns ok false and zero times.
func (c Cadence) Around(start, asOf time.Time, loc *time.Location) (prev, next time.Time, ok bool) {
	if c.Every < 1 || c.Every > maxEvery || loc == nil {
		return time.Time{}, time.Time{}, false
	}
	switch c.Unit {
	case UnitDay, UnitWeek, UnitMonth, UnitQuarter, UnitYear:
	default:
		return time.Time{}, time.Time{}, false
	}
	if c.Anchor == AnchorCalendar {
		return c.aroundCalendar(start, asOf, loc)
	}
	return c.aroundContract(start, asOf, loc)
}

// stepDays and stepMonths give the cadence's step in days (day and week
// units) or months (month, quarter and year units); the other is zero.
func (c Cadence) step() (days, months int) {
	switch c.Unit {
	case UnitDay:
		return c.Every, 0
	case UnitWeek:
		return 7 * c.Every, 0
	case UnitMonth:
		return 0, c.Every
	case UnitQuarter:
		return 0, 3 * c.Every
	}
	return 0, 12 * c.Every
}

func (c Cadence) aroundContract(start, asOf time.Time, loc *time.Location) (prev, next time.Time, ok bool) {
	s := start.In(loc)
	a := asOf.In(loc)
	sy, sm, sd := s.Date()
	hh, mm, ss := s.Clock()
	ns := s.Nanosecond()
	smi := int64(sy)*12 + int64(sm) - 1
	days, months := c.step()
	occ := func(k int64) time.Time {
		if days > 0 {
			return time.Date(sy, sm, sd+int(k)*days, hh, mm, ss, ns, loc)
		}
		mi := smi + k*int64(months)
		y, m := int(floorDiv(mi, 12)), time.Month(mi-12*floorDiv(mi, 12)+1)
		return time.Date(y, m, min(sd, daysIn(y, m)), hh, mm, ss, ns, loc)
	}
	var k int64
	if days > 0 {
		k = floorDiv(civil(a)-civil(s), int64(days))
	} else {
		k = floorDiv(monthIndex(a)-smi, int64(months))
	}
	// The estimate is exact up to the time of day and the clamped day; move
	// it by at most a step or two to the newest occurrence not after asOf.
	cur := occ(k)
	for i := 0; i < 3 && k >= 0 && cur.After(asOf); i++ {
		k--
		cur = occ(k)
	}
	nxt := occ(k + 1)
	for i := 0; i < 3 && !nxt.After(asOf); i++ {
		k++
		cur, nxt = nxt, occ(k+1)
	}
	if k < 1 {
		if k < 0 {
			nxt = occ(1)
		}
		return time.Time{}, nxt, false
	}
	return cur, nxt, true
}

func (c Cadence) aroundCalendar(start, asOf time.Time, loc *time.Location) (prev, next time.Time, ok bool) {
	a := asOf.In(loc)
	days, months := c.step()
	var occ func(k int64) time.Time
	var k int64
	if days > 0 {
		// Day k*days after the Monday 1970-01-05 (civil day 4) begins period k.
		step := int64(days)
		origin := int64(0)
		if c.Unit == UnitWeek {
			origin = 4
		}
		occ = func(k int64) time.Time {
			y, m, d := fromCivil(origin + k*step)
			return time.Date(y, m, d, 0, 0, 0, 0, loc)
		}
		k = floorDiv(civil(a)-origin, step)
	} else {
		step := int64(months)
		occ = func(k int64) time.Time {
			mi := k * step
			y, m := int(floorDiv(mi, 12)), time.Month(mi-12*floorDiv(mi, 12)+1)
			return time.Date(y, m, 1, 0, 0, 0, 0, loc)
		}
		k = floorDiv(monthIndex(a), step)
	}
	cur := occ(k)
	for i := 0; i < 3 && cur.After(asOf); i++ {
		k--
		cur = occ(k)
	}
	nxt := occ(k + 1)
	for i := 0; i < 3 && !nxt.After(asOf); i++ {
		k++
		cur, nxt = nxt, occ(k+1)
	}
	if cur.Before(start) {
		// No period has begun since the start: the first is the first
		// boundary at or after it.
		for i := 0; i < 3 && nxt.Before(start); i++ {
			k++
			nxt = occ(k + 1)
		}
		return time.Time{}, nxt, false
	}
	return cur, nxt, true
}

// monthIndex counts months since January of year 0.
func monthIndex(t time.Time) int64 {
	y, m, _ := t.Date()
	return int64(y)*12 + int64(m) - 1
}

// civil returns the number of days from 1970-01-01 to t's calendar date in
// t's own location.
func civil(t time.Time) int64 {
	y, m, d := t.Date()
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

func fromCivil(day int64) (int, time.Month, int) {
	return time.Unix(day*86400, 0).UTC().Date()
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
