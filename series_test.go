package valuepath_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func samples(vals ...float64) []valuepath.Sample {
	s := make([]valuepath.Sample, len(vals))
	for i, v := range vals {
		s[i] = valuepath.Sample{At: day(i), Value: v}
	}
	return s
}

func TestNewSeriesRejectsBadSamples(t *testing.T) {
	tests := []struct {
		name     string
		in       []valuepath.Sample
		sentinel error
		paths    []string
	}{
		{"nan", samples(1, math.NaN(), 3), valuepath.ErrNotFinite, []string{"samples[1].value"}},
		{"inf", samples(math.Inf(-1)), valuepath.ErrNotFinite, []string{"samples[0].value"}},
		{"duplicate time", []valuepath.Sample{{day(0), 1}, {day(0), 2}}, valuepath.ErrDuplicate, []string{"samples[1].at"}},
		{"unsorted", []valuepath.Sample{{day(2), 1}, {day(1), 2}, {day(3), 3}}, valuepath.ErrOutOfOrder, []string{"samples[1].at"}},
		{"all at once", []valuepath.Sample{{day(2), math.NaN()}, {day(1), 2}}, valuepath.ErrNotFinite, []string{"samples[0].value", "samples[1].at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := valuepath.NewSeries(tt.in)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			for _, p := range tt.paths {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("err = %q, want it to name %s", err, p)
				}
			}
			var fe *valuepath.FieldError
			if !errors.As(err, &fe) || fe.Pkg != "valuepath" {
				t.Errorf("err = %#v, want a *FieldError from valuepath", err)
			}
		})
	}
}

func TestNewSeriesCopiesInput(t *testing.T) {
	in := samples(1, 2, 3)
	s := valuepath.Must(valuepath.NewSeries(in))
	in[0].Value = 99
	if got := s.At(0).Value; got != 1 {
		t.Errorf("series changed with its input: At(0) = %v", got)
	}
}

func TestSeriesWindow(t *testing.T) {
	s := valuepath.Must(valuepath.NewSeries(samples(0, 1, 2, 3, 4, 5)))
	tests := []struct {
		iv   valuepath.Interval
		want []float64
	}{
		{valuepath.Interval{Start: day(1), End: day(4)}, []float64{1, 2, 3}},
		{valuepath.Interval{Start: day(-10), End: day(1)}, []float64{0}},
		{valuepath.Interval{Start: day(5), End: day(50)}, []float64{5}},
		{valuepath.Interval{Start: day(6), End: day(9)}, nil},
		{valuepath.Interval{Start: day(4), End: day(2)}, nil},
		{valuepath.Trailing(day(3), 2*valuepath.Day), []float64{1, 2}},
	}
	for _, tt := range tests {
		var got []float64
		for smp := range s.Window(tt.iv).Samples() {
			got = append(got, smp.Value)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Window(%v..%v) (-want +got):\n%s", tt.iv.Start.Day(), tt.iv.End.Day(), diff)
		}
	}
}

func TestSeriesJSONRoundTrip(t *testing.T) {
	s := valuepath.Must(valuepath.NewSeries(samples(1.5, 2, -3)))
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back valuepath.Series
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Len() != 3 || back.At(2).Value != -3 || !back.At(1).At.Equal(day(1)) {
		t.Errorf("round trip lost data: %s", b)
	}
	bad := `[{"at":"2026-01-02T00:00:00Z","value":1},{"at":"2026-01-01T00:00:00Z","value":2}]`
	if err := json.Unmarshal([]byte(bad), &back); !errors.Is(err, valuepath.ErrOutOfOrder) {
		t.Errorf("unmarshal of unsorted samples: err = %v", err)
	}
}

func TestEventLog(t *testing.T) {
	attrs := map[string]string{"severity": "high"}
	in := []valuepath.Event{
		{Account: "a", Kind: "case", At: day(1), Attrs: attrs},
		{Account: "a", Kind: "login", At: day(2)},
		{Account: "a", Kind: "case", At: day(2)},
		{Account: "a", Kind: "case", At: day(5)},
	}
	l := valuepath.Must(valuepath.NewEventLog(in))
	attrs["severity"] = "low"
	if got := l.At(0).Attr("severity"); got != "high" {
		t.Errorf("log shares the caller's attribute map: severity = %q", got)
	}
	if got := l.Count("case"); got != 3 {
		t.Errorf("Count(case) = %d, want 3", got)
	}
	w := l.Window(valuepath.Interval{Start: day(2), End: day(5)})
	if got := w.Len(); got != 2 {
		t.Errorf("window holds %d events, want 2", got)
	}
	if e, ok := l.Last("case"); !ok || !e.At.Equal(day(5)) {
		t.Errorf("Last(case) = %v, %v", e.At, ok)
	}
	if _, ok := w.Last("nothing"); ok {
		t.Error("Last of an absent kind reported ok")
	}

	_, err := valuepath.NewEventLog([]valuepath.Event{
		{Account: "a", Kind: "x", At: day(3)},
		{Account: "", Kind: "", At: day(1)},
		{Account: "a", Kind: "y"},
	})
	for _, want := range []string{"events[1].account", "events[1].kind", "events[1].at", "events[2].at"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to name %s", err, want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"30d", 30 * 24 * time.Hour, false},
		{"2w", 14 * 24 * time.Hour, false},
		{"36h", 36 * time.Hour, false},
		{"-1d", -24 * time.Hour, false},
		{"1.5d", 0, true},
		{"d", 0, true},
		{"", 0, true},
		{"99999999999999d", 0, true},
		{"3d12h", 84 * time.Hour, false},
		{"-1d6h30m", -(30*time.Hour + 30*time.Minute), false},
		{"1d-6h", 0, true},
		{"1dx", 0, true},
		{"1d2w", 0, true},
		{"106751d23h47m16.854775808s", 0, true},
	}
	for _, tt := range tests {
		got, err := valuepath.ParseDuration(tt.in)
		if (err != nil) != tt.wantErr || (err == nil && got.Std() != tt.want) {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got.Std(), err, tt.want, tt.wantErr)
		}
	}
	if s := valuepath.Days(30).String(); s != "30d" {
		t.Errorf("Days(30) = %s", s)
	}
	for d, want := range map[time.Duration]string{
		90 * time.Minute:                     "1h30m0s",
		45*24*time.Hour + 14*time.Hour:       "45d14h",
		-(30*time.Hour + 30*time.Minute):     "-1d6h30m",
		24*time.Hour + 90*time.Second:        "1d1m30s",
		24*time.Hour + 1500*time.Millisecond: "1d1.5s",
		time.Duration(math.MinInt64):         "-106751d23h47m16.854775808s",
	} {
		if s := valuepath.Duration(d).String(); s != want {
			t.Errorf("Duration(%d).String() = %q, want %q", d, s, want)
		}
	}
}

// TestWindowEveryInterval holds Series.Window and EventLog.Window, which
// search back from the newest element, to the plain filter
// [valuepath.Interval.Contains] over every interval of a range of lengths,
// empty and reversed intervals included, with gaps between the timestamps
// and events sharing one.
func TestWindowEveryInterval(t *testing.T) {
	for n := 0; n <= 40; n++ {
		smp := make([]valuepath.Sample, n)
		var ev []valuepath.Event
		for i := range smp {
			smp[i] = valuepath.Sample{At: day(2 * i), Value: float64(i)}
			ev = append(ev, valuepath.Event{Account: "a", Kind: "k", At: day(2 * i)})
			if i%3 == 0 {
				ev = append(ev, valuepath.Event{Account: "a", Kind: "k", At: day(2 * i)})
			}
		}
		s := valuepath.Must(valuepath.NewSeries(smp))
		l := valuepath.Must(valuepath.NewEventLog(ev))
		for a := -2; a <= 2*n+2; a++ {
			for b := -2; b <= 2*n+2; b++ {
				iv := valuepath.Interval{Start: day(a), End: day(b)}
				var want []float64
				for _, x := range smp {
					if iv.Contains(x.At) {
						want = append(want, x.Value)
					}
				}
				var got []float64
				for x := range s.Window(iv).Samples() {
					got = append(got, x.Value)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("n=%d: Series.Window(day %d..%d) = %v, want %v", n, a, b, got, want)
				}
				first := -1
				wantEv := 0
				for i, e := range ev {
					if iv.Contains(e.At) {
						if first < 0 {
							first = i
						}
						wantEv++
					}
				}
				w := l.Window(iv)
				if w.Len() != wantEv || (wantEv > 0 && !w.At(0).At.Equal(ev[first].At)) {
					t.Fatalf("n=%d: EventLog.Window(day %d..%d) holds %d events, want %d", n, a, b, w.Len(), wantEv)
				}
			}
		}
	}
}
