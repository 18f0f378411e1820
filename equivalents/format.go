package equivalents

import (
	"strings"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// Formatter writes computed amounts as text people read. Computing and
// formatting are separate: conversions return exact decimals, and a
// Formatter decides how to round and word them. [English] is the built-in
// one; a host localises by implementing Formatter for its languages
// (singular and plural rules, separators, words for durations).
type Formatter interface {
	// Number writes a bare number, rounded for reading: "12,408", "3.2".
	Number(v decimal.Decimal) string
	// Amount writes a number and the unit's word: "620.4 hours".
	Amount(v decimal.Decimal, u UnitDef) string
	// Quantity writes an amount the way people say it; for units of time
	// that is a duration: "1 hour 15 minutes".
	Quantity(v decimal.Decimal, u UnitDef) string
}

// English formats amounts in English: commas between thousands, a point
// before decimals, "1 hour" but "1.5 hours", and durations as "1 hour 15
// minutes". The zero value is ready to use.
//
// Numbers are rounded to SigFigs significant figures, but whole units are
// never rounded away: 3.4567 reads "3.46" and 0.0012345 reads "0.00123",
// yet 12,408.4 reads "12,408", because a reader who sees "12,400
// transactions" believes a different count. Trailing zeros after the point
// are dropped ("3.2", not "3.20"). Numbers whose leading digit lies beyond
// 10^±21 are written in e-notation ("1.23e+25").
type English struct {
	// SigFigs is the number of significant figures; zero means 3. At most 30.
	SigFigs int
	// Rounding is how to round to SigFigs. The zero value is
	// [valuepath.HalfEven], which does not bias sums of rounded figures;
	// [valuepath.HalfUp] is what most readers do by hand, and
	// [valuepath.Down] never overstates.
	Rounding valuepath.RoundingMode
}

var _ Formatter = English{}

// Number implements [Formatter].
func (e English) Number(v decimal.Decimal) string {
	s, _ := e.number(v)
	return s
}

// Amount implements [Formatter].
func (e English) Amount(v decimal.Decimal, u UnitDef) string {
	s, r := e.number(v)
	return s + " " + u.Word(r)
}

// Quantity implements [Formatter]. Amounts of a unit with a Time are written
// as durations: at least an hour is rounded to whole minutes ("62 hours 24
// minutes"), at least a minute to whole seconds ("12 minutes 30 seconds"),
// and less is written in seconds ("45 seconds", "0.5 seconds"). Whole
// minutes and seconds are rounded half up whatever e.Rounding says; seconds
// under a minute follow e.Rounding. A duration whose hours alone already
// have SigFigs digits (100 hours or more with the default 3) is written in
// hours exactly as [English.Amount] writes them ("3,410 hours", not "3,409
// hours 35 minutes"): minutes would claim a precision the figure lacks, and
// a statement and the conversion chain that explains it read the same
// number.
func (e English) Quantity(v decimal.Decimal, u UnitDef) string {
	if u.Time <= 0 || checkValue(v) != "" {
		return e.Amount(v, u)
	}
	secs := v.Mul(decimal.New(int64(u.Time), -9))
	if checkValue(secs) != "" {
		return e.Amount(v, u)
	}
	sign := ""
	if secs.Sign() < 0 {
		sign, secs = "-", secs.Neg()
	}
	sec := UnitDef{Name: "second"}
	hours := secs.Div(decimal.NewFromInt(3600))
	if hours.GreaterThanOrEqual(decimal.New(1, int32(e.sigFigs()-1))) {
		return sign + e.Amount(hours, UnitDef{Name: "hour"})
	}
	switch {
	case secs.GreaterThanOrEqual(decimal.NewFromInt(3600)):
		mins := secs.DivRound(decimal.NewFromInt(60), 0)
		h, m := mins.QuoRem(decimal.NewFromInt(60), 0)
		return sign + e.parts(h, "hour", m, "minute")
	case secs.GreaterThanOrEqual(decimal.NewFromInt(60)):
		s := secs.Round(0)
		m, r := s.QuoRem(decimal.NewFromInt(60), 0)
		if m.Equal(decimal.NewFromInt(60)) {
			return sign + "1 hour"
		}
		return sign + e.parts(m, "minute", r, "second")
	default:
		return sign + e.Amount(secs, sec)
	}
}

func (e English) parts(whole decimal.Decimal, wholeWord string, small decimal.Decimal, smallWord string) string {
	s := group(plain(whole)) + " " + plural(wholeWord, whole)
	if !small.IsZero() {
		s += " " + plain(small) + " " + plural(smallWord, small)
	}
	return s
}

func plural(word string, v decimal.Decimal) string {
	if v.Equal(one) {
		return word
	}
	return word + "s"
}

// number returns the formatted number and the rounded value it shows.
func (e English) number(v decimal.Decimal) (string, decimal.Decimal) {
	if checkValue(v) != "" {
		return v.ScientificNotationString(), v
	}
	if v.IsZero() {
		return "0", decimal.Zero
	}
	sig := e.sigFigs()
	lead := v.NumDigits() + int(v.Exponent()) - 1 // exponent of the leading digit
	if lead > 21 || lead < -21 {
		r := e.round(v, int32(sig-1-lead))
		// Rounding may carry into a new leading digit; the notation below
		// is computed from the rounded value.
		return sci(r, sig), r
	}
	places := max(sig-1-lead, 0)
	r := e.round(v, int32(places))
	s := trimZeros(r.StringFixed(int32(places)))
	return group(s), r
}

// sigFigs is e.SigFigs with its default (3) and bound (30) applied.
func (e English) sigFigs() int {
	if e.SigFigs <= 0 {
		return 3
	}
	return min(e.SigFigs, 30)
}

func (e English) round(v decimal.Decimal, places int32) decimal.Decimal {
	switch e.Rounding {
	case valuepath.HalfUp:
		return v.Round(places)
	case valuepath.Down:
		return v.RoundDown(places)
	case valuepath.Up:
		return v.RoundUp(places)
	case valuepath.Floor:
		return v.RoundFloor(places)
	case valuepath.Ceiling:
		return v.RoundCeil(places)
	default:
		return v.RoundBank(places)
	}
}

// sci writes r as "d.ddde+N" with at most sig significant digits.
func sci(r decimal.Decimal, sig int) string {
	if r.IsZero() {
		return "0"
	}
	digits := r.Coefficient()
	neg := digits.Sign() < 0
	ds := digits.Abs(digits).String()
	exp := len(ds) - 1 + int(r.Exponent())
	ds = strings.TrimRight(ds, "0")
	if len(ds) > sig {
		ds = ds[:sig]
	}
	s := ds[:1]
	if len(ds) > 1 {
		s += "." + ds[1:]
	}
	if neg {
		s = "-" + s
	}
	if exp >= 0 {
		return s + "e+" + itoa(exp)
	}
	return s + "e-" + itoa(-exp)
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// group inserts commas between thousands of the integer part of a plain
// decimal string.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + intPart + frac
	}
	var b strings.Builder
	b.Grow(len(intPart) + len(intPart)/3 + len(frac) + 1)
	b.WriteString(sign)
	head := len(intPart) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(intPart[:head])
	for i := head; i < len(intPart); i += 3 {
		b.WriteByte(',')
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}

// Statement writes an item of a report as its equivalent's sentence, with
// the converted amount formatted by f: "3.2 staff-years you did not need
// to hire". A nil f means English{}.
func (c *Catalog) Statement(it Item, f Formatter) string {
	if f == nil {
		f = English{}
	}
	u, _ := c.Unit(it.Conversion.To.Unit)
	q := f.Quantity(it.Conversion.To.Value, u)
	t := it.Equivalent.Template
	if t == "" {
		return q
	}
	return strings.ReplaceAll(t, placeholder, q)
}

// Explain writes one line per step of conv, each with the amounts before and
// after it and the factor as its source publishes it:
//
//	37,224 minutes → 620 hours: 1 hour = 60 minutes (ISO 80000-3:2019)
//
// Amounts are rounded by f (nil means English{}); ratios are written
// exactly.
func (c *Catalog) Explain(conv Conversion, f Formatter) []string {
	if f == nil {
		f = English{}
	}
	lines := make([]string, len(conv.Steps))
	for i, s := range conv.Steps {
		fromU, _ := c.Unit(s.From.Unit)
		toU, _ := c.Unit(s.To.Unit)
		ff, _ := c.Unit(s.Factor.From)
		ft, _ := c.Unit(s.Factor.To)
		cite := s.Factor.Source
		if s.Factor.Edition != "" {
			cite += ", " + s.Factor.Edition
		}
		lines[i] = f.Amount(s.From.Value, fromU) + " → " + f.Amount(s.To.Value, toU) +
			": 1 " + ff.Word(one) + " = " + group(plain(s.Factor.Ratio)) + " " + ft.Word(s.Factor.Ratio) + " (" + cite + ")"
	}
	return lines
}
