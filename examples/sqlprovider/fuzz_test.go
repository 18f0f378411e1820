package sqlprovider

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/valuepath/valuepath"
)

// sliceRows is a rowSource over values in memory, standing in for
// *sql.Rows so that the decoders can be fuzzed without a database.
type sliceRows struct {
	rows [][]any
	i    int
}

func (r *sliceRows) Next() bool { r.i++; return r.i <= len(r.rows) }
func (r *sliceRows) Err() error { return nil }
func (r *sliceRows) Scan(dest ...any) error {
	for k, d := range dest {
		*d.(*any) = r.rows[r.i-1][k]
	}
	return nil
}

// columnValue turns a fuzzed selector and payload into a value of one of
// the types database/sql drivers return.
func columnValue(sel byte, b []byte) any {
	var n uint64
	if len(b) >= 8 {
		n = binary.LittleEndian.Uint64(b)
	}
	switch sel % 6 {
	case 0:
		return nil
	case 1:
		return int64(n)
	case 2:
		return math.Float64frombits(n)
	case 3:
		return string(b)
	case 4:
		return b
	default:
		return true
	}
}

// FuzzDecodeSamples feeds arbitrary rows to the series decoder: it must
// never panic, and whatever it accepts must be a valid series.
func FuzzDecodeSamples(f *testing.F) {
	row := func(at int64, v float64) []byte {
		b := []byte{1, 2}
		b = binary.LittleEndian.AppendUint64(b, uint64(at))
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	f.Add(append(row(1, 2), row(2, 3)...))
	f.Add(append(row(5, 2), row(5, 3)...))
	f.Add(append(row(5, 2), row(4, 3)...))
	f.Add(row(1, math.NaN()))
	f.Add(row(1, math.Inf(-1)))
	f.Add([]byte{3, 0, 'x', 'y', 'z', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows [][]any
		for len(data) >= 18 {
			rows = append(rows, []any{columnValue(data[0], data[2:10]), columnValue(data[1], data[10:18])})
			data = data[18:]
		}
		buf, err := decodeSamples(&sliceRows{rows: rows}, "a", "m", nil)
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) || re.Row < 0 || re.Row >= len(rows) || re.Account != "a" || re.Metric != "m" {
				t.Fatalf("error %v is not a RowError locating a row", err)
			}
			return
		}
		if _, err := valuepath.NewSeries(buf); err != nil {
			t.Fatalf("decoder accepted rows NewSeries rejects: %v", err)
		}
	})
}

// FuzzDecodeEvent feeds arbitrary columns, attributes JSON above all, to
// the event decoder.
func FuzzDecodeEvent(f *testing.F) {
	f.Add(byte(1), []byte("12345678"), byte(3), []byte("support_case"), byte(3), []byte(`{"severity":"high"}`))
	f.Add(byte(1), []byte("12345678"), byte(3), []byte("k"), byte(3), []byte(`{"severity":`))
	f.Add(byte(1), []byte("12345678"), byte(4), []byte("k"), byte(4), []byte(`{"n": 3, "m": null}`))
	f.Add(byte(1), []byte("12345678"), byte(3), []byte(""), byte(0), []byte(nil))
	f.Add(byte(2), []byte("12345678"), byte(3), []byte("k"), byte(3), []byte(`null`))
	f.Add(byte(1), []byte("12345678"), byte(3), []byte("k"), byte(3), []byte(`{"a":"\ud800","a":"b"}`))
	f.Fuzz(func(t *testing.T, atSel byte, at []byte, kindSel byte, kind []byte, attrSel byte, attrs []byte) {
		e, col, err := decodeEvent("a", columnValue(atSel, at), columnValue(kindSel, kind), columnValue(attrSel, attrs))
		if err != nil {
			if col != "at" && col != "kind" && col != "attrs" {
				t.Fatalf("error %v names column %q", err, col)
			}
			return
		}
		if _, err := valuepath.NewEventLog([]valuepath.Event{e}); err != nil && !e.At.IsZero() {
			t.Fatalf("decoder accepted an event NewEventLog rejects: %v", err)
		}
	})
}
