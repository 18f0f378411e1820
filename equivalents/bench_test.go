package equivalents_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

// BenchmarkConvert3Steps converts one quantity through the 3-step chain
// transaction → minute → hour → staff-year and returns it with its
// explanation: every step's amounts and factor (with source and edition).
func BenchmarkConvert3Steps(b *testing.B) {
	c := allBuiltins(b)
	q := equivalents.Q(12408, "transaction")
	if _, err := c.Convert(q, equivalents.FTEYear); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		conv, err := c.Convert(q, equivalents.FTEYear)
		if err != nil || len(conv.Steps) != 3 {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvertInto3Steps is BenchmarkConvert3Steps reusing one
// Conversion, as a loop over many quantities would.
func BenchmarkConvertInto3Steps(b *testing.B) {
	c := allBuiltins(b)
	q := equivalents.Q(12408, "transaction")
	var conv equivalents.Conversion
	if err := c.ConvertInto(q, equivalents.FTEYear, &conv); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.ConvertInto(q, equivalents.FTEYear, &conv); err != nil || len(conv.Steps) != 3 {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvert3StepsWithText adds the English explanation lines and the
// statement, for comparison: the text costs more than the arithmetic.
func BenchmarkConvert3StepsWithText(b *testing.B) {
	c := allBuiltins(b)
	q := equivalents.Q(12408, "transaction")
	en := equivalents.English{}
	eq := equivalents.Equivalent{Name: "staff_years", Kind: equivalents.FeelGood, Unit: equivalents.FTEYear, Template: "{quantity} saved"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		conv, err := c.Convert(q, equivalents.FTEYear)
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Explain(conv, en)) != 3 || c.Statement(equivalents.Item{Equivalent: eq, Conversion: conv}, en) == "" {
			b.Fatal("no text")
		}
	}
}

const million = 1_000_000

// inputs returns 10,000 distinct quantities; the million-quantity
// benchmarks cycle through them 100 times, which keeps the benchmark's own
// memory small without changing the work per quantity.
func inputs() []decimal.Decimal {
	in := make([]decimal.Decimal, 10_000)
	for i := range in {
		in[i] = decimal.New(int64(i*37+11), -int32(i%3)) // e.g. 11, 4.8, 0.85
	}
	return in
}

// BenchmarkPathApply1M converts 1,000,000 quantities per op with a
// precompiled 3-step path (one multiplication and one rounded division
// each). Compare with BenchmarkHandWritten1M, the same arithmetic written
// inline.
func BenchmarkPathApply1M(b *testing.B) {
	c := allBuiltins(b)
	p, err := c.Path("transaction", equivalents.FTEYear)
	if err != nil {
		b.Fatal(err)
	}
	in := inputs()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range million {
			v, err := p.Apply(in[j%len(in)])
			if err != nil {
				b.Fatal(err)
			}
			sink = v
		}
	}
	report(b)
}

// BenchmarkHandWritten1M is the baseline: the path's arithmetic written by
// hand, v * 3 / 124800 rounded to 20 places, with nothing else.
func BenchmarkHandWritten1M(b *testing.B) {
	in := inputs()
	num, den := decimal.NewFromInt(3), decimal.NewFromInt(124800)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range million {
			sink = in[j%len(in)].Mul(num).DivRound(den, 20)
		}
	}
	report(b)
}

// BenchmarkPathApplyMultiplyOnly1M converts with a path that only
// multiplies (staff-years → minutes), which is exact and needs no division.
func BenchmarkPathApplyMultiplyOnly1M(b *testing.B) {
	c := allBuiltins(b)
	p, _ := c.Path(equivalents.FTEYear, equivalents.Minute)
	in := inputs()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range million {
			v, _ := p.Apply(in[j%len(in)])
			sink = v
		}
	}
	report(b)
}

var sink decimal.Decimal

func report(b *testing.B) {
	b.StopTimer()
	n := float64(b.N) * million
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/quantity")
	b.ReportMetric(n/b.Elapsed().Seconds(), "quantities/s")
}

// BenchmarkBindingApply converts a snapshot metric (a float64) to hours
// through a bound path: the per-account step of a batch report.
func BenchmarkBindingApply(b *testing.B) {
	c := allBuiltins(b)
	p, _ := c.Path("transaction", equivalents.FTEYear)
	schema := valuepath.Must(valuepath.NewSchema("transactions_365d"))
	bind, err := p.Bind(schema, "transactions_365d")
	if err != nil {
		b.Fatal(err)
	}
	snap := valuepath.NewSnapshot(schema, "acme", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err := snap.SetAt(0, 81830); err != nil {
		b.Fatal(err)
	}
	var r equivalents.AccountQuantity
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := bind.ApplyInto(snap, &r); err != nil || !r.Present {
			b.Fatal(err)
		}
		sink = r.Quantity.Value
	}
}
