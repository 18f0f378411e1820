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
			src, err := d.MemoryProvider()
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
