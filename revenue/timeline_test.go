package revenue_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/revenue"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// ev builds an event: amount per interval in USD.
func ev(acct, sub string, kind revenue.EventKind, at time.Time, amount string, months int) revenue.SubscriptionEvent {
	e := revenue.SubscriptionEvent{Account: valuepath.AccountID(acct), Subscription: sub, Kind: kind, At: at, Currency: "USD", IntervalMonths: months}
	if amount != "" {
		e.Amount = dec(amount)
	}
	return e
}

// steps renders a timeline as "2024-01-01 100.00" lines.
func steps(t revenue.Timeline) []string {
	var out []string
	for s := range t.Steps() {
		out = append(out, s.At.Format("2006-01-02")+" "+s.MRR.Amount().StringFixed(2))
	}
	return out
}

func TestNormalizeAmounts(t *testing.T) {
	base := ev("a", "", revenue.Start, day(2024, 1, 1), "1200", 12)
	withDiscount := base
	withDiscount.Discount = dec("120")
	withTax := base
	withTax.Tax = dec("240")
	trial := base
	trial.Trial = true
	odd := ev("a", "", revenue.Start, day(2024, 1, 1), "1000", 12)
	tests := []struct {
		name   string
		ev     revenue.SubscriptionEvent
		policy revenue.Policy
		want   string
	}{
		{"yearly", base, revenue.Policy{}, "100.00"},
		{"quarterly", ev("a", "", revenue.Start, day(2024, 1, 1), "300", 3), revenue.Policy{}, "100.00"},
		{"zero interval is monthly", ev("a", "", revenue.Start, day(2024, 1, 1), "99.5", 0), revenue.Policy{}, "99.50"},
		{"discount deducted", withDiscount, revenue.Policy{}, "90.00"},
		{"discount ignored", withDiscount, revenue.Policy{IgnoreDiscounts: true}, "100.00"},
		{"tax excluded", withTax, revenue.Policy{}, "100.00"},
		{"tax included", withTax, revenue.Policy{IncludeTax: true}, "120.00"},
		{"trial excluded", trial, revenue.Policy{}, ""},
		{"trial included", trial, revenue.Policy{IncludeTrials: true}, "100.00"},
		{"rounded half-even to cents", odd, revenue.Policy{}, "83.33"},
		{"extra places", odd, revenue.Policy{ExtraPlaces: 2}, "83.3333"},
		{"more digits than the scale", ev("a", "", revenue.Start, day(2024, 1, 1), "10.005", 1), revenue.Policy{}, "10.00"},
		{"huge amount takes the slow path", ev("a", "", revenue.Start, day(2024, 1, 1), "12000000000000000.12", 12), revenue.Policy{}, "1000000000000000.01"},
	}
	for _, tt := range tests {
		tl, err := normalizeOne([]revenue.SubscriptionEvent{tt.ev}, tt.policy)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		got := ""
		for s := range tl.Steps() {
			got = s.MRR.Amount().String()
			if tt.policy.ExtraPlaces == 0 {
				got = s.MRR.Amount().StringFixed(2)
			}
		}
		if got != tt.want {
			t.Errorf("%s: MRR = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func kinds(t revenue.Timeline) []string {
	var out []string
	for m := range t.Movements() {
		out = append(out, fmt.Sprintf("%s %s %s", m.At.Format("2006-01-02"), m.Kind, m.Amount.Amount().StringFixed(2)))
	}
	return out
}

func TestMovements(t *testing.T) {
	events := []revenue.SubscriptionEvent{
		ev("a", "core", revenue.Start, day(2024, 1, 1), "100", 1),
		ev("a", "core", revenue.Change, day(2024, 2, 1), "150", 1),
		ev("a", "addon", revenue.Start, day(2024, 3, 1), "20", 1),
		ev("a", "core", revenue.Cancel, day(2024, 4, 1), "", 0),  // addon stays: contraction
		ev("a", "addon", revenue.Cancel, day(2024, 5, 1), "", 0), // nothing left: churn
		ev("a", "core", revenue.Reactivate, day(2024, 7, 1), "90", 1),
		// A plan switch recorded as cancel + start at the same instant is
		// one movement.
		ev("a", "core", revenue.Cancel, day(2024, 8, 1), "", 0),
		ev("a", "pro", revenue.Start, day(2024, 8, 1), "200", 1),
		ev("a", "pro", revenue.Change, day(2024, 9, 1), "200", 1), // no change: no movement
	}
	tl, err := normalizeOne(events, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2024-01-01 new 100.00",
		"2024-02-01 expansion 50.00",
		"2024-03-01 expansion 20.00",
		"2024-04-01 contraction 150.00",
		"2024-05-01 churn 20.00",
		"2024-07-01 reactivation 90.00",
		"2024-08-01 expansion 110.00",
	}
	if diff := cmp.Diff(want, kinds(tl)); diff != "" {
		t.Errorf("movements (-want +got):\n%s", diff)
	}
	if got := tl.MRRAt(day(2024, 4, 15)).String(); got != "USD 20.00" {
		t.Errorf("MRRAt mid-April = %s, want USD 20.00", got)
	}
	if got := tl.MRRAt(day(2023, 1, 1)).String(); got != "USD 0.00" {
		t.Errorf("MRRAt before the start = %s, want USD 0.00", got)
	}
}

func TestChurnAtPeriodEnd(t *testing.T) {
	yearly := []revenue.SubscriptionEvent{
		ev("a", "", revenue.Start, day(2024, 1, 1), "1200", 12),
		ev("a", "", revenue.Cancel, day(2024, 3, 10), "", 0),
	}
	withdrawn := append(yearly[:2:2], ev("a", "", revenue.Reactivate, day(2024, 6, 1), "2400", 12))
	after := append(yearly[:2:2], ev("a", "", revenue.Reactivate, day(2025, 2, 1), "1200", 12))
	tests := []struct {
		name   string
		events []revenue.SubscriptionEvent
		policy revenue.Policy
		want   []string
	}{
		{"at cancellation", yearly, revenue.Policy{}, []string{"2024-01-01 new 100.00", "2024-03-10 churn 100.00"}},
		{"at period end", yearly, revenue.Policy{ChurnAt: revenue.AtPeriodEnd}, []string{"2024-01-01 new 100.00", "2025-01-01 churn 100.00"}},
		{"reactivated before the period ends", withdrawn, revenue.Policy{ChurnAt: revenue.AtPeriodEnd}, []string{"2024-01-01 new 100.00", "2024-06-01 expansion 100.00"}},
		{"reactivated after", after, revenue.Policy{ChurnAt: revenue.AtPeriodEnd}, []string{"2024-01-01 new 100.00", "2025-01-01 churn 100.00", "2025-02-01 reactivation 100.00"}},
		{"monthly plan ends at the month", []revenue.SubscriptionEvent{
			ev("a", "", revenue.Start, day(2024, 1, 15), "50", 1),
			ev("a", "", revenue.Cancel, day(2024, 3, 20), "", 0),
		}, revenue.Policy{ChurnAt: revenue.AtPeriodEnd}, []string{"2024-01-15 new 50.00", "2024-04-15 churn 50.00"}},
	}
	for _, tt := range tests {
		tl, err := normalizeOne(tt.events, tt.policy)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, kinds(tl)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	ok := ev("a", "", revenue.Start, day(2024, 1, 1), "10", 1)
	neg := ok
	neg.Amount = dec("-1")
	bigDiscount := ok
	bigDiscount.Discount = dec("11")
	badCur := ok
	badCur.Currency = "XXX"
	eur := ev("a", "s2", revenue.Start, day(2024, 2, 1), "10", 1)
	eur.Currency = "EUR"
	tests := []struct {
		name   string
		events []revenue.SubscriptionEvent
		policy revenue.Policy
		want   []string // substrings, one per expected problem
		is     error
	}{
		{"negative amount", []revenue.SubscriptionEvent{neg}, revenue.Policy{}, []string{"events[0].amount: invalid value: must not be negative"}, valuepath.ErrInvalid},
		{"discount above amount", []revenue.SubscriptionEvent{bigDiscount}, revenue.Policy{}, []string{"events[0].discount"}, valuepath.ErrInvalid},
		{"unknown currency", []revenue.SubscriptionEvent{badCur}, revenue.Policy{}, []string{"events[0].currency: unknown currency"}, valuepath.ErrUnknownCurrency},
		{"mixed currencies", []revenue.SubscriptionEvent{ok, eur}, revenue.Policy{}, []string{"events[1].currency: currency mismatch"}, valuepath.ErrCurrencyMismatch},
		{"out of order", []revenue.SubscriptionEvent{ev("a", "", revenue.Start, day(2024, 2, 1), "10", 1), ev("a", "", revenue.Change, day(2024, 1, 1), "20", 1)}, revenue.Policy{}, []string{"events[1].at: out of time order"}, valuepath.ErrOutOfOrder},
		{"cancel before start", []revenue.SubscriptionEvent{ev("a", "", revenue.Cancel, day(2024, 1, 1), "", 0)}, revenue.Policy{}, []string{"events[0].kind", "cancel before the start"}, valuepath.ErrInvalid},
		{"duplicate", []revenue.SubscriptionEvent{ok, ok}, revenue.Policy{}, []string{"events[1]: duplicate"}, valuepath.ErrDuplicate},
		{"start twice", []revenue.SubscriptionEvent{ok, ev("a", "", revenue.Start, day(2024, 3, 1), "10", 1)}, revenue.Policy{}, []string{"events[1].kind", "already started"}, valuepath.ErrInvalid},
		{"reactivate active", []revenue.SubscriptionEvent{ok, ev("a", "", revenue.Reactivate, day(2024, 3, 1), "10", 1)}, revenue.Policy{}, []string{"events[1].kind", "not cancelled"}, valuepath.ErrInvalid},
		{"unknown kind", []revenue.SubscriptionEvent{ev("a", "", "pause", day(2024, 1, 1), "10", 1)}, revenue.Policy{}, []string{"events[0].kind", "unknown kind"}, valuepath.ErrInvalid},
		{"zero time and empty account", []revenue.SubscriptionEvent{ev("a", "", revenue.Start, time.Time{}, "10", 1), ev("", "", revenue.Start, day(2024, 1, 1), "10", 1)}, revenue.Policy{}, []string{"events[0].at: invalid value: must not be zero", "events[1].account"}, valuepath.ErrInvalid},
		{"interval", []revenue.SubscriptionEvent{ev("a", "", revenue.Start, day(2024, 1, 1), "10", -1)}, revenue.Policy{}, []string{"events[0].interval_months"}, valuepath.ErrInvalid},
		{"policy", []revenue.SubscriptionEvent{ok}, revenue.Policy{ExtraPlaces: 9}, []string{"policy.extra_places"}, valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		_, err := revenue.Normalize(tt.events, tt.policy)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !errors.Is(err, tt.is) {
			t.Errorf("%s: error %v does not wrap %v", tt.name, err, tt.is)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), "revenue: "+w) && !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tt.name, err, w)
			}
		}
		if !strings.HasPrefix(err.Error(), "revenue: ") {
			t.Errorf("%s: error %q is not prefixed by the package", tt.name, err)
		}
	}
}

func TestNormalizeDoesNotMutate(t *testing.T) {
	events := []revenue.SubscriptionEvent{
		ev("b", "", revenue.Start, day(2024, 1, 1), "10", 1),
		ev("a", "", revenue.Start, day(2024, 1, 2), "20", 1),
		ev("b", "", revenue.Cancel, day(2024, 2, 10), "", 0),
	}
	before := fmt.Sprint(events)
	ts, err := revenue.Normalize(events, revenue.Policy{ChurnAt: revenue.AtPeriodEnd})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(events) != before {
		t.Error("NormalizeAll changed its input")
	}
	var got []string
	for _, tl := range ts {
		got = append(got, string(tl.Account())+": "+strings.Join(steps(tl), ", "))
	}
	want := []string{"b: 2024-01-01 10.00, 2024-03-01 0.00", "a: 2024-01-02 20.00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timelines in first-appearance order (-want +got):\n%s", diff)
	}
}

func TestNormalizeOverflow(t *testing.T) {
	big := "9000000000000000" // 9e15 dollars a month: 9e17 cents fits, two of them do not
	events := []revenue.SubscriptionEvent{
		ev("a", "s1", revenue.Start, day(2024, 1, 1), big, 1),
		ev("a", "s2", revenue.Start, day(2024, 1, 2), big, 1),
		ev("a", "s3", revenue.Start, day(2024, 1, 3), big, 1),
		ev("a", "s4", revenue.Start, day(2024, 1, 4), big, 1),
		ev("a", "s5", revenue.Start, day(2024, 1, 5), big, 1),
		ev("a", "s6", revenue.Start, day(2024, 1, 6), big, 1),
		ev("a", "s7", revenue.Start, day(2024, 1, 7), big, 1),
		ev("a", "s8", revenue.Start, day(2024, 1, 8), big, 1),
		ev("a", "s9", revenue.Start, day(2024, 1, 9), big, 1),
		ev("a", "s10", revenue.Start, day(2024, 1, 10), big, 1),
		ev("a", "s11", revenue.Start, day(2024, 1, 11), big, 1),
	}
	if _, err := revenue.Normalize(events, revenue.Policy{}); !errors.Is(err, revenue.ErrOverflow) {
		t.Errorf("eleven subscriptions of 9e15 a month: error %v, want ErrOverflow", err)
	}
	if _, err := revenue.Normalize(events[:10], revenue.Policy{}); err != nil {
		t.Errorf("ten fit in int64 cents: %v", err)
	}
}

func TestTrialConversionIsNew(t *testing.T) {
	trial := ev("a", "", revenue.Start, day(2024, 1, 1), "100", 1)
	trial.Trial = true
	paid := ev("a", "", revenue.Change, day(2024, 1, 15), "100", 1)
	tl, err := normalizeOne([]revenue.SubscriptionEvent{trial, paid}, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2024-01-15 new 100.00"}, kinds(tl)); diff != "" {
		t.Errorf("trials excluded: the conversion is the new MRR (-want +got):\n%s", diff)
	}
	tl, err = normalizeOne([]revenue.SubscriptionEvent{trial, paid}, revenue.Policy{IncludeTrials: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2024-01-01 new 100.00"}, kinds(tl)); diff != "" {
		t.Errorf("trials included (-want +got):\n%s", diff)
	}
}

func TestNormalizeCurrencyCase(t *testing.T) {
	// Codes come in either case (Stripe writes "usd"); timelines carry the
	// ISO form, and one account's events may mix the two spellings.
	lower := ev("a", "", revenue.Start, day(2024, 1, 1), "10", 1)
	lower.Currency = "usd"
	upper := ev("a", "", revenue.Change, day(2024, 2, 1), "20", 1)
	ts, err := normalizeOne([]revenue.SubscriptionEvent{lower, upper}, revenue.Policy{})
	require.NoError(t, err)
	assert.Equal(t, valuepath.Currency("USD"), ts.Currency())
	assert.Equal(t, []string{"2024-01-01 10.00", "2024-02-01 20.00"}, steps(ts))

	events, err := revenue.ParseEvents([]byte(`[{"account":"a","kind":"start","at":"2024-01-01T00:00:00Z","amount":"5","currency":"eur"}]`))
	require.NoError(t, err)
	assert.Equal(t, valuepath.Currency("EUR"), events[0].Currency)

	bad := lower
	bad.Currency = "usdx"
	_, err = normalizeOne([]revenue.SubscriptionEvent{bad}, revenue.Policy{})
	require.ErrorIs(t, err, valuepath.ErrUnknownCurrency)
}

// normalizeOne normalises one account's events through NormalizeAll, so
// that every test of a single account also tests the stream, serial and on
// two goroutines (which must agree).
func normalizeOne(events []revenue.SubscriptionEvent, p revenue.Policy) (revenue.Timeline, error) {
	var tls []revenue.Timeline
	var errs []error
	for _, conc := range []int{1, 2} {
		for tl, err := range revenue.NormalizeAll(slices.Values([][]revenue.SubscriptionEvent{events}), p, valuepath.BatchOptions{Concurrency: conc}) {
			tls, errs = append(tls, tl.Clone()), append(errs, err)
		}
	}
	if len(tls) != 2 {
		panic("NormalizeAll did not yield one timeline for one input")
	}
	if fmt.Sprint(tls[0], errs[0]) != fmt.Sprint(tls[1], errs[1]) {
		panic(fmt.Sprintf("NormalizeAll serial and parallel disagree:\n%v %v\n%v %v", tls[0], errs[0], tls[1], errs[1]))
	}
	return tls[0], errs[0]
}

func TestNormalizeAll(t *testing.T) {
	for _, conc := range []int{1, 2, 3} {
		t.Run(fmt.Sprint("concurrency=", conc), func(t *testing.T) { testNormalizeAll(t, valuepath.BatchOptions{Concurrency: conc}) })
	}
	t.Run("in place", func(t *testing.T) { testNormalizeAll(t, valuepath.BatchOptions{Concurrency: 2, InPlace: true}) })
}

func testNormalizeAll(t *testing.T, opt valuepath.BatchOptions) {
	accounts := [][]revenue.SubscriptionEvent{
		{ev("a", "", revenue.Start, day(2024, 1, 1), "10", 1), ev("a", "", revenue.Change, day(2024, 2, 1), "30", 1)},
		{ev("b", "", revenue.Cancel, day(2024, 1, 1), "", 0)}, // fails: the stream goes on
		{},
		{ev("c", "", revenue.Start, day(2024, 1, 1), "1200", 12), ev("d", "", revenue.Start, day(2024, 1, 1), "5", 1)},
		{ev("e", "", revenue.Start, day(2024, 3, 1), "7", 1)},
	}
	var got []string
	var errs []error
	for tl, err := range revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, opt) {
		got = append(got, string(tl.Account())+": "+strings.Join(steps(*tl), ", "))
		errs = append(errs, err)
	}
	want := []string{"a: 2024-01-01 10.00, 2024-02-01 30.00", "b: ", ": ", "c: ", "e: 2024-03-01 7.00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("one timeline per input, in order (-want +got):\n%s", diff)
	}
	require.NoError(t, errs[0])
	require.NoError(t, errs[4])
	for i, w := range map[int]string{1: "cancel before the start", 2: "no events", 3: `events[1].account: invalid value: "d" differs`} {
		var ae *valuepath.AccountError
		require.ErrorAs(t, errs[i], &ae)
		assert.Equal(t, accountOf(accounts[i]), ae.Account)
		require.ErrorIs(t, errs[i], valuepath.ErrInvalid)
		assert.Contains(t, errs[i].Error(), w)
	}
	// Breaking stops the stream.
	n := 0
	for range revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, opt) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func accountOf(events []revenue.SubscriptionEvent) valuepath.AccountID {
	if len(events) == 0 {
		return ""
	}
	return events[0].Account
}

func TestNormalizeAllAllocations(t *testing.T) {
	// The stream reuses its memory: after the first accounts, normalising
	// one more allocates nothing proportional to the base.
	accounts := byAccount(benchEvents(200))
	allocs := testing.AllocsPerRun(5, func() {
		for _, err := range revenue.NormalizeAll(slices.Values(accounts), revenue.Policy{}, valuepath.BatchOptions{Concurrency: 1}) {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.Less(t, allocs, 50.0, "allocations for 200 accounts")
}

func TestPolicyJSON(t *testing.T) {
	// A policy is configuration a host may keep as JSON; its zero value is
	// the documented default and writes as {}.
	b, err := json.Marshal(revenue.Policy{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))
	p := revenue.Policy{ChurnAt: revenue.AtPeriodEnd, IncludeTrials: true, ExtraPlaces: 2}
	b, err = json.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, `{"include_trials":true,"churn_at":"at_period_end","extra_places":2}`, string(b))
	var back revenue.Policy
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)
	assert.Equal(t, "at_cancellation", revenue.AtCancellation.String())
	err = json.Unmarshal([]byte(`{"churn_at":"at_renewal"}`), &back)
	require.ErrorIs(t, err, valuepath.ErrInvalid)
}

func TestMovementJSON(t *testing.T) {
	tl, err := normalizeOne([]revenue.SubscriptionEvent{ev("a", "", revenue.Start, day(2024, 1, 1), "10", 1), ev("a", "", revenue.Cancel, day(2024, 2, 1), "", 0)}, revenue.Policy{})
	require.NoError(t, err)
	assert.Equal(t, 2, tl.Len())
	var got []string
	for m := range tl.Movements() {
		b, err := json.Marshal(m)
		require.NoError(t, err)
		got = append(got, string(b))
	}
	want := []string{
		`{"account":"a","at":"2024-01-01T00:00:00Z","kind":"new","amount":{"amount":"10.00","currency":"USD"},"before":{"amount":"0.00","currency":"USD"},"after":{"amount":"10.00","currency":"USD"}}`,
		`{"account":"a","at":"2024-02-01T00:00:00Z","kind":"churn","amount":{"amount":"10.00","currency":"USD"},"before":{"amount":"10.00","currency":"USD"},"after":{"amount":"0.00","currency":"USD"}}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("movements as JSON (-want +got):\n%s", diff)
	}
	assert.Equal(t, "MovementKind(9)", revenue.MovementKind(9).String())
}

// TestMergeWithin: near-simultaneous changes of one account net into one.
func TestMergeWithin(t *testing.T) {
	at := func(h, m int) time.Time {
		return day(2024, 3, 10).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	events := []revenue.SubscriptionEvent{
		ev("m", "s1", revenue.Start, day(2024, 1, 1), "100", 1),
		ev("m", "s1", revenue.Cancel, at(10, 0), "", 0),
		ev("m", "s2", revenue.Start, at(10, 30), "150", 1),
		// same plan back within the window: no change at all
		ev("n", "s1", revenue.Start, day(2024, 1, 1), "100", 1),
		ev("n", "s1", revenue.Cancel, at(10, 0), "", 0),
		ev("n", "s2", revenue.Start, at(10, 20), "100", 1),
		// a run is bounded by its first change: 10:00 and 10:40 net (100 →
		// 80), 11:20 is 80 minutes after 10:00 and starts a run of its own.
		ev("r", "", revenue.Start, day(2024, 1, 1), "100", 1),
		ev("r", "", revenue.Change, at(10, 0), "50", 1),
		ev("r", "", revenue.Change, at(10, 40), "80", 1),
		ev("r", "", revenue.Change, at(11, 20), "90", 1),
	}
	tests := []struct {
		window valuepath.Duration
		want   map[string][]string
		march  string
	}{
		// 0: m drops to 0 at 10:00 and comes back at 150 at 10:30: churn
		// 100 and reactivation 150; n churns 100 and reactivates 100; r
		// contracts 50, expands 30 and 10.
		{0, map[string][]string{
			"m": {"2024-01-01 100.00", "2024-03-10 0.00", "2024-03-10 150.00"},
			"n": {"2024-01-01 100.00", "2024-03-10 0.00", "2024-03-10 100.00"},
			"r": {"2024-01-01 100.00", "2024-03-10 50.00", "2024-03-10 80.00", "2024-03-10 90.00"},
		}, "2024-03 open=300.00 new=0.00 exp=40.00 react=250.00 contr=50.00 churn=200.00 fx=0.00 close=340.00 accts=3/3 lost=0"},
		// 1h: m is one change 100 → 150 at 10:30 (expansion 50); n nets to
		// nothing; r: 100 → 80 at 10:40 (contraction 20), then 80 → 90
		// (expansion 10). Expansion 50 + 10 = 60, contraction 20: 300 + 60
		// − 20 = 340, the same closing.
		{valuepath.Duration(time.Hour), map[string][]string{
			"m": {"2024-01-01 100.00", "2024-03-10 150.00"},
			"n": {"2024-01-01 100.00"},
			"r": {"2024-01-01 100.00", "2024-03-10 80.00", "2024-03-10 90.00"},
		}, "2024-03 open=300.00 new=0.00 exp=60.00 react=0.00 contr=20.00 churn=0.00 fx=0.00 close=340.00 accts=3/3 lost=0"},
	}
	for _, tt := range tests {
		ts, err := revenue.Normalize(events, revenue.Policy{MergeWithin: tt.window})
		require.NoError(t, err)
		got := map[string][]string{}
		for _, tl := range ts {
			got[string(tl.Account())] = steps(tl)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("window %v (-want +got):\n%s", time.Duration(tt.window), diff)
		}
		b, err := revenue.NewBridge(ts, revenue.Months(day(2024, 3, 1), 1), revenue.BridgeOptions{})
		require.NoError(t, err)
		assert.Equal(t, tt.march, row(b.Periods[0]), "window %v", time.Duration(tt.window))
	}
	_, err := revenue.Normalize(events, revenue.Policy{MergeWithin: -1})
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.Contains(t, err.Error(), "policy.merge_within")
}

// TestFullDiscount: with discounts deducted a 100% discount is zero MRR,
// so the account churns and reactivates; IgnoreDiscounts keeps it at list.
func TestFullDiscount(t *testing.T) {
	free := ev("z", "", revenue.Change, day(2024, 2, 1), "200", 1)
	free.Discount = dec("200")
	events := []revenue.SubscriptionEvent{
		ev("z", "", revenue.Start, day(2024, 1, 1), "200", 1),
		free, // 200 − 200 = 0
		ev("z", "", revenue.Change, day(2024, 4, 1), "200", 1),
	}
	for _, tt := range []struct {
		p    revenue.Policy
		want []string
	}{
		// Feb: churn 200 (lost 1); Apr: reactivation 200.
		{revenue.Policy{}, []string{
			"2024-01 open=0.00 new=200.00 exp=0.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=200.00 accts=0/1 lost=0",
			"2024-02 open=200.00 new=0.00 exp=0.00 react=0.00 contr=0.00 churn=200.00 fx=0.00 close=0.00 accts=1/0 lost=1",
			"2024-03 open=0.00 new=0.00 exp=0.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=0.00 accts=0/0 lost=0",
			"2024-04 open=0.00 new=0.00 exp=0.00 react=200.00 contr=0.00 churn=0.00 fx=0.00 close=200.00 accts=0/1 lost=0",
		}},
		// list price: 200 throughout, no movement after January.
		{revenue.Policy{IgnoreDiscounts: true}, []string{
			"2024-01 open=0.00 new=200.00 exp=0.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=200.00 accts=0/1 lost=0",
			"2024-02 open=200.00 new=0.00 exp=0.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=200.00 accts=1/1 lost=0",
			"2024-03 open=200.00 new=0.00 exp=0.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=200.00 accts=1/1 lost=0",
			"2024-04 open=200.00 new=0.00 exp=0.00 react=0.00 contr=0.00 churn=0.00 fx=0.00 close=200.00 accts=1/1 lost=0",
		}},
	} {
		ts, err := revenue.Normalize(events, tt.p)
		require.NoError(t, err)
		b, err := revenue.NewBridge(ts, revenue.Months(day(2024, 1, 1), 4), revenue.BridgeOptions{})
		require.NoError(t, err)
		var got []string
		for _, p := range b.Periods {
			got = append(got, row(p))
		}
		assert.Equal(t, tt.want, got, "%+v", tt.p)
	}
}
