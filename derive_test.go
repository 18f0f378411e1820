package valuepath_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/valuepath/valuepath"
)

// fixture: account "a" with 20 daily samples of "usage" valued 1..20 at days
// 0..19, "seats" constant 10, and events; asOf is day 20.
func fixture(t testing.TB) (*valuepath.MemoryProvider, time.Time) {
	t.Helper()
	p := &valuepath.MemoryProvider{}
	vals := make([]float64, 20)
	seats := make([]float64, 20)
	for i := range vals {
		vals[i] = float64(i + 1)
		seats[i] = 10
	}
	must(t, p.SetSeries("a", "usage", valuepath.Must(valuepath.NewSeries(samples(vals...)))))
	must(t, p.SetSeries("a", "seats", valuepath.Must(valuepath.NewSeries(samples(seats...)))))
	must(t, p.SetSeries("a", "zero", valuepath.Must(valuepath.NewSeries(samples(0, 0, 0)))))
	must(t, p.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		{Account: "a", Kind: "case", At: day(3)},
		{Account: "a", Kind: "case", At: day(15).Add(12 * time.Hour)},
		{Account: "a", Kind: "login", At: day(18)},
	}))))
	must(t, p.DeclareMetric("never"))
	must(t, p.AddAccount("empty"))
	return p, day(20)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDerivationOps(t *testing.T) {
	p, asOf := fixture(t)
	w := valuepath.Days
	specs := []valuepath.Derivation{
		{Name: "sum5", Op: valuepath.OpSum, Source: "usage", Window: w(5)},    // 16..20
		{Name: "mean5", Op: valuepath.OpMean, Source: "usage", Window: w(5)},  // 18
		{Name: "min5", Op: valuepath.OpMin, Source: "usage", Window: w(5)},    // 16
		{Name: "max5", Op: valuepath.OpMax, Source: "usage", Window: w(5)},    // 20
		{Name: "last5", Op: valuepath.OpLast, Source: "usage", Window: w(5)},  // 20
		{Name: "n5", Op: valuepath.OpCount, Source: "usage", Window: w(5)},    // 5
		{Name: "chg5", Op: valuepath.OpChange, Source: "usage", Window: w(5)}, // 90-65
		{Name: "rel5", Op: valuepath.OpRelativeChange, Source: "usage", Window: w(5)},
		{Name: "relmax", Op: valuepath.OpRelativeChange, Aggregate: valuepath.OpMax, Source: "usage", Window: w(5)}, // (20-15)/15
		{Name: "slope", Op: valuepath.OpSlope, Source: "usage", Window: w(10)},                                      // 1 per day
		{Name: "util", Op: valuepath.OpRatio, Numerator: "mean5", Denominator: "seats"},
		{Name: "seats", Op: valuepath.OpLast, Source: "seats", Window: w(5)},
		{Name: "cases10", Op: valuepath.OpEventCount, Event: "case", Window: w(10)},
		{Name: "nocases", Op: valuepath.OpEventCount, Event: "case", Window: w(2)},
		{Name: "since_case", Op: valuepath.OpDaysSince, Event: "case", Window: w(30)},
		{Name: "since_none", Op: valuepath.OpDaysSince, Event: "refund", Window: w(30)},
		{Name: "empty_sum", Op: valuepath.OpSum, Source: "never", Window: w(5)},
		{Name: "rel_zero", Op: valuepath.OpRelativeChange, Source: "zero", Window: w(1)},
		{Name: "div_zero", Op: valuepath.OpRatio, Numerator: "sum5", Denominator: "zero_last"},
		{Name: "zero_last", Op: valuepath.OpLast, Source: "zero", Window: w(30)},
		{Name: "missing_in", Op: valuepath.OpRatio, Numerator: "empty_sum", Denominator: "seats"},
	}
	set := valuepath.Must(valuepath.NewDerivations(specs))
	snap, err := set.Evaluate(context.Background(), p, "a", asOf)
	if err != nil {
		t.Fatal(err)
	}
	got := map[valuepath.Metric]float64{}
	for i, m := range set.Schema().Metrics() {
		if v, ok := snap.ValueAt(i); ok {
			got[m] = v
		}
	}
	want := map[valuepath.Metric]float64{
		"sum5": 90, "mean5": 18, "min5": 16, "max5": 20, "last5": 20, "n5": 5,
		"chg5": 25, "rel5": 25.0 / 65, "relmax": 5.0 / 15, "slope": 1,
		"util": 1.8, "seats": 10, "cases10": 1, "nocases": 0, "since_case": 4.5, "zero_last": 0,
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("derived values (-want +got):\n%s", diff)
	}
}

// TestDerivationsAgainstReference checks window aggregates and slopes on
// random irregular series against a direct computation over every sample.
func TestDerivationsAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		var smp []valuepath.Sample
		at := t0
		for range r.IntN(60) {
			at = at.Add(time.Duration(1+r.IntN(48)) * time.Hour)
			smp = append(smp, valuepath.Sample{At: at, Value: math.Round(r.NormFloat64()*1000) / 10})
		}
		p := &valuepath.MemoryProvider{}
		must(t, p.SetSeries("x", "m", valuepath.Must(valuepath.NewSeries(smp))))
		asOf := t0.Add(time.Duration(r.IntN(60*24)) * time.Hour)
		win := time.Duration(1+r.IntN(20)) * valuepath.Day
		set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
			{Name: "sum", Op: valuepath.OpSum, Source: "m", Window: valuepath.Duration(win)},
			{Name: "max", Op: valuepath.OpMax, Source: "m", Window: valuepath.Duration(win)},
			{Name: "slope", Op: valuepath.OpSlope, Source: "m", Window: valuepath.Duration(win)},
		}))
		snap, err := set.Evaluate(context.Background(), p, "x", asOf)
		if err != nil && !errors.Is(err, valuepath.ErrNoData) {
			t.Fatal(err)
		}
		var in []valuepath.Sample
		for _, s := range smp {
			if !s.At.Before(asOf.Add(-win)) && s.At.Before(asOf) {
				in = append(in, s)
			}
		}
		sum, mx := 0.0, math.Inf(-1)
		for _, s := range in {
			sum += s.Value
			mx = max(mx, s.Value)
		}
		check := func(name valuepath.Metric, want float64, present bool) {
			got, ok := snap.Value(name)
			if ok != present || (ok && math.Abs(got-want) > 1e-9*max(1, math.Abs(want))) {
				t.Errorf("trial %d %s = %v, %v; want %v, %v", trial, name, got, ok, want, present)
			}
		}
		check("sum", sum, len(in) > 0)
		check("max", mx, len(in) > 0)
		// Reference slope from the textbook formula on absolute days.
		var sx, sy, sxx, sxy float64
		n := float64(len(in))
		for _, s := range in {
			x := float64(s.At.Sub(t0)) / float64(valuepath.Day)
			sx, sy, sxx, sxy = sx+x, sy+s.Value, sxx+x*x, sxy+x*s.Value
		}
		check("slope", (n*sxy-sx*sy)/(n*sxx-sx*sx), len(in) >= 2)
	}
}

func TestNewDerivationsReportsEveryProblem(t *testing.T) {
	_, err := valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "", Op: valuepath.OpSum, Source: "x", Window: valuepath.Days(1)},
		{Name: "a", Op: "median", Source: "x", Window: valuepath.Days(1)},
		{Name: "a", Op: valuepath.OpSum, Window: 0},
		{Name: "r", Op: valuepath.OpRatio, Numerator: "nope", Window: valuepath.Days(1)},
		{Name: "e", Op: valuepath.OpEventCount, Window: valuepath.Days(-2)},
		{Name: "c", Op: valuepath.OpChange, Aggregate: "median", Source: "x", Window: valuepath.Days(1)},
		{Name: "s", Op: valuepath.OpSum, Source: "x", Event: "y", Aggregate: valuepath.OpMax, Window: valuepath.Days(1)},
	})
	want := []string{
		"derivations[0].name: invalid value: must not be empty",
		`derivations[2].name: duplicate name "a" (also derivations[1])`,
		`derivations[1].op: invalid value: unknown op "median"`,
		"derivations[2].source",
		"derivations[2].window: invalid value: must be > 0",
		`derivations[3].numerator: unknown metric "nope"`,
		"derivations[3].denominator: invalid value: ratio needs a denominator",
		"derivations[3].window: invalid value: ratio takes no window",
		"derivations[4].event: invalid value: event_count needs an event kind",
		"derivations[4].window: invalid value: must be > 0, got -2d",
		`derivations[5].aggregate: invalid value: unknown aggregate "median"`,
		"derivations[6].aggregate",
		"derivations[6].event",
	}
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q; got:\n%v", w, err)
		}
	}
}

func TestNewDerivationsRejectsCycles(t *testing.T) {
	_, err := valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "a", Op: valuepath.OpRatio, Numerator: "b", Denominator: "base"},
		{Name: "b", Op: valuepath.OpRatio, Numerator: "a", Denominator: "base"},
		{Name: "base", Op: valuepath.OpLast, Source: "x", Window: valuepath.Days(1)},
		{Name: "self", Op: valuepath.OpRatio, Numerator: "self", Denominator: "base"},
	})
	if !errors.Is(err, valuepath.ErrCycle) {
		t.Fatalf("err = %v, want ErrCycle", err)
	}
	for _, w := range []string{"a -> b -> a", "self -> self"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

func TestParseDerivations(t *testing.T) {
	good := `[{"name":"m","op":"mean","source":"x","window":"2w"},{"name":"r","op":"ratio","numerator":"m","denominator":"m"}]`
	d, err := valuepath.ParseDerivations([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Spec()[0].Window.Std(); got != 14*valuepath.Day {
		t.Errorf("window = %v", got)
	}
	for _, bad := range []string{
		`[{"name":"m","op":"mean","source":"x","window":"30d","colour":"red"}]`,
		`[{"name":"m","op":"mean","source":"x","window":"thirty days"}]`,
		`[] []`,
		`[{"name":"m","op":"mean","source":"x","window":"30d"}] ]`, // json.Decoder.More lets this through
		`{"name":"m"}`,
	} {
		if _, err := valuepath.ParseDerivations([]byte(bad)); err == nil {
			t.Errorf("ParseDerivations(%s): want error", bad)
		}
	}
}

func TestEvaluateErrorsNameAccountAndMetric(t *testing.T) {
	p, asOf := fixture(t)
	ctx := context.Background()
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "u", Op: valuepath.OpSum, Source: "usage", Window: valuepath.Days(5)},
		{Name: "c", Op: valuepath.OpEventCount, Event: "case", Window: valuepath.Days(5)},
	}))
	unknownMetric := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{{Name: "u", Op: valuepath.OpSum, Source: "typo", Window: valuepath.Days(5)}}))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name    string
		set     *valuepath.Derivations
		ctx     context.Context
		account valuepath.AccountID
		asOf    time.Time
		want    error
		msg     string
	}{
		{"unknown metric", unknownMetric, ctx, "a", asOf, valuepath.ErrUnknownMetric, `account "a": metric "typo"`},
		{"unknown account", set, ctx, "zz", asOf, valuepath.ErrUnknownAccount, `account "zz"`},
		{"cancelled", set, cancelled, "a", asOf, context.Canceled, `account "a"`},
		{"before all data", set, ctx, "a", day(-100), valuepath.ErrNoData, `account "a"`},
		{"no data at all", set, ctx, "empty", asOf, valuepath.ErrNoData, `account "empty"`},
		{"zero asOf", set, ctx, "a", time.Time{}, valuepath.ErrInvalid, "asOf"},
		{"empty account", set, ctx, "", asOf, valuepath.ErrInvalid, "empty account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := tt.set.Evaluate(tt.ctx, p, tt.account, tt.asOf)
			var ae *valuepath.AccountError
			if !errors.Is(err, tt.want) || !errors.As(err, &ae) || ae.Account != tt.account {
				t.Fatalf("err = %v, want an AccountError for %q wrapping %v", err, tt.account, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to contain %q", err, tt.msg)
			}
			if snap.Coverage().Present != 0 {
				t.Errorf("failed evaluation left values present: %+v", snap.Coverage())
			}
		})
	}
}

// TestNoDataErrorSaysWhichWindowsAndLastSample: an account whose windows
// are all empty gets a *NoDataError naming each window read and the time of
// its last data before them, zero when there is none.
func TestNoDataErrorSaysWhichWindowsAndLastSample(t *testing.T) {
	p, _ := fixture(t) // usage and seats on days 0..19, events up to day 18
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "u", Op: valuepath.OpSum, Source: "usage", Window: valuepath.Days(5)},
		{Name: "u2", Op: valuepath.OpMean, Source: "usage", Window: valuepath.Days(10)},
		{Name: "c", Op: valuepath.OpEventCount, Event: "case", Window: valuepath.Days(7)},
	}))
	tests := []struct {
		name       string
		asOf       time.Time
		lastSample time.Time
		lastSource string
		msg        string
	}{
		{"after the data", day(200), day(19), "usage",
			`no data in any window as of ` + day(200).Format(time.RFC3339) + ` ("usage" over [` + day(190).Format(time.RFC3339) + `, ` + day(200).Format(time.RFC3339) + `), "events" over [` + day(193).Format(time.RFC3339) + `, ` + day(200).Format(time.RFC3339) + `)); the last data is from ` + day(19).Format(time.RFC3339) + ` ("usage")`},
		{"before the data", day(-100), time.Time{}, "", "there is no data in the 376 days before asOf either"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := set.Evaluate(context.Background(), p, "a", tt.asOf)
			var nd *valuepath.NoDataError
			if !errors.Is(err, valuepath.ErrNoData) || !errors.As(err, &nd) {
				t.Fatalf("err = %v, want a *NoDataError", err)
			}
			want := &valuepath.NoDataError{Account: "a", AsOf: tt.asOf, LastSample: tt.lastSample, LastSource: tt.lastSource,
				Searched: valuepath.Trailing(tt.asOf, (10+366)*valuepath.Day), Windows: []valuepath.SourceWindow{
					{Source: "usage", Window: valuepath.Trailing(tt.asOf, 10*valuepath.Day)},
					{Source: "events", Window: valuepath.Trailing(tt.asOf, 7*valuepath.Day)},
				}}
			if diff := cmp.Diff(want, nd); diff != "" {
				t.Errorf("NoDataError (-want +got):\n%s", diff)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

func TestEvaluateIntoRejectsForeignSnapshot(t *testing.T) {
	p, asOf := fixture(t)
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{{Name: "u", Op: valuepath.OpSum, Source: "usage", Window: valuepath.Days(5)}}))
	other := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema("u")), "", time.Time{})
	if err := set.EvaluateInto(context.Background(), p, "a", asOf, other); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid", err)
	}
}

func TestEvaluateNeverYieldsNonFinite(t *testing.T) {
	p := &valuepath.MemoryProvider{}
	must(t, p.SetSeries("a", "big", valuepath.Must(valuepath.NewSeries(samples(math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64)))))
	must(t, p.SetSeries("a", "tiny", valuepath.Must(valuepath.NewSeries(samples(5e-324, 5e-324, 5e-324)))))
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "sum", Op: valuepath.OpSum, Source: "big", Window: valuepath.Days(3)},
		{Name: "mean", Op: valuepath.OpMean, Source: "big", Window: valuepath.Days(3)},
		{Name: "chg", Op: valuepath.OpChange, Source: "big", Window: valuepath.Days(1)},
		{Name: "slope", Op: valuepath.OpSlope, Source: "big", Window: valuepath.Days(3)},
		{Name: "t", Op: valuepath.OpLast, Source: "tiny", Window: valuepath.Days(3)},
		{Name: "r", Op: valuepath.OpRatio, Numerator: "sum", Denominator: "t"},
		{Name: "r2", Op: valuepath.OpRatio, Numerator: "mean", Denominator: "t"},
	}))
	snap, err := set.Evaluate(context.Background(), p, "a", day(3))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range set.Schema().Metrics() {
		if v, ok := snap.ValueAt(i); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Errorf("%s = %v", m, v)
		}
	}
	// Max + Max − Max is Max: a partial sum overflows, the total does not.
	if v, ok := snap.Value("sum"); !ok || v != math.MaxFloat64 {
		t.Errorf("sum = %v, %v; want MaxFloat64", v, ok)
	}
	// −Max − Max is beyond float64: missing, never −Inf.
	if v, ok := snap.Value("chg"); ok {
		t.Errorf("chg = %v, present; want missing", v)
	}
}

// TestEvaluateLargeFiniteValues: the mean, change, relative change and
// slope of large finite values are finite and right, though their plain
// sums overflow; only a result that is itself beyond float64 is missing.
func TestEvaluateLargeFiniteValues(t *testing.T) {
	p := &valuepath.MemoryProvider{}
	const big = 1.5e308
	// Days 0..5: big, big, big, then rising by 1e306 a day.
	vals := []float64{big, big, big, big + 1e306, big + 2e306, big + 3e306}
	must(t, p.SetSeries("a", "v", valuepath.Must(valuepath.NewSeries(samples(vals...)))))
	must(t, p.SetSeries("a", "mixed", valuepath.Must(valuepath.NewSeries(samples(big, big, -big, -big, big, -big)))))
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "mean", Op: valuepath.OpMean, Source: "v", Window: valuepath.Days(3)},
		{Name: "sum", Op: valuepath.OpSum, Source: "v", Window: valuepath.Days(3)},
		{Name: "chg", Op: valuepath.OpChange, Source: "v", Window: valuepath.Days(3), Aggregate: valuepath.OpMean},
		{Name: "rel", Op: valuepath.OpRelativeChange, Source: "v", Window: valuepath.Days(3), Aggregate: valuepath.OpMean},
		{Name: "slope", Op: valuepath.OpSlope, Source: "v", Window: valuepath.Days(3)},
		{Name: "mixed_mean", Op: valuepath.OpMean, Source: "mixed", Window: valuepath.Days(6)},
		{Name: "mixed_rel", Op: valuepath.OpRelativeChange, Source: "mixed", Window: valuepath.Days(1), Aggregate: valuepath.OpLast},
	}))
	snap, err := set.Evaluate(context.Background(), p, "a", day(6))
	if err != nil {
		t.Fatal(err)
	}
	want := map[valuepath.Metric]float64{
		"mean":       big + 2e306,
		"chg":        2e306, // mean of days 3..5 minus mean of days 0..2
		"rel":        2e306 / big,
		"slope":      1e306,
		"mixed_mean": 0,
		"mixed_rel":  -2, // from +big to −big: cur−prev overflows
	}
	for m, w := range want {
		v, ok := snap.Value(m)
		if !ok || math.Abs(v-w) > 1e-12*math.Max(math.Abs(w), 1e294) {
			t.Errorf("%s = %v, %v; want %v", m, v, ok, w)
		}
	}
	if v, ok := snap.Value("sum"); ok {
		t.Errorf("sum = %v, present; 4.5e308 is beyond float64, want missing", v)
	}
}

func TestEvaluateAllStreamsInOrder(t *testing.T) {
	p := &valuepath.MemoryProvider{}
	var ids []valuepath.AccountID
	for i := range 200 {
		id := valuepath.AccountID(fmt.Sprintf("acct-%03d", i))
		ids = append(ids, id)
		if i%7 == 3 {
			continue // unknown to the provider: an error attributed to it
		}
		must(t, p.SetSeries(id, "usage", valuepath.Must(valuepath.NewSeries(samples(float64(i), float64(i))))))
	}
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{{Name: "last", Op: valuepath.OpLast, Source: "usage", Window: valuepath.Days(5)}}))
	for _, conc := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("concurrency ", conc), func(t *testing.T) {
			var got []valuepath.AccountID
			for snap, err := range set.EvaluateAll(context.Background(), p, slices.Values(ids), day(2), valuepath.BatchOptions{Concurrency: conc}) {
				i := len(got)
				got = append(got, snap.Account)
				if i%7 == 3 {
					var ae *valuepath.AccountError
					if !errors.As(err, &ae) || ae.Account != ids[i] || !errors.Is(err, valuepath.ErrUnknownAccount) {
						t.Errorf("account %d: err = %v, want unknown account %s", i, err, ids[i])
					}
					continue
				}
				if err != nil {
					t.Fatalf("account %d: %v", i, err)
				}
				if v, ok := snap.Value("last"); !ok || v != float64(i) {
					t.Errorf("account %d: last = %v, %v", i, v, ok)
				}
			}
			if diff := cmp.Diff(ids, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateAllStopsCleanly(t *testing.T) {
	p, asOf := fixture(t)
	set := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{{Name: "u", Op: valuepath.OpSum, Source: "usage", Window: valuepath.Days(5)}}))
	endless := func(yield func(valuepath.AccountID) bool) {
		for yield("a") {
		}
	}
	before := runtime.NumGoroutine()
	n := 0
	for _, err := range set.EvaluateAll(context.Background(), p, endless, asOf, valuepath.BatchOptions{Concurrency: 4}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 100 {
			break
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	n = 0
	for _, err := range set.EvaluateAll(ctx, p, endless, asOf, valuepath.BatchOptions{Concurrency: 3}) {
		if n++; n == 50 {
			cancel()
		}
		last = err
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("stream after cancel ended with %v, want context.Canceled", last)
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("goroutines leaked: %d before, %d after", before, runtime.NumGoroutine())
}

func TestMemoryProvider(t *testing.T) {
	p, asOf := fixture(t)
	ctx := context.Background()
	if _, err := p.Series(ctx, "a", "typo", valuepath.Trailing(asOf, valuepath.Day)); !errors.Is(err, valuepath.ErrUnknownMetric) {
		t.Errorf("unknown metric: err = %v", err)
	}
	if s, err := p.Series(ctx, "empty", "usage", valuepath.Trailing(asOf, valuepath.Day)); err != nil || s.Len() != 0 {
		t.Errorf("known metric, account without it: %v, %v; want empty, nil", s.Len(), err)
	}
	if err := p.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{{Account: "b", Kind: "x", At: t0}}))); err == nil {
		t.Error("SetEvents accepted another account's event")
	}
	if got := slices.Collect(p.Accounts()); !slices.Equal(got, []valuepath.AccountID{"a", "empty"}) {
		t.Errorf("Accounts = %v", got)
	}
}

func TestDerivationWhereFiltersEventsByAttribute(t *testing.T) {
	p := &valuepath.MemoryProvider{}
	ev := func(d int, sev string) valuepath.Event {
		return valuepath.Event{Account: "a", Kind: "case", At: day(d), Attrs: map[string]string{"severity": sev}}
	}
	must(t, p.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
		ev(1, "high"), ev(2, "low"), ev(3, "critical"), ev(4, "low"),
		{Account: "a", Kind: "case", At: day(5)}, // no severity: never matches a filter
		{Account: "a", Kind: "other", At: day(6), Attrs: map[string]string{"severity": "high"}},
	}))))
	where := map[string][]string{"severity": {"high", "critical"}}
	specs := []valuepath.Derivation{
		{Name: "severe", Op: valuepath.OpEventCount, Event: "case", Where: where, Window: valuepath.Days(30)},
		{Name: "all", Op: valuepath.OpEventCount, Event: "case", Window: valuepath.Days(30)},
		{Name: "since_severe", Op: valuepath.OpDaysSince, Event: "case", Where: where, Window: valuepath.Days(30)},
	}
	set := valuepath.Must(valuepath.NewDerivations(specs))
	where["severity"][0] = "low" // the set keeps its own copy
	specs[0].Where["other"] = []string{"x"}
	snap, err := set.Evaluate(context.Background(), p, "a", day(10))
	if err != nil {
		t.Fatal(err)
	}
	got := map[valuepath.Metric]float64{}
	for _, m := range []valuepath.Metric{"severe", "all", "since_severe"} {
		got[m], _ = snap.Value(m)
	}
	if diff := cmp.Diff(map[valuepath.Metric]float64{"severe": 2, "all": 5, "since_severe": 7}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	out := set.Spec()
	out[0].Where["severity"][1] = "changed"
	if got := set.Spec()[0].Where["severity"]; !slices.Equal(got, []string{"high", "critical"}) {
		t.Errorf("Specs shares storage with the set: %v", got)
	}

	_, err = valuepath.NewDerivations([]valuepath.Derivation{
		{Name: "x", Op: valuepath.OpEventCount, Event: "case", Where: map[string][]string{"": {"a"}, "sev": nil}, Window: valuepath.Days(1)},
		{Name: "y", Op: valuepath.OpSum, Source: "s", Where: where, Window: valuepath.Days(1)},
	})
	for _, w := range []string{`derivations[0].where[""]`, `derivations[0].where["sev"]: invalid value: list at least one value`, "derivations[1].where"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("err = %v, want it to name %s", err, w)
		}
	}
}
