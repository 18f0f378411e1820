package stakeholders_test

import (
	"testing"

	"github.com/valuepath/valuepath/effectiveness/stakeholders"
)

func FuzzParseMatrix(f *testing.F) {
	f.Add([]byte(matrixJSON))
	f.Add([]byte(`{"roles": [{"id": "r"}], "capabilities": [{"id": "c"}], "intersections": [{"role": "r", "capability": "c", "serves": "s"}],
	  "scale": ["a", "b"], "stakeholders": [{"name": "n", "role": "r", "states": [{"capability": "c", "current": "a", "future": "b"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := stakeholders.ParseMatrix(data)
		if err != nil {
			return
		}
		gaps := m.Gaps()
		for _, p := range []stakeholders.Priority{stakeholders.ByCapability, stakeholders.ByStakeholder, stakeholders.ByGap} {
			items, err := m.Roadmap(p)
			if err != nil || len(items) != len(gaps) {
				t.Fatalf("roadmap by %s: %d items, %d gaps, err %v", p, len(items), len(gaps), err)
			}
		}
		for _, g := range gaps {
			if g.Steps <= 0 || g.Serves == "" {
				t.Fatalf("bad gap %+v", g)
			}
		}
	})
}
