// Package valuepathtest checks an implementation of [valuepath.Provider]
// against the whole Provider contract, as testing/fstest checks an fs.FS.
//
// A host that serves its own store through a Provider calls [TestProvider]
// from one of its tests with a [Loader]: a function that writes a known data
// set, handed over as a [Data], into a fresh instance of the store and
// returns a Provider over it. TestProvider then reads the data back through
// the Provider and runs every rule of [Rules] as a subtest named after the
// rule, so a failure says which rule broke and `go test -run
// TestX/window-end` runs one rule alone. Run it under -race: the
// concurrent-use rule reads from many goroutines at once.
//
// The package imports only the standard library and valuepath.
package valuepathtest

import (
	"context"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
)

// Row is one sample of one account's metric, as a store holds it.
type Row struct {
	Account valuepath.AccountID
	Metric  valuepath.Metric
	At      time.Time
	Value   float64
}

// Data is the data set a [Loader] writes into the store. Each call of the
// loader gets a fresh copy, which it may keep or modify.
type Data struct {
	// Accounts are every account the store must know, in sorted order,
	// including accounts that have neither samples nor events.
	Accounts []valuepath.AccountID
	// Metrics are every metric the store must know, in sorted order,
	// including metrics that no account has samples of.
	Metrics []valuepath.Metric
	// Rows are the samples, sorted by account, metric and time. In the data
	// set of the not-finite rule some values are NaN or infinite.
	Rows []Row
	// Events are every account's events, sorted by account and time.
	Events []valuepath.Event
}

// Loader writes data into a new, empty instance of the host's store and
// returns a Provider over it. It may use t for temporary directories and
// cleanups. A store that cannot hold a NaN or infinite value returns an
// error for such data (the not-finite rule then holds); any other error
// fails the test.
type Loader func(t *testing.T, data Data) (valuepath.Provider, error)

// Rule is one rule of the Provider contract that [TestProvider] checks.
type Rule struct {
	// Name is the name of the subtest that checks the rule, such as
	// "window-end".
	Name string
	// Text states the rule in one sentence.
	Text string
}

// Rules returns the rules [TestProvider] checks, in the order it checks
// them.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = Rule{Name: r.name, Text: r.text}
	}
	return out
}

// TestProvider loads the data set with load and checks the Provider it
// returns against every rule of [Rules], each in a subtest named after the
// rule. It calls load once for the data set that every rule but
// not-finite reads, and once for each data set of the not-finite rule.
func TestProvider(t *testing.T, load Loader) {
	t.Helper()
	run(testReporter{t}, func(d Data) (valuepath.Provider, error) { return load(t, d) })
}

// reporter is the part of *testing.T the checks use, so that the package's
// own tests can run them against a recording fake.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Run(name string, f func(r reporter))
}

type testReporter struct{ t *testing.T }

func (r testReporter) Helper()                           { r.t.Helper() }
func (r testReporter) Errorf(format string, args ...any) { r.t.Helper(); r.t.Errorf(format, args...) }
func (r testReporter) Run(name string, f func(reporter)) {
	r.t.Run(name, func(t *testing.T) { f(testReporter{t}) })
}

// run checks the provider that load returns against every rule.
func run(r reporter, load func(Data) (valuepath.Provider, error)) {
	r.Helper()
	p, err := load(dataSet())
	if err != nil || p == nil {
		r.Errorf("valuepathtest: the loader failed on the data set: %v", err)
		return
	}
	c := &checker{p: p, load: load, want: dataSet()}
	for _, rule := range rules {
		r.Run(rule.name, func(r reporter) {
			rule.check(c, r)
		})
	}
}

// ctx is the context of the reads that are not about cancellation.
func bg() context.Context { return context.Background() }

// MemoryProvider returns the data set loaded into a [valuepath.MemoryProvider]:
// the reference Provider for it, which a host's loader can also use as the
// source it copies from.
func (d Data) MemoryProvider() (*valuepath.MemoryProvider, error) {
	p := &valuepath.MemoryProvider{}
	for _, a := range d.Accounts {
		if err := p.AddAccount(a); err != nil {
			return nil, err
		}
	}
	for _, m := range d.Metrics {
		if err := p.DeclareMetric(m); err != nil {
			return nil, err
		}
	}
	for i := 0; i < len(d.Rows); {
		r := d.Rows[i]
		var samples []valuepath.Sample
		for ; i < len(d.Rows) && d.Rows[i].Account == r.Account && d.Rows[i].Metric == r.Metric; i++ {
			samples = append(samples, valuepath.Sample{At: d.Rows[i].At, Value: d.Rows[i].Value})
		}
		s, err := valuepath.NewSeries(samples)
		if err != nil {
			return nil, err
		}
		if err := p.SetSeries(r.Account, r.Metric, s); err != nil {
			return nil, err
		}
	}
	byAccount := map[valuepath.AccountID][]valuepath.Event{}
	for _, e := range d.Events {
		byAccount[e.Account] = append(byAccount[e.Account], e)
	}
	for a, ev := range byAccount {
		log, err := valuepath.NewEventLog(ev)
		if err != nil {
			return nil, err
		}
		if err := p.SetEvents(a, log); err != nil {
			return nil, err
		}
	}
	return p, nil
}
