package segment_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

var ruleSchema = valuepath.Must(valuepath.NewSchema("utilisation", "reports_30d", "workflows_30d", "cases_90d"))

var asOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// snap builds a snapshot on ruleSchema; metrics not in values are missing.
func snap(t testing.TB, values map[valuepath.Metric]float64) *valuepath.Snapshot {
	t.Helper()
	s := valuepath.NewSnapshot(ruleSchema, "acme", asOf)
	for m, v := range values {
		require.NoError(t, s.Set(m, v))
	}
	return s
}

const testRules = `[
  {"id": "low",        "description": "uses under 40% of its seats", "when": {"metric": "utilisation", "op": "<", "value": 0.4}},
  {"id": "no_reports", "when": {"not_using": "reports_30d"}},
  {"id": "flat",       "when": {"not_improved": "workflows_30d", "by": 5}},
  {"id": "retail",     "when": {"attr": "industry", "in": ["retail", "media"]}},
  {"id": "quiet",      "when": {"not": {"metric": "cases_90d", "op": ">", "value": 0}}},
  {"id": "at_risk",    "when": {"all": [{"rule": "low"}, {"any": [{"rule": "no_reports"}, {"rule": "flat"}]}]}},
  {"id": "engaged",    "when": {"not": {"rule": "at_risk"}}}
]`

func TestMatch(t *testing.T) {
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, testRules))).Bind(ruleSchema))
	tests := []struct {
		name          string
		cur, base     map[valuepath.Metric]float64
		noBase        bool
		attrs         map[string]string
		want, unknown []string
	}{
		{
			name:  "at risk through reports",
			cur:   map[valuepath.Metric]float64{"utilisation": 0.3, "reports_30d": 0, "workflows_30d": 20, "cases_90d": 0},
			base:  map[valuepath.Metric]float64{"workflows_30d": 10},
			attrs: map[string]string{"industry": "retail"},
			want:  []string{"low", "no_reports", "retail", "quiet", "at_risk"},
		},
		{
			name:  "flat workflows",
			cur:   map[valuepath.Metric]float64{"utilisation": 0.3, "reports_30d": 4, "workflows_30d": 14, "cases_90d": 2},
			base:  map[valuepath.Metric]float64{"workflows_30d": 10},
			attrs: map[string]string{"industry": "software"},
			want:  []string{"low", "flat", "at_risk"},
		},
		{
			name: "healthy",
			cur:  map[valuepath.Metric]float64{"utilisation": 0.9, "reports_30d": 4, "workflows_30d": 30, "cases_90d": 1},
			base: map[valuepath.Metric]float64{"workflows_30d": 10},
			want: []string{"engaged"}, unknown: []string{"retail"},
		},
		{
			// Missing data is unknown: "not" does not turn it into membership.
			name:    "missing data",
			cur:     map[valuepath.Metric]float64{"reports_30d": 3},
			noBase:  true,
			want:    []string{},
			unknown: []string{"low", "flat", "retail", "quiet", "at_risk", "engaged"},
		},
		{
			// Any is true once a part is, whatever the unknown parts.
			name:    "true despite unknown",
			cur:     map[valuepath.Metric]float64{"utilisation": 0.1, "reports_30d": 0},
			noBase:  true,
			want:    []string{"low", "no_reports", "at_risk"},
			unknown: []string{"flat", "retail", "quiet"},
		},
	}
	ms := m.NewMembership()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := segment.Input{Current: snap(t, tt.cur), Attrs: tt.attrs}
			if !tt.noBase {
				in.Baseline = snap(t, tt.base)
			}
			require.NoError(t, m.MatchInto(in, ms))
			got := slices.Collect(ms.Segments())
			if got == nil {
				got = []string{}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
			var unknown []string
			for _, r := range m.Rules().Spec() {
				if ms.Undecided(r.ID) {
					unknown = append(unknown, r.ID)
				}
			}
			if diff := cmp.Diff(tt.unknown, unknown); diff != "" {
				t.Errorf("undecided (-want +got):\n%s", diff)
			}
			if ms.Len() != len(tt.want) || ms.Account != "acme" {
				t.Errorf("Len() = %d, Account = %q", ms.Len(), ms.Account)
			}
			// The explanation's tree evaluation must agree with the
			// compiled program.
			ex, err := m.Explain(in)
			require.NoError(t, err)
			var exSegs []string
			for _, s := range ex.Segments {
				exSegs = append(exSegs, s.Segment)
			}
			if !slices.Equal(exSegs, got) && !(len(exSegs) == 0 && len(got) == 0) {
				t.Errorf("Explain segments %v, Match segments %v", exSegs, got)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, testRules))).Bind(ruleSchema))
	in := segment.Input{
		Current:  snap(t, map[valuepath.Metric]float64{"utilisation": 0.30479999999999996, "reports_30d": 2, "workflows_30d": 12, "cases_90d": 3}),
		Baseline: snap(t, map[valuepath.Metric]float64{"workflows_30d": 10}),
	}
	ex, err := m.Explain(in)
	require.NoError(t, err)
	want := segment.Explanation{
		Account: "acme",
		Segments: []segment.Match{
			{Segment: "low", Description: "uses under 40% of its seats", Terms: []segment.Term{{Path: "rules[0].when", Text: "utilisation = 0.3048, < 0.4"}}},
			{Segment: "flat", Terms: []segment.Term{{Path: "rules[2].when", Text: "workflows_30d not improved by more than 5: 12 now, 10 at baseline"}}},
			{Segment: "at_risk", Terms: []segment.Term{
				{Path: "rules[0].when", Text: "utilisation = 0.3048, < 0.4"},
				{Path: "rules[2].when", Text: "workflows_30d not improved by more than 5: 12 now, 10 at baseline"},
			}},
		},
		Undecided: []segment.Match{
			{Segment: "retail", Terms: []segment.Term{{Path: "rules[3].when", Text: "industry in [retail, media]: unknown, attribute absent"}}},
		},
	}
	if diff := cmp.Diff(want, ex); diff != "" {
		t.Errorf("Explain (-want +got):\n%s", diff)
	}
	// "not" explains with the term that was false.
	in.Current = snap(t, map[valuepath.Metric]float64{"utilisation": 0.8, "reports_30d": 2, "workflows_30d": 30, "cases_90d": 0})
	ex, err = m.Explain(in)
	require.NoError(t, err)
	got := map[string][]segment.Term{}
	for _, s := range ex.Segments {
		got[s.Segment] = s.Terms
	}
	wantTerms := map[string][]segment.Term{
		"quiet":   {{Path: "rules[4].when.not", Text: "cases_90d = 0, not > 0"}},
		"engaged": {{Path: "rules[0].when", Text: "utilisation = 0.8, not < 0.4"}},
	}
	if diff := cmp.Diff(wantTerms, got); diff != "" {
		t.Errorf("terms (-want +got):\n%s", diff)
	}
	if _, err := json.Marshal(ex); err != nil {
		t.Error(err)
	}
}

func TestRulesErrors(t *testing.T) {
	tests := []struct {
		name string
		js   string
		want []string
		is   error
	}{
		{"unknown rule", `[{"id": "a", "when": {"rule": "nope"}}]`, []string{`segment: rules[0].when.rule: invalid value: unknown rule "nope"`}, valuepath.ErrInvalid},
		{"cycle", `[{"id": "a", "when": {"rule": "b"}}, {"id": "b", "when": {"all": [{"rule": "a"}]}}]`, []string{`segment: rules[0]: dependency cycle: "a" -> "b" -> "a"`}, valuepath.ErrCycle},
		{"self", `[{"id": "a", "when": {"not": {"rule": "a"}}}]`, []string{`rules[0]: dependency cycle: "a" -> "a"`}, valuepath.ErrCycle},
		{"duplicate and empty id", `[{"id": "a", "when": {"not_using": "x"}}, {"id": "a", "when": {"not_using": "x"}}, {"when": {"not_using": "x"}}]`,
			[]string{`segment: rules[1].id: duplicate: rule "a" (also rules[0])`, "segment: rules[2].id: invalid value: must not be empty"}, valuepath.ErrDuplicate},
		{"forms", `[{"id": "a", "when": {}}, {"id": "b", "when": {"metric": "x", "not_using": "y", "op": "<"}}, {"id": "c", "when": {"all": []}}]`,
			[]string{"rules[0].when: invalid value: empty condition", "rules[1].when: invalid value: sets metric and not_using: want exactly one form", "rules[2].when.all: invalid value: must list at least one condition"}, valuepath.ErrInvalid},
		{"ops", `[{"id": "a", "when": {"metric": "x", "op": "=~", "value": 1}}, {"id": "b", "when": {"metric": "x"}}, {"id": "c", "when": {"not_using": "x", "op": "<", "value": 2, "by": 1, "in": ["q"]}}]`,
			[]string{`rules[0].when.op: invalid value: unknown op "=~"`, "rules[1].when.op: invalid value: a metric comparison needs an op", "rules[2].when.op: invalid value: only a metric comparison takes an op",
				"rules[2].when.value: invalid value: only a metric comparison takes a value", "rules[2].when.in: invalid value: only an attr test takes in", "rules[2].when.by: invalid value: only not_improved takes by"}, valuepath.ErrInvalid},
		{"attr", `[{"id": "a", "when": {"attr": "industry"}}]`, []string{"rules[0].when.in: invalid value: an attr test needs at least one value in in"}, valuepath.ErrInvalid},
		{"deep", `[{"id": "a", "when": ` + strings.Repeat(`{"not": `, 70) + `{"not_using": "x"}` + strings.Repeat("}", 70) + `}]`, []string{"conditions nest deeper than 64"}, valuepath.ErrInvalid},
		{"unknown field", `[{"id": "a", "when": {"not_using": "x", "typo": 1}}]`, []string{`[0].when.typo: unknown field`}, nil},
		{"trailing", `[] []`, []string{"data after the JSON value"}, valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := segment.ParseRules([]byte(tt.js))
			if err == nil {
				t.Fatal("no error")
			}
			if n := len(strings.Split(err.Error(), "\n")); n != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", n, len(tt.want), err)
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

func TestBindAndMatchErrors(t *testing.T) {
	rs := valuepath.Must(segment.NewRules(mustParse(t, testRules)))
	narrow := valuepath.Must(valuepath.NewSchema("utilisation"))
	bindErr := []string{
		`segment: rules[1].when.not_using: unknown metric "reports_30d"`,
		`segment: rules[2].when.not_improved: unknown metric "workflows_30d"`,
		`segment: rules[4].when.not.metric: unknown metric "cases_90d"`,
	}
	_, err := rs.Bind(narrow)
	require.ErrorIs(t, err, valuepath.ErrUnknownMetric)
	assert.Equal(t, bindErr, strings.Split(err.Error(), "\n"))
	_, err = rs.Bind(nil)
	require.ErrorIs(t, err, valuepath.ErrInvalid)

	m := valuepath.Must(rs.Bind(ruleSchema))
	ms := m.NewMembership()
	// A schema with every metric, but not the matcher's: bind to it.
	same := valuepath.Must(valuepath.NewSchema("utilisation", "reports_30d", "workflows_30d", "cases_90d"))
	tests := []struct {
		name    string
		in      segment.Input
		account valuepath.AccountID
		is      error
	}{
		{"nil current", segment.Input{}, "", valuepath.ErrInvalid},
		{"nil current with baseline", segment.Input{Baseline: snap(t, nil)}, "", valuepath.ErrInvalid},
		{"schema lacking metrics", segment.Input{Current: valuepath.NewSnapshot(narrow, "x", asOf)}, "x", valuepath.ErrUnknownMetric},
		{"baseline lacking metrics", segment.Input{Current: snap(t, nil), Baseline: valuepath.NewSnapshot(narrow, "x", asOf)}, "acme", valuepath.ErrUnknownMetric},
		{"another schema", segment.Input{Current: valuepath.NewSnapshot(same, "y", asOf)}, "y", valuepath.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Seed a membership, so that clearing it shows.
			require.NoError(t, m.MatchInto(segment.Input{Current: snap(t, map[valuepath.Metric]float64{"utilisation": 0.1})}, ms))
			require.Positive(t, ms.Len())
			err := m.MatchInto(tt.in, ms)
			require.ErrorIs(t, err, tt.is)
			var ae *valuepath.AccountError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.account, ae.Account)
			assert.Equal(t, tt.account, ms.Account)
			assert.Zero(t, ms.Len(), "membership not cleared")
			if tt.is == valuepath.ErrUnknownMetric {
				assert.Contains(t, err.Error(), bindErr[0])
			}
			// Match fails exactly when MatchInto does, with the same error.
			got, err2 := m.Match(tt.in)
			assert.Nil(t, got)
			assert.Equal(t, err.Error(), err2.Error())
			// Explain binds to the snapshot's schema, with Bind's error.
			_, err3 := m.Explain(tt.in)
			if tt.name == "another schema" {
				assert.NoError(t, err3)
			} else {
				require.ErrorIs(t, err3, tt.is)
			}
		})
	}
	other := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, testRules))).Bind(ruleSchema))
	require.ErrorIs(t, other.MatchInto(segment.Input{Current: snap(t, nil)}, ms), valuepath.ErrInvalid, "a membership from other rules was accepted")
	require.ErrorIs(t, m.MatchInto(segment.Input{Current: snap(t, nil)}, nil), valuepath.ErrInvalid)
	assert.Same(t, ruleSchema, m.Schema())
}

func TestRulesJSONRoundTrip(t *testing.T) {
	rs := valuepath.Must(segment.NewRules(mustParse(t, testRules)))
	js, err := json.Marshal(rs)
	require.NoError(t, err)
	back, err := segment.ParseRules(js)
	require.NoError(t, err)
	if diff := cmp.Diff(rs.Spec(), back.Spec()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]valuepath.Metric{"utilisation", "reports_30d", "workflows_30d", "cases_90d"}, rs.Metrics()); diff != "" {
		t.Errorf("Metrics: %s", diff)
	}
}

// TestMembersMatchesHandWritten streams the benchmark population and checks
// every membership against the hand-written rules, and Explain against
// Match, so the benchmark's baseline is an honest equivalent.
func TestMembersMatchesHandWritten(t *testing.T) {
	schema, inputs := benchInputs(500)
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, benchRulesJSON))).Bind(schema))
	ids := m.Rules().Spec()
	var out [20]bool
	i := 0
	for ms, err := range m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 1}) {
		require.NoError(t, err)
		in := inputs[i]
		handMatch(in.Current, in.Baseline, in.Attrs, &out)
		for k, r := range ids {
			if ms.Has(r.ID) != out[k] {
				t.Fatalf("input %d, rule %s: compiled %v, hand-written %v", i, r.ID, ms.Has(r.ID), out[k])
			}
		}
		ex, err := m.Explain(in)
		require.NoError(t, err)
		var got []string
		for _, s := range ex.Segments {
			got = append(got, s.Segment)
		}
		if want := slices.Collect(ms.Segments()); !slices.Equal(got, want) {
			t.Fatalf("input %d: Explain %v, Match %v", i, got, want)
		}
		i++
	}
	if i != len(inputs) {
		t.Errorf("streamed %d of %d", i, len(inputs))
	}
}

func TestMembershipCloneAndJSON(t *testing.T) {
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, testRules))).Bind(ruleSchema))
	ms, err := m.Match(segment.Input{Current: snap(t, map[valuepath.Metric]float64{"utilisation": 0.3, "reports_30d": 0, "cases_90d": 0})})
	require.NoError(t, err)
	kept := ms.Clone()
	js, err := json.Marshal(ms)
	require.NoError(t, err)
	assert.JSONEq(t, `{"account": "acme", "segments": ["low", "no_reports", "quiet", "at_risk"], "undecided": ["flat", "retail"]}`, string(js))
	// Later matches into ms leave the clone as it was.
	require.NoError(t, m.MatchInto(segment.Input{Current: snap(t, map[valuepath.Metric]float64{"utilisation": 0.9})}, ms))
	assert.False(t, ms.Has("low"))
	assert.True(t, kept.Has("low"))
	assert.Equal(t, 4, kept.Len())
	js, err = json.Marshal(kept)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"segments":["low","no_reports","quiet","at_risk"]`)
	assert.False(t, kept.Has("no such rule"))
	assert.False(t, kept.Undecided("no such rule"))
}

// TestMatchAllStreamsErrors checks the batch contract: one result per
// input, in order, a bad input yielded beside its membership as an
// *AccountError, and the stream going on.
func TestMatchAllStreamsErrors(t *testing.T) {
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(t, testRules))).Bind(ruleSchema))
	narrow := valuepath.Must(valuepath.NewSchema("utilisation"))
	good := func(id valuepath.AccountID) segment.Input {
		s := snap(t, map[valuepath.Metric]float64{"utilisation": 0.1})
		s.Account = id
		return segment.Input{Current: s}
	}
	inputs := []segment.Input{good("a"), {Current: valuepath.NewSnapshot(narrow, "b", asOf)}, good("c"), {}}
	type result struct {
		account valuepath.AccountID
		low     bool
		err     error
	}
	var got []result
	for ms, err := range m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 1}) {
		got = append(got, result{ms.Account, ms.Has("low"), err})
	}
	require.Len(t, got, 4)
	assert.Equal(t, result{"a", true, nil}, got[0])
	assert.Equal(t, result{"c", true, nil}, got[2])
	for _, k := range []int{1, 3} {
		var ae *valuepath.AccountError
		require.ErrorAs(t, got[k].err, &ae, "input %d", k)
		assert.Equal(t, got[k].account, ae.Account)
		assert.False(t, got[k].low)
	}
	assert.Equal(t, valuepath.AccountID("b"), got[1].account)
	require.ErrorIs(t, got[1].err, valuepath.ErrUnknownMetric)
	require.ErrorIs(t, got[3].err, valuepath.ErrInvalid)
	// Breaking out stops the stream.
	n := 0
	for range m.MatchAll(slices.Values(inputs), valuepath.BatchOptions{Concurrency: 1}) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestErrorsQuoteAShortPrefix(t *testing.T) {
	long := strings.Repeat("x", 500)
	_, err := segment.ParseRules([]byte(`[{"id": "a", "when": {"rule": "` + long + `"}}]`))
	require.ErrorIs(t, err, valuepath.ErrInvalid)
	assert.Contains(t, err.Error(), `unknown rule "`+long[:32]+`"…`)
	assert.Less(t, len(err.Error()), 120)
}
