package server

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
)

// The health endpoints write their JSON by hand: encoding/json spends most
// of a request's CPU reflecting over the score's 40-odd fields. The output
// is what encoding/json writes for the same value (with HTML escaping off
// and empty lists as []); a test holds the two to that.

// appendScore appends the JSON of score with its draggers and a newline,
// formatting its time and shares through fc (nil: without a cache).
func appendScore(b []byte, s *health.Score, drag []health.MeasureScore, fc *encCache) []byte {
	b = append(b, `{"account":`...)
	b = appendString(b, string(s.Account))
	b = append(b, `,"as_of":`...)
	b = fc.appendTime(b, s.AsOf)
	b = append(b, `,"scorecard":`...)
	b = appendString(b, s.Scorecard)
	b = append(b, `,"present":`...)
	b = strconv.AppendBool(b, s.Present)
	if s.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, s.Reason)
	}
	b = append(b, `,"score":`...)
	b = appendFloat(b, s.Value)
	b = append(b, `,"band":`...)
	b = appendString(b, string(s.Band))
	b = append(b, `,"data_band":`...)
	b = appendString(b, string(s.DataBand))
	b = append(b, `,"coverage":{"measures":`...)
	b = strconv.AppendInt(b, int64(s.Coverage.Measures), 10)
	b = append(b, `,"present":`...)
	b = strconv.AppendInt(b, int64(s.Coverage.Present), 10)
	b = append(b, `,"weight":`...)
	b = fc.appendFloat(b, s.Coverage.Weight)
	b = append(b, `},"groups":[`...)
	for i := range s.Groups {
		g := &s.Groups[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, g.ID)
		b = append(b, `,"name":`...)
		b = appendString(b, g.Name)
		if g.Parent != "" {
			b = append(b, `,"parent":`...)
			b = appendString(b, g.Parent)
		}
		b = append(b, `,"present":`...)
		b = strconv.AppendBool(b, g.Present)
		if g.Reason != "" {
			b = append(b, `,"reason":`...)
			b = appendString(b, g.Reason)
		}
		b = append(b, `,"score":`...)
		b = appendFloat(b, g.Score)
		b = append(b, `,"share":`...)
		b = fc.appendFloat(b, g.Share)
		b = append(b, `,"contribution":`...)
		b = appendFloat(b, g.Contribution)
		b = append(b, '}')
	}
	b = append(b, `],"measures":[`...)
	// Where each measure's object is in b, for the draggers, which are
	// copies of measures: copying its bytes spares formatting its four
	// numbers again.
	var spans [maxSpans][2]int
	for i := range s.Measures {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = appendMeasure(b, &s.Measures[i], fc, i)
		if i < maxSpans {
			spans[i] = [2]int{start, len(b)}
		}
	}
	b = append(b, ']')
	b = append(b, `,"rules":[`...)
	for i := range s.Rules {
		r := &s.Rules[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, r.ID)
		b = append(b, `,"reason":`...)
		b = appendString(b, r.Reason)
		b = append(b, `,"metric":`...)
		b = appendString(b, string(r.Metric))
		b = append(b, `,"value":`...)
		b = appendFloat(b, r.Value)
		if r.Cap != "" {
			b = append(b, `,"cap":`...)
			b = appendString(b, string(r.Cap))
		}
		if r.Floor != "" {
			b = append(b, `,"floor":`...)
			b = appendString(b, string(r.Floor))
		}
		b = append(b, `,"changed":`...)
		b = strconv.AppendBool(b, r.Changed)
		b = append(b, '}')
	}
	b = append(b, `],"draggers":[`...)
	for i := range drag {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendDragger(b, &drag[i], s.Measures, spans[:min(len(s.Measures), maxSpans)], fc)
	}
	return append(b, "]}\n"...)
}

// maxSpans is how many measures' encodings appendScore remembers for the
// draggers; measures past it are encoded again.
const maxSpans = 64

// appendDragger appends d, a copy of one of measures: the bytes already
// written for that measure (spans[j] is where measures[j] is in b) when it
// is equal to it field for field, otherwise d encoded afresh.
func appendDragger(b []byte, d *health.MeasureScore, measures []health.MeasureScore, spans [][2]int, fc *encCache) []byte {
	for j, sp := range spans {
		if measures[j] == *d {
			return append(b, b[sp[0]:sp[1]]...)
		}
	}
	return appendMeasure(b, d, fc, -1)
}

// appendMeasure appends the JSON object of one measure, the i'th of its
// score (-1: a dragger encoded afresh).
func appendMeasure(b []byte, m *health.MeasureScore, fc *encCache, i int) []byte {
	b = fc.appendMeasureHead(b, m, i)
	b = appendFloat(b, m.Value)
	b = append(b, `,"present":`...)
	b = strconv.AppendBool(b, m.Present)
	b = append(b, `,"status":`...)
	b = appendString(b, string(m.Status))
	if m.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, m.Reason)
	}
	b = append(b, `,"score":`...)
	b = appendFloat(b, m.Score)
	if m.Band != "" {
		b = append(b, `,"band":`...)
		b = appendString(b, string(m.Band))
	}
	b = append(b, `,"share":`...)
	b = fc.appendFloat(b, m.Share)
	b = append(b, `,"contribution":`...)
	b = appendFloat(b, m.Contribution)
	b = append(b, '}')
	return b
}

// topDraggers appends to dst the counted measures of s that cost it points,
// largest drag first (ties in declaration order), at most n: what
// [health.Score.Draggers] returns, without allocating.
func topDraggers(dst []health.MeasureScore, s *health.Score, n int) []health.MeasureScore {
	for _, m := range s.Measures {
		if !m.Counted() || m.Drag() <= 0 {
			continue
		}
		// Insertion into a short sorted list; equal drags keep their order.
		i := len(dst)
		for i > 0 && dst[i-1].Drag() < m.Drag() {
			i--
		}
		if i >= n {
			continue
		}
		if len(dst) < n {
			dst = append(dst, health.MeasureScore{})
		}
		copy(dst[i+1:], dst[i:len(dst)-1])
		dst[i] = m
	}
	return dst
}

// appendFloat formats f as encoding/json does. Scores are never NaN or
// infinite; if one were, null keeps the output valid JSON.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	// Whole numbers (0, 30, 100: a third of a health answer's numbers)
	// print as integers, which is what 'f' with the shortest precision
	// writes for them, without the shortest-digits search. -0 keeps its
	// sign through the general path.
	if f == math.Trunc(f) && math.Abs(f) < 1e15 && (f != 0 || !math.Signbit(f)) {
		return strconv.AppendInt(b, int64(f), 10)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// encCache remembers what the score encoder formatted for recent answers
// that recurs in the next: the as_of time (the server's default asOf, on
// most requests), the start of each measure's object (its id, group and
// metric come from the scorecard) and the shares. A measure's or a group's
// share of the score, and the coverage weight, depend only on the
// scorecard and on which measures are missing, so the same few dozen
// numbers recur in every answer (a third of an answer's fractional
// numbers, over the demo base), and formatting a float64 in the shortest
// form that reads back exactly is most of the cost of encoding an answer.
// Values, scores and contributions vary by account and do not go through
// the cache, so they do not evict the shares. The output is a pure function
// of the float's bits, of the time's value and location, or of the
// strings, so an entry never goes stale; the floats are direct-mapped by
// their bits, and a collision overwrites. Each pooled request state has its
// own, so there is no locking. The zero value is empty and ready; a nil
// *encCache formats everything.
type encCache struct {
	floats [floatSlots]floatSlot
	at     time.Time // the last time appendTime formatted, and its bytes
	atJSON []byte
	heads  []measureHead // by the measure's index in its score
}

// measureHead is the start of the JSON object of a measure with this id,
// group and metric.
type measureHead struct {
	id, group string
	metric    valuepath.Metric
	json      []byte
}

const (
	floatBits  = 6
	floatSlots = 1 << floatBits
)

type floatSlot struct {
	bits uint64
	n    uint8 // length of the bytes; 0 for an empty slot
	b    [floatSlotBytes]byte
}

// floatSlotBytes holds every shortest float64 appendFloat writes: at most
// 17 digits, a sign, a point and either up to 6 leading zeros or an
// exponent.
const floatSlotBytes = 32

// appendFloat is the package's appendFloat through the cache. Whole numbers
// take appendFloat's integer path, which is cheaper than the cache.
func (c *encCache) appendFloat(b []byte, f float64) []byte {
	if c == nil || f == math.Trunc(f) {
		return appendFloat(b, f)
	}
	bits := math.Float64bits(f)
	slot := &c.floats[(bits*0x9e3779b97f4a7c15)>>(64-floatBits)]
	if slot.n != 0 && slot.bits == bits {
		return append(b, slot.b[:slot.n]...)
	}
	start := len(b)
	b = appendFloat(b, f)
	if n := len(b) - start; n <= floatSlotBytes {
		slot.bits, slot.n = bits, uint8(n)
		copy(slot.b[:], b[start:])
	}
	return b
}

// appendMeasureHead appends the start of a measure's object, up to its
// value: {"id":…,"group":…,"metric":…,"value":
func appendMeasureHead(b []byte, m *health.MeasureScore) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, m.ID)
	b = append(b, `,"group":`...)
	b = appendString(b, m.Group)
	b = append(b, `,"metric":`...)
	b = appendString(b, string(m.Metric))
	return append(b, `,"value":`...)
}

// appendMeasureHead is the package's appendMeasureHead through the cache,
// for the i'th measure of a score: its head is the same as the last
// answer's i'th when the id, group and metric are.
func (c *encCache) appendMeasureHead(b []byte, m *health.MeasureScore, i int) []byte {
	if c == nil || i < 0 || i >= maxSpans {
		return appendMeasureHead(b, m)
	}
	if i >= len(c.heads) {
		c.heads = append(c.heads, make([]measureHead, i+1-len(c.heads))...)
	}
	h := &c.heads[i]
	if len(h.json) == 0 || h.id != m.ID || h.group != m.Group || h.metric != m.Metric {
		h.id, h.group, h.metric = m.ID, m.Group, m.Metric
		h.json = appendMeasureHead(h.json[:0], m)
	}
	return append(b, h.json...)
}

// appendTime is the package's appendTime through the cache. Times equal
// as values (==, not Equal: the same instant, location and monotonic
// reading) format alike.
func (c *encCache) appendTime(b []byte, t time.Time) []byte {
	if c == nil {
		return appendTime(b, t)
	}
	if c.atJSON != nil && t == c.at {
		return append(b, c.atJSON...)
	}
	start := len(b)
	b = appendTime(b, t)
	c.at, c.atJSON = t, append(c.atJSON[:0], b[start:]...)
	return b
}

// appendTime formats t as time.Time.MarshalJSON does.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string, as encoding/json does with HTML
// escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and U+2029 are
// escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look: no control
		// character, quote, backslash or byte of a multi-byte rune.
		for i+8 <= len(s) && plain8(s[i:i+8]) {
			i += 8
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plain8 reports whether none of the 8 bytes of s needs escaping or
// decoding: each is at least 0x20, below 0x80, and neither '"' nor '\\'.
// The word-at-a-time tests are exact: x has a byte at or above 0x80 when
// x&0x80… is nonzero; if it has none, x-0x20… borrows, setting a high bit,
// exactly when some byte is below 0x20; and (y-0x01…)&^y&0x80… is nonzero
// exactly when some byte of y is zero, y being x with the quote or the
// backslash xored out.
func plain8(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	q := x ^ ('"' * ones)
	bs := x ^ ('\\' * ones)
	return (x|(x-0x20*ones)|((q-ones)&^q)|((bs-ones)&^bs))&highs == 0
}
