package valuepath_test

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
)

// FuzzNewSeries builds series from arbitrary bytes (12 bytes a sample: a
// 4-byte time offset in minutes, 8 bytes of float64) and checks the
// constructor's promises: an error, or a sorted, finite, independent copy.
func FuzzNewSeries(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 24))
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f})
	f.Fuzz(func(t *testing.T, data []byte) {
		var in []valuepath.Sample
		for len(data) >= 12 {
			off := int32(binary.BigEndian.Uint32(data))
			v := math.Float64frombits(binary.LittleEndian.Uint64(data[4:]))
			in = append(in, valuepath.Sample{At: t0.Add(time.Duration(off) * time.Minute), Value: v})
			data = data[12:]
		}
		orig := append([]valuepath.Sample(nil), in...)
		s, err := valuepath.NewSeries(in)
		for i := range in {
			if in[i] != orig[i] && !(math.IsNaN(in[i].Value) && math.IsNaN(orig[i].Value)) {
				t.Fatalf("input changed at %d", i)
			}
		}
		if err != nil {
			var fe *valuepath.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a FieldError: %v", err)
			}
			return
		}
		if s.Len() != len(in) {
			t.Fatalf("len %d, want %d", s.Len(), len(in))
		}
		for i := range s.Len() {
			v := s.At(i).Value
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite value accepted at %d", i)
			}
			if i > 0 && !s.At(i-1).At.Before(s.At(i).At) {
				t.Fatalf("not strictly increasing at %d", i)
			}
		}
		if len(in) > 0 {
			in[0].Value = 12345
			if s.At(0).Value == 12345 && orig[0].Value != 12345 {
				t.Fatal("series aliases its input")
			}
		}
	})
}

// FuzzParseDerivations loads arbitrary JSON as a derivation set; what loads
// must evaluate without panicking and without non-finite values.
func FuzzParseDerivations(f *testing.F) {
	f.Add(`[{"name":"m","op":"mean","source":"active_users","window":"30d"}]`)
	f.Add(`[{"name":"a","op":"ratio","numerator":"b","denominator":"b"},{"name":"b","op":"last","source":"seats","window":"1d"}]`)
	f.Add(`[{"name":"a","op":"ratio","numerator":"a","denominator":"a"}]`)
	f.Add(`[{"name":"c","op":"relative_change","aggregate":"max","source":"logins","window":"36h"}]`)
	f.Add(`[{"name":"e","op":"days_since","event":"support_case","window":"2w"}]`)
	f.Add(`[{"name":"e","op":"event_count","event":"support_case","where":{"severity":["high"]},"window":"90d"}]`)
	f.Add(`[{"name":"s","op":"slope","source":"active_users","window":"9999999d"}]`)
	p, asOf := exampleProvider()
	p.DeclareMetric("logins")
	f.Fuzz(func(t *testing.T, js string) {
		set, err := valuepath.ParseDerivations([]byte(js))
		if err != nil {
			return
		}
		snap, err := set.Evaluate(context.Background(), p, "acme", asOf)
		if err != nil && !errors.Is(err, valuepath.ErrUnknownMetric) && !errors.Is(err, valuepath.ErrNoData) {
			t.Fatalf("evaluate: %v", err)
		}
		for i := range set.Schema().Len() {
			if v, ok := snap.ValueAt(i); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Fatalf("%s = %v", set.Schema().Metric(i), v)
			}
		}
		back, err := set.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := valuepath.ParseDerivations(back); err != nil {
			t.Fatalf("a valid set does not load back from its own JSON: %v\n%s", err, back)
		}
	})
}

// FuzzParseDuration checks that parsing never panics and that what parses
// formats back to the same length of time.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "2w", "1h30m", "-5d", "9223372036854775807d", "1.5h", "d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := valuepath.ParseDuration(s)
		if err != nil {
			return
		}
		back, err := valuepath.ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, int64(d), d.String(), int64(back), err)
		}
	})
}

// FuzzNewTable builds a table of two metrics from arbitrary float bits and
// checks that it is either an error or yields only finite present values,
// with NaN as missing.
func FuzzNewTable(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 32))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0xf0, 0xff})
	schema := valuepath.Must(valuepath.NewSchema("a", "b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows := len(data) / 16
		accounts := make([]valuepath.AccountID, rows)
		cols := map[valuepath.Metric][]float64{"a": make([]float64, rows), "b": make([]float64, rows)}
		for i := range rows {
			accounts[i] = valuepath.AccountID(string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('A'+i/260)))
			cols["a"][i] = math.Float64frombits(binary.LittleEndian.Uint64(data[16*i:]))
			cols["b"][i] = math.Float64frombits(binary.LittleEndian.Uint64(data[16*i+8:]))
		}
		tab, err := valuepath.NewTable(schema, accounts, cols, time.Unix(0, 0))
		if err != nil {
			if !errors.Is(err, valuepath.ErrNotFinite) && !errors.Is(err, valuepath.ErrDuplicate) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		i := 0
		for s := range tab.Snapshots() {
			for j, m := range []valuepath.Metric{"a", "b"} {
				v, ok := s.ValueAt(j)
				in := cols[m][i]
				if ok != !math.IsNaN(in) || (ok && v != in) || math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("row %d %s: got %v, %v from %v", i, m, v, ok, in)
				}
			}
			i++
		}
		if i != rows {
			t.Fatalf("%d snapshots for %d rows", i, rows)
		}
	})
}
