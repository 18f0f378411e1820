package server

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/health"
)

// stdScore is what encoding/json writes for a score response.
func stdScore(t *testing.T, s *health.Score, drag []health.MeasureScore) []byte {
	t.Helper()
	c := s.Clone()
	if c.Groups == nil {
		c.Groups = []health.GroupScore{}
	}
	if c.Measures == nil {
		c.Measures = []health.MeasureScore{}
	}
	if c.Rules == nil {
		c.Rules = []health.RuleFiring{}
	}
	if drag == nil {
		drag = []health.MeasureScore{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		*health.Score
		Draggers []health.MeasureScore `json:"draggers"`
	}{c, drag}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAppendScoreMatchesEncodingJSON holds the hand-written encoder to the
// bytes encoding/json writes, over every demo account and a score with
// awkward strings and numbers.
func TestAppendScoreMatchesEncodingJSON(t *testing.T) {
	b, err := demo.Generate(demo.Config{Accounts: 40, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	sc, d := demo.Scorecard(), demo.AllDerivations()
	var scores []*health.Score
	for _, a := range b.Accounts {
		snap, _ := d.Evaluate(context.Background(), b.Provider, a.ID, b.AsOf.Add(-36*time.Hour-time.Nanosecond*7))
		s, err := sc.Score(snap)
		if err != nil {
			t.Fatal(err)
		}
		scores = append(scores, s)
	}
	odd := scores[0].Clone()
	odd.Account = "weird \"id\"\n\t\\ <&> \u2028 é \x01 \xff"
	odd.Reason = "why\r\b\f"
	odd.Value = 1e-7
	odd.Coverage.Weight = 1e21
	odd.Measures[0].Value = -123456789.125e-30
	odd.Measures[1].Value = 0.1 + 0.2
	odd.Groups[0].Parent = "root"
	odd.Groups[1].Reason = "no \"data\""
	odd.Measures[2].Reason = "absent\t"
	odd.Measures[3].Metric = "another \"metric\"" // a head the shared cache must not reuse
	odd.Rules = []health.RuleFiring{{ID: "r", Reason: "sponsor", Metric: "m", Value: 3, Cap: health.Yellow, Changed: true}, {ID: "f", Floor: health.Red}}
	scores = append(scores, odd, &health.Score{})
	fired := 0
	var fc encCache
	for _, s := range scores {
		drag := topDraggers(nil, s, 3)
		if diff := cmp.Diff(s.Draggers(3), drag); diff != "" && len(drag)+len(s.Draggers(3)) > 0 {
			t.Errorf("%s: topDraggers differs from Score.Draggers:\n%s", s.Account, diff)
		}
		got := appendScore(nil, s, drag, nil)
		want := stdScore(t, s, drag)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: appendScore\n got %s\nwant %s", s.Account, got, want)
		}
		// Through one cache shared by every score, warm after the first.
		if got := appendScore(nil, s, drag, &fc); !bytes.Equal(got, want) {
			t.Errorf("%s: appendScore through the float cache\n got %s\nwant %s", s.Account, got, want)
		}
		fired += len(s.Rules)
	}
	if fired < 2 {
		t.Error("no score with fired rules: the rules encoding is not covered")
	}
}

func TestTopDraggersKeepsTiesInOrder(t *testing.T) {
	s := &health.Score{Measures: []health.MeasureScore{
		{ID: "a", Share: 0.2, Score: 50}, {ID: "b", Share: 0.1, Score: 0}, {ID: "c", Share: 0.5, Score: 90},
		{ID: "d", Share: 0.4, Score: 100}, {ID: "e", Share: 0, Score: 0}, {ID: "f", Share: 0.3, Score: 0},
	}}
	var got []string
	for _, m := range topDraggers(nil, s, 3) {
		got = append(got, m.ID)
	}
	var want []string
	for _, m := range s.Draggers(3) {
		want = append(want, m.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-Score.Draggers +topDraggers):\n%s", diff)
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e15, -2.5e-9, math.MaxFloat64, math.SmallestNonzeroFloat64, 100.00000000000001,
		30, -30, 100, 999999999999999, -999999999999999, 1e15, -1e15, 1 << 53, 123456789012345, 1e14 + 0.5} {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
	if got := string(appendFloat(nil, math.NaN())); got != "null" {
		t.Errorf("NaN: %s, want null", got)
	}
}

// TestEncCacheMatchesAppendTime: the cache writes what appendTime writes,
// for a time seen just before, and for the same instant in another
// location, which formats differently.
func TestEncCacheMatchesAppendTime(t *testing.T) {
	var fc encCache
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{at, at, at.In(time.FixedZone("X", 3600)), at, at.Add(1), time.Now(), time.Now(), at, {}}
	for _, x := range times {
		want := appendTime([]byte("x"), x)
		if got := fc.appendTime([]byte("x"), x); !bytes.Equal(got, want) {
			t.Fatalf("cached appendTime(%v) = %s, want %s", x, got, want)
		}
	}
}

// TestEncCacheMatchesAppendFloat: the cache writes what appendFloat
// writes, for numbers seen before, for numbers whose slot another number
// holds (many more numbers than slots, each written twice), and for the
// longest and the special ones.
func TestEncCacheMatchesAppendFloat(t *testing.T) {
	var fc encCache
	vals := []float64{0.1, 0.15000000000000002, -2.5e-9, 1e-7, -1.2345678901234567e-300, -0.0000012345678901234567,
		123456789012345.67, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Copysign(0, -1), 30, 1e21, math.NaN(), math.Inf(1)}
	for i := range 5 * floatSlots {
		vals = append(vals, float64(i)/7, -float64(i)*1e-9/3)
	}
	for pass := range 2 {
		for _, f := range vals {
			want := appendFloat([]byte("x"), f)
			if got := fc.appendFloat([]byte("x"), f); !bytes.Equal(got, want) {
				t.Fatalf("pass %d: cached appendFloat(%v) = %s, want %s", pass, f, got, want)
			}
		}
	}
}

// FuzzAppendFloat holds appendFloat, whole-number fast path included, to
// what encoding/json writes for every finite float.
func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, 30, -1, 0.5, 1e15, 1e21, 1e-7} {
		f.Add(math.Float64bits(v))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		v := math.Float64frombits(bits)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFloat(nil, v); !bytes.Equal(got, want) {
			t.Fatalf("appendFloat(%v) = %s, want %s", v, got, want)
		}
	})
}

// BenchmarkEncodeScore compares the hand-written encoder with encoding/json
// on one demo account's score: the reason the health endpoint does not use
// encoding/json.
func BenchmarkEncodeScore(b *testing.B) {
	base, err := demo.Generate(demo.Config{Accounts: 5, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	snap, _ := demo.AllDerivations().Evaluate(context.Background(), base.Provider, base.Accounts[2].ID, base.AsOf)
	s, err := demo.Scorecard().Score(snap)
	if err != nil {
		b.Fatal(err)
	}
	drag := topDraggers(nil, s, 3)
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = appendScore(buf[:0], s, drag, nil)
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		v := struct {
			*health.Score
			Draggers []health.MeasureScore `json:"draggers"`
		}{s, drag}
		for b.Loop() {
			buf.Reset()
			if err := enc.Encode(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestAppendDraggerCopiesOnlyEqualMeasures: a dragger equal to a measure
// is that measure's bytes; one that differs in any field is encoded afresh.
func TestAppendDraggerCopiesOnlyEqualMeasures(t *testing.T) {
	ms := []health.MeasureScore{
		{ID: "a", Group: "g", Metric: "m", Value: 1.5, Present: true, Status: "scored", Score: 40, Band: "red", Share: 0.25, Contribution: 10},
		{ID: "b", Group: "g", Metric: "n", Value: 7, Present: true, Status: "scored", Score: 90, Band: "green", Share: 0.75, Contribution: 67.5},
	}
	var b []byte
	var spans [][2]int
	for i := range ms {
		start := len(b)
		b = appendMeasure(b, &ms[i], nil, i)
		spans = append(spans, [2]int{start, len(b)})
	}
	for _, d := range []health.MeasureScore{ms[1], ms[0], func() health.MeasureScore { d := ms[0]; d.Contribution = 11; return d }()} {
		got := appendDragger(slices.Clone(b), &d, ms, spans, nil)[len(b):]
		if want := appendMeasure(nil, &d, nil, -1); !bytes.Equal(got, want) {
			t.Errorf("dragger %s: %s, want %s", d.ID, got, want)
		}
	}
}

// TestContentLength: the shared header values are the lengths, at the
// ends of the table and past it, and the same slice on every call.
func TestContentLength(t *testing.T) {
	for _, n := range []int{0, 1, 99, 3146, len(contentLengths) - 1, len(contentLengths), 1 << 30} {
		for range 2 {
			if got := contentLength(n); len(got) != 1 || got[0] != strconv.Itoa(n) {
				t.Errorf("contentLength(%d) = %q", n, got)
			}
		}
	}
	if a, b := contentLength(3146), contentLength(3146); &a[0] != &b[0] {
		t.Error("contentLength(3146) is not shared")
	}
}

// stdString is what encoding/json writes for s with HTML escaping off.
func stdString(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestAppendStringEveryByte holds appendString, whose fast path reads
// eight bytes at a time, to encoding/json with every byte value at every
// position of strings of 1 to 17 bytes, and with runes that take escaping
// across the eight-byte boundaries.
func TestAppendStringEveryByte(t *testing.T) {
	for n := 1; n <= 17; n++ {
		for pos := range n {
			for c := range 256 {
				s := []byte(strings.Repeat("a", n))
				s[pos] = byte(c)
				if got, want := appendString(nil, string(s)), stdString(t, string(s)); !bytes.Equal(got, want) {
					t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
				}
			}
		}
	}
	for _, s := range []string{"1234567\u2028", "123456\u2029x", "é1234567é", "abcdefghijklmno\xff", "abcdefg\"", "abcdefgh\\"} {
		if got, want := appendString(nil, s), stdString(t, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

// FuzzAppendString holds appendString to encoding/json for every string.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "acct-0001", "weird \"id\"\n\t\\ <&> \u2028 é \x01 \xff", "sha256:6d0d25eeec6753055c8979a41400aa99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendString(nil, s), stdString(t, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}
