package valuepathtest_test

import (
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/valuepathtest"
)

// loadMemory is the loader of a host whose store is a MemoryProvider.
func loadMemory(_ *testing.T, d valuepathtest.Data) (valuepath.Provider, error) {
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
		a := d.Events[i].Account
		j := i
		for j < len(d.Events) && d.Events[j].Account == a {
			j++
		}
		log, err := valuepath.NewEventLog(d.Events[i:j])
		if err != nil {
			return nil, err
		}
		if err := p.SetEvents(a, log); err != nil {
			return nil, err
		}
		i = j
	}
	return p, nil
}

func TestMemoryProvider(t *testing.T) {
	valuepathtest.TestProvider(t, loadMemory)
}

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range valuepathtest.Rules() {
		if r.Name == "" || r.Text == "" || seen[r.Name] {
			t.Errorf("rule %q: every rule needs a unique name and a text", r.Name)
		}
		seen[r.Name] = true
	}
	if len(seen) < 10 {
		t.Errorf("got %d rules, want the whole contract", len(seen))
	}
}
