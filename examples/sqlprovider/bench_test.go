package sqlprovider

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
)

// benchAccounts is the size of the demo base the benchmarks query: the
// full 300 accounts, loaded once per process (about 4 s).
const benchAccounts = 300

// benchAccount returns a database of the full demo base and an account
// with more than a year of data.
func benchAccount(b *testing.B) (*loadedDB, *Provider, valuepath.AccountID) {
	b.Helper()
	f := loaded(b, benchAccounts)
	p := openT(b, f.path, Options{})
	for _, a := range f.base.Accounts {
		if a.Active() && a.Start.Before(f.base.DataStart) {
			return f, p, a.ID
		}
	}
	b.Fatal("no account with a year of data")
	return nil, nil, ""
}

// BenchmarkSeriesYear reads one year (365 daily samples) of one metric of
// one account from the file database of the 300-account demo base.
func BenchmarkSeriesYear(b *testing.B) {
	f, p, id := benchAccount(b)
	ctx := context.Background()
	iv := valuepath.Trailing(f.base.AsOf, 365*valuepath.Day)
	b.ReportAllocs()
	for b.Loop() {
		s, err := p.Series(ctx, id, demo.ActiveUsers, iv)
		if err != nil {
			b.Fatal(err)
		}
		if s.Len() != 365 {
			b.Fatalf("%d samples, want 365", s.Len())
		}
	}
}

// BenchmarkSeriesYearParallel is BenchmarkSeriesYear from every core at
// once, as a service answering concurrent requests would read.
func BenchmarkSeriesYearParallel(b *testing.B) {
	f, p, id := benchAccount(b)
	ctx := context.Background()
	iv := valuepath.Trailing(f.base.AsOf, 365*valuepath.Day)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if s, err := p.Series(ctx, id, demo.ActiveUsers, iv); err != nil || s.Len() != 365 {
				b.Errorf("%d samples, %v", s.Len(), err)
				return
			}
		}
	})
}

// BenchmarkEventsYear reads one year of one account's events.
func BenchmarkEventsYear(b *testing.B) {
	f, p, id := benchAccount(b)
	ctx := context.Background()
	iv := valuepath.Trailing(f.base.AsOf, 365*valuepath.Day)
	want, err := f.base.Provider.Events(ctx, id, iv)
	if err != nil || want.Len() == 0 {
		b.Fatalf("the memory provider has %d events, %v", want.Len(), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		l, err := p.Events(ctx, id, iv)
		if err != nil {
			b.Fatal(err)
		}
		if l.Len() != want.Len() {
			b.Fatalf("%d events, want %d", l.Len(), want.Len())
		}
	}
}

// BenchmarkEvaluate derives every metric of demo.AllDerivations for one
// account, through the SQL provider and through the in-memory one.
func BenchmarkEvaluate(b *testing.B) {
	f, p, id := benchAccount(b)
	ds := demo.AllDerivations()
	ctx := context.Background()
	for _, c := range []struct {
		name string
		p    valuepath.Provider
	}{{"sql", p}, {"memory", f.base.Provider}} {
		b.Run(c.name, func(b *testing.B) {
			snap := ds.NewSnapshot()
			b.ReportAllocs()
			for b.Loop() {
				if err := ds.EvaluateInto(ctx, c.p, id, f.base.AsOf, snap); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// importBenchAccounts is the size of the demo base BenchmarkImport loads:
// 40 accounts, 91,008 samples and 2,744 events, a second or two per load.
const importBenchAccounts = 40

// BenchmarkImport loads the demo base of importBenchAccounts accounts into
// a new database per iteration, on every backend (PostgreSQL when
// VALUEPATH_POSTGRES_DSN is set), and reports the rows written per second.
// Making the database is not timed; all are removed when it ends.
func BenchmarkImport(b *testing.B) {
	base := demoBase(b, importBenchAccounts)
	ctx := context.Background()
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			if be.server && os.Getenv(postgresEnv) == "" {
				// Benchmarks are not tests: CI or not, no server means no
				// PostgreSQL figure.
				b.Skip(postgresEnv + " not set; .ci/with-postgres starts a server")
			}
			rows := 0
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				p := be.create(b)
				b.StartTimer()
				st, err := LoadDemo(ctx, p, base)
				require.NoError(b, err)
				rows += st.Samples + st.Events
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
