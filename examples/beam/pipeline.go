package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
	"github.com/valuepath/valuepath/health"
)

// Models are the three models the pipeline runs, as the JSON a host keeps
// in its configuration. They travel to the workers as this JSON, inside
// the DoFns' serialized fields, and each worker compiles them once per
// DoFn instance in Setup.
type Models struct {
	// Derivations is a valuepath.DerivationsSpec: every derived metric the
	// scorecard and the effectiveness model read.
	Derivations string `json:"derivations"`
	// Scorecard is a health.ScorecardSpec.
	Scorecard string `json:"scorecard"`
	// Effectiveness is an effectiveness.ModelSpec.
	Effectiveness string `json:"effectiveness"`
}

// compiled holds the models built from [Models], bound to each other.
type compiled struct {
	derivations *valuepath.Derivations
	scorecard   *health.Scorecard
	assessor    *effectiveness.Assessor
}

// compile parses and validates the models and binds the scorecard and the
// effectiveness model to the derivations' schema. Every problem is the
// library's own error, prefixed with the model it is in and joined.
func (m Models) compile() (*compiled, error) {
	var c compiled
	var errs []error
	d, err := valuepath.ParseDerivations([]byte(m.Derivations))
	if err != nil {
		errs = append(errs, fmt.Errorf("derivations: %w", err))
	}
	sc, err := health.ParseScorecard([]byte(m.Scorecard))
	if err != nil {
		errs = append(errs, fmt.Errorf("scorecard: %w", err))
	}
	model, err := effectiveness.ParseModel([]byte(m.Effectiveness))
	if err != nil {
		errs = append(errs, fmt.Errorf("effectiveness: %w", err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := sc.Check(d.Schema()); err != nil {
		errs = append(errs, fmt.Errorf("scorecard: %w", err))
	}
	a, err := model.Bind(d.Schema(), effectiveness.Options{})
	if err != nil {
		errs = append(errs, fmt.Errorf("effectiveness: %w", err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.derivations, c.scorecard, c.assessor = d, sc, a
	return &c, nil
}

// Options are the pipeline's inputs and outputs.
type Options struct {
	// Samples, Events and Accounts are file patterns of JSON lines:
	// one [SampleRow], one valuepath.Event, one [AccountRow] per line.
	Samples, Events, Accounts string
	// Results is the file that receives one [Result] per account, as JSON
	// lines; Base the file that receives the [BaseStats] as one JSON line.
	Results, Base string
	// AsOf is the time the accounts are scored as of (exclusive).
	AsOf time.Time
	Models
}

// SampleRow is one raw sample of one account's metric, one per line of
// the samples file.
type SampleRow struct {
	Account valuepath.AccountID `json:"account"`
	Metric  valuepath.Metric    `json:"metric"`
	At      time.Time           `json:"at"`
	Value   float64             `json:"value"`
}

// AccountRow names one account of the population to score, with its
// outcome after AsOf for the backtest's AUC.
type AccountRow struct {
	Account valuepath.AccountID `json:"account"`
	Churned bool                `json:"churned"`
}

// Result is what the pipeline writes per account.
type Result struct {
	Account       valuepath.AccountID `json:"account"`
	Health        health.Summary      `json:"health"`
	Effectiveness Placement           `json:"effectiveness"`
	Churned       bool                `json:"churned"`
}

// Placement is where an account stands on the effectiveness model.
type Placement struct {
	Level    int     `json:"level"`
	Phase    string  `json:"phase,omitempty"`
	Next     int     `json:"next"`
	Progress float64 `json:"progress"`
}

// Build adds the scoring pipeline to s. It compiles the models first, so a
// bad model fails here, at construction, with the library's error and its
// field path, and never mid-run on a worker.
//
// The graph, in order:
//
//	ReadSamples → KeySamples ─┐
//	ReadEvents  → KeyEvents  ─┼─ CoGroupByKey(account) → ScoreAccount ─┬→ results file
//	ReadAccounts→ KeyAccounts ┘                                          └→ CombineBase → base file
func Build(s beam.Scope, opt Options) error {
	c, err := opt.Models.compile()
	if err != nil {
		return err
	}
	if opt.AsOf.IsZero() {
		return errors.New("beam: as of: must be set")
	}
	bands := c.scorecard.Spec().Bands
	if len(bands) == 0 {
		bands = health.DefaultBands()
	}
	names := make([]string, len(bands))
	for i, b := range bands {
		names[i] = string(b.Name)
	}

	samples := beam.ParDo(s.Scope("KeySamples"), keySample, textio.Read(s.Scope("ReadSamples"), opt.Samples))
	events := beam.ParDo(s.Scope("KeyEvents"), keyEvent, textio.Read(s.Scope("ReadEvents"), opt.Events))
	accounts := beam.ParDo(s.Scope("KeyAccounts"), keyAccount, textio.Read(s.Scope("ReadAccounts"), opt.Accounts))
	grouped := beam.CoGroupByKey(s.Scope("GroupByAccount"), samples, events, accounts)
	results, points := beam.ParDo2(s.Scope("ScoreAccount"), &scoreFn{Models: opt.Models, AsOf: opt.AsOf.UnixNano()}, grouped)
	textio.Write(s.Scope("WriteResults"), opt.Results, results)
	base := beam.Combine(s.Scope("CombineBase"), &baseFn{Bands: names}, points)
	textio.Write(s.Scope("WriteBase"), opt.Base, base)
	return nil
}

// Sample is a raw sample in flight between KeySamples and ScoreAccount:
// plain fields, so that Beam's schema coder carries it compactly.
type Sample struct {
	Metric string
	At     int64 // Unix nanoseconds, UTC
	Value  float64
}

// keySample parses one line of the samples file and keys it by account.
func keySample(line string) (string, Sample, error) {
	var r SampleRow
	if err := valuepath.DecodeJSON([]byte(line), &r, valuepath.JSONOptions{}); err != nil {
		return "", Sample{}, fmt.Errorf("samples: %w", err)
	}
	if r.Account == "" || r.Metric == "" {
		return "", Sample{}, errors.New("samples: account and metric: must not be empty")
	}
	return string(r.Account), Sample{Metric: string(r.Metric), At: r.At.UnixNano(), Value: r.Value}, nil
}

// keyEvent checks one line of the events file and keys it, unchanged, by
// its account; ScoreAccount decodes it again.
func keyEvent(line string) (string, string, error) {
	var e valuepath.Event
	if err := valuepath.DecodeJSON([]byte(line), &e, valuepath.JSONOptions{}); err != nil {
		return "", "", fmt.Errorf("events: %w", err)
	}
	if e.Account == "" {
		return "", "", errors.New("events: account: must not be empty")
	}
	return string(e.Account), line, nil
}

// keyAccount parses one line of the accounts file.
func keyAccount(line string) (string, bool, error) {
	var r AccountRow
	if err := valuepath.DecodeJSON([]byte(line), &r, valuepath.JSONOptions{}); err != nil {
		return "", false, fmt.Errorf("accounts: %w", err)
	}
	if r.Account == "" {
		return "", false, errors.New("accounts: account: must not be empty")
	}
	return string(r.Account), r.Churned, nil
}

// Point is what one account adds to the base's distribution.
type Point struct {
	Present bool
	Value   float64
	Band    string
	Churned bool
}

// scoreFn derives, scores and places one account from its grouped raw
// data. Its exported fields are what Beam serializes to the workers.
type scoreFn struct {
	Models Models
	AsOf   int64 // Unix nanoseconds

	c       *compiled
	asOf    time.Time
	sources []valuepath.Metric
}

// Setup compiles the models once per DoFn instance.
func (f *scoreFn) Setup() error {
	c, err := f.Models.compile()
	if err != nil {
		return err
	}
	f.c, f.asOf = c, time.Unix(0, f.AsOf).UTC()
	for _, d := range c.derivations.Spec() {
		if d.Source != "" && !slices.Contains(f.sources, d.Source) {
			f.sources = append(f.sources, d.Source)
		}
	}
	return nil
}

// ProcessElement scores one account. Accounts with raw data but no row in
// the accounts file are not in the population and are skipped; an account
// listed twice is an error.
func (f *scoreFn) ProcessElement(ctx context.Context, account string, samples func(*Sample) bool, events func(*string) bool,
	accounts func(*bool) bool, emitResult func(string), emitPoint func(Point)) error {
	var churned, c bool
	n := 0
	for accounts(&c) {
		churned = c
		n++
	}
	switch {
	case n == 0:
		return nil
	case n > 1:
		return fmt.Errorf("accounts: account %q: listed %d times", account, n)
	}
	p, err := f.provider(valuepath.AccountID(account), samples, events)
	if err != nil {
		return err
	}
	snap, err := f.c.derivations.Evaluate(ctx, p, valuepath.AccountID(account), f.asOf)
	if err != nil {
		return err
	}
	r := Result{Account: valuepath.AccountID(account), Churned: churned}
	for sum, err := range f.c.scorecard.SummarizeAll(one(snap), valuepath.BatchOptions{Concurrency: 1}) {
		if err != nil {
			return err
		}
		r.Health = *sum
	}
	a, err := f.c.assessor.Assess(snap)
	if err != nil {
		return err
	}
	r.Effectiveness = Placement{Level: a.Level, Phase: a.Phase, Next: a.Next.Level, Progress: a.Next.Progress}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	emitResult(string(line))
	emitPoint(Point{Present: r.Health.Present, Value: r.Health.Value, Band: string(r.Health.Band), Churned: churned})
	return nil
}

// provider holds one account's raw data, so that the library's own
// Derivations.Evaluate reads it exactly as it would read a host's store.
func (f *scoreFn) provider(account valuepath.AccountID, samples func(*Sample) bool, events func(*string) bool) (*valuepath.MemoryProvider, error) {
	p := &valuepath.MemoryProvider{}
	if err := p.AddAccount(account); err != nil {
		return nil, err
	}
	for _, m := range f.sources {
		if err := p.DeclareMetric(m); err != nil {
			return nil, err
		}
	}
	by := map[valuepath.Metric][]valuepath.Sample{}
	var s Sample
	for samples(&s) {
		m := valuepath.Metric(s.Metric)
		by[m] = append(by[m], valuepath.Sample{At: time.Unix(0, s.At).UTC(), Value: s.Value})
	}
	for m, xs := range by {
		if !slices.Contains(f.sources, m) {
			continue // a metric no derivation reads
		}
		slices.SortFunc(xs, func(a, b valuepath.Sample) int { return a.At.Compare(b.At) })
		series, err := valuepath.NewSeries(xs)
		if err != nil {
			return nil, fmt.Errorf("samples: account %q: metric %q: %w", account, m, err)
		}
		if err := p.SetSeries(account, m, series); err != nil {
			return nil, err
		}
	}
	var evs []valuepath.Event
	var line string
	for events(&line) {
		var e valuepath.Event
		if err := valuepath.DecodeJSON([]byte(line), &e, valuepath.JSONOptions{}); err != nil {
			return nil, fmt.Errorf("events: account %q: %w", account, err)
		}
		evs = append(evs, e)
	}
	slices.SortStableFunc(evs, func(a, b valuepath.Event) int { return a.At.Compare(b.At) })
	log, err := valuepath.NewEventLog(evs)
	if err != nil {
		return nil, fmt.Errorf("events: account %q: %w", account, err)
	}
	if err := p.SetEvents(account, log); err != nil {
		return nil, err
	}
	return p, nil
}

// one is the sequence of a single snapshot.
func one(s *valuepath.Snapshot) iter.Seq[*valuepath.Snapshot] {
	return func(yield func(*valuepath.Snapshot) bool) { yield(s) }
}

func init() {
	register.Function1x3(keySample)
	register.Function1x3(keyEvent)
	register.Function1x3(keyAccount)
	register.DoFn7x1[context.Context, string, func(*Sample) bool, func(*string) bool, func(*bool) bool, func(string), func(Point), error](&scoreFn{})
	register.Iter1[Sample]()
	register.Iter1[string]()
	register.Iter1[bool]()
	register.Emitter1[string]()
	register.Emitter1[Point]()
	register.Combiner3[Tally, Point, string](&baseFn{})
	beam.RegisterType(typeOf[Sample]())
	beam.RegisterType(typeOf[Point]())
	beam.RegisterType(typeOf[Tally]())
}
