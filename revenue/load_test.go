package revenue_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath/revenue"
)

func TestParseEvents(t *testing.T) {
	events, err := revenue.ParseEvents([]byte(`[
		{"account":"a","kind":"start","at":"2024-01-01T00:00:00Z","amount":"1200","currency":"USD","interval_months":12,"discount":"120"},
		{"account":"a","kind":"cancel","at":"2024-06-01T00:00:00Z","currency":"USD"}]`))
	if err != nil {
		t.Fatal(err)
	}
	tl, err := normalizeOne(events, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2024-01-01 new 90.00", "2024-06-01 churn 90.00"}, kinds(tl)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	b, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"account":"a","currency":"USD","steps":[{"at":"2024-01-01T00:00:00Z","mrr":{"amount":"90.00","currency":"USD"}},{"at":"2024-06-01T00:00:00Z","mrr":{"amount":"0.00","currency":"USD"}}]}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("timeline JSON (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ in, want string }{
		{`[{"account":"a","bogus":1}]`, `[0].bogus: unknown field`},
		{`[{"account":"a","amount":"1e9999999"}]`, `events[0].amount: invalid value`},
		{`[{"account":"a","tax":"12..5"}]`, `events[0].tax`},
		{`[] []`, `data after the JSON value`},
		{`{}`, `want an array, got an object`},
	} {
		_, err := revenue.ParseEvents([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseEvents(%s) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestBridgeJSON(t *testing.T) {
	ts, err := revenue.Normalize([]revenue.SubscriptionEvent{ev("a", "", revenue.Start, day(2024, 1, 5), "10", 1)}, revenue.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := revenue.NewBridge(ts, revenue.Months(day(2024, 1, 1), 1), revenue.BridgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(b.Periods[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"new":{"amount":"10.00","currency":"USD"}`, `"closing":{"amount":"10.00","currency":"USD"}`, `"accounts":{"opening":0,"closing":1,"new":1`} {
		if !strings.Contains(string(out), w) {
			t.Errorf("bridge JSON %s lacks %s", out, w)
		}
	}
}
