package valuepath_test

import (
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
)

// benchSet is ten derived metrics over three series and the event log.
var benchSet = valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{
	{Name: "users_30d", Op: valuepath.OpMean, Source: "active_users", Window: valuepath.Days(30)},
	{Name: "users_max_90d", Op: valuepath.OpMax, Source: "active_users", Window: valuepath.Days(90)},
	{Name: "seats", Op: valuepath.OpLast, Source: "seats", Window: valuepath.Days(30)},
	{Name: "utilisation", Op: valuepath.OpRatio, Numerator: "users_30d", Denominator: "seats"},
	{Name: "logins_30d", Op: valuepath.OpSum, Source: "logins", Window: valuepath.Days(30)},
	{Name: "logins_change", Op: valuepath.OpRelativeChange, Source: "logins", Window: valuepath.Days(30)},
	{Name: "users_slope_90d", Op: valuepath.OpSlope, Source: "active_users", Window: valuepath.Days(90)},
	{Name: "logins_365d", Op: valuepath.OpSum, Source: "logins", Window: valuepath.Days(365)},
	{Name: "cases_90d", Op: valuepath.OpEventCount, Event: "support_case", Window: valuepath.Days(90)},
	{Name: "days_since_case", Op: valuepath.OpDaysSince, Event: "support_case", Window: valuepath.Days(365)},
}))

// yearOfDaily returns series with one year of daily samples ending at asOf.
func yearOfDaily(asOf time.Time, f func(d int) float64) valuepath.Series {
	s := make([]valuepath.Sample, 365)
	for d := range s {
		s[d] = valuepath.Sample{At: asOf.AddDate(0, 0, d-365), Value: f(d)}
	}
	return valuepath.Must(valuepath.

		// benchProvider serves n accounts that share `variants` distinct data sets,
		// so 100,000 accounts fit in a few megabytes and the batch's own memory is
		// what is measured.
		NewSeries(s))
}

func benchProvider(b *testing.B, n, variants int) (*valuepath.MemoryProvider, []valuepath.AccountID, time.Time) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	type data struct {
		users, seats, logins valuepath.Series
		events               []valuepath.Event
	}
	vs := make([]data, variants)
	for v := range vs {
		vs[v] = data{
			users:  yearOfDaily(asOf, func(d int) float64 { return float64(20 + (d*7+v)%13) }),
			seats:  yearOfDaily(asOf, func(int) float64 { return 50 }),
			logins: yearOfDaily(asOf, func(d int) float64 { return float64(40 + (d*3+v)%17) }),
		}
		for k := range 12 {
			vs[v].events = append(vs[v].events, valuepath.Event{Kind: "support_case", At: asOf.AddDate(0, -12+k, v%28)})
		}
	}
	p := &valuepath.MemoryProvider{}
	ids := make([]valuepath.AccountID, n)
	for i := range ids {
		id := valuepath.AccountID(fmt.Sprintf("acct-%06d", i))
		ids[i] = id
		d := vs[i%variants]
		p.SetSeries(id, "active_users", d.users)
		p.SetSeries(id, "seats", d.seats)
		p.SetSeries(id, "logins", d.logins)
		ev := make([]valuepath.Event, len(d.events))
		for k, e := range d.events {
			e.Account = id
			ev[k] = e
		}
		if err := p.SetEvents(id, valuepath.Must(valuepath.NewEventLog(ev))); err != nil {
			b.Fatal(err)
		}
	}
	return p, ids, asOf
}

// BenchmarkEvaluate derives 10 metrics for one account from a year of daily
// samples of three series (1,095 samples) and 12 events.
func BenchmarkEvaluate(b *testing.B) {
	p, ids, asOf := benchProvider(b, 1, 1)
	snap := benchSet.NewSnapshot()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := benchSet.EvaluateInto(ctx, p, ids[0], asOf, snap); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateAll streams 100,000 accounts and reports the peak heap in
// use while it runs, sampled every 1,000 accounts, against the heap before.
func BenchmarkEvaluateAll(b *testing.B) {
	const n = 100_000
	p, ids, asOf := benchProvider(b, n, 64)
	accounts := func(yield func(valuepath.AccountID) bool) {
		for _, id := range ids {
			if !yield(id) {
				return
			}
		}
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var stream iter.Seq2[*valuepath.Snapshot, error] = benchSet.EvaluateAll(context.Background(), p, accounts, asOf, valuepath.BatchOptions{})
		k := 0
		for _, err := range stream {
			if err != nil {
				b.Fatal(err)
			}
			if k++; k%1000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/account")
	b.ReportMetric(float64(int64(peak)-int64(base))/1024, "peak-heap-KiB-above-start")
}

// benchTable is a table of n distinct accounts and m metrics, one value in
// ten missing.
func benchTable(tb testing.TB, n, m int) *valuepath.Table {
	tb.Helper()
	names := make([]valuepath.Metric, m)
	columns := map[valuepath.Metric][]float64{}
	for j := range names {
		names[j] = valuepath.Metric("metric_" + strconv.Itoa(j))
		col := make([]float64, n)
		for i := range col {
			col[i] = float64((i*7919+j*104729)%1000) / 10
			if (i+j)%10 == 0 {
				col[i] = math.NaN()
			}
		}
		columns[names[j]] = col
	}
	accounts := make([]valuepath.AccountID, n)
	for i := range accounts {
		accounts[i] = valuepath.AccountID("acct-" + strconv.Itoa(i))
	}
	tab, err := valuepath.NewTable(valuepath.Must(valuepath.NewSchema(names...)), accounts, columns, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

// BenchmarkTableSnapshots ranges over the snapshots of 100,000 distinct
// accounts of 10 metrics; ns/op is per table.
func BenchmarkTableSnapshots(b *testing.B) {
	tab := benchTable(b, 100_000, 10)
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		for s := range tab.Snapshots() {
			v, _ := s.ValueAt(3)
			sink += v
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/row")
	_ = sink
}
