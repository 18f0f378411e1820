package valuepathtest_test

import (
	"testing"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/valuepathtest"
)

// loadMemory is the loader of a host whose store is a MemoryProvider.
func loadMemory(_ *testing.T, d valuepathtest.Data) (valuepath.Provider, error) {
	return d.MemoryProvider()
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
