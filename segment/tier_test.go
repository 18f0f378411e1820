package segment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

var approx = cmpopts.EquateApprox(0, 1e-12)

// decimalEqual compares decimals by value, so 1520 equals 1520.00.
var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

func smallBase() []segment.Account {
	revs := []struct {
		id        string
		rev       string
		strategic bool
	}{
		{"a", "1000", false}, {"b", "500", false}, {"c", "300", false}, {"d", "200", false},
		{"f", "100", false}, {"e", "100.00", false}, {"g", "50", false}, {"h", "30", false},
		{"i", "20", true}, {"j", "0", false},
	}
	out := make([]segment.Account, len(revs))
	for k, r := range revs {
		out[k] = segment.Account{ID: valuepath.AccountID(r.id), Revenue: segment.USD(r.rev), Strategic: r.strategic}
	}
	return out
}

// smallPolicy has 3 top places (1 CSM × 30 h / 10 h) and 6 leveraged
// places (1 CSM × 3 × ratio 2).
func smallPolicy() segment.TierPolicy {
	return segment.TierPolicy{Currency: "USD", Capacity: segment.Capacity{
		TopCSMs: 1, LeveragedCSMs: 1, HoursPerCSM: 30, HoursPerTopAccount: 10, LeveragedRatio: 2,
	}}
}

func TestAssign(t *testing.T) {
	tiering := segment.MustTiering(smallPolicy())
	r, err := tiering.Assign(smallBase())
	if err != nil {
		t.Fatal(err)
	}
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
	want := []placed{
		{"i", segment.TierTop, 1, "strategic account, placed first: top place 1 of 3"},
		{"a", segment.TierTop, 2, "rank 2 by revenue: top place 2 of 3"},
		{"b", segment.TierTop, 3, "rank 3 by revenue: top place 3 of 3"},
		{"c", segment.TierLeveraged, 4, "rank 4 by revenue, after the top tier's 3 places: leveraged place 1 of 6"},
		{"d", segment.TierLeveraged, 5, "rank 5 by revenue, after the top tier's 3 places: leveraged place 2 of 6"},
		{"e", segment.TierLeveraged, 6, "rank 6 by revenue, after the top tier's 3 places: leveraged place 3 of 6"},
		{"f", segment.TierLeveraged, 7, "rank 7 by revenue, after the top tier's 3 places: leveraged place 4 of 6"},
		{"g", segment.TierLeveraged, 8, "rank 8 by revenue, after the top tier's 3 places: leveraged place 5 of 6"},
		{"h", segment.TierLeveraged, 9, "rank 9 by revenue, after the top tier's 3 places: leveraged place 6 of 6"},
		{"j", segment.TierScalable, 10, "rank 10 by revenue, after the 9 CSM-served places: scalable, digital touch"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	wantTiers := []segment.TierSummary{
		{Tier: segment.TierTop, CSMs: 1, Places: 3, Accounts: 3, AccountShare: 0.3, Revenue: decimal.NewFromInt(1520), RevenueShare: 1520.0 / 2300},
		{Tier: segment.TierLeveraged, CSMs: 1, Places: 6, Accounts: 6, AccountShare: 0.6, Revenue: decimal.NewFromInt(780), RevenueShare: 780.0 / 2300},
		{Tier: segment.TierScalable, Accounts: 1, AccountShare: 0.1, Revenue: decimal.Zero, RevenueShare: 0},
	}
	if diff := cmp.Diff(wantTiers, r.Tiers, approx, decimalEqual); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
	if !r.Revenue.Equal(decimal.NewFromInt(2300)) {
		t.Errorf("revenue = %s, want 2300", r.Revenue)
	}
	// Revenue order (strategic i, 20, is 9th): 1000 500 300 200 100 100 50 30 20 0.
	cum := []float64{1000, 1000, 1000, 1500, 1800, 2000, 2100, 2200, 2250, 2280, 2300, 2300}
	accounts := []int{1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	shares := []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	var wantPareto []segment.ParetoPoint
	for k := range cum {
		wantPareto = append(wantPareto, segment.ParetoPoint{AccountShare: shares[k], Accounts: accounts[k], RevenueShare: cum[k] / 2300})
	}
	if diff := cmp.Diff(wantPareto, r.Pareto, approx); diff != "" {
		t.Errorf("pareto (-want +got):\n%s", diff)
	}
}

func TestAssignIsIndependentOfInputOrder(t *testing.T) {
	tiering := segment.MustTiering(smallPolicy())
	a := smallBase()
	b := smallBase()
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	ra, err := tiering.Assign(a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := tiering.Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ra.Assignments, rb.Assignments, decimalEqual, cmpopts.IgnoreUnexported(segment.Assignment{})); diff != "" {
		t.Errorf("reversed input changed the result (-forward +reversed):\n%s", diff)
	}
}

func TestWhatIf(t *testing.T) {
	r, err := segment.MustTiering(smallPolicy()).Assign(smallBase())
	if err != nil {
		t.Fatal(err)
	}
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
		if err != nil {
			t.Fatal(err)
		}
		want := segment.Staffing{TargetShare: tt.target, Reachable: tt.reachable, TopCSMs: tt.csms, Top: segment.TierSummary{
			Tier: segment.TierTop, CSMs: tt.csms, Places: 3 * tt.csms, Accounts: tt.accounts, AccountShare: float64(tt.accounts) / 10,
			Revenue: decimal.NewFromInt(tt.revenue), RevenueShare: float64(tt.revenue) / 2300,
		}}
		if diff := cmp.Diff(want, got, approx, decimalEqual); diff != "" {
			t.Errorf("CSMsFor(%v) (-want +got):\n%s", tt.target, diff)
		}
	}
	for _, bad := range []float64{0, -0.1, 1.5} {
		if _, err := r.CSMsFor(bad); !errors.Is(err, valuepath.ErrInvalid) {
			t.Errorf("CSMsFor(%v): err = %v, want ErrInvalid", bad, err)
		}
	}

	cv, err := r.Cover(2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if cv.Top.Accounts != 6 || !cv.Top.Revenue.Equal(decimal.NewFromInt(2120)) || cv.Leveraged.Accounts != 0 {
		t.Errorf("Cover(2, 0) = %+v; want 6 top accounts with 2120 and no leveraged ones", cv)
	}
	if diff := cmp.Diff(2120.0/2300, cv.CSMShare, approx); diff != "" {
		t.Errorf("Cover(2, 0).CSMShare: %s", diff)
	}
	cv, err = r.Cover(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	// No top places: the leveraged tier takes ranks 1 to 6.
	if cv.Leveraged.Accounts != 6 || !cv.Leveraged.Revenue.Equal(decimal.NewFromInt(2120)) {
		t.Errorf("Cover(0, 1).Leveraged = %+v; want 6 accounts with 2120", cv.Leveraged)
	}
	if _, err := r.Cover(-1, 0); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("Cover(-1, 0): err = %v, want ErrInvalid", err)
	}
}

func TestAssignConvertsCurrencies(t *testing.T) {
	p := smallPolicy()
	p.Rates = map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.1")}
	r, err := segment.MustTiering(p).Assign([]segment.Account{
		{ID: "usd", Revenue: segment.USD("100")},
		{ID: "eur", Revenue: segment.Amount{Value: decimal.NewFromInt(100), Currency: "EUR"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Assignments[0]; got.Account != "eur" || !got.Revenue.Equal(decimal.NewFromInt(110)) {
		t.Errorf("first assignment = %s with %s; want eur with 110", got.Account, got.Revenue)
	}
}

func TestTieringErrors(t *testing.T) {
	tests := []struct {
		name     string
		policy   segment.TierPolicy
		accounts []segment.Account
		want     []string // substrings, one per expected problem
		is       error
	}{
		{
			name:   "hours",
			policy: segment.TierPolicy{Currency: "USD", Capacity: segment.Capacity{TopCSMs: 1, HoursPerCSM: 0, HoursPerTopAccount: -2}},
			want:   []string{"segment: capacity.hours_per_csm: invalid value: must be > 0, got 0", "segment: capacity.hours_per_top_account: invalid value: must be > 0, got -2"},
			is:     valuepath.ErrInvalid,
		},
		{
			name:   "csms and ratio and currency",
			policy: segment.TierPolicy{Currency: "usd", Rates: map[string]decimal.Decimal{"EUR": decimal.Zero}, Capacity: segment.Capacity{TopCSMs: -1, LeveragedCSMs: -2, HoursPerCSM: 1, HoursPerTopAccount: 1, LeveragedRatio: 0.5}},
			want:   []string{"segment: currency: invalid value: \"usd\"", `segment: rates["EUR"]: invalid value: must be > 0, got 0`, "capacity.top_csms", "capacity.leveraged_csms", "capacity.leveraged_ratio"},
			is:     valuepath.ErrInvalid,
		},
		{
			name:   "accounts",
			policy: smallPolicy(),
			accounts: []segment.Account{
				{ID: "x", Revenue: segment.USD("-1")},
				{ID: "y", Revenue: segment.Amount{Value: decimal.NewFromInt(5), Currency: "EUR"}},
				{ID: "x", Revenue: segment.USD("1")},
				{ID: "", Revenue: segment.Amount{Value: decimal.NewFromInt(5)}},
			},
			want: []string{
				"segment: accounts[0].revenue.value: invalid value: must not be negative, got -1",
				"segment: accounts[1].revenue.currency: mixed currencies: EUR with USD and no rate for it",
				`segment: accounts[2].id: duplicate: account "x" (also accounts[0])`,
				"segment: accounts[3].id: invalid value: must not be empty",
				"segment: accounts[3].revenue.currency: invalid value: must not be empty",
			},
		},
		{
			name:     "strategic without top places",
			policy:   segment.TierPolicy{Currency: "USD", Capacity: segment.Capacity{LeveragedCSMs: 2, HoursPerCSM: 10, HoursPerTopAccount: 5}},
			accounts: []segment.Account{{ID: "s", Revenue: segment.USD("1"), Strategic: true}},
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
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
}

func TestTieringJSON(t *testing.T) {
	tiering, err := segment.ParseTiering([]byte(`{"currency": "USD", "rates": {"EUR": "1.08"},
		"capacity": {"top_csms": 1, "leveraged_csms": 1, "hours_per_csm": 30, "hours_per_top_account": 10, "leveraged_ratio": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(tiering)
	if err != nil {
		t.Fatal(err)
	}
	back, err := segment.ParseTiering(js)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tiering.Policy(), back.Policy(), decimalEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if top, lev := back.Places(); top != 3 || lev != 6 {
		t.Errorf("Places() = %d, %d; want 3, 6", top, lev)
	}
	for _, bad := range []string{`{"currency": "USD", "capacity": {}, "extra": 1}`, `{"currency": "USD"} {}`, `[`} {
		if _, err := segment.ParseTiering([]byte(bad)); err == nil {
			t.Errorf("ParseTiering(%s): no error", bad)
		}
	}

	r, err := tiering.Assign(smallBase()[:2])
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(r.Assignments[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"account":"a","tier":"top","rank":1,"place":1,"places":3,"revenue":"1000","strategic":false,"reason":"revenue","why":"rank 1 by revenue: top place 1 of 3"}`
	if string(out) != want {
		t.Errorf("assignment JSON:\n got %s\nwant %s", out, want)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("report does not marshal: %v", err)
	}
}

func TestAssignEmptyAndZeroRevenue(t *testing.T) {
	tiering := segment.MustTiering(smallPolicy())
	r, err := tiering.Assign(nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Accounts != 0 || len(r.Tiers) != 3 || r.Pareto[len(r.Pareto)-1].RevenueShare != 0 {
		t.Errorf("empty base: %+v", r)
	}
	r, err = tiering.Assign([]segment.Account{{ID: "z", Revenue: segment.USD("0")}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.CSMsFor(0.5)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reachable {
		t.Errorf("CSMsFor(0.5) with zero revenue is reachable: %+v", st)
	}
}

// TestAssignBeyondInt64 takes the decimal path: amounts too large for the
// int64 fast path must rank and sum exactly all the same.
func TestAssignBeyondInt64(t *testing.T) {
	r, err := segment.MustTiering(smallPolicy()).Assign([]segment.Account{
		{ID: "small", Revenue: segment.USD("0.5")},
		{ID: "huge", Revenue: segment.USD("123456789012345678901")},
		{ID: "mid", Revenue: segment.USD("5")},
		{ID: "strat", Revenue: segment.USD("1"), Strategic: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	var order []valuepath.AccountID
	for _, a := range r.Assignments {
		order = append(order, a.Account)
	}
	if diff := cmp.Diff([]valuepath.AccountID{"strat", "huge", "mid", "small"}, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if want := decimal.RequireFromString("123456789012345678907.5"); !r.Revenue.Equal(want) {
		t.Errorf("revenue = %s, want %s", r.Revenue, want)
	}
	// The largest 1% (one account) is "huge", not the strategic one.
	if got := r.Pareto[0].RevenueShare; got < 0.999999 {
		t.Errorf("pareto[0] = %v, want about 1", got)
	}
	if top := r.Tier(segment.TierTop); top.Accounts != 3 || !top.Revenue.Equal(decimal.RequireFromString("123456789012345678907")) {
		t.Errorf("top tier = %+v", top)
	}
}
