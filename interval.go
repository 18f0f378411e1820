package valuepath

import "time"

// Interval is the half-open span of time [Start, End): it contains Start and
// every instant before End. Trailing windows ending at asOf are intervals
// ending at asOf, so "as of" a time means "strictly before it": data stamped
// at midnight on the asOf day belongs to the next evaluation, not this one.
// The zero value is empty.
type Interval struct {
	Start time.Time
	End   time.Time
}

// Trailing returns the interval of length d that ends at asOf.
func Trailing(asOf time.Time, d time.Duration) Interval {
	return Interval{Start: asOf.Add(-d), End: asOf}
}

// Contains reports whether t lies in [Start, End).
func (iv Interval) Contains(t time.Time) bool {
	return !t.Before(iv.Start) && t.Before(iv.End)
}

// Empty reports whether the interval contains no instant.
func (iv Interval) Empty() bool { return !iv.Start.Before(iv.End) }
