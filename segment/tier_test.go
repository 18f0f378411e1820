package segment_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

var approx = cmpopts.EquateApprox(0, 1e-12)

// decimalEqual compares decimals by value, so 1520 equals 1520.00.
var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// moneyEqual compares amounts by value and currency.
var moneyEqual = cmp.Comparer(func(a, b valuepath.Money) bool {
	return a.Currency() == b.Currency() && a.Amount().Equal(b.Amount())
})

// money returns v in currency c.
func money(v decimal.Decimal, c valuepath.Currency) valuepath.Money {
	return valuepath.Must(valuepath.NewMoney(v, c))
}

// share is a present share.
func share(v float64) valuepath.Number { return valuepath.Defined(v) }

func smallBase() []segment.TierInput {
	revs := []struct {
		id        string
		rev       string
		strategic bool
	}{
		{"a", "1000", false}, {"b", "500", false}, {"c", "300", false}, {"d", "200", false},
		{"f", "100", false}, {"e", "100.00", false}, {"g", "50", false}, {"h", "30", false},
		{"i", "20", true}, {"j", "0", false},
	}
	out := make([]segment.TierInput, len(revs))
	for k, r := range revs {
		out[k] = segment.TierInput{ID: valuepath.AccountID(r.id), Revenue: usd(r.rev), Strategic: r.strategic}
	}
	return out
}

// smallPolicy has 3 top places (1 CSM × 30 h / 10 h) and 6 leveraged
// places (1 CSM × 3 × ratio 2).
func smallSpec() segment.TieringSpec {
	return segment.TieringSpec{Currency: "USD", Capacity: segment.Capacity{
		TopCSMs: 1, LeveragedCSMs: 1, HoursPerCSM: 30, HoursPerTopAccount: 10, LeveragedRatio: 2,
	}}
}

func TestAssign(t *testing.T) {
	tiering := valuepath.Must(segment.NewTiering(smallSpec()))
	r, err := tiering.Assign(smallBase())
	require.NoError(t, err)
	type placed struct {
		ID   valuepath.AccountID
		Tier segment.Tier
		Rank int
		Why  string
	}
	var got []placed
	for _, a := range r.Assignments {
		got = append(got, placed{a.Account, a.Tier, a.Rank, a.Why()})
	}
	// i (strategic, revenue 20) is placed first, so a (the largest by
	// revenue) is placement rank 2 and b (the 2nd largest) rank 3: the
	// sentence says placement rank, not rank by revenue.
	want := []placed{
		{"i", segment.TierTop, 1, "strategic account, placed first: top place 1 of 3"},
		{"a", segment.TierTop, 2, "placement rank 2 (strategic first, then by revenue): top place 2 of 3"},
		{"b", segment.TierTop, 3, "placement rank 3 (strategic first, then by revenue): top place 3 of 3"},
		{"c", segment.TierLeveraged, 4, "placement rank 4 (strategic first, then by revenue), after the top tier's 3 places: leveraged place 1 of 6"},
		{"d", segment.TierLeveraged, 5, "placement rank 5 (strategic first, then by revenue), after the top tier's 3 places: leveraged place 2 of 6"},
		{"e", segment.TierLeveraged, 6, "placement rank 6 (strategic first, then by revenue), after the top tier's 3 places: leveraged place 3 of 6"},
		{"f", segment.TierLeveraged, 7, "placement rank 7 (strategic first, then by revenue), after the top tier's 3 places: leveraged place 4 of 6"},
		{"g", segment.TierLeveraged, 8, "placement rank 8 (strategic first, then by revenue), after the top tier's 3 places: leveraged place 5 of 6"},
		{"h", segment.TierLeveraged, 9, "placement rank 9 (strategic first, then by revenue), after the top tier's 3 places: leveraged place 6 of 6"},
		{"j", segment.TierScalable, 10, "placement rank 10 (strategic first, then by revenue), after the 9 CSM-served places: scalable, digital touch"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	wantTiers := []segment.TierSummary{
		{Tier: segment.TierTop, CSMs: 1, Places: 3, Accounts: 3, AccountShare: share(0.3), Revenue: usd("1520"), RevenueShare: share(1520.0 / 2300)},
		{Tier: segment.TierLeveraged, CSMs: 1, Places: 6, Accounts: 6, AccountShare: share(0.6), Revenue: usd("780"), RevenueShare: share(780.0 / 2300)},
		{Tier: segment.TierScalable, Accounts: 1, AccountShare: share(0.1), Revenue: usd("0"), RevenueShare: share(0)},
	}
	if diff := cmp.Diff(wantTiers, r.Tiers, approx, moneyEqual); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
	assert.True(t, cmp.Equal(usd("2300"), r.Revenue, moneyEqual), "revenue = %s, want USD 2300", r.Revenue)
	// Revenue order (strategic i, 20, is 9th): 1000 500 300 200 100 100 50 30 20 0.
	cum := []float64{1000, 1000, 1000, 1500, 1800, 2000, 2100, 2200, 2250, 2280, 2300, 2300}
	accounts := []int{1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	shares := []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	var wantPareto []segment.ParetoPoint
	for k := range cum {
		wantPareto = append(wantPareto, segment.ParetoPoint{AccountShare: shares[k], Accounts: accounts[k], RevenueShare: share(cum[k] / 2300)})
	}
	if diff := cmp.Diff(wantPareto, r.Pareto, approx); diff != "" {
		t.Errorf("pareto (-want +got):\n%s", diff)
	}
}

func TestAssignIsIndependentOfInputOrder(t *testing.T) {
	tiering := valuepath.Must(segment.NewTiering(smallSpec()))
	a := smallBase()
	b := smallBase()
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	ra, err := tiering.Assign(a)
	require.NoError(t, err)
	rb, err := tiering.Assign(b)
	require.NoError(t, err)
	if diff := cmp.Diff(ra.Assignments, rb.Assignments, moneyEqual, cmpopts.IgnoreUnexported(segment.Assignment{})); diff != "" {
		t.Errorf("reversed input changed the result (-forward +reversed):\n%s", diff)
	}
}

func TestWhatIf(t *testing.T) {
	r, err := valuepath.Must(segment.NewTiering(smallSpec())).Assign(smallBase())
	require.NoError(t, err)
	// Rank order prefix sums: 20 1020 1520 1820 2020 2120 2220 2270 2300 2300.
	tests := []struct {
		target         float64
		reachable      bool
		csms, accounts int
		revenue        int64
	}{
		{0.4, true, 1, 3, 1520},    // 920 needs 2 accounts: 1 CSM, who has 3 places
		{0.9, true, 2, 6, 2120},    // 2070 needs 6 accounts: 60 h = 2 CSMs
		{1, true, 3, 9, 2300},      // 2300 needs 9 accounts: 90 h = 3 CSMs
		{0.0001, true, 1, 3, 1520}, // the strategic account alone: still one CSM
	}
	for _, tt := range tests {
		got, err := r.CSMsFor(tt.target)
		require.NoError(t, err)
		want := segment.Staffing{TargetShare: tt.target, Reachable: tt.reachable, TopCSMs: tt.csms, Top: segment.TierSummary{
			Tier: segment.TierTop, CSMs: tt.csms, Places: 3 * tt.csms, Accounts: tt.accounts, AccountShare: share(float64(tt.accounts) / 10),
			Revenue: money(decimal.NewFromInt(tt.revenue), "USD"), RevenueShare: share(float64(tt.revenue) / 2300),
		}}
		if diff := cmp.Diff(want, got, approx, moneyEqual); diff != "" {
			t.Errorf("CSMsFor(%v) (-want +got):\n%s", tt.target, diff)
		}
	}
	for _, bad := range []float64{0, -0.1, 1.5} {
		_, err := r.CSMsFor(bad)
		require.ErrorIs(t, err, valuepath.ErrInvalid, "CSMsFor(%v)", bad)
	}

	cv, err := r.Cover(2, 0)
	require.NoError(t, err)
	if cv.Tiers[0].Accounts != 6 || !cmp.Equal(cv.Tiers[0].Revenue, usd("2120"), moneyEqual) || cv.Tiers[1].Accounts != 0 {
		t.Errorf("Cover(2, 0) = %+v; want 6 top accounts with 2120 and no leveraged ones", cv)
	}
	if diff := cmp.Diff(share(2120.0/2300), cv.CSMShare, approx); diff != "" {
		t.Errorf("Cover(2, 0).CSMShare: %s", diff)
	}
	cv, err = r.Cover(0, 1)
	require.NoError(t, err)
	// No top places: the leveraged tier takes ranks 1 to 6.
	if cv.Tiers[1].Accounts != 6 || !cmp.Equal(cv.Tiers[1].Revenue, usd("2120"), moneyEqual) {
		t.Errorf("Cover(0, 1).Tiers[1] = %+v; want 6 accounts with 2120", cv.Tiers[1])
	}
	_, err = r.Cover(-1, 0)
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Cover(-1, 0)")
}

func TestAssignConvertsCurrencies(t *testing.T) {
	p := smallSpec()
	// Codes in either case: Stripe writes "usd" and "eur".
	p.Currency = "usd"
	p.Rates = map[valuepath.Currency]decimal.Decimal{"eur": decimal.RequireFromString("1.1")}
	eur, err := valuepath.ParseMoney("100.10", "eur")
	require.NoError(t, err)
	r, err := valuepath.Must(segment.NewTiering(p)).Assign([]segment.TierInput{
		{ID: "usd", Revenue: usd("100")},
		{ID: "eur", Revenue: eur},
	})
	require.NoError(t, err)
	got := r.Assignments[0]
	assert.Equal(t, valuepath.AccountID("eur"), got.Account)
	// 100.10 × 1.1 is exactly 110.11: no float rounding on the way.
	assert.True(t, cmp.Equal(usd("110.11"), got.Revenue, moneyEqual), "revenue %s, want USD 110.11", got.Revenue)
	assert.Equal(t, "USD 110.110", got.Revenue.String())
	assert.True(t, cmp.Equal(usd("210.11"), r.Revenue, moneyEqual), "total %s", r.Revenue)
}

func TestTieringErrors(t *testing.T) {
	tests := []struct {
		name     string
		policy   segment.TieringSpec
		accounts []segment.TierInput
		want     []string // substrings, one per expected problem
		is       error
	}{
		{
			name:   "hours",
			policy: segment.TieringSpec{Currency: "USD", Capacity: segment.Capacity{TopCSMs: 1, HoursPerCSM: 0, HoursPerTopAccount: -2}},
			want:   []string{"segment: capacity.hours_per_csm: invalid value: must be > 0, got 0", "segment: capacity.hours_per_top_account: invalid value: must be > 0, got -2"},
			is:     valuepath.ErrInvalid,
		},
		{
			name:   "csms and ratio and currency",
			policy: segment.TieringSpec{Currency: "usx", Rates: map[valuepath.Currency]decimal.Decimal{"EUR": decimal.Zero}, Capacity: segment.Capacity{TopCSMs: -1, LeveragedCSMs: -2, HoursPerCSM: 1, HoursPerTopAccount: 1, LeveragedRatio: 0.5}},
			want:   []string{`segment: currency: unknown currency "usx"`, `segment: rates["EUR"]: invalid value: must be > 0, got 0`, "capacity.top_csms", "capacity.leveraged_csms", "capacity.leveraged_ratio"},
			is:     valuepath.ErrUnknownCurrency,
		},
		{
			name:   "rates",
			policy: segment.TieringSpec{Currency: "USD", Rates: map[valuepath.Currency]decimal.Decimal{"EUR": decimal.NewFromInt(1), "eur": decimal.NewFromInt(1), "usd": decimal.NewFromInt(1), "XYZ": decimal.NewFromInt(1)}, Capacity: segment.Capacity{HoursPerCSM: 1, HoursPerTopAccount: 1}},
			want:   []string{`segment: rates["XYZ"]: unknown currency "XYZ"`, `segment: rates["eur"]: duplicate: EUR is also given as "EUR"`, `segment: rates["usd"]: invalid value: a rate for the reporting currency itself`},
			is:     valuepath.ErrDuplicate,
		},
		{
			name:   "accounts",
			policy: smallSpec(),
			accounts: []segment.TierInput{
				{ID: "x", Revenue: usd("-1")},
				{ID: "y", Revenue: money(decimal.NewFromInt(5), "EUR")},
				{ID: "x", Revenue: usd("1")},
				{ID: "", Revenue: valuepath.Money{}},
			},
			want: []string{
				"segment: accounts[0].revenue.amount: invalid value: must not be negative, got -1",
				"segment: accounts[1].revenue.currency: currency mismatch: EUR with USD and no rate for it",
				`segment: accounts[2].id: duplicate: account "x" (also accounts[0])`,
				"segment: accounts[3].id: invalid value: must not be empty",
				"segment: accounts[3].revenue.currency: unknown currency: an amount needs a currency",
			},
			is: valuepath.ErrCurrencyMismatch,
		},
		{
			name:     "strategic without top places",
			policy:   segment.TieringSpec{Currency: "USD", Capacity: segment.Capacity{LeveragedCSMs: 2, HoursPerCSM: 10, HoursPerTopAccount: 5}},
			accounts: []segment.TierInput{{ID: "s", Revenue: usd("1"), Strategic: true}},
			want:     []string{"segment: capacity.top_csms: invalid value: 0 CSMs give the top tier no places, but 1 strategic accounts ask for it"},
			is:       valuepath.ErrInvalid,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tiering, err := segment.NewTiering(tt.policy)
			if err == nil {
				_, err = tiering.Assign(tt.accounts)
			}
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
		})
	}
}

func TestTieringJSON(t *testing.T) {
	tiering, err := segment.ParseTiering([]byte(`{"currency": "usd", "rates": {"eur": "1.08"},
		"capacity": {"top_csms": 1, "leveraged_csms": 1, "hours_per_csm": 30, "hours_per_top_account": 10, "leveraged_ratio": 2}}`))
	require.NoError(t, err)
	js, err := json.Marshal(tiering)
	require.NoError(t, err)
	back, err := segment.ParseTiering(js)
	require.NoError(t, err)
	if diff := cmp.Diff(tiering.Spec(), back.Spec(), decimalEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if p := back.Places(); !slices.Equal(p, []int{3, 6}) {
		t.Errorf("Places() = %v; want [3 6]", p)
	}
	for _, bad := range []string{`{"currency": "USD", "capacity": {}, "extra": 1}`, `{"currency": "USD"} {}`, `[`} {
		if _, err := segment.ParseTiering([]byte(bad)); err == nil {
			t.Errorf("ParseTiering(%s): no error", bad)
		}
	}

	r, err := tiering.Assign(smallBase()[:2])
	require.NoError(t, err)
	out, err := json.Marshal(r.Assignments[0])
	require.NoError(t, err)
	want := `{"account":"a","tier":"top","rank":1,"place":1,"places":3,"revenue":{"amount":"1000.00","currency":"USD"},"strategic":false,"reason":"revenue","why":"placement rank 1 (strategic first, then by revenue): top place 1 of 3"}`
	if string(out) != want {
		t.Errorf("assignment JSON:\n got %s\nwant %s", out, want)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("report does not marshal: %v", err)
	}
	out, err = json.Marshal(r.Tiers[2])
	require.NoError(t, err)
	assert.JSONEq(t, `{"tier":"scalable","csms":0,"places":0,"accounts":0,"account_share":{"value":0},
		"revenue":{"amount":"0.00","currency":"USD"},"revenue_share":{"value":0}}`, string(out))
}

// TestAssignEmptyAndZeroRevenue checks that shares over no accounts or no
// revenue are absent with a reason, never 0.
func TestAssignEmptyAndZeroRevenue(t *testing.T) {
	tiering := valuepath.Must(segment.NewTiering(smallSpec()))
	r, err := tiering.Assign(nil)
	require.NoError(t, err)
	require.Len(t, r.Tiers, 3)
	assert.Equal(t, 0, r.Accounts)
	assert.True(t, cmp.Equal(usd("0"), r.Revenue, moneyEqual), "revenue %s", r.Revenue)
	for _, s := range r.Tiers {
		assert.Equal(t, valuepath.Absent("no accounts"), s.AccountShare, "tier %s", s.Tier)
		assert.False(t, s.RevenueShare.Present, "tier %s", s.Tier)
	}
	assert.False(t, r.Pareto[len(r.Pareto)-1].RevenueShare.Present)

	r, err = tiering.Assign([]segment.TierInput{{ID: "z", Revenue: usd("0")}})
	require.NoError(t, err)
	zero := valuepath.Absent("no revenue: every account's revenue is 0")
	assert.Equal(t, zero, r.Tiers[0].RevenueShare)
	assert.Equal(t, share(1), r.Tiers[0].AccountShare)
	assert.Equal(t, zero, r.Pareto[0].RevenueShare)
	st, err := r.CSMsFor(0.5)
	require.NoError(t, err)
	assert.False(t, st.Reachable, "CSMsFor(0.5) with zero revenue is reachable: %+v", st)
	assert.Equal(t, zero, st.Top.RevenueShare)
	team, err := r.Cover(1, 1)
	require.NoError(t, err)
	assert.Equal(t, zero, team.CSMShare)
	out, err := json.Marshal(team.CSMShare)
	require.NoError(t, err)
	assert.JSONEq(t, `{"absent": "no revenue: every account's revenue is 0"}`, string(out))
}

// TestAssignBeyondInt64 takes the decimal path: amounts too large for the
// int64 fast path must rank and sum exactly all the same.
func TestAssignBeyondInt64(t *testing.T) {
	r, err := valuepath.Must(segment.NewTiering(smallSpec())).Assign([]segment.TierInput{
		{ID: "small", Revenue: usd("0.5")},
		{ID: "huge", Revenue: usd("123456789012345678901")},
		{ID: "mid", Revenue: usd("5")},
		{ID: "strat", Revenue: usd("1"), Strategic: true},
	})
	require.NoError(t, err)
	var order []valuepath.AccountID
	for _, a := range r.Assignments {
		order = append(order, a.Account)
	}
	if diff := cmp.Diff([]valuepath.AccountID{"strat", "huge", "mid", "small"}, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if want := usd("123456789012345678907.5"); !cmp.Equal(want, r.Revenue, moneyEqual) {
		t.Errorf("revenue = %s, want %s", r.Revenue, want)
	}
	// The largest 1% (one account) is "huge", not the strategic one.
	if got := r.Pareto[0].RevenueShare; got.Value < 0.999999 || !got.Present {
		t.Errorf("pareto[0] = %v, want about 1", got)
	}
	if top := r.Tier(segment.TierTop); top.Accounts != 3 || !cmp.Equal(usd("123456789012345678907"), top.Revenue, moneyEqual) {
		t.Errorf("top tier = %+v", top)
	}
	assert.Equal(t, segment.TierSummary{}, r.Tier(""))
}
