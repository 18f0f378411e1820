package valuepathtest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/valuepath/valuepath"
)

// checker holds the provider under test and what it must serve.
type checker struct {
	p    valuepath.Provider
	load func(Data) (valuepath.Provider, error)
	want Data
}

type rule struct {
	name, text string
	check      func(c *checker, r reporter)
}

// rules are the rules of the Provider contract, in the order they run.
var rules = []rule{
	{"series", "Series returns every sample of the account's metric in the window, oldest first, with its exact time and value.", (*checker).series},
	{"window-start", "A window holds the samples at its Start: [Start, End) is closed at Start.", (*checker).windowStart},
	{"window-end", "A window holds nothing at or after its End (asOf): [Start, End) is open at End.", (*checker).windowEnd},
	{"empty-window", "An empty or inverted window gives an empty Series and EventLog and a nil error.", (*checker).emptyWindow},
	{"no-samples", "A known account with no samples of a known metric in the window gets an empty Series and a nil error: missing, not an error.", (*checker).noSamples},
	{"unknown-account", "Series and Events for an account the store does not know return an error wrapping valuepath.ErrUnknownAccount.", (*checker).unknownAccount},
	{"unknown-metric", "Series of a metric the store does not know returns an error wrapping valuepath.ErrUnknownMetric.", (*checker).unknownMetric},
	{"events", "Events returns every event of the account in [Start, End), in time order, with its account, kind, time and attributes.", (*checker).events},
	{"not-finite", "A NaN or infinite value is refused by the store or reported by Series as an error wrapping valuepath.ErrNotFinite, never served.", (*checker).notFinite},
	{"context", "A cancelled or expired ctx makes Series and Events return an error wrapping ctx.Err().", (*checker).context},
	{"concurrent", "Reads from many goroutines at once return what the same reads return one at a time.", (*checker).concurrent},
}

// sameSamples describes how got differs from want, or returns "".
func sameSamples(got valuepath.Series, want []valuepath.Sample) string {
	if got.Len() != len(want) {
		return fmt.Sprintf("got %d samples %s, want %d %s", got.Len(), describeSeries(got), len(want), describeSamples(want))
	}
	for i, w := range want {
		if g := got.At(i); !g.At.Equal(w.At) || g.Value != w.Value {
			return fmt.Sprintf("sample %d is %v at %s, want %v at %s", i, g.Value, stamp(g.At), w.Value, stamp(w.At))
		}
	}
	return ""
}

// sameTimes is sameSamples for the times only, so that the window rules
// fail on windows and nothing else.
func sameTimes(got valuepath.Series, want []valuepath.Sample) string {
	if got.Len() != len(want) {
		return fmt.Sprintf("got %d samples %s, want %d %s", got.Len(), describeSeries(got), len(want), describeSamples(want))
	}
	for i, w := range want {
		if g := got.At(i); !g.At.Equal(w.At) {
			return fmt.Sprintf("sample %d is at %s, want %s", i, stamp(g.At), stamp(w.At))
		}
	}
	return ""
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func describeSeries(s valuepath.Series) string {
	var out []valuepath.Sample
	for smp := range s.Samples() {
		out = append(out, smp)
	}
	return describeSamples(out)
}

// describeSamples names the first and last time of samples.
func describeSamples(s []valuepath.Sample) string {
	if len(s) == 0 {
		return "[]"
	}
	return "[" + stamp(s[0].At) + " … " + stamp(s[len(s)-1].At) + "]"
}

func window(iv valuepath.Interval) string {
	return "[" + stamp(iv.Start) + ", " + stamp(iv.End) + ")"
}

// withSamples returns the known account/metric pairs that have samples.
func (c *checker) withSamples() []key {
	var out []key
	for _, k := range c.want.pairs() {
		if len(c.want.samples(k.account, k.metric, far)) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// read calls Series and reports an error; ok is false if it failed.
func (c *checker) read(r reporter, k key, iv valuepath.Interval) (valuepath.Series, bool) {
	r.Helper()
	s, err := c.p.Series(bg(), k.account, k.metric, iv)
	if err != nil {
		r.Errorf("Series(%q, %q, %s): unexpected error: %v", k.account, k.metric, window(iv), err)
		return s, false
	}
	return s, true
}

func (c *checker) series(r reporter) {
	for _, k := range c.withSamples() {
		if s, ok := c.read(r, k, far); ok {
			if d := sameSamples(s, c.want.samples(k.account, k.metric, far)); d != "" {
				r.Errorf("Series(%q, %q, %s): %s", k.account, k.metric, window(far), d)
			}
		}
	}
}

// elsewhere is a time zone of its own, so that windows whose bounds are in
// another location than the stored times must still compare instants.
var elsewhere = time.FixedZone("UTC+05:30", 5*3600+1800)

func (c *checker) windowStart(r reporter) {
	for _, k := range c.withSamples() {
		all := c.want.samples(k.account, k.metric, far)
		for i, smp := range all {
			for _, start := range []time.Time{smp.At, smp.At.In(elsewhere)} {
				iv := valuepath.Interval{Start: start, End: far.End}
				if s, ok := c.read(r, k, iv); ok {
					if d := sameTimes(s, all[i:]); d != "" {
						r.Errorf("Series(%q, %q, %s) must hold the sample at Start: %s", k.account, k.metric, window(iv), d)
						return
					}
				}
			}
		}
	}
}

func (c *checker) windowEnd(r reporter) {
	for _, k := range c.withSamples() {
		all := c.want.samples(k.account, k.metric, far)
		for _, smp := range all {
			for _, iv := range []valuepath.Interval{
				{Start: far.Start, End: smp.At},
				{Start: far.Start, End: smp.At.In(elsewhere)},
				valuepath.Trailing(smp.At, 7*24*time.Hour+time.Hour),
			} {
				if s, ok := c.read(r, k, iv); ok {
					if d := sameTimes(s, c.want.samples(k.account, k.metric, iv)); d != "" {
						r.Errorf("Series(%q, %q, %s) must hold nothing at or after End: %s", k.account, k.metric, window(iv), d)
						return
					}
				}
			}
		}
	}
	for _, e := range c.want.Events {
		iv := valuepath.Interval{Start: far.Start, End: e.At}
		log, err := c.p.Events(bg(), e.Account, iv)
		if err != nil {
			r.Errorf("Events(%q, %s): unexpected error: %v", e.Account, window(iv), err)
			continue
		}
		if want := len(c.want.events(e.Account, iv)); log.Len() != want {
			r.Errorf("Events(%q, %s) must hold nothing at or after End: got %d events, want %d", e.Account, window(iv), log.Len(), want)
			return
		}
	}
}

func (c *checker) emptyWindow(r reporter) {
	for _, k := range c.withSamples() {
		all := c.want.samples(k.account, k.metric, far)
		first, last := all[0].At, all[len(all)-1].At
		for _, iv := range []valuepath.Interval{
			{Start: first, End: first},
			{Start: last, End: first},
			{Start: far.End, End: far.Start},
		} {
			s, err := c.p.Series(bg(), k.account, k.metric, iv)
			if err != nil || s.Len() != 0 {
				r.Errorf("Series(%q, %q, %s) of an empty window: got %d samples and error %v, want none and no error", k.account, k.metric, window(iv), s.Len(), err)
			}
			log, err := c.p.Events(bg(), k.account, iv)
			if err != nil || log.Len() != 0 {
				r.Errorf("Events(%q, %s) of an empty window: got %d events and error %v, want none and no error", k.account, window(iv), log.Len(), err)
			}
		}
	}
}

func (c *checker) noSamples(r reporter) {
	before := valuepath.Interval{Start: far.Start, End: t0.Add(-time.Hour)}
	for _, k := range c.want.pairs() {
		ivs := []valuepath.Interval{before}
		if len(c.want.samples(k.account, k.metric, far)) == 0 {
			ivs = append(ivs, far)
		}
		for _, iv := range ivs {
			s, err := c.p.Series(bg(), k.account, k.metric, iv)
			if err != nil || s.Len() != 0 {
				r.Errorf("Series(%q, %q, %s) of a known account and metric without samples in the window: got %d samples and error %v, want none and no error", k.account, k.metric, window(iv), s.Len(), err)
			}
		}
	}
	log, err := c.p.Events(bg(), initech, far)
	if err != nil || log.Len() != 0 {
		r.Errorf("Events(%q, %s) of a known account without events: got %d events and error %v, want none and no error", initech, window(far), log.Len(), err)
	}
}

func (c *checker) unknownAccount(r reporter) {
	for _, m := range append(c.want.Metrics[:len(c.want.Metrics):len(c.want.Metrics)], noSuch) {
		_, err := c.p.Series(bg(), nobody, m, far)
		if m != noSuch && !errors.Is(err, valuepath.ErrUnknownAccount) {
			r.Errorf("Series(%q, %q, …) of an unknown account: got error %v, want one wrapping valuepath.ErrUnknownAccount", nobody, m, err)
		}
		if m == noSuch && !errors.Is(err, valuepath.ErrUnknownAccount) && !errors.Is(err, valuepath.ErrUnknownMetric) {
			r.Errorf("Series(%q, %q, …) of an unknown account and metric: got error %v, want one wrapping valuepath.ErrUnknownAccount or ErrUnknownMetric", nobody, m, err)
		}
	}
	if _, err := c.p.Events(bg(), nobody, far); !errors.Is(err, valuepath.ErrUnknownAccount) {
		r.Errorf("Events(%q, …) of an unknown account: got error %v, want one wrapping valuepath.ErrUnknownAccount", nobody, err)
	}
}

func (c *checker) unknownMetric(r reporter) {
	for _, a := range c.want.Accounts {
		if _, err := c.p.Series(bg(), a, noSuch, far); !errors.Is(err, valuepath.ErrUnknownMetric) {
			r.Errorf("Series(%q, %q, …) of an unknown metric: got error %v, want one wrapping valuepath.ErrUnknownMetric", a, noSuch, err)
		}
	}
}

// sameEvents describes how got differs from want, or returns "".
func sameEvents(got valuepath.EventLog, want []valuepath.Event) string {
	if got.Len() != len(want) {
		return fmt.Sprintf("got %d events, want %d", got.Len(), len(want))
	}
	for i, w := range want {
		g := got.At(i)
		if g.Account != w.Account || g.Kind != w.Kind || !g.At.Equal(w.At) || !maps.Equal(g.Attrs, w.Attrs) {
			return fmt.Sprintf("event %d is %q %q at %s %v, want %q %q at %s %v", i, g.Account, g.Kind, stamp(g.At), g.Attrs, w.Account, w.Kind, stamp(w.At), w.Attrs)
		}
	}
	return ""
}

func (c *checker) events(r reporter) {
	for _, a := range c.want.Accounts {
		ivs := []valuepath.Interval{far}
		for _, e := range c.want.events(a, far) {
			ivs = append(ivs, valuepath.Interval{Start: e.At, End: far.End}, valuepath.Interval{Start: e.At.In(elsewhere), End: e.At.Add(time.Nanosecond)})
		}
		for _, iv := range ivs {
			log, err := c.p.Events(bg(), a, iv)
			if err != nil {
				r.Errorf("Events(%q, %s): unexpected error: %v", a, window(iv), err)
				continue
			}
			if d := sameEvents(log, c.want.events(a, iv)); d != "" {
				r.Errorf("Events(%q, %s): %s", a, window(iv), d)
			}
		}
	}
}

func (c *checker) notFinite(r reporter) {
	sets := notFiniteSets()
	for _, name := range []string{"NaN", "+Inf", "-Inf"} {
		p, err := c.load(sets[name])
		if err != nil {
			continue // the store refused it
		}
		k := key{acme, seats}
		s, err := p.Series(bg(), k.account, k.metric, far)
		if !errors.Is(err, valuepath.ErrNotFinite) {
			r.Errorf("the store accepted a %s value of %q %q, and Series(…, %s) returned %d samples %v and error %v, want an error wrapping valuepath.ErrNotFinite", name, k.account, k.metric, window(far), s.Len(), describeValues(s), err)
		}
	}
}

func describeValues(s valuepath.Series) []float64 {
	var out []float64
	for smp := range s.Samples() {
		out = append(out, smp.Value)
	}
	return out
}

func (c *checker) context(r reporter) {
	cancelled, cancel := context.WithCancel(bg())
	cancel()
	expired, cancel2 := context.WithDeadline(bg(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, ctx := range []context.Context{cancelled, expired} {
		want := ctx.Err()
		if _, err := c.p.Series(ctx, acme, activeUsers, far); !errors.Is(err, want) {
			r.Errorf("Series with a done ctx: got error %v, want one wrapping %v", err, want)
		}
		if _, err := c.p.Events(ctx, acme, far); !errors.Is(err, want) {
			r.Errorf("Events with a done ctx: got error %v, want one wrapping %v", err, want)
		}
	}
}

// result is what one read returned, for comparing concurrent reads with
// sequential ones.
type result struct {
	series valuepath.Series
	events valuepath.EventLog
	err    error
}

// concurrentReaders and concurrentRounds size the concurrent-use rule: enough
// overlapping reads to expose shared state, few enough for a database.
const (
	concurrentReaders = 8
	concurrentRounds  = 4
)

func (c *checker) readAll(k key, asEvents bool) result {
	if asEvents {
		log, err := c.p.Events(bg(), k.account, far)
		return result{events: log, err: err}
	}
	s, err := c.p.Series(bg(), k.account, k.metric, far)
	return result{series: s, err: err}
}

func (c *checker) concurrent(r reporter) {
	type read struct {
		k      key
		events bool
	}
	var reads []read
	for _, k := range c.want.pairs() {
		reads = append(reads, read{k: k})
	}
	for _, a := range c.want.Accounts {
		reads = append(reads, read{k: key{account: a}, events: true})
	}
	want := make([]result, len(reads))
	for i, rd := range reads {
		want[i] = c.readAll(rd.k, rd.events)
	}
	var (
		mu       sync.Mutex
		problems []string
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	for g := range concurrentReaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for round := range concurrentRounds {
				for j := range reads {
					i := (j + g*len(reads)/concurrentReaders + round) % len(reads)
					got := c.readAll(reads[i].k, reads[i].events)
					if d := diffResult(got, want[i]); d != "" {
						mu.Lock()
						problems = append(problems, fmt.Sprintf("%q %q: %s", reads[i].k.account, reads[i].k.metric, d))
						mu.Unlock()
					}
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(problems) > 0 {
		r.Errorf("%d of %d concurrent reads differ from the same reads made one at a time; the first: %s", len(problems), concurrentReaders*concurrentRounds*len(reads), problems[0])
	}
}

func diffResult(got, want result) string {
	switch {
	case (got.err == nil) != (want.err == nil):
		return fmt.Sprintf("error %v, alone %v", got.err, want.err)
	case got.err != nil:
		return ""
	}
	var wantSamples []valuepath.Sample
	for smp := range want.series.Samples() {
		wantSamples = append(wantSamples, smp)
	}
	if d := sameSamples(got.series, wantSamples); d != "" {
		return d
	}
	var wantEvents []valuepath.Event
	for e := range want.events.Events() {
		wantEvents = append(wantEvents, e)
	}
	return sameEvents(got.events, wantEvents)
}
