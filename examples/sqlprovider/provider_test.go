package sqlprovider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// fixtureDir holds the database files shared by the tests and benchmarks of
// this package, loaded once per process and removed by TestMain.
var fixtureDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// loadedDB is a demo base and a database file holding it.
type loadedDB struct {
	base  *demo.Base
	path  string
	stats ImportStats
	took  time.Duration
}

var (
	fixtureMu sync.Mutex
	fixtures  = map[int]*loadedDB{}
	bases     = map[int]*demo.Base{}
)

// demoBase returns the demo base of n accounts (seed 1), generated once per
// process.
func demoBase(tb testing.TB, n int) *demo.Base {
	tb.Helper()
	basesMu.Lock()
	defer basesMu.Unlock()
	if b := bases[n]; b != nil {
		return b
	}
	b, err := demo.Generate(demo.Config{Accounts: n, Seed: 1})
	require.NoError(tb, err)
	bases[n] = b
	return b
}

var basesMu sync.Mutex

// loaded returns a database file holding the demo base of n accounts, made
// once per process. Tests only read it.
func loaded(tb testing.TB, n int) *loadedDB {
	tb.Helper()
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if f := fixtures[n]; f != nil {
		return f
	}
	if fixtureDir == "" {
		dir, err := os.MkdirTemp("", "sqlprovider-test-")
		if err != nil {
			tb.Fatal(err)
		}
		fixtureDir = dir
	}
	base := demoBase(tb, n)
	path := filepath.Join(fixtureDir, fmt.Sprintf("demo-%d.db", n))
	ctx := context.Background()
	start := time.Now()
	p, err := Create(ctx, path, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	st, err := LoadDemo(ctx, p, base)
	took := time.Since(start)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		tb.Fatal(err)
	}
	f := &loadedDB{base: base, path: path, stats: st, took: took}
	fixtures[n] = f
	return f
}

// openT opens path for the duration of the test.
func openT(tb testing.TB, path string, opts Options) *Provider {
	tb.Helper()
	p, err := Open(context.Background(), path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := p.Close(); err != nil {
			tb.Error(err)
		}
	})
	return p
}

// noLeaks fails the test if it ends with more goroutines than it started
// with. Call it first, so that its check runs after every other cleanup.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(3 * time.Second)
		for {
			n := runtime.NumGoroutine()
			if n <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutines: %d at the start, %d at the end\n%s", before, n, buf)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// parityIntervals are the windows every account's data is compared over.
func parityIntervals(b *demo.Base) map[string]valuepath.Interval {
	return map[string]valuepath.Interval{
		"everything":         StorableRange,
		"zero":               {},
		"last year":          valuepath.Trailing(b.AsOf, 365*valuepath.Day),
		"mid-day window":     {Start: b.AsOf.AddDate(0, -3, 0).Add(7*time.Hour + 30*time.Minute), End: b.AsOf.Add(-10*valuepath.Day - 13*time.Hour)},
		"empty":              {Start: b.AsOf.Add(-40 * valuepath.Day), End: b.AsOf.Add(-40 * valuepath.Day)},
		"reversed":           {Start: b.AsOf, End: b.AsOf.Add(-365 * valuepath.Day)},
		"before any data":    {Start: b.DataStart.AddDate(-10, 0, 0), End: b.DataStart.AddDate(-5, 0, 0)},
		"after the data":     {Start: b.AsOf, End: b.AsOf.AddDate(1, 0, 0)},
		"open start":         {End: b.AsOf.AddDate(0, -6, 0)},
		"one day, exact":     {Start: b.AsOf.Add(-2 * valuepath.Day), End: b.AsOf.Add(-valuepath.Day)},
		"one nanosecond end": {Start: b.AsOf.Add(-3 * valuepath.Day), End: b.AsOf.Add(-2*valuepath.Day + 1)},
	}
}

// sameErr reports whether two errors are both nil or both wrap the same
// valuepath sentinel.
func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	for _, s := range []error{valuepath.ErrUnknownAccount, valuepath.ErrUnknownMetric, context.Canceled} {
		if errors.Is(a, s) || errors.Is(b, s) {
			return errors.Is(a, s) && errors.Is(b, s)
		}
	}
	return false
}

// TestParityWithMemoryProvider proves that the database serves exactly
// what the demo's in-memory provider serves: every account, every series,
// every event log, over intervals of every shape, plus unknown names.
func TestParityWithMemoryProvider(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		f, p := b.loaded(t, testAccounts, Options{})
		t.Logf("loaded %+v in %s", f.stats, f.took)
		mem := f.base.Provider
		ctx := context.Background()

		want := ImportStats{Accounts: testAccounts, Metrics: len(demo.SeriesMetrics), Samples: f.stats.Samples, Events: f.stats.Events}
		require.Equal(t, want, f.stats, "import stats")
		require.Positive(t, f.stats.Samples, "samples imported")
		require.Positive(t, f.stats.Events, "events imported")
		accounts := slices.Collect(mem.Accounts())
		accounts = append(accounts, "acct-missing", "")
		metrics := append(slices.Clone(demo.SeriesMetrics), "no_such_metric")
		var seriesChecks, logChecks, samples, events int
		for name, iv := range parityIntervals(f.base) {
			for _, a := range accounts {
				for _, m := range metrics {
					want, werr := mem.Series(ctx, a, m, iv)
					got, gerr := p.Series(ctx, a, m, iv)
					require.True(t, sameErr(werr, gerr), "%s: Series(%q, %q): error %v, memory provider says %v", name, a, m, gerr, werr)
					if diff := cmp.Diff(slices.Collect(want.Samples()), slices.Collect(got.Samples())); diff != "" {
						t.Fatalf("%s: Series(%q, %q) (-memory +sql):\n%s", name, a, m, diff)
					}
					seriesChecks++
					samples += got.Len()
				}
				want, werr := mem.Events(ctx, a, iv)
				got, gerr := p.Events(ctx, a, iv)
				require.True(t, sameErr(werr, gerr), "%s: Events(%q): error %v, memory provider says %v", name, a, gerr, werr)
				if diff := cmp.Diff(slices.Collect(want.Events()), slices.Collect(got.Events())); diff != "" {
					t.Fatalf("%s: Events(%q) (-memory +sql):\n%s", name, a, diff)
				}
				logChecks++
				events += got.Len()
			}
		}
		// The comparison must have compared something: everything, once.
		assert.GreaterOrEqual(t, samples, f.stats.Samples, "samples compared")
		assert.GreaterOrEqual(t, events, f.stats.Events, "events compared")
		t.Logf("identical: %d series and %d event logs (%d accounts × %d metrics × %d intervals), %d samples and %d events",
			seriesChecks, logChecks, len(accounts), len(metrics), len(parityIntervals(f.base)), samples, events)
	})
}

// TestParityOfDerivations evaluates the demo's full derivation set through
// both providers and requires identical snapshots.
func TestParityOfDerivations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		f, p := b.loaded(t, testAccounts, Options{})
		ds := demo.AllDerivations()
		ctx := context.Background()
		asOfs := []time.Time{f.base.AsOf, f.base.AsOf.Add(-100*valuepath.Day + 9*time.Hour), f.base.DataStart.Add(20 * valuepath.Day)}
		compared, evaluated := 0, 0
		for i, a := range f.base.Accounts {
			if i%4 != 0 && testAccounts > 10 {
				continue
			}
			for _, asOf := range asOfs {
				want, werr := ds.Evaluate(ctx, f.base.Provider, a.ID, asOf)
				got, gerr := ds.Evaluate(ctx, p, a.ID, asOf)
				if (werr == nil) != (gerr == nil) || (werr != nil && !errors.Is(gerr, valuepath.ErrNoData)) {
					t.Fatalf("%s as of %s: error %v, memory provider says %v", a.ID, asOf, gerr, werr)
				}
				if diff := cmp.Diff(snapshotValues(want), snapshotValues(got)); diff != "" {
					t.Fatalf("%s as of %s (-memory +sql):\n%s", a.ID, asOf, diff)
				}
				evaluated++
				if werr == nil {
					compared++
				}
			}
		}
		assert.GreaterOrEqual(t, compared, min(15, testAccounts), "snapshots that had data to compare")
		t.Logf("identical: %d of %d evaluations with data, %d derived metrics each", compared, evaluated, ds.NewSnapshot().Schema().Len())
	})
}

// snapshotValues lists a snapshot's metrics as name → value, absent if missing.
func snapshotValues(s *valuepath.Snapshot) map[valuepath.Metric]float64 {
	out := map[valuepath.Metric]float64{}
	for i, m := range s.Schema().Metrics() {
		if v, ok := s.ValueAt(i); ok {
			out[m] = v
		}
	}
	return out
}

func TestAccountsAndMetrics(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f, p := b.loaded(t, smallAccounts, Options{})
		ctx := context.Background()
		got, err := p.Accounts(ctx)
		require.NoError(t, err)
		if diff := cmp.Diff(DemoAccounts(f.base), got); diff != "" {
			t.Errorf("Accounts (-want +got):\n%s", diff)
		}
		one, err := p.Account(ctx, f.base.Accounts[7].ID)
		require.NoError(t, err)
		if diff := cmp.Diff(DemoAccounts(f.base)[7], one); diff != "" {
			t.Errorf("Account (-want +got):\n%s", diff)
		}
		_, err = p.Account(ctx, "acct-missing")
		require.ErrorIs(t, err, valuepath.ErrUnknownAccount)
		assert.Contains(t, err.Error(), `"acct-missing"`, "the error names the account")
		ms, err := p.Metrics(ctx)
		require.NoError(t, err)
		if diff := cmp.Diff(slices.Sorted(slices.Values(demo.SeriesMetrics)), ms); diff != "" {
			t.Errorf("Metrics (-want +got):\n%s", diff)
		}
	})
}

// TestDeclaredMetricWithoutSamples checks that a metric declared by an
// import but with no samples is an empty series, not an unknown metric, and
// that an account imported without data is known.
func TestDeclaredMetricWithoutSamples(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		ctx := context.Background()
		p := b.create(t)
		src := &valuepath.MemoryProvider{}
		require.NoError(t, src.AddAccount("a"))
		require.NoError(t, src.DeclareMetric("quiet"))
		st, err := p.Import(ctx, src, []Account{{ID: "a"}}, []valuepath.Metric{"quiet"}, StorableRange)
		require.NoError(t, err)
		assert.Equal(t, ImportStats{Accounts: 1, Metrics: 1}, st)
		s, err := p.Series(ctx, "a", "quiet", StorableRange)
		require.NoError(t, err, "Series(a, quiet)")
		assert.Zero(t, s.Len(), "Series(a, quiet)")
		_, err = p.Series(ctx, "a", "loud", StorableRange)
		assert.ErrorIs(t, err, valuepath.ErrUnknownMetric, "Series(a, loud)")
		l, err := p.Events(ctx, "a", StorableRange)
		require.NoError(t, err, "Events(a)")
		assert.Zero(t, l.Len(), "Events(a)")
		a, err := p.Account(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, Account{ID: "a"}, a, "the bare account")
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestImportReplacesWithinInterval imports twice and over a sub-interval,
// and checks that the database holds the source's data exactly once.
func TestImportReplacesWithinInterval(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		ctx := context.Background()
		p := b.create(t)
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		day := func(d int) time.Time { return t0.Add(time.Duration(d) * valuepath.Day) }
		mk := func(vals ...float64) valuepath.Series {
			var s []valuepath.Sample
			for i, v := range vals {
				s = append(s, valuepath.Sample{At: day(i), Value: v})
			}
			return valuepath.Must(valuepath.NewSeries(s))
		}
		v1 := &valuepath.MemoryProvider{}
		require.NoError(t, v1.SetSeries("a", "m", mk(1, 2, 3, 4)))
		require.NoError(t, v1.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{
			{Account: "a", Kind: "x", At: day(1)}, {Account: "a", Kind: "y", At: day(1), Attrs: map[string]string{}}, {Account: "a", Kind: "z", At: day(3), Attrs: map[string]string{"k": "v"}},
		}))))
		accts := []Account{{ID: "a", Name: "First", Start: t0}}
		for range 2 {
			_, err := p.Import(ctx, v1, accts, []valuepath.Metric{"m"}, StorableRange)
			require.NoError(t, err)
		}
		// A correction of days 2 and 3 only, with a renamed account.
		v2 := &valuepath.MemoryProvider{}
		require.NoError(t, v2.SetSeries("a", "m", mk(10, 20, 30, 40)))
		require.NoError(t, v2.SetEvents("a", valuepath.Must(valuepath.NewEventLog([]valuepath.Event{{Account: "a", Kind: "w", At: day(2)}}))))
		accts[0].Name = "Renamed"
		_, err := p.Import(ctx, v2, accts, []valuepath.Metric{"m"}, valuepath.Interval{Start: day(2), End: day(4)})
		require.NoError(t, err)
		s, err := p.Series(ctx, "a", "m", StorableRange)
		require.NoError(t, err)
		if diff := cmp.Diff(slices.Collect(mk(1, 2, 30, 40).Samples()), slices.Collect(s.Samples())); diff != "" {
			t.Errorf("series after the correction (-want +got):\n%s", diff)
		}
		l, err := p.Events(ctx, "a", StorableRange)
		require.NoError(t, err)
		wantEvents := []valuepath.Event{{Account: "a", Kind: "x", At: day(1)}, {Account: "a", Kind: "y", At: day(1), Attrs: map[string]string{}}, {Account: "a", Kind: "w", At: day(2)}}
		if diff := cmp.Diff(wantEvents, slices.Collect(l.Events())); diff != "" {
			t.Errorf("events after the correction (-want +got):\n%s", diff)
		}
		a, err := p.Account(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, "Renamed", a.Name)
	})
}

// TestQueryPlansUseThePrimaryKey checks that the series and event queries
// are single range scans of the primary key, with no sort.
func TestQueryPlansUseThePrimaryKey(t *testing.T) {
	f := loaded(t, testAccounts)
	p := openT(t, f.path, Options{})
	q := SQLite.queries()
	for _, c := range []struct {
		name string
		q    string
		args []any
		want string
	}{
		{"series", q[qSeries], []any{"acct-0001", "seats", 0, 1}, "SEARCH metric_samples USING PRIMARY KEY (account_id=? AND metric=? AND at>? AND at<?)"},
		{"events", q[qEvents], []any{"acct-0001", 0, 1}, "SEARCH events USING PRIMARY KEY (account_id=? AND at>? AND at<?)"},
	} {
		rows, err := p.db.Query("EXPLAIN QUERY PLAN "+c.q, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if diff := cmp.Diff([]string{c.want}, plan); diff != "" {
			t.Errorf("%s query plan (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestConcurrentReads runs many readers at once over one Provider.
func TestConcurrentReads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		noLeaks(t)
		f, p := b.loaded(t, testAccounts, Options{MaxOpenConns: 4})
		ctx := context.Background()
		iv := valuepath.Trailing(f.base.AsOf, 365*valuepath.Day)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Go(func() {
				for i := range 10 {
					a := f.base.Accounts[(g*10+i)%len(f.base.Accounts)].ID
					want, _ := f.base.Provider.Series(ctx, a, demo.ActiveUsers, iv)
					got, err := p.Series(ctx, a, demo.ActiveUsers, iv)
					if err != nil {
						errs <- err
						return
					}
					if !cmp.Equal(slices.Collect(want.Samples()), slices.Collect(got.Samples())) {
						errs <- fmt.Errorf("%s: series differs under concurrency", a)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// TestNewOverACallerOwnedPool uses New as a PostgreSQL user would, here
// with a SQLite pool the test opens itself: Close leaves the pool open.
func TestNewOverACallerOwnedPool(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	f := loaded(t, testAccounts)
	db := rawDB(t, f.path)
	p, err := New(ctx, db, SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if p.Dialect().Name() != "sqlite" {
		t.Errorf("dialect %q", p.Dialect().Name())
	}
	a := f.base.Accounts[0].ID
	want, _ := f.base.Provider.Series(ctx, a, demo.Seats, StorableRange)
	got, err := p.Series(ctx, a, demo.Seats, StorableRange)
	if err != nil || got.Len() != want.Len() {
		t.Errorf("Series through New: %d samples, %v; want %d", got.Len(), err, want.Len())
	}
	must(t, p.Close())
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM accounts`).Scan(&n); err != nil || n != testAccounts {
		t.Errorf("the caller's pool after Close: %d accounts, %v", n, err)
	}

	empty := rawDB(t, filepath.Join(t.TempDir(), "empty.db"))
	if _, err := New(ctx, empty, SQLite); !errors.Is(err, ErrNoSchema) {
		t.Errorf("New over an empty database: %v, want ErrNoSchema", err)
	}
}
