package segment_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/valuepath/valuepath/internal/batch/batchtest"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/segment"
)

// The fixture of the rules benchmark: 20 behavioral rules over a schema of
// usage metrics, the same 20 written by hand, and a pool of snapshots.
var benchMetrics = []valuepath.Metric{
	"seat_utilisation", "logins_change_30d", "support_cases_90d", "survey_score_latest",
	"reports_created_30d", "workflows_run_30d", "seats_now", "days_since_qbr",
	"active_users_slope_90d", "records_updated_30d", "transactions_30d",
}

const (
	mUtil = iota
	mLoginsChange
	mCases
	mSurvey
	mReports
	mWorkflows
	mSeats
	mQBR
	mSlope
	mRecords
	mTransactions
)

const benchRulesJSON = `[
 {"id": "low_utilisation",  "when": {"metric": "seat_utilisation", "op": "<", "value": 0.4}},
 {"id": "high_utilisation", "when": {"metric": "seat_utilisation", "op": ">=", "value": 0.8}},
 {"id": "logins_falling",   "when": {"metric": "logins_change_30d", "op": "<", "value": -0.2}},
 {"id": "many_cases",       "when": {"metric": "support_cases_90d", "op": ">", "value": 5}},
 {"id": "detractor",        "when": {"metric": "survey_score_latest", "op": "<=", "value": 6}},
 {"id": "no_reports",       "when": {"not_using": "reports_created_30d"}},
 {"id": "no_workflows",     "when": {"not_using": "workflows_run_30d"}},
 {"id": "workflows_flat",   "when": {"not_improved": "workflows_run_30d"}},
 {"id": "cooling",          "when": {"all": [{"metric": "seat_utilisation", "op": "<", "value": 0.5}, {"metric": "logins_change_30d", "op": "<", "value": 0}]}},
 {"id": "unhappy",          "when": {"any": [{"metric": "support_cases_90d", "op": ">", "value": 10}, {"metric": "survey_score_latest", "op": "<", "value": 4}]}},
 {"id": "small",            "when": {"not": {"metric": "seats_now", "op": ">", "value": 100}}},
 {"id": "large_underused",  "when": {"all": [{"metric": "seats_now", "op": ">=", "value": 250}, {"metric": "seat_utilisation", "op": "<", "value": 0.6}]}},
 {"id": "retail_media",     "when": {"attr": "industry", "in": ["retail", "media"]}},
 {"id": "low_no_reports",   "when": {"all": [{"rule": "low_utilisation"}, {"rule": "no_reports"}]}},
 {"id": "no_recent_qbr",    "when": {"metric": "days_since_qbr", "op": ">", "value": 120}},
 {"id": "stalling",         "when": {"any": [{"rule": "logins_falling"}, {"rule": "workflows_flat"}]}},
 {"id": "shrinking",        "when": {"metric": "active_users_slope_90d", "op": "<", "value": 0}},
 {"id": "record_heavy",     "when": {"metric": "records_updated_30d", "op": ">", "value": 1000}},
 {"id": "reports_candidate","when": {"all": [{"not_using": "reports_created_30d"}, {"metric": "seat_utilisation", "op": ">", "value": 0.5}]}},
 {"id": "high_volume",      "when": {"metric": "transactions_30d", "op": ">=", "value": 5000}}
]`

// handMatch is the hand-written equivalent of benchRulesJSON: the same
// comparisons, with a missing value making a term false (which, for these
// rules, gives exactly the members of the three-valued evaluation).
func handMatch(cur, base *valuepath.Snapshot, attrs map[string]string, out *[20]bool) {
	util, okUtil := cur.ValueAt(mUtil)
	lc, okLC := cur.ValueAt(mLoginsChange)
	cases, okCases := cur.ValueAt(mCases)
	survey, okSurvey := cur.ValueAt(mSurvey)
	reports, okReports := cur.ValueAt(mReports)
	wf, okWF := cur.ValueAt(mWorkflows)
	seats, okSeats := cur.ValueAt(mSeats)
	qbr, okQBR := cur.ValueAt(mQBR)
	slope, okSlope := cur.ValueAt(mSlope)
	records, okRecords := cur.ValueAt(mRecords)
	tx, okTx := cur.ValueAt(mTransactions)
	wfBase, okWFBase := 0.0, false
	if base != nil {
		wfBase, okWFBase = base.ValueAt(mWorkflows)
	}
	out[0] = okUtil && util < 0.4
	out[1] = okUtil && util >= 0.8
	out[2] = okLC && lc < -0.2
	out[3] = okCases && cases > 5
	out[4] = okSurvey && survey <= 6
	out[5] = okReports && reports <= 0
	out[6] = okWF && wf <= 0
	out[7] = okWF && okWFBase && wf-wfBase <= 0
	out[8] = okUtil && util < 0.5 && okLC && lc < 0
	out[9] = (okCases && cases > 10) || (okSurvey && survey < 4)
	out[10] = okSeats && !(seats > 100)
	out[11] = okSeats && seats >= 250 && okUtil && util < 0.6
	ind, okInd := attrs["industry"]
	out[12] = okInd && (ind == "retail" || ind == "media")
	out[13] = out[0] && out[5]
	out[14] = okQBR && qbr > 120
	out[15] = out[2] || out[7]
	out[16] = okSlope && slope < 0
	out[17] = okRecords && records > 1000
	out[18] = okReports && reports <= 0 && okUtil && util > 0.5
	out[19] = okTx && tx >= 5000
}

// benchInputs draws n accounts' current and baseline snapshots, each metric
// missing 5% of the time.
func benchInputs(n int) (*valuepath.Schema, []segment.Input) {
	schema := valuepath.Must(valuepath.NewSchema(benchMetrics...))
	r := rand.New(rand.NewPCG(3, 4))
	industries := []string{"retail", "media", "software", "healthcare"}
	// Inputs share one attribute map per industry: maps are read, never
	// written, and a million of them would only measure the allocator.
	attrs := make([]map[string]string, len(industries))
	for i, ind := range industries {
		attrs[i] = map[string]string{"industry": ind}
	}
	draw := func(s *valuepath.Snapshot) {
		vals := []float64{r.Float64(), r.Float64()*0.8 - 0.4, float64(r.IntN(15)), float64(r.IntN(11)),
			float64(r.IntN(3) * r.IntN(20)), float64(r.IntN(2) * r.IntN(50)), float64(5 + r.IntN(500)), float64(r.IntN(365)),
			r.NormFloat64(), float64(r.IntN(3000)), float64(r.IntN(10000))}
		for i, v := range vals {
			if r.IntN(20) != 0 {
				if err := s.SetAt(i, v); err != nil {
					panic(err)
				}
			}
		}
	}
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	inputs := make([]segment.Input, n)
	for i := range inputs {
		cur := valuepath.NewSnapshot(schema, valuepath.AccountID("a"), asOf)
		base := valuepath.NewSnapshot(schema, valuepath.AccountID("a"), asOf.AddDate(-1, 0, 0))
		draw(cur)
		draw(base)
		inputs[i] = segment.Input{Current: cur, Baseline: base, Attrs: attrs[r.IntN(len(industries))]}
	}
	return schema, inputs
}

const benchPool = 4096

// BenchmarkRulesMatch evaluates the 20 rules once per op (one account per
// op, cycling through a pool of snapshots): -benchtime=1000000x is a million
// snapshots.
func BenchmarkRulesMatch(b *testing.B) {
	schema, inputs := benchInputs(benchPool)
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(b, benchRulesJSON))).Bind(schema))
	ms := m.NewMembership()
	members := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu := batchtest.CPUTime()
	for i := range b.N {
		if err := m.MatchInto(inputs[i%benchPool], ms); err != nil {
			b.Fatal(err)
		}
		members += ms.Len()
	}
	b.ReportMetric(float64(batchtest.CPUTime()-cpu)/float64(b.N), "cpu-ns/account")
	if members == 0 {
		b.Fatal("no memberships at all")
	}
}

// BenchmarkRulesHandWritten is the baseline: the same 20 rules written as
// Go code.
func BenchmarkRulesHandWritten(b *testing.B) {
	_, inputs := benchInputs(benchPool)
	var out [20]bool
	members := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu := batchtest.CPUTime()
	for i := range b.N {
		in := inputs[i%benchPool]
		handMatch(in.Current, in.Baseline, in.Attrs, &out)
		for _, v := range out {
			if v {
				members++
			}
		}
	}
	b.ReportMetric(float64(batchtest.CPUTime()-cpu)/float64(b.N), "cpu-ns/account")
	if members == 0 {
		b.Fatal("no memberships at all")
	}
}

func mustParse(tb testing.TB, js string) []segment.Rule {
	tb.Helper()
	rs, err := segment.ParseRules([]byte(js))
	if err != nil {
		tb.Fatal(err)
	}
	return rs.Spec()
}

// BenchmarkRulesRatio runs the compiled rules and the hand-written loop in
// alternating chunks of the pool, so a busy machine slows both alike, and
// reports the ratio of their CPU times. One op is one account through each.
func BenchmarkRulesRatio(b *testing.B) {
	schema, inputs := benchInputs(benchPool)
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(b, benchRulesJSON))).Bind(schema))
	ms := m.NewMembership()
	var out [20]bool
	var compiled, hand time.Duration
	members := 0
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += benchPool {
		n := min(benchPool, b.N-done)
		t0 := batchtest.CPUTime()
		for i := range n {
			if err := m.MatchInto(inputs[i], ms); err != nil {
				b.Fatal(err)
			}
			members += ms.Len()
		}
		t1 := batchtest.CPUTime()
		for i := range n {
			in := inputs[i]
			handMatch(in.Current, in.Baseline, in.Attrs, &out)
			for _, v := range out {
				if v {
					members--
				}
			}
		}
		t2 := batchtest.CPUTime()
		compiled += t1 - t0
		hand += t2 - t1
	}
	if members != 0 {
		b.Fatalf("compiled and hand-written rules disagree by %d memberships", members)
	}
	b.ReportMetric(float64(compiled)/float64(b.N), "compiled-ns/account")
	b.ReportMetric(float64(hand)/float64(b.N), "hand-ns/account")
	if hand > 0 {
		b.ReportMetric(float64(compiled)/float64(hand), "ratio")
	}
}

// million holds a million distinct inputs, built once per process, so that
// the batch benchmark does not cycle a small cache-hot set.
var million struct {
	once   sync.Once
	schema *valuepath.Schema
	inputs []segment.Input
}

func millionInputs() (*valuepath.Schema, []segment.Input) {
	million.once.Do(func() { million.schema, million.inputs = benchInputs(1_000_000) })
	return million.schema, million.inputs
}

// BenchmarkMatchAll evaluates the 20 rules for 1,000,000 distinct accounts
// per op with MatchAll on 1 and 2 goroutines, and the hand-written rules
// over the same inputs on as many shards in the same op; it reports both
// per-account times, their ratio (x-handwritten) and the ratio of their
// CPU times (cpu-x-handwritten, steadier on a busy machine).
func BenchmarkMatchAll(b *testing.B) {
	schema, inputs := millionInputs()
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(b, benchRulesJSON))).Bind(schema))
	batchtest.CompareHandWritten(b, len(inputs), func(b *testing.B, opt valuepath.BatchOptions) int {
		members := 0
		for ms, err := range m.MatchAll(slices.Values(inputs), opt) {
			if err != nil {
				b.Fatal(err)
			}
			members += ms.Len()
		}
		return members
	}, func(lo, hi int) int {
		var out [20]bool
		members := 0
		for _, in := range inputs[lo:hi] {
			handMatch(in.Current, in.Baseline, in.Attrs, &out)
			for _, v := range out {
				if v {
					members++
				}
			}
		}
		return members
	})
}

// BenchmarkMatchSlice evaluates the 20 rules for the 1,000,000 distinct
// accounts of BenchmarkMatchAll per op with MatchSlice into a reused
// []Membership, on 1 and 2 goroutines, against the hand-written rules over
// the same slice on as many shards writing each account's verdicts to a
// slice of its own.
func BenchmarkMatchSlice(b *testing.B) {
	schema, inputs := millionInputs()
	m := valuepath.Must(valuepath.Must(segment.NewRules(mustParse(b, benchRulesJSON))).Bind(schema))
	dst := make([]segment.Membership, len(inputs))
	hand := make([][20]bool, len(inputs))
	batchtest.CompareSlice(b, len(inputs), func(b *testing.B, opt valuepath.BatchOptions) {
		if err := m.MatchSlice(inputs, dst, opt); err != nil {
			b.Fatal(err)
		}
	}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			in := &inputs[i]
			handMatch(in.Current, in.Baseline, in.Attrs, &hand[i])
		}
	}, func() error {
		for i := range dst {
			n := 0
			for _, v := range hand[i] {
				if v {
					n++
				}
			}
			if dst[i].Len() != n {
				return fmt.Errorf("input %d: %d segments, hand-written rules %d", i, dst[i].Len(), n)
			}
		}
		return nil
	})
}
