package segment_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

// smallBase in placement order (the strategic i first, then by revenue,
// e before f on the tie at 100):
//
//	rank     1     2    3    4    5    6    7   8   9  10
//	account  i     a    b    c    d    e    f   g   h   j
//	revenue 20  1000  500  300  200  100  100  50  30   0
//	prefix  20  1020 1520 1820 2020 2120 2220 2270 2300 2300
//
// The total is 2300.

// twoTierSpec has one CSM-served tier of 40 / 10 = 4 places and a digital
// tier for everyone else.
func twoTierSpec() segment.TieringSpec {
	return segment.TieringSpec{Currency: "USD",
		Tiers:    []segment.TierDef{{Name: "csm", CSMs: 1}, {Name: "digital"}},
		Capacity: segment.Capacity{HoursPerCSM: 40, HoursPerTopAccount: 10},
	}
}

// fourTierSpec serves 20 / 10 = 2 accounts per CSM in the top tier: top
// 1 CSM → 2 places, leveraged 1 CSM × 2 × 1.5 = 3 places, pooled 1 CSM ×
// 2 × 1.75 = 3.5 → 3 places, 8 CSM-served places in all.
func fourTierSpec() segment.TieringSpec {
	return segment.TieringSpec{Currency: "USD",
		Tiers: []segment.TierDef{
			{Name: "top", CSMs: 1},
			{Name: "leveraged", CSMs: 1, Ratio: 1.5},
			{Name: "pooled", CSMs: 1, Ratio: 1.75},
			{Name: "digital"},
		},
		Capacity: segment.Capacity{HoursPerCSM: 20, HoursPerTopAccount: 10},
	}
}

type placed struct {
	ID   valuepath.AccountID
	Tier segment.Tier
	Why  string
}

func placements(r *segment.TierReport) []placed {
	var got []placed
	for _, a := range r.Assignments {
		got = append(got, placed{a.Account, a.Tier, a.Why()})
	}
	return got
}

func TestAssignTwoTiers(t *testing.T) {
	tiering := valuepath.Must(segment.NewTiering(twoTierSpec()))
	assert.Equal(t, []int{4}, tiering.Places())
	assert.Equal(t, []segment.TierDef{{Name: "csm", CSMs: 1, Ratio: 1}, {Name: "digital"}}, tiering.Tiers())
	r, err := tiering.Assign(smallBase())
	require.NoError(t, err)
	got := placements(r)
	want := []placed{
		{"i", "csm", "strategic account, placed first: csm place 1 of 4"},
		{"a", "csm", "placement rank 2 (strategic first, then by revenue): csm place 2 of 4"},
		{"b", "csm", "placement rank 3 (strategic first, then by revenue): csm place 3 of 4"},
		{"c", "csm", "placement rank 4 (strategic first, then by revenue): csm place 4 of 4"},
		{"d", "digital", "placement rank 5 (strategic first, then by revenue), after the 4 CSM-served places: digital, digital touch"},
	}
	if diff := cmp.Diff(want, got[:5]); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	// csm: ranks 1-4, 20 + 1000 + 500 + 300 = 1820; digital: the other 6,
	// 2300 - 1820 = 480.
	wantTiers := []segment.TierSummary{
		{Tier: "csm", CSMs: 1, Places: 4, Accounts: 4, AccountShare: share(0.4), Revenue: usd("1820"), RevenueShare: share(1820.0 / 2300)},
		{Tier: "digital", Accounts: 6, AccountShare: share(0.6), Revenue: usd("480"), RevenueShare: share(480.0 / 2300)},
	}
	if diff := cmp.Diff(wantTiers, r.Tiers, approx, moneyEqual); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
	assert.Equal(t, wantTiers[1].Accounts, r.Tier("digital").Accounts)
	// The Pareto curve does not depend on the tiers.
	three, err := valuepath.Must(segment.NewTiering(smallSpec())).Assign(smallBase())
	require.NoError(t, err)
	if diff := cmp.Diff(three.Pareto, r.Pareto); diff != "" {
		t.Errorf("pareto differs from the 3-tier one (-3 +2):\n%s", diff)
	}

	// 2 CSMs: 8 places, ranks 1-8 = 2270.
	cv, err := r.Cover(2)
	require.NoError(t, err)
	wantTeam := segment.Team{CSMs: []int{2}, Tiers: []segment.TierSummary{
		{Tier: "csm", CSMs: 2, Places: 8, Accounts: 8, AccountShare: share(0.8), Revenue: usd("2270"), RevenueShare: share(2270.0 / 2300)},
	}, CSMShare: share(2270.0 / 2300)}
	if diff := cmp.Diff(wantTeam, cv, approx, moneyEqual); diff != "" {
		t.Errorf("Cover(2) (-want +got):\n%s", diff)
	}
	_, err = r.Cover(1, 1)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.EqualError(t, err, "segment: csms: invalid value: want one CSM count per CSM-served tier (1), got 2")

	// 90% is 2070: 6 accounts (2120), 6 × 10 h = 60 h = 2 CSMs of 40 h,
	// whose 8 places hold ranks 1-8 (2270).
	st, err := r.CSMsFor(0.9)
	require.NoError(t, err)
	wantSt := segment.Staffing{TargetShare: 0.9, Reachable: true, TopCSMs: 2, Top: segment.TierSummary{
		Tier: "csm", CSMs: 2, Places: 8, Accounts: 8, AccountShare: share(0.8), Revenue: usd("2270"), RevenueShare: share(2270.0 / 2300),
	}}
	if diff := cmp.Diff(wantSt, st, approx, moneyEqual); diff != "" {
		t.Errorf("CSMsFor(0.9) (-want +got):\n%s", diff)
	}
}

func TestAssignFourTiers(t *testing.T) {
	tiering := valuepath.Must(segment.NewTiering(fourTierSpec()))
	assert.Equal(t, []int{2, 3, 3}, tiering.Places())
	r, err := tiering.Assign(smallBase())
	require.NoError(t, err)
	want := []placed{
		{"i", "top", "strategic account, placed first: top place 1 of 2"},
		{"a", "top", "placement rank 2 (strategic first, then by revenue): top place 2 of 2"},
		{"b", "leveraged", "placement rank 3 (strategic first, then by revenue), after the top tier's 2 places: leveraged place 1 of 3"},
		{"c", "leveraged", "placement rank 4 (strategic first, then by revenue), after the top tier's 2 places: leveraged place 2 of 3"},
		{"d", "leveraged", "placement rank 5 (strategic first, then by revenue), after the top tier's 2 places: leveraged place 3 of 3"},
		{"e", "pooled", "placement rank 6 (strategic first, then by revenue), after the top and leveraged tiers' 5 places: pooled place 1 of 3"},
		{"f", "pooled", "placement rank 7 (strategic first, then by revenue), after the top and leveraged tiers' 5 places: pooled place 2 of 3"},
		{"g", "pooled", "placement rank 8 (strategic first, then by revenue), after the top and leveraged tiers' 5 places: pooled place 3 of 3"},
		{"h", "digital", "placement rank 9 (strategic first, then by revenue), after the 8 CSM-served places: digital, digital touch"},
		{"j", "digital", "placement rank 10 (strategic first, then by revenue), after the 8 CSM-served places: digital, digital touch"},
	}
	if diff := cmp.Diff(want, placements(r)); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	// top 20 + 1000 = 1020; leveraged 500 + 300 + 200 = 1000; pooled
	// 100 + 100 + 50 = 250; digital 30 + 0 = 30; 2300 in all.
	wantTiers := []segment.TierSummary{
		{Tier: "top", CSMs: 1, Places: 2, Accounts: 2, AccountShare: share(0.2), Revenue: usd("1020"), RevenueShare: share(1020.0 / 2300)},
		{Tier: "leveraged", CSMs: 1, Places: 3, Accounts: 3, AccountShare: share(0.3), Revenue: usd("1000"), RevenueShare: share(1000.0 / 2300)},
		{Tier: "pooled", CSMs: 1, Places: 3, Accounts: 3, AccountShare: share(0.3), Revenue: usd("250"), RevenueShare: share(250.0 / 2300)},
		{Tier: "digital", Accounts: 2, AccountShare: share(0.2), Revenue: usd("30"), RevenueShare: share(30.0 / 2300)},
	}
	if diff := cmp.Diff(wantTiers, r.Tiers, approx, moneyEqual); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
	checkReport(t, r)

	// No top CSM: leveraged 1 CSM × 2 × 1.5 = 3 places (ranks 1-3, 1520),
	// pooled 1 × 2 × 1.75 → 3 places (ranks 4-6, 300 + 200 + 100 = 600);
	// 2120 of 2300 with a CSM.
	counts := []int{0, 1, 1}
	cv, err := r.Cover(counts...)
	require.NoError(t, err)
	wantTeam := segment.Team{CSMs: []int{0, 1, 1}, Tiers: []segment.TierSummary{
		{Tier: "top", Accounts: 0, AccountShare: share(0), Revenue: usd("0"), RevenueShare: share(0)},
		{Tier: "leveraged", CSMs: 1, Places: 3, Accounts: 3, AccountShare: share(0.3), Revenue: usd("1520"), RevenueShare: share(1520.0 / 2300)},
		{Tier: "pooled", CSMs: 1, Places: 3, Accounts: 3, AccountShare: share(0.3), Revenue: usd("600"), RevenueShare: share(600.0 / 2300)},
	}, CSMShare: share(2120.0 / 2300)}
	if diff := cmp.Diff(wantTeam, cv, approx, moneyEqual); diff != "" {
		t.Errorf("Cover(0, 1, 1) (-want +got):\n%s", diff)
	}
	cv.CSMs[0] = 9
	assert.Equal(t, []int{0, 1, 1}, counts, "Cover keeps the caller's slice")
	_, err = r.Cover(1, 1)
	assert.EqualError(t, err, "segment: csms: invalid value: want one CSM count per CSM-served tier (3), got 2")
	_, err = r.Cover(1, -1, 1)
	assert.EqualError(t, err, "segment: csms[1]: invalid value: must be between 0 and 1000000, got -1")

	// Half is 1150: 3 accounts (1520) need 30 h, 2 CSMs of 20 h, whose 4
	// places hold ranks 1-4 (1820).
	st, err := r.CSMsFor(0.5)
	require.NoError(t, err)
	assert.Equal(t, 2, st.TopCSMs)
	assert.Equal(t, segment.Tier("top"), st.Top.Tier)
	assert.Equal(t, 4, st.Top.Accounts)
	assert.True(t, cmp.Equal(usd("1820"), st.Top.Revenue, moneyEqual), "revenue %s", st.Top.Revenue)
}

// TestAssignStrategicOverflowFourTiers: six strategic accounts fill the
// top tier's 2 places and the leveraged tier's 3, so the sixth lands in
// the pooled tier.
func TestAssignStrategicOverflowFourTiers(t *testing.T) {
	var accounts []segment.TierInput
	for i, rev := range []string{"6", "5", "4", "3", "2", "1"} {
		accounts = append(accounts, segment.TierInput{ID: valuepath.AccountID("s" + string(rune('1'+i))), Revenue: usd(rev), Strategic: true})
	}
	accounts = append(accounts, segment.TierInput{ID: "big", Revenue: usd("100")})
	r, err := valuepath.Must(segment.NewTiering(fourTierSpec())).Assign(accounts)
	require.NoError(t, err)
	got := placements(r)
	want := []placed{
		{"s3", "leveraged", "strategic account, but the top tier's 2 places hold strategic accounts: leveraged place 1 of 3"},
		{"s6", "pooled", "strategic account, but the top and leveraged tiers' 5 places hold strategic accounts: pooled place 1 of 3"},
		{"big", "pooled", "placement rank 7 (strategic first, then by revenue), after the top and leveraged tiers' 5 places: pooled place 2 of 3"},
	}
	if diff := cmp.Diff(want, []placed{got[2], got[5], got[6]}); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}

	// Two tiers with more strategic accounts than CSM places.
	r, err = valuepath.Must(segment.NewTiering(twoTierSpec())).Assign(accounts)
	require.NoError(t, err)
	assert.Equal(t, "strategic account, but all 4 CSM-served places hold strategic accounts: digital, digital touch", r.Assignments[4].Why())
}

func TestTieringTierErrors(t *testing.T) {
	cp := segment.Capacity{HoursPerCSM: 20, HoursPerTopAccount: 10}
	tests := []struct {
		name  string
		tiers []segment.TierDef
		cp    segment.Capacity
		want  []string
		is    error
	}{
		{
			name:  "one tier",
			tiers: []segment.TierDef{{Name: "all"}},
			want:  []string{"segment: tiers: invalid value: must list 2 to 4 tiers, got 1"},
		},
		{
			name:  "five tiers",
			tiers: []segment.TierDef{{Name: "a", CSMs: 1}, {Name: "b", CSMs: 1, Ratio: 2}, {Name: "c", CSMs: 1, Ratio: 3}, {Name: "d", CSMs: 1, Ratio: 4}, {Name: "e"}},
			want:  []string{"segment: tiers: invalid value: must list 2 to 4 tiers, got 5"},
		},
		{
			name:  "names",
			tiers: []segment.TierDef{{Name: "top", CSMs: 1}, {Name: "top", CSMs: 1, Ratio: 2}, {Name: " pad", CSMs: 1, Ratio: 3}, {Name: ""}},
			want: []string{
				`segment: tiers[1].name: duplicate: tier "top" (also tiers[0])`,
				`segment: tiers[2].name: invalid value: must not begin or end with a space, got " pad"`,
				"segment: tiers[3].name: invalid value: must not be empty",
			},
			is: valuepath.ErrDuplicate,
		},
		{
			name:  "unreadable names",
			tiers: []segment.TierDef{{Name: "a\tb", CSMs: 1}, {Name: segment.Tier(strings.Repeat("x", 65))}},
			want: []string{
				`segment: tiers[0].name: invalid value: must be printable, got "a\tb"`,
				"segment: tiers[1].name: invalid value: must be at most 64 bytes, got 65",
			},
		},
		{
			name: "coverage not growing",
			tiers: []segment.TierDef{
				{Name: "top", CSMs: 1, Ratio: 2},
				{Name: "leveraged", CSMs: 1, Ratio: 5},
				{Name: "pooled", CSMs: -1, Ratio: 5},
				{Name: "digital", CSMs: 2, Ratio: 10},
			},
			want: []string{
				"segment: tiers[0].ratio: invalid value: must be 0 or 1: the first tier is the unit of coverage, got 2",
				"segment: tiers[2].csms: invalid value: must be between 0 and 1000000, got -1",
				"segment: tiers[2].ratio: invalid value: must be greater than tiers[1]'s 5: each tier serves more accounts per CSM than the one above, got 5",
				"segment: tiers[3].csms: invalid value: must be 0: the last tier is served digitally, without CSMs, got 2",
				"segment: tiers[3].ratio: invalid value: must be 0: the last tier holds every account left, got 10",
			},
		},
		{
			name:  "ratio missing or below 1",
			tiers: []segment.TierDef{{Name: "top", CSMs: 1}, {Name: "leveraged", CSMs: 1}, {Name: "digital"}},
			want:  []string{"segment: tiers[1].ratio: invalid value: must be at least 1 (accounts per CSM as a multiple of the first tier's), got 0"},
		},
		{
			name:  "default capacity beside listed tiers",
			tiers: []segment.TierDef{{Name: "top", CSMs: 1}, {Name: "digital"}},
			cp:    segment.Capacity{TopCSMs: 1, LeveragedCSMs: 2, LeveragedRatio: 3, HoursPerCSM: 20, HoursPerTopAccount: 10},
			want: []string{
				"segment: capacity.top_csms: invalid value: must be 0 when tiers are listed: each tier states its own csms and ratio",
				"segment: capacity.leveraged_csms: invalid value: must be 0 when tiers are listed: each tier states its own csms and ratio",
				"segment: capacity.leveraged_ratio: invalid value: must be 0 when tiers are listed: each tier states its own csms and ratio",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cp
			if c == (segment.Capacity{}) {
				c = cp
			}
			_, err := segment.NewTiering(segment.TieringSpec{Currency: "USD", Tiers: tt.tiers, Capacity: c})
			require.Error(t, err)
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			require.ErrorIs(t, err, valuepath.ErrInvalid)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
		})
	}

	// Strategic accounts with no first-tier places name the tier's field.
	spec := twoTierSpec()
	spec.Tiers[0].CSMs = 0
	_, err := valuepath.Must(segment.NewTiering(spec)).Assign([]segment.TierInput{{ID: "s", Revenue: usd("1"), Strategic: true}})
	assert.EqualError(t, err, "segment: tiers[0].csms: invalid value: 0 CSMs give the csm tier no places, but 1 strategic accounts ask for it")
}

func TestTieringTiersJSON(t *testing.T) {
	tiering, err := segment.ParseTiering([]byte(`{"currency": "USD",
	  "tiers": [{"name": "top", "csms": 1}, {"name": "leveraged", "csms": 1, "ratio": 1.5},
	            {"name": "pooled", "csms": 1, "ratio": 1.75}, {"name": "digital"}],
	  "capacity": {"hours_per_csm": 20, "hours_per_top_account": 10}}`))
	require.NoError(t, err)
	if diff := cmp.Diff(fourTierSpec(), tiering.Spec()); diff != "" {
		t.Errorf("spec (-want +got):\n%s", diff)
	}
	js, err := json.Marshal(tiering)
	require.NoError(t, err)
	assert.JSONEq(t, `{"currency": "USD",
	  "tiers": [{"name": "top", "csms": 1}, {"name": "leveraged", "csms": 1, "ratio": 1.5},
	            {"name": "pooled", "csms": 1, "ratio": 1.75}, {"name": "digital"}],
	  "capacity": {"hours_per_csm": 20, "hours_per_top_account": 10}}`, string(js))
	back, err := segment.ParseTiering(js)
	require.NoError(t, err)
	assert.Equal(t, tiering.Places(), back.Places())

	// The spec is copied, in and out.
	spec := fourTierSpec()
	tiering = valuepath.Must(segment.NewTiering(spec))
	spec.Tiers[0].Name = "changed"
	got := tiering.Spec()
	got.Tiers[1].Name = "changed too"
	assert.Equal(t, fourTierSpec(), tiering.Spec())

	r, err := tiering.Assign(smallBase())
	require.NoError(t, err)
	out, err := json.Marshal(r.Assignments[5])
	require.NoError(t, err)
	assert.JSONEq(t, `{"account":"e","tier":"pooled","rank":6,"place":1,"places":3,"revenue":{"amount":"100.00","currency":"USD"},
	  "strategic":false,"reason":"revenue","why":"placement rank 6 (strategic first, then by revenue), after the top and leveraged tiers' 5 places: pooled place 1 of 3"}`, string(out))
	idx := slices.IndexFunc(r.Tiers, func(s segment.TierSummary) bool { return s.Tier == "digital" })
	assert.Equal(t, 3, idx)

	_, err = segment.ParseTiering([]byte(`{"currency": "USD", "tiers": [{"name": "a", "csms": 1, "coverage": 2}, {"name": "b"}], "capacity": {"hours_per_csm": 1, "hours_per_top_account": 1}}`))
	assert.ErrorContains(t, err, "tiers[0].coverage: unknown field")

	_, err = json.Marshal(segment.Assignment{})
	assert.ErrorIs(t, err, valuepath.ErrInvalid, "the zero tier does not marshal")
}
