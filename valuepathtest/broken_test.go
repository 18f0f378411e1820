package valuepathtest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
)

// recorder is a reporter that records the failures of each rule.
type recorder struct {
	mu   *sync.Mutex
	rule string
	log  map[string][]string
}

func newRecorder() recorder {
	return recorder{mu: &sync.Mutex{}, log: map[string][]string{}}
}

func (r recorder) Helper() {}

func (r recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log[r.rule] = append(r.log[r.rule], fmt.Sprintf(format, args...))
}

func (r recorder) Run(name string, f func(reporter)) {
	f(recorder{mu: r.mu, rule: name, log: r.log})
}

// failed returns the rules that failed, sorted.
func (r recorder) failed() []string {
	var out []string
	for name := range r.log {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// broken is a MemoryProvider with one fault: each hook, when set, replaces
// one behaviour.
type broken struct {
	*valuepath.MemoryProvider
	data   Data
	series func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error)
	events func(b *broken, ctx context.Context, a valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error)
}

func (b *broken) Series(ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
	if b.series != nil {
		return b.series(b, ctx, a, m, iv)
	}
	return b.MemoryProvider.Series(ctx, a, m, iv)
}

func (b *broken) Events(ctx context.Context, a valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error) {
	if b.events != nil {
		return b.events(b, ctx, a, iv)
	}
	return b.MemoryProvider.Events(ctx, a, iv)
}

// rebuild returns s with f applied to every sample.
func rebuild(s valuepath.Series, f func(valuepath.Sample) valuepath.Sample) valuepath.Series {
	var out []valuepath.Sample
	for smp := range s.Samples() {
		out = append(out, f(smp))
	}
	return valuepath.Must(valuepath.NewSeries(out))
}

// fault is one broken provider: hooks for a *broken, or a loader of its own.
type fault struct {
	rule   string // the one rule it must fail
	about  string
	series func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error)
	events func(b *broken, ctx context.Context, a valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error)
	load   func(Data) (valuepath.Provider, error)
}

var faults = []fault{
	{rule: "series", about: "narrows values to float32",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			s, err := b.MemoryProvider.Series(ctx, a, m, iv)
			return rebuild(s, func(smp valuepath.Sample) valuepath.Sample {
				smp.Value = float64(float32(smp.Value))
				return smp
			}), err
		}},
	{rule: "window-start", about: "reads (Start, End), as with `at > ?`",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			iv.Start = iv.Start.Add(time.Nanosecond)
			return b.MemoryProvider.Series(ctx, a, m, iv)
		}},
	{rule: "window-end", about: "reads [Start, End] of non-empty windows, as with BETWEEN",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			if !iv.Empty() {
				iv.End = iv.End.Add(time.Nanosecond)
			}
			return b.MemoryProvider.Series(ctx, a, m, iv)
		}},
	{rule: "empty-window", about: "swaps the bounds of an inverted window",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			if iv.End.Before(iv.Start) {
				iv.Start, iv.End = iv.End, iv.Start
			}
			return b.MemoryProvider.Series(ctx, a, m, iv)
		}},
	{rule: "no-samples", about: "knows a metric only from its samples",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			if len(b.data.samples(a, m, far)) == 0 && slices.Contains(b.data.Accounts, a) {
				return valuepath.Series{}, fmt.Errorf("no rows: %w", valuepath.ErrUnknownMetric)
			}
			return b.MemoryProvider.Series(ctx, a, m, iv)
		}},
	{rule: "unknown-account", about: "serves nothing, without an error, for an unknown account",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			if !slices.Contains(b.data.Accounts, a) {
				return valuepath.Series{}, nil
			}
			return b.MemoryProvider.Series(ctx, a, m, iv)
		},
		events: func(b *broken, ctx context.Context, a valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error) {
			if !slices.Contains(b.data.Accounts, a) {
				return valuepath.EventLog{}, nil
			}
			return b.MemoryProvider.Events(ctx, a, iv)
		}},
	{rule: "unknown-metric", about: "serves nothing, without an error, for an unknown metric",
		series: func(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			if !slices.Contains(b.data.Metrics, m) && slices.Contains(b.data.Accounts, a) {
				return valuepath.Series{}, nil
			}
			return b.MemoryProvider.Series(ctx, a, m, iv)
		}},
	{rule: "events", about: "drops the events' attributes",
		events: func(b *broken, ctx context.Context, a valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error) {
			log, err := b.MemoryProvider.Events(ctx, a, iv)
			var out []valuepath.Event
			for e := range log.Events() {
				e.Attrs = nil
				out = append(out, e)
			}
			return valuepath.Must(valuepath.NewEventLog(out)), err
		}},
	{rule: "not-finite", about: "stores NaN and infinities as 0",
		load: func(d Data) (valuepath.Provider, error) {
			for i, r := range d.Rows {
				if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
					d.Rows[i].Value = 0
				}
			}
			return d.MemoryProvider()
		}},
	{rule: "context", about: "ignores ctx",
		series: func(b *broken, _ context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
			return b.MemoryProvider.Series(context.Background(), a, m, iv)
		},
		events: func(b *broken, _ context.Context, a valuepath.AccountID, iv valuepath.Interval) (valuepath.EventLog, error) {
			return b.MemoryProvider.Events(context.Background(), a, iv)
		}},
	{rule: "concurrent", about: "keeps the account being read in a field shared by every call",
		series: sharedCursor},
}

// cursor is the shared state of the concurrent fault. It is guarded by a
// mutex, so the race detector has nothing to report: the fault is in the
// logic, as with a connection or statement shared without care.
var cursor struct {
	sync.Mutex
	account valuepath.AccountID
}

func sharedCursor(b *broken, ctx context.Context, a valuepath.AccountID, m valuepath.Metric, iv valuepath.Interval) (valuepath.Series, error) {
	cursor.Lock()
	cursor.account = a
	cursor.Unlock()
	time.Sleep(20 * time.Microsecond) // the round trip
	cursor.Lock()
	a = cursor.account
	cursor.Unlock()
	return b.MemoryProvider.Series(ctx, a, m, iv)
}

func TestMemoryProviderPassesEveryRule(t *testing.T) {
	rec := newRecorder()
	run(rec, func(d Data) (valuepath.Provider, error) { return d.MemoryProvider() })
	if len(rec.log) > 0 {
		t.Errorf("MemoryProvider fails %v: %v", rec.failed(), rec.log)
	}
}

// TestEveryRuleCatchesItsFault runs the checks against one broken provider
// per rule, each of which must fail its rule and no other.
func TestEveryRuleCatchesItsFault(t *testing.T) {
	covered := map[string]bool{}
	for _, f := range faults {
		covered[f.rule] = true
		t.Run(f.rule, func(t *testing.T) {
			load := f.load
			if load == nil {
				load = func(d Data) (valuepath.Provider, error) {
					m, err := d.MemoryProvider()
					if err != nil {
						return nil, err
					}
					return &broken{MemoryProvider: m, data: d, series: f.series, events: f.events}, nil
				}
			}
			rec := newRecorder()
			run(rec, load)
			if got := rec.failed(); !slices.Equal(got, []string{f.rule}) {
				t.Errorf("a provider that %s fails %v, want exactly [%s]; messages: %v", f.about, got, f.rule, rec.log)
			}
			for _, msg := range rec.log[f.rule] {
				t.Logf("%s: %s", f.rule, msg)
			}
		})
	}
	for _, r := range rules {
		if !covered[r.name] {
			t.Errorf("rule %q has no broken provider that fails it", r.name)
		}
	}
}

// TestLoaderFailure: a loader that cannot load the data set fails the
// test at once, before any rule.
func TestLoaderFailure(t *testing.T) {
	rec := newRecorder()
	run(rec, func(Data) (valuepath.Provider, error) { return nil, fmt.Errorf("disk full") })
	if got := rec.failed(); !slices.Equal(got, []string{""}) {
		t.Errorf("got failures in %v, want one at the top", got)
	}
}
