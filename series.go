package valuepath

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strconv"
	"time"

	"github.com/valuepath/valuepath/internal/strictjson"
)

// Sample is one time-stamped value of a metric.
type Sample struct {
	At    time.Time `json:"at"`
	Value float64   `json:"value"`
}

// Series is an immutable sequence of samples in strictly increasing time
// order with finite values. The zero value is an empty series, ready to use.
//
// A Series is a small value (one slice header); windows of it share its
// storage, so taking a window never copies or allocates.
type Series struct {
	s []Sample
}

// NewSeries returns a series holding a copy of samples. It rejects samples
// out of time order or with duplicate timestamps, and NaN or infinite
// values; every problem is reported with the index of the offending sample.
// The caller's slice is neither kept nor modified.
func NewSeries(samples []Sample) (Series, error) {
	if err := checkSamples(samples); err != nil {
		return Series{}, err
	}
	if len(samples) == 0 {
		return Series{}, nil
	}
	return Series{s: append([]Sample(nil), samples...)}, nil
}

func checkSamples(samples []Sample) error {
	var p problems
	for i, smp := range samples {
		if math.IsNaN(smp.Value) || math.IsInf(smp.Value, 0) {
			p.add("samples["+strconv.Itoa(i)+"].value", fmt.Errorf("%w: %v", ErrNotFinite, smp.Value))
		}
		if i == 0 {
			continue
		}
		switch prev := samples[i-1].At; {
		case smp.At.Equal(prev):
			p.add("samples["+strconv.Itoa(i)+"].at", fmt.Errorf("%w timestamp %s (same as samples[%d])", ErrDuplicate, smp.At.Format(time.RFC3339Nano), i-1))
		case smp.At.Before(prev):
			p.add("samples["+strconv.Itoa(i)+"].at", fmt.Errorf("%w: %s is before samples[%d] at %s", ErrOutOfOrder, smp.At.Format(time.RFC3339Nano), i-1, prev.Format(time.RFC3339Nano)))
		}
	}
	return p.err()
}

// Len returns the number of samples.
func (s Series) Len() int { return len(s.s) }

// At returns the i'th sample, oldest first. It panics if i is out of range,
// like a slice index.
func (s Series) At(i int) Sample { return s.s[i] }

// Samples yields the samples, oldest first.
func (s Series) Samples() iter.Seq[Sample] {
	return func(yield func(Sample) bool) {
		for _, smp := range s.s {
			if !yield(smp) {
				return
			}
		}
	}
}

// Last returns the newest sample, and false if the series is empty.
func (s Series) Last() (Sample, bool) {
	if len(s.s) == 0 {
		return Sample{}, false
	}
	return s.s[len(s.s)-1], true
}

// Window returns the samples in iv, [iv.Start, iv.End). It shares storage
// with s and does not allocate.
//
// Windows trail an asOf at or near the newest data, so it searches from
// the end: for iv.End galloping back from the newest sample, then for
// iv.Start galloping back from there. A window k samples from the end costs
// O(log k) comparisons, all next to the samples the caller reads, instead
// of a binary search across the whole history (on a long series, a cache
// miss at nearly every step). The result is the binary search's.
func (s Series) Window(iv Interval) Series {
	hi := searchSamplesBack(s.s, iv.End, len(s.s))
	var lo int
	if iv.Start.After(iv.End) {
		lo = searchSamplesBack(s.s, iv.Start, len(s.s))
	} else {
		lo = searchSamplesBack(s.s, iv.Start, hi)
	}
	if hi < lo {
		hi = lo
	}
	return Series{s: s.s[lo:hi]}
}

// searchSamplesBack is searchSamples(s, t) for s whose samples from hi on
// are all at or after t: it gallops back from hi (steps 1, 2, 4, ...) to a
// sample before t, then searches the last step. EventLog.Window and
// searchEventsBack are the same code over events, kept apart on purpose:
// sharing it through a function value cost deriving 2-5%.
func searchSamplesBack(s []Sample, t time.Time, hi int) int {
	for step := 1; hi > 0; step *= 2 {
		j := max(hi-step, 0)
		if s[j].At.Before(t) {
			return j + 1 + searchSamples(s[j+1:hi], t)
		}
		hi = j
	}
	return 0
}

// searchSamples returns the index of the first sample at or after t.
func searchSamples(s []Sample, t time.Time) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m].At.Before(t) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// MarshalJSON writes the series as an array of samples.
func (s Series) MarshalJSON() ([]byte, error) {
	if s.s == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(s.s)
}

// UnmarshalJSON reads an array of samples and validates it as [NewSeries] does.
func (s *Series) UnmarshalJSON(b []byte) error {
	var samples []Sample
	if err := strictjson.Unmarshal(b, &samples); err != nil {
		return err
	}
	v, err := NewSeries(samples)
	if err != nil {
		return err
	}
	*s = v
	return nil
}
