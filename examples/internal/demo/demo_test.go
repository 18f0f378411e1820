package demo

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/effectiveness"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := Generate(Config{Accounts: 40, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(Config{Accounts: 40, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Accounts {
		x, y := a.Accounts[i], b.Accounts[i]
		if x.ID != y.ID || x.Fate != y.Fate || !x.MRR.Equal(y.MRR) || !x.Start.Equal(y.Start) || len(x.Subscription) != len(y.Subscription) {
			t.Fatalf("account %d differs between two runs with the same seed", i)
		}
	}
	c, err := Generate(Config{Accounts: 40, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for i := range a.Accounts {
		if a.Accounts[i].Start.Equal(c.Accounts[i].Start) {
			same++
		}
	}
	if same == len(a.Accounts) {
		t.Error("a different seed produced the same base")
	}
}

func TestGenerateRejectsImpossibleConfig(t *testing.T) {
	for _, cfg := range []Config{{Accounts: -1}, {Months: 40}} {
		if _, err := Generate(cfg); err == nil {
			t.Errorf("Generate(%+v): want error", cfg)
		}
	}
}

// TestSignalIsThere checks that the base holds what the examples claim to
// find: every fate present, at-risk accounts using less than healthy ones,
// and churned accounts with subscription histories that end in a cancel.
func TestSignalIsThere(t *testing.T) {
	b, err := Generate(Config{})
	if err != nil {
		t.Fatal(err)
	}
	set := Derivations()
	fates := map[Fate]int{}
	utilisation := map[Fate][]float64{}
	for _, a := range b.Accounts {
		fates[a.Fate]++
		if a.Fate == Churned {
			if last := a.Subscription[len(a.Subscription)-1]; last.Kind != "cancel" || !last.At.Equal(a.ChurnedAt) {
				t.Errorf("%s churned but its subscription ends with %+v", a.ID, last)
			}
			continue
		}
		s, err := set.Evaluate(context.Background(), b.Provider, a.ID, b.AsOf)
		if err != nil && !errors.Is(err, valuepath.ErrNoData) {
			t.Fatal(err)
		}
		if v, ok := s.Value(Utilisation); ok {
			utilisation[a.Fate] = append(utilisation[a.Fate], v)
		}
	}
	for _, f := range []Fate{Healthy, AtRisk, Advocate, Churned} {
		if fates[f] == 0 {
			t.Errorf("no %s accounts in the default base: %v", f, fates)
		}
	}
	if fates[Healthy] <= len(b.Accounts)/2 {
		t.Errorf("healthy accounts are not the majority: %v", fates)
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	if h, r, a := mean(utilisation[Healthy]), mean(utilisation[AtRisk]), mean(utilisation[Advocate]); !(r < h && h < a) {
		t.Errorf("mean utilisation: at risk %.2f, healthy %.2f, advocate %.2f; want rising in that order", r, h, a)
	}
}

func TestDerivationsJSONRoundTrips(t *testing.T) {
	d := Derivations()
	js, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := valuepath.ParseDerivations(js)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d.Spec(), back.Spec()); diff != "" {
		t.Error(diff)
	}
}

// TestModelsBindToAllDerivations checks that every demo model reads only
// metrics the combined derivation set provides, so that a service can
// derive once per account and serve every model from that snapshot.
func TestModelsBindToAllDerivations(t *testing.T) {
	schema := AllDerivations().Schema()
	if err := Scorecard().Check(schema); err != nil {
		t.Errorf("scorecard: %v", err)
	}
	if _, err := EffectivenessModel().Bind(schema, effectiveness.Options{}); err != nil {
		t.Errorf("effectiveness model: %v", err)
	}
	for _, m := range []valuepath.Metric{LoginsChange30d, RecordsPerUser, LoginsPerSeat, Transactions365d, Records30d} {
		if _, ok := schema.Index(m); !ok {
			t.Errorf("AllDerivations lacks %s", m)
		}
	}
	if n := len(slices.Collect(EngagementCatalog().Models())); n != 3 {
		t.Errorf("engagement catalog has %d models, want one per segment (3)", n)
	}
	if EquivalentsCatalog().Name() == "" {
		t.Error("equivalents catalog has no name")
	}
}
