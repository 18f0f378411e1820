package valuepath

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
)

// Provider serves an account's raw data to the library. A host implements it
// against its own store (a database, a warehouse, an API); the library calls
// it with the account and the interval it needs and never reads anything
// else.
//
// Implementations must be safe for concurrent use, honour ctx, and return
// data in the interval [window.Start, window.End) only. An account that
// exists but has no samples of a metric in the window gets an empty Series
// and a nil error (the metric is then "missing", not zero). A metric the
// provider has never heard of is an error wrapping [ErrUnknownMetric]; an
// account it does not know, an error wrapping [ErrUnknownAccount].
type Provider interface {
	// Series returns the samples of metric for account within window.
	Series(ctx context.Context, account AccountID, metric Metric, window Interval) (Series, error)
	// Events returns the events of account within window, of every kind.
	Events(ctx context.Context, account AccountID, window Interval) (EventLog, error)
}

// MemoryProvider is a [Provider] over data held in memory, for tests,
// examples and hosts whose data fits in memory. Populate it with
// [MemoryProvider.SetSeries] and [MemoryProvider.SetEvents], then share it:
// reads are safe for concurrent use, but the Set methods must not run
// concurrently with anything else. The zero value is an empty provider.
type MemoryProvider struct {
	accounts map[AccountID]*memAccount
	metrics  map[Metric]struct{}
}

type memAccount struct {
	series map[Metric]Series
	events EventLog
}

func (p *MemoryProvider) account(id AccountID) *memAccount {
	if p.accounts == nil {
		p.accounts = map[AccountID]*memAccount{}
	}
	a := p.accounts[id]
	if a == nil {
		a = &memAccount{series: map[Metric]Series{}}
		p.accounts[id] = a
	}
	return a
}

// AddAccount makes account known to the provider even if it has no data yet.
func (p *MemoryProvider) AddAccount(account AccountID) error {
	if account == "" {
		return fmt.Errorf("valuepath: account: %w: must not be empty", ErrInvalid)
	}
	p.account(account)
	return nil
}

// DeclareMetric makes metric known to the provider, so that accounts without
// samples of it get an empty series rather than an unknown-metric error.
func (p *MemoryProvider) DeclareMetric(metric Metric) error {
	if metric == "" {
		return fmt.Errorf("valuepath: metric: %w: must not be empty", ErrInvalid)
	}
	if p.metrics == nil {
		p.metrics = map[Metric]struct{}{}
	}
	p.metrics[metric] = struct{}{}
	return nil
}

// SetSeries stores the series of metric for account, replacing any earlier
// one. Series are immutable, so no copy is needed.
func (p *MemoryProvider) SetSeries(account AccountID, metric Metric, s Series) error {
	if account == "" {
		return fmt.Errorf("valuepath: account: %w: must not be empty", ErrInvalid)
	}
	if err := p.DeclareMetric(metric); err != nil {
		return err
	}
	p.account(account).series[metric] = s
	return nil
}

// SetEvents stores the event log of account, replacing any earlier one. Every
// event must belong to account.
func (p *MemoryProvider) SetEvents(account AccountID, log EventLog) error {
	if account == "" {
		return fmt.Errorf("valuepath: account: %w: must not be empty", ErrInvalid)
	}
	for i, e := range log.ev {
		if e.Account != account {
			return fmt.Errorf("valuepath: events[%d].account: %w: %q in the log of %q", i, ErrInvalid, e.Account, account)
		}
	}
	p.account(account).events = log
	return nil
}

// Accounts yields the known accounts in sorted order.
func (p *MemoryProvider) Accounts() iter.Seq[AccountID] {
	ids := make([]AccountID, 0, len(p.accounts))
	for id := range p.accounts {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, cmp.Compare)
	return slices.Values(ids)
}

// Series implements [Provider]. It does not allocate.
func (p *MemoryProvider) Series(ctx context.Context, account AccountID, metric Metric, window Interval) (Series, error) {
	if err := ctx.Err(); err != nil {
		return Series{}, err
	}
	a := p.accounts[account]
	if a == nil {
		return Series{}, ErrUnknownAccount
	}
	s, ok := a.series[metric]
	if !ok {
		if _, known := p.metrics[metric]; !known {
			return Series{}, ErrUnknownMetric
		}
		return Series{}, nil
	}
	return s.Window(window), nil
}

// Events implements [Provider]. It does not allocate.
func (p *MemoryProvider) Events(ctx context.Context, account AccountID, window Interval) (EventLog, error) {
	if err := ctx.Err(); err != nil {
		return EventLog{}, err
	}
	a := p.accounts[account]
	if a == nil {
		return EventLog{}, ErrUnknownAccount
	}
	return a.events.Window(window), nil
}
