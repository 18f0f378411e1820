package sqlprovider

import (
	"context"
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/valuepathtest"
)

// TestProviderContract checks the provider against valuepath's whole
// Provider contract, on every backend. The data set goes in the way a host's
// goes in, through Import from another Provider; a NaN or infinite value is
// refused there, since no Provider can hold one (the rows of a database that
// has one are TestCorruptRows's).
func TestProviderContract(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		valuepathtest.TestProvider(t, func(t *testing.T, d valuepathtest.Data) (valuepath.Provider, error) {
			src, err := memoryOf(d)
			if err != nil {
				return nil, err
			}
			p := b.create(t)
			accounts := make([]Account, len(d.Accounts))
			for i, id := range d.Accounts {
				accounts[i] = Account{ID: id}
			}
			if _, err := p.Import(context.Background(), src, accounts, d.Metrics, StorableRange); err != nil {
				return nil, err
			}
			return p, nil
		})
	})
}

// memoryOf loads the contract's data set into a MemoryProvider.
func memoryOf(d valuepathtest.Data) (*valuepath.MemoryProvider, error) {
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
	for i := 0; i < len(d.Events); {
		j := i
		for j < len(d.Events) && d.Events[j].Account == d.Events[i].Account {
			j++
		}
		log, err := valuepath.NewEventLog(d.Events[i:j])
		if err != nil {
			return nil, err
		}
		if err := p.SetEvents(d.Events[i].Account, log); err != nil {
			return nil, err
		}
		i = j
	}
	return p, nil
}
