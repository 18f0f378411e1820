package valuepath

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours. Windows in this module are fixed lengths of time, not
// calendar days: a 30-day window is always 720 hours, across DST changes too.
const Day = 24 * time.Hour

// Duration is a length of time that reads and writes as text people use in
// models: "30d", "2w", or any string [time.ParseDuration] accepts ("36h",
// "90m"). The zero value is zero length.
type Duration time.Duration

// Days returns a Duration of n days.
func Days(n int) Duration { return Duration(time.Duration(n) * Day) }

// ParseDuration parses "Nd" (days), "Nw" (weeks) with a whole number N, or
// any string accepted by [time.ParseDuration]. Negative durations are
// accepted here; models that need positive ones check that themselves.
func ParseDuration(s string) (Duration, error) {
	if n := len(s); n >= 2 && (s[n-1] == 'd' || s[n-1] == 'w') {
		unit := Day
		if s[n-1] == 'w' {
			unit = 7 * Day
		}
		num := s[:n-1]
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: duration %q: want a whole number of days or weeks", ErrInvalid, s)
		}
		if v > math.MaxInt64/int64(unit) || v < math.MinInt64/int64(unit) {
			return 0, fmt.Errorf("%w: duration %q overflows", ErrInvalid, s)
		}
		return Duration(time.Duration(v) * unit), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%w: duration %q: %v", ErrInvalid, s, strings.TrimPrefix(err.Error(), "time: "))
	}
	return Duration(d), nil
}

// Std returns d as a [time.Duration].
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats whole days as "Nd" and anything else as [time.Duration] does.
func (d Duration) String() string {
	if d != 0 && time.Duration(d)%Day == 0 {
		return strconv.FormatInt(int64(time.Duration(d)/Day), 10) + "d"
	}
	return time.Duration(d).String()
}

// MarshalText implements [encoding.TextMarshaler].
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseDuration].
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
