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
// models: "30d", "2w", "3d12h", or any string [time.ParseDuration] accepts
// ("36h", "90m"). The zero value is zero length.
type Duration time.Duration

// Days returns a Duration of n days.
func Days(n int) Duration { return Duration(time.Duration(n) * Day) }

// ParseDuration parses "Nw" (weeks) or "Nd" (days) with a whole number N,
// days followed by a time of day in [time.ParseDuration] form ("3d12h",
// "-1d6h30m", the whole negated by a leading sign), or any string
// [time.ParseDuration] accepts. Negative durations are accepted here;
// models that need positive ones check that themselves.
func ParseDuration(s string) (Duration, error) {
	if n := len(s); n >= 2 && s[n-1] == 'w' {
		return parseDays(s, s[:n-1], "", 7*Day)
	}
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		return parseDays(s, s[:i], s[i+1:], Day)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%w: duration %q: %v", ErrInvalid, s, strings.TrimPrefix(err.Error(), "time: "))
	}
	return Duration(d), nil
}

// parseDays parses num whole units followed by an unsigned Go duration
// rest, negating the rest along with the count when num is negative.
func parseDays(s, num, rest string, unit time.Duration) (Duration, error) {
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: duration %q: want a whole number of days or weeks", ErrInvalid, s)
	}
	if v > math.MaxInt64/int64(unit) || v < math.MinInt64/int64(unit) {
		return 0, fmt.Errorf("%w: duration %q overflows", ErrInvalid, s)
	}
	d := time.Duration(v) * unit
	if rest == "" {
		return Duration(d), nil
	}
	if rest[0] == '-' || rest[0] == '+' {
		return 0, fmt.Errorf("%w: duration %q: the time after the days takes no sign", ErrInvalid, s)
	}
	r, err := time.ParseDuration(rest)
	if err != nil {
		return 0, fmt.Errorf("%w: duration %q: %v", ErrInvalid, s, strings.TrimPrefix(err.Error(), "time: "))
	}
	if strings.HasPrefix(num, "-") {
		r = -r
	}
	sum := d + r
	if (r > 0 && sum < d) || (r < 0 && sum > d) {
		return 0, fmt.Errorf("%w: duration %q overflows", ErrInvalid, s)
	}
	return Duration(sum), nil
}

// Std returns d as a [time.Duration].
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats whole days as "Nd", a day or more with a remainder as
// days and a time of day ("45d14h", "-1d6h30m"), and anything shorter as
// [time.Duration] does. [ParseDuration] reads every form back.
func (d Duration) String() string {
	days, rem := time.Duration(d)/Day, time.Duration(d)%Day
	if days == 0 {
		return time.Duration(d).String()
	}
	sign := ""
	if d < 0 {
		sign, days, rem = "-", -days, -rem
	}
	out := sign + strconv.FormatInt(int64(days), 10) + "d"
	if rem == 0 {
		return out
	}
	t := rem.String() // "14h0m0s", "14h30m0s", "30m0s", "1.5s"
	if strings.HasSuffix(t, "m0s") {
		t = strings.TrimSuffix(t, "0s")
	}
	if strings.HasSuffix(t, "h0m") {
		t = strings.TrimSuffix(t, "0m")
	}
	return out + t
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
