package equivalents_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestEnglishNumber(t *testing.T) {
	tests := []struct {
		f    equivalents.English
		in   string
		want string
	}{
		{equivalents.English{}, "0", "0"},
		{equivalents.English{}, "12408", "12,408"},
		{equivalents.English{}, "12408.4", "12,408"},
		{equivalents.English{}, "1234567.891", "1,234,568"},
		{equivalents.English{}, "3.4567", "3.46"},
		{equivalents.English{}, "3.2", "3.2"},
		{equivalents.English{}, "0.0012345", "0.00123"},
		{equivalents.English{}, "-2.45", "-2.45"},
		{equivalents.English{SigFigs: 2}, "-2.45", "-2.4"}, // the zero Rounding is HalfEven
		{equivalents.English{SigFigs: 2}, "2.35", "2.4"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.HalfUp}, "-2.45", "-2.5"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.HalfEven}, "2.45", "2.4"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.Down}, "2.49", "2.4"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.Down}, "-2.49", "-2.4"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.Up}, "2.41", "2.5"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.Floor}, "-2.41", "-2.5"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.Ceiling}, "-2.49", "-2.4"},
		{equivalents.English{SigFigs: 2, Rounding: valuepath.Ceiling}, "1.23456e25", "1.3e+25"},
		{equivalents.English{}, "999.6", "1,000"},
		{equivalents.English{}, "1.23456e25", "1.23e+25"},
		{equivalents.English{}, "1.23456e-25", "1.23e-25"},
		{equivalents.English{SigFigs: 5}, "0.30479999999999996", "0.3048"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.f.Number(d(tt.in)), "%+v.Number(%s)", tt.f, tt.in)
	}
}

func TestEnglishQuantity(t *testing.T) {
	minute := equivalents.UnitDef{Name: "minute", Singular: "minute", Plural: "minutes", Time: valuepath.Duration(time.Minute)}
	hour := equivalents.UnitDef{Name: "hour", Time: valuepath.Duration(time.Hour)}
	staff := equivalents.UnitDef{Name: "fte_year", Singular: "staff-year", Plural: "staff-years"}
	tests := []struct {
		in   string
		u    equivalents.UnitDef
		want string
	}{
		{"75", minute, "1 hour 15 minutes"},
		{"60", minute, "1 hour"},
		{"120", minute, "2 hours"},
		{"12.5", minute, "12 minutes 30 seconds"},
		{"1", minute, "1 minute"},
		{"59.999", minute, "1 hour"},
		{"0.75", minute, "45 seconds"},
		{"0.0083", minute, "0.498 seconds"},
		// One rounding rule for statements and chains: from 100 hours (3
		// significant figures in the hours alone) a duration reads in hours
		// as Amount writes them. 620.4 h → 620 (half-even at 0 places);
		// 204,575 min = 3,409.583 h → 3,410; 99.5 h stays 99 h 30 min.
		{"620.4", hour, "620 hours"},
		{"204575", minute, "3,410 hours"},
		{"99.5", hour, "99 hours 30 minutes"},
		{"62.4", hour, "62 hours 24 minutes"},
		{"-1.5", hour, "-1 hour 30 minutes"},
		{"3.2", staff, "3.2 staff-years"},
		{"1", staff, "1 staff-year"},
		{"1.0004", staff, "1 staff-year"},
		{"0", staff, "0 staff-years"},
		{"2", equivalents.UnitDef{Name: "widget"}, "2 widgets"},
	}
	for _, tt := range tests {
		if got := (equivalents.English{}).Quantity(d(tt.in), tt.u); got != tt.want {
			t.Errorf("Quantity(%s, %s) = %q, want %q", tt.in, tt.u.Name, got, tt.want)
		}
		// The statement and the chain agree: Quantity of an amount of
		// hours of 100 or more is Amount of it.
		if tt.u.Name == hour.Name && !strings.Contains(tt.want, "minute") {
			assert.Equal(t, (equivalents.English{}).Amount(d(tt.in), hour), tt.want, tt.in)
		}
	}
	// With 5 significant figures 620.4 hours has room for minutes: the
	// hours (620) are under 10^4.
	assert.Equal(t, "620 hours 24 minutes", (equivalents.English{SigFigs: 5}).Quantity(d("620.4"), hour))
}

func TestStatementAndExplain(t *testing.T) {
	c := allBuiltins(t)
	r, err := c.Report(equivalents.Q(420, equivalents.Kcal), "walking", "running")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range r.Items {
		got = append(got, c.Statement(it, equivalents.English{}))
		got = append(got, c.Explain(it.Conversion, equivalents.English{})...)
	}
	const pace = "Institute of Medicine, Preventing Childhood Obesity: Health in the Balance, Box 3-2 (citing DHHS 2001)"
	want := []string{
		"1 hour 24 minutes of walking",
		"420 kcal → 84 minutes of walking: 1 minute of walking = 5 kcal (" + pace + ", 2005)",
		"42 minutes of running",
		"420 kcal → 42 minutes of running: 1 minute of running = 10 kcal (" + pace + ", 2005)",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	if nilF := c.Statement(r.Items[0], nil); nilF != want[0] {
		t.Errorf("nil formatter: %q", nilF)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}
