package segment_test

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

func FuzzParseRules(f *testing.F) {
	f.Add([]byte(testRules))
	f.Add([]byte(benchRulesJSON))
	f.Add([]byte(`[{"id": "a", "when": {"rule": "b"}}, {"id": "b", "when": {"rule": "a"}}]`))
	f.Add([]byte(`[{"id": "a", "when": {"all": [{"not": {"metric": "m", "op": "!=", "value": -1e308}}, {"attr": "k", "in": [""]}]}}]`))
	f.Add([]byte(`[{"id": "a", "when": {"any": []}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := segment.ParseRules(data)
		if err != nil {
			return
		}
		// A valid set round-trips.
		js, err := json.Marshal(rs)
		require.NoError(t, err)
		back, err := segment.ParseRules(js)
		if err != nil {
			t.Fatalf("round trip of %s: %v", js, err)
		}
		if diff := cmp.Diff(rs.Spec(), back.Spec()); diff != "" {
			t.Fatalf("round trip changed the rules:\n%s", diff)
		}
		// It binds to a schema of its metrics and evaluates without
		// panicking, the compiled program agreeing with the explanation.
		schema, err := valuepath.NewSchema(rs.Metrics()...)
		require.NoError(t, err)
		m, err := rs.Bind(schema)
		require.NoError(t, err)
		cur := valuepath.NewSnapshot(schema, "x", asOf)
		base := valuepath.NewSnapshot(schema, "x", asOf)
		for i := range schema.Len() {
			if i%3 != 2 {
				_ = cur.SetAt(i, float64(i%5)-1)
			}
			if i%4 != 3 {
				_ = base.SetAt(i, float64(i%3))
			}
		}
		in := segment.Input{Current: cur, Baseline: base, Attrs: map[string]string{"k": "", "industry": "retail"}}
		ms := m.NewMembership()
		require.NoError(t, m.MatchInto(in, ms))
		ex, err := m.Explain(in)
		require.NoError(t, err)
		var got []string
		for _, s := range ex.Segments {
			got = append(got, s.Segment)
			if len(s.Terms) == 0 {
				t.Errorf("segment %s matched with no terms", s.Segment)
			}
		}
		if want := slices.Collect(ms.Segments()); !slices.Equal(got, want) {
			t.Fatalf("Explain %v, Match %v", got, want)
		}
		// The slice batch gives the same, beside an input that fails.
		dst := make([]segment.Membership, 2)
		require.Error(t, m.MatchSlice([]segment.Input{in, {}}, dst, valuepath.BatchOptions{}))
		if want := slices.Collect(ms.Segments()); !slices.Equal(slices.Collect(dst[0].Segments()), want) || dst[1].Len() != 0 {
			t.Fatalf("MatchSlice %v and %v, Match %v", slices.Collect(dst[0].Segments()), slices.Collect(dst[1].Segments()), want)
		}
	})
}

func FuzzParseTiering(f *testing.F) {
	f.Add([]byte(`{"currency": "USD", "capacity": {"top_csms": 1, "leveraged_csms": 1, "hours_per_csm": 30, "hours_per_top_account": 10, "leveraged_ratio": 2}}`))
	f.Add([]byte(`{"currency": "USD", "rates": {"EUR": "1.1"}, "capacity": {"top_csms": 1000000, "hours_per_csm": 1e308, "hours_per_top_account": 1e-308}}`))
	f.Add([]byte(`{"currency": "EUR", "capacity": {"hours_per_csm": -1}}`))
	f.Add([]byte(`{"currency": "eur", "capacity": {"top_csms": 1, "hours_per_csm": 30, "hours_per_top_account": 10}}`))
	f.Add([]byte(`{"currency": "JPY", "rates": {"USD": "150"}, "capacity": {"top_csms": 2, "hours_per_csm": 30, "hours_per_top_account": 10}}`))
	f.Add([]byte(`{"currency": "USD", "tiers": [{"name": "csm", "csms": 1}, {"name": "digital"}], "capacity": {"hours_per_csm": 40, "hours_per_top_account": 10}}`))
	f.Add([]byte(`{"currency": "USD", "tiers": [{"name": "top", "csms": 1}, {"name": "leveraged", "csms": 1, "ratio": 1.5}, {"name": "pooled", "csms": 1, "ratio": 1.75}, {"name": "digital"}], "capacity": {"hours_per_csm": 20, "hours_per_top_account": 10}}`))
	f.Add([]byte(`{"currency": "USD", "tiers": [{"name": "a", "csms": 1, "ratio": 1}, {"name": "a", "csms": 2, "ratio": 1}, {"name": ""}], "capacity": {"top_csms": 1, "hours_per_csm": 1, "hours_per_top_account": 1}}`))
	f.Add([]byte(`{"currency": "USD", "tiers": [{"name": "x"}], "capacity": {"hours_per_csm": 1, "hours_per_top_account": 1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tiering, err := segment.ParseTiering(data)
		if err != nil {
			return
		}
		// The base is in the policy's own currency: any valid policy, not
		// only a USD one, must place it.
		cur, err := valuepath.ParseCurrency(string(tiering.Spec().Currency))
		require.NoError(t, err, "a valid policy has a valid currency")
		base := smallBase()
		for i := range base {
			base[i].Strategic = false
			base[i].Revenue = valuepath.Must(valuepath.NewMoney(base[i].Revenue.Amount(), cur))
		}
		r, err := tiering.Assign(base)
		require.NoError(t, err)
		checkReport(t, r)
		if _, err := r.CSMsFor(0.5); err != nil {
			t.Fatal(err)
		}
		tiers, places := tiering.Tiers(), tiering.Places()
		if n := len(tiers); n < segment.MinTiers || n > segment.MaxTiers || len(r.Tiers) != n || len(places) != n-1 {
			t.Fatalf("%d tiers, %d summaries, %d place counts", n, len(r.Tiers), len(places))
		}
		counts := make([]int, len(places))
		for i, d := range tiers[:len(places)] {
			if r.Tiers[i].Tier != d.Name || r.Tiers[i].Places != places[i] || r.Tiers[i].CSMs != d.CSMs {
				t.Fatalf("tier %d: summary %+v, def %+v, places %d", i, r.Tiers[i], d, places[i])
			}
			counts[i] = d.CSMs
		}
		// Today's team covers what the report placed with a CSM.
		team, err := r.Cover(counts...)
		require.NoError(t, err)
		for i := range team.Tiers {
			if team.Tiers[i].Accounts != r.Tiers[i].Accounts {
				t.Fatalf("Cover(today's team) tier %d holds %d accounts, the report %d", i, team.Tiers[i].Accounts, r.Tiers[i].Accounts)
			}
		}
	})
}

// checkReport checks the invariants of any tier report.
func checkReport(t *testing.T, r *segment.TierReport) {
	t.Helper()
	n, sum := 0, valuepath.ZeroMoney(r.Revenue.Currency())
	for _, s := range r.Tiers {
		n += s.Accounts
		var err error
		if sum, err = sum.Add(s.Revenue); err != nil {
			t.Fatal(err)
		}
		// A share is present exactly when what it divides by is not 0.
		if s.AccountShare.Present != (r.Accounts > 0) || s.RevenueShare.Present != !r.Revenue.IsZero() {
			t.Fatalf("tier %s: shares %v and %v of %d accounts and %s", s.Tier, s.AccountShare, s.RevenueShare, r.Accounts, r.Revenue)
		}
		for _, v := range []float64{s.AccountShare.Value, s.RevenueShare.Value} {
			if math.IsNaN(v) || v < 0 || v > 1 {
				t.Fatalf("tier %s: share %v", s.Tier, v)
			}
		}
	}
	if c, err := sum.Cmp(r.Revenue); n != r.Accounts || len(r.Assignments) != n || err != nil || c != 0 {
		t.Fatalf("tiers hold %d accounts and %s; report %d and %s", n, sum, r.Accounts, r.Revenue)
	}
	prev := 0.0
	for _, p := range r.Pareto {
		v := p.RevenueShare.Value
		if p.RevenueShare.Present == r.Revenue.IsZero() || math.IsNaN(v) || v < prev-1e-12 || v > 1+1e-12 {
			t.Fatalf("pareto not rising within [0, 1]: %+v", r.Pareto)
		}
		prev = v
	}
	// Tiers are named; their order is the report's.
	pos := map[segment.Tier]int{}
	for i, s := range r.Tiers {
		if _, dup := pos[s.Tier]; dup || s.Tier == "" {
			t.Fatalf("tier %q twice or empty in %+v", s.Tier, r.Tiers)
		}
		pos[s.Tier] = i
	}
	for k := 1; k < len(r.Assignments); k++ {
		a, b := r.Assignments[k-1], r.Assignments[k]
		if c, err := a.Revenue.Cmp(b.Revenue); err != nil || a.Strategic == b.Strategic && c < 0 {
			t.Fatalf("rank %d (%s) before rank %d (%s)", a.Rank, a.Revenue, b.Rank, b.Revenue)
		}
		if pos[a.Tier] > pos[b.Tier] {
			t.Fatalf("rank %d in %s before rank %d in %s", a.Rank, a.Tier, b.Rank, b.Tier)
		}
	}
}

func FuzzAssign(f *testing.F) {
	f.Add("100", "USD", "0.5", "EUR", "1e20", "USD", true, uint8(3), uint8(0))
	f.Add("-1", "USD", "0", "GBP", "12345678901234567890.123", "EUR", false, uint8(0), uint8(1))
	f.Add("0.000000000000000000001", "USD", "99999999999999999", "USD", "7", "USD", true, uint8(200), uint8(2))
	f.Add("5", "USD", "5", "USD", "5.0", "EUR", true, uint8(1), uint8(3))
	f.Fuzz(func(t *testing.T, v1, c1, v2, c2, v3, c3 string, strategic bool, csms, shape uint8) {
		var accounts []segment.TierInput
		for i, vc := range [][2]string{{v1, c1}, {v2, c2}, {v3, c3}} {
			d, err := decimal.NewFromString(vc[0])
			if err != nil || d.Exponent() < -40 || d.Exponent() > 40 {
				return
			}
			accounts = append(accounts, segment.TierInput{ID: valuepath.AccountID(rune('a' + i)), Revenue: fuzzMoney(d, vc[1]), Strategic: strategic && i == 2})
		}
		// shape 0 is the default three tiers; 1, 2 and 3 list 2, 3 and 4.
		spec := segment.TieringSpec{Currency: "USD", Rates: map[valuepath.Currency]decimal.Decimal{"EUR": decimal.RequireFromString("1.07")},
			Capacity: segment.Capacity{TopCSMs: int(csms % 4), LeveragedCSMs: 1, HoursPerCSM: 10, HoursPerTopAccount: 7}}
		served := 2
		if n := int(shape % 4); n > 0 {
			served = n
			spec.Tiers = []segment.TierDef{{Name: "top", CSMs: int(csms % 4)}}
			for i := 1; i < n; i++ {
				spec.Tiers = append(spec.Tiers, segment.TierDef{Name: segment.Tier("t" + strconv.Itoa(i)), CSMs: 1, Ratio: float64(1 + i)})
			}
			spec.Tiers = append(spec.Tiers, segment.TierDef{Name: "digital"})
			spec.Capacity.TopCSMs, spec.Capacity.LeveragedCSMs = 0, 0
		}
		tiering, err := segment.NewTiering(spec)
		require.NoError(t, err)
		r, err := tiering.Assign(accounts)
		if err != nil {
			return
		}
		checkReport(t, r)
		for _, target := range []float64{0.01, 0.4, 1} {
			st, err := r.CSMsFor(target)
			require.NoError(t, err)
			if st.Reachable && st.Top.RevenueShare.Value < target-1e-9 {
				t.Fatalf("CSMsFor(%v) reachable with share %v", target, st.Top.RevenueShare)
			}
		}
		counts := make([]int, served)
		for i := range counts {
			counts[i] = int(csms)
		}
		if _, err := r.Cover(counts...); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseRouter(f *testing.F) {
	f.Add([]byte(testContent))
	f.Add([]byte(`{"cap": 0, "campaigns": [{"id": "x", "kind": "release", "versions": [{"segment": "low", "content": "c"}]}]}`))
	f.Add([]byte(`{"cap": -3, "period": "x", "campaigns": null}`))
	rules := valuepath.Must(segment.NewRules(mustParse(f, testRules)))
	m := valuepath.Must(rules.Bind(ruleSchema))
	f.Fuzz(func(t *testing.T, data []byte) {
		router, err := segment.ParseRouter(data, rules)
		if err != nil {
			return
		}
		cap := router.Spec().Cap
		ms := m.NewMembership()
		in := segment.Input{Current: snap(t, map[valuepath.Metric]float64{"utilisation": 0.1, "reports_30d": 0, "cases_90d": 0})}
		require.NoError(t, m.MatchInto(in, ms))
		for sent := range 3 {
			rt, err := router.Route(ms, sent)
			require.NoError(t, err)
			if cap > 0 && len(rt.Deliver) > max(0, cap-sent) {
				t.Fatalf("cap %d, sent %d: delivered %d", cap, sent, len(rt.Deliver))
			}
			for _, d := range rt.Deliver {
				if !ms.Has(d.Segment) {
					t.Fatalf("delivered %s for segment %s the account is not in", d.Campaign, d.Segment)
				}
			}
		}
	})
}

func FuzzDecide(f *testing.F) {
	f.Add(0.3, 0.7, "120000", "USD")
	f.Add(math.NaN(), math.Inf(1), "-5", "EUR")
	f.Add(1.0, 0.0, "0", "")
	o := valuepath.Must(segment.NewOwnership(segment.OwnershipSpec{Currency: "USD", Rates: map[valuepath.Currency]decimal.Decimal{"eur": decimal.RequireFromString("1.1")},
		Bands: []segment.ValueBand{{Name: "small", From: usd("0"), Shift: -0.2}, {Name: "large", From: usd("100000"), Shift: 0.25}}}))
	f.Fuzz(func(t *testing.T, svc, tx float64, acv, currency string) {
		v, err := decimal.NewFromString(acv)
		if err != nil {
			return
		}
		d, err := o.Decide(segment.Deal{Account: "a", Kind: segment.Upsell, ACV: fuzzMoney(v, currency), ServiceComplexity: svc, TransactionComplexity: tx})
		if err != nil {
			return
		}
		if d.Owner < segment.OwnerWeb || d.Owner > segment.OwnerSalesWithCSM || d.Why == "" {
			t.Fatalf("decision %+v", d)
		}
		for _, x := range []float64{d.ServiceThreshold, d.TransactionThreshold, d.Shift} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("non-finite in %+v", d)
			}
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
	})
}

// fuzzMoney returns v in the currency written c, in either case, and the
// invalid zero Money when c is not a known code.
func fuzzMoney(v decimal.Decimal, c string) valuepath.Money {
	cur, err := valuepath.ParseCurrency(c)
	if err != nil {
		return valuepath.Money{}
	}
	return money(v, cur)
}
