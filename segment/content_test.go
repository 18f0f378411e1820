package segment_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

const testContent = `{
  "cap": 2, "period": "7d",
  "campaigns": [
    {"id": "reports_tips",  "kind": "drip",    "priority": 1, "segments": ["no_reports"], "content": "tips/reports"},
    {"id": "win_back",      "kind": "drip",    "priority": 5, "segments": ["at_risk", "flat"], "content": "cs/win-back"},
    {"id": "release_11",    "kind": "release", "priority": 3, "versions": [
        {"segment": "retail", "content": "release/11-retail"},
        {"segment": "low",    "content": "release/11-adoption"}]},
    {"id": "power_users",   "kind": "drip",    "priority": 9, "segments": ["engaged"], "content": "tips/advanced"}
  ]}`

func TestRoute(t *testing.T) {
	rules := valuepath.Must(segment.NewRules(mustParse(t, testRules)))
	m := valuepath.Must(rules.Bind(ruleSchema))
	router, err := segment.ParseRouter([]byte(testContent), rules)
	require.NoError(t, err)
	atRisk := segment.Input{
		Current:  snap(t, map[valuepath.Metric]float64{"utilisation": 0.3, "reports_30d": 0, "workflows_30d": 20, "cases_90d": 0}),
		Baseline: snap(t, map[valuepath.Metric]float64{"workflows_30d": 10}),
		Attrs:    map[string]string{"industry": "retail"},
	}
	tests := []struct {
		name string
		in   segment.Input
		sent int
		want segment.Routing
	}{
		{
			name: "cap holds back the lowest priority",
			in:   atRisk,
			want: segment.Routing{Account: "acme",
				Deliver: []segment.Delivery{
					{Campaign: "win_back", Kind: segment.Drip, Priority: 5, Segment: "at_risk", Content: "cs/win-back"},
					{Campaign: "release_11", Kind: segment.Release, Priority: 3, Segment: "retail", Content: "release/11-retail"},
				},
				Held: []segment.Held{{
					Delivery: segment.Delivery{Campaign: "reports_tips", Kind: segment.Drip, Priority: 1, Segment: "no_reports", Content: "tips/reports"},
					Reason:   "frequency cap of 2 per 7d reached (0 sent before, 2 routed now)",
				}},
			},
		},
		{
			name: "already sent this period",
			in:   atRisk,
			sent: 1,
			want: segment.Routing{Account: "acme",
				Deliver: []segment.Delivery{{Campaign: "win_back", Kind: segment.Drip, Priority: 5, Segment: "at_risk", Content: "cs/win-back"}},
				Held: []segment.Held{
					{Delivery: segment.Delivery{Campaign: "release_11", Kind: segment.Release, Priority: 3, Segment: "retail", Content: "release/11-retail"}, Reason: "frequency cap of 2 per 7d reached (1 sent before, 1 routed now)"},
					{Delivery: segment.Delivery{Campaign: "reports_tips", Kind: segment.Drip, Priority: 1, Segment: "no_reports", Content: "tips/reports"}, Reason: "frequency cap of 2 per 7d reached (1 sent before, 1 routed now)"},
				},
			},
		},
		{
			// Only the campaigns of its segments: engaged (not at risk, as
			// workflows rose) and the release's adoption version, since the
			// industry is unknown and utilisation low.
			name: "version by segment",
			in: segment.Input{
				Current:  snap(t, map[valuepath.Metric]float64{"utilisation": 0.2, "reports_30d": 3, "workflows_30d": 30, "cases_90d": 0}),
				Baseline: snap(t, map[valuepath.Metric]float64{"workflows_30d": 10}),
			},
			want: segment.Routing{Account: "acme",
				Deliver: []segment.Delivery{
					{Campaign: "power_users", Kind: segment.Drip, Priority: 9, Segment: "engaged", Content: "tips/advanced"},
					{Campaign: "release_11", Kind: segment.Release, Priority: 3, Segment: "low", Content: "release/11-adoption"},
				},
				Held: []segment.Held{},
			},
		},
		{
			name: "undecided is held with its reason",
			in:   segment.Input{Current: snap(t, map[valuepath.Metric]float64{"reports_30d": 3})},
			want: segment.Routing{Account: "acme",
				Deliver: []segment.Delivery{},
				Held: []segment.Held{
					{Delivery: segment.Delivery{Campaign: "power_users", Kind: segment.Drip, Priority: 9, Segment: "engaged", Content: "tips/advanced"}, Reason: `membership of segment "engaged" is undecided: data is missing`},
					{Delivery: segment.Delivery{Campaign: "win_back", Kind: segment.Drip, Priority: 5, Segment: "at_risk", Content: "cs/win-back"}, Reason: `membership of segment "at_risk" is undecided: data is missing`},
					{Delivery: segment.Delivery{Campaign: "release_11", Kind: segment.Release, Priority: 3, Segment: "retail", Content: "release/11-retail"}, Reason: `membership of segment "retail" is undecided: data is missing`},
				},
			},
		},
	}
	ms := m.NewMembership()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, m.MatchInto(tt.in, ms))
			got, err := router.Route(ms, tt.sent)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Route (-want +got):\n%s", diff)
			}
		})
	}
	_, err = router.Route(ms, -1)
	require.ErrorIs(t, err, valuepath.ErrInvalid, "Route(sent -1)")
	js, err := json.Marshal(router)
	require.NoError(t, err)
	back, err := segment.ParseRouter(js, rules)
	require.NoError(t, err)
	if diff := cmp.Diff(router.Spec(), back.Spec()); diff != "" {
		t.Errorf("round trip: %s", diff)
	}
}

func TestRouterErrors(t *testing.T) {
	rules := valuepath.Must(segment.NewRules(mustParse(t, testRules)))
	_, err := segment.ParseRouter([]byte(`{"cap": -1, "campaigns": [
	  {"id": "a", "kind": "drip", "segments": ["nope"], "content": ""},
	  {"id": "a", "kind": "release", "versions": [{"segment": "low", "content": "x"}, {"segment": "low", "content": "y"}], "content": "z"},
	  {"id": "c", "kind": "email"}]}`), rules)
	want := []string{
		"segment: cap: invalid value: must not be negative, got -1",
		`segment: campaigns[0].segments[0]: invalid value: unknown segment "nope": no rule has that id`,
		"segment: campaigns[0].content: invalid value: must not be empty",
		`segment: campaigns[1].id: duplicate: campaign "a" (also campaigns[0])`,
		`segment: campaigns[1].versions[1].segment: duplicate: segment "low" (also versions[0])`,
		"segment: campaigns[1]: invalid value: a release campaign sets versions, not segments and content",
		`segment: campaigns[2].kind: invalid value: unknown kind "email" (want drip or release)`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if got := strings.Split(err.Error(), "\n"); !cmp.Equal(got, want) {
		t.Errorf("errors (-want +got):\n%s", cmp.Diff(want, got))
	}
	if _, err := segment.ParseRouter([]byte(`{"cap": 1, "campaigns": []}`), rules); err == nil || !strings.Contains(err.Error(), "period: invalid value: a cap needs a positive period") {
		t.Errorf("cap without period: %v", err)
	}
}

func TestDecide(t *testing.T) {
	o, err := segment.ParseOwnership([]byte(`{"currency": "USD", "rates": {"eur": "1.1"},
	  "service_threshold": 0.5, "transaction_threshold": 0.5,
	  "bands": [{"name": "small", "from": {"amount": "0", "currency": "usd"}, "shift": -0.2},
	            {"name": "mid", "from": {"amount": "10000", "currency": "USD"}, "shift": 0},
	            {"name": "large", "from": {"amount": "100000", "currency": "USD"}, "shift": 0.2}]}`))
	require.NoError(t, err)
	tests := []struct {
		acv       valuepath.Money
		svc, tx   float64
		owner     segment.Owner
		band, why string
	}{
		{usd("50000"), 0.4, 0.4, segment.OwnerWeb, "mid", "service low (0.4 < 0.5), transaction low (0.4 < 0.5): web"},
		{usd("50000"), 0.6, 0.4, segment.OwnerCSM, "mid", "service high (0.6 ≥ 0.5), transaction low (0.4 < 0.5): csm"},
		{usd("50000"), 0.4, 0.6, segment.OwnerSales, "mid", "service low (0.4 < 0.5), transaction high (0.6 ≥ 0.5): sales"},
		{usd("50000"), 0.5, 0.5, segment.OwnerSalesWithCSM, "mid", "service high (0.5 ≥ 0.5), transaction high (0.5 ≥ 0.5): sales_with_csm"},
		{usd("250000"), 0.4, 0.4, segment.OwnerSalesWithCSM, "large", `service high (0.4 ≥ 0.3), transaction high (0.4 ≥ 0.3); ACV USD 250000.00 in band "large" moves the boundaries 0.2 toward higher touch: sales_with_csm`},
		{usd("3000"), 0.6, 0.6, segment.OwnerWeb, "small", `service low (0.6 < 0.7), transaction low (0.6 < 0.7); ACV USD 3000.00 in band "small" moves the boundaries 0.2 toward self-service: web`},
		{money(decimal.NewFromInt(100000), "EUR"), 0.35, 0.1, segment.OwnerCSM, "large", `service high (0.35 ≥ 0.3), transaction low (0.1 < 0.3); ACV USD 110000.00 in band "large" moves the boundaries 0.2 toward higher touch: csm`},
	}
	for _, tt := range tests {
		d, err := o.Decide(segment.Deal{Account: "acme", Kind: segment.Renewal, ACV: tt.acv, ServiceComplexity: tt.svc, TransactionComplexity: tt.tx})
		require.NoError(t, err)
		if d.Owner != tt.owner || d.Band != tt.band || d.Why != tt.why {
			t.Errorf("Decide(%s, %v, %v) = %s in %q, %q; want %s in %q, %q", tt.acv, tt.svc, tt.tx, d.Owner, d.Band, d.Why, tt.owner, tt.band, tt.why)
		}
		assert.Equal(t, valuepath.Currency("USD"), d.ACV.Currency())
	}
	// The conversion is exact.
	d, err := o.Decide(segment.Deal{Account: "acme", Kind: segment.Upsell, ACV: valuepath.Must(valuepath.ParseMoney("1234.56", "EUR"))})
	require.NoError(t, err)
	assert.Equal(t, "USD 1358.016", d.ACV.String())
	_, err = o.Decide(segment.Deal{Kind: "resell", ACV: money(decimal.NewFromInt(1), "GBP"), ServiceComplexity: 2})
	for _, w := range []string{"deal.account: invalid value", `deal.kind: invalid value: unknown kind "resell"`, "deal.service_complexity: invalid value: must be in [0, 1], got 2", "deal.acv.currency: currency mismatch: GBP with USD"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Decide error lacks %q: %v", w, err)
		}
	}
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)
	_, err = segment.NewOwnership(segment.OwnershipSpec{Currency: "USD", ServiceThreshold: 1.5, Bands: []segment.ValueBand{
		{Name: "b", From: usd("10"), Shift: 2}, {From: usd("5")}, {Name: "eur", From: money(decimal.NewFromInt(20), "EUR")}, {Name: "none"}, {Name: "b", From: usd("30")}}})
	want := []string{
		"segment: service_threshold: invalid value: must be in (0, 1], got 1.5",
		"segment: bands[0].shift: invalid value: must be in [-1, 1], got 2",
		"segment: bands[1].name: invalid value: must not be empty",
		"segment: bands[1].from.amount: invalid value: must be above bands[0].from (10), got 5",
		"segment: bands[2].from.currency: currency mismatch: EUR, but the bands are in USD",
		"segment: bands[3].from.currency: unknown currency: a band needs an amount in USD",
		`segment: bands[4].name: duplicate: band "b" is also bands[0]`,
	}
	require.Error(t, err)
	assert.Equal(t, want, strings.Split(err.Error(), "\n"))
	require.ErrorIs(t, err, valuepath.ErrCurrencyMismatch)
	require.ErrorIs(t, err, valuepath.ErrDuplicate)
}

func TestOwnershipJSONRoundTrip(t *testing.T) {
	o, err := segment.ParseOwnership([]byte(`{"currency": "usd", "rates": {"EUR": "1.1"}, "service_threshold": 0.6,
	  "bands": [{"name": "large", "from": {"amount": "100000", "currency": "USD"}, "shift": 0.2}]}`))
	require.NoError(t, err)
	js, err := json.Marshal(o)
	require.NoError(t, err)
	// The currency comes back in ISO form, whatever case it was written in.
	assert.JSONEq(t, `{"currency": "USD", "rates": {"EUR": "1.1"}, "service_threshold": 0.6,
	  "bands": [{"name": "large", "from": {"amount": "100000.00", "currency": "USD"}, "shift": 0.2}]}`, string(js))
	back, err := segment.ParseOwnership(js)
	require.NoError(t, err)
	if diff := cmp.Diff(o.Spec(), back.Spec(), decimalEqual, moneyEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	_, err = segment.ParseOwnership([]byte(`{"currency": "USD", "bands": [{"name": "x", "from": {"amount": "1", "currency": "usdx"}}]}`))
	require.ErrorIs(t, err, valuepath.ErrUnknownCurrency)
}

// TestParseOwnershipRejectsDuplicateBandNames: the loader reports a band
// name given twice with its path.
func TestParseOwnershipRejectsDuplicateBandNames(t *testing.T) {
	_, err := segment.ParseOwnership([]byte(`{"currency":"USD","bands":[
		{"name":"mid","from":{"amount":"10000","currency":"USD"},"shift":0.1},
		{"name":"mid","from":{"amount":"50000","currency":"USD"},"shift":0.2}]}`))
	require.ErrorIs(t, err, valuepath.ErrDuplicate)
	assert.Contains(t, err.Error(), `bands[1].name: duplicate: band "mid" is also bands[0]`)
}
