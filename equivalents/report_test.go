package equivalents_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/valuepath/valuepath"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath/equivalents"
)

func TestReport(t *testing.T) {
	spec := equivalents.Merge(staffingSpec(), equivalents.PACE())
	c := valuepath.Must(equivalents.NewCatalog(spec))
	en := equivalents.English{}
	tests := []struct {
		in    equivalents.Quantity
		names []string
		want  []string // kind: statement
	}{
		// No names: every equivalent the unit reaches, in declaration order;
		// walking and running are unreachable from transactions and skipped.
		{equivalents.Q(12408, "transaction"), nil, []string{
			"feel_good: 620 hours of work saved",
			"feel_good: 0.298 staff-years of work you did not need to hire for",
		}},
		{equivalents.Q(300, equivalents.Kcal), nil, []string{
			"action: 1 hour of walking",
			"action: 30 minutes of running",
		}},
		// Named: the order given, the mix chosen by the caller.
		{equivalents.Q(24960, "transaction"), []string{"staff_years", "hours_saved"}, []string{
			"feel_good: 0.6 staff-years of work you did not need to hire for",
			"feel_good: 1,248 hours of work saved",
		}},
	}
	for _, tt := range tests {
		r, err := c.Report(tt.in, tt.names...)
		if err != nil {
			t.Fatalf("Report(%v, %q): %v", tt.in, tt.names, err)
		}
		var got []string
		for _, it := range r.Items {
			got = append(got, string(it.Equivalent.Kind)+": "+c.Statement(it, en))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Report(%v, %q) (-want +got):\n%s", tt.in, tt.names, diff)
		}
	}
	r, _ := c.Report(equivalents.Q(300, equivalents.Kcal))
	if n := len(slices.Collect(r.Of(equivalents.FeelGood))); n != 0 {
		t.Errorf("Of(FeelGood) yielded %d action items", n)
	}
	if n := len(slices.Collect(r.Of(equivalents.Action))); n != 2 {
		t.Errorf("Of(Action) yielded %d, want 2", n)
	}
	if _, err := c.Report(equivalents.Q(1, equivalents.Kcal), "nope"); !errors.Is(err, equivalents.ErrUnknownName) {
		t.Errorf("unknown equivalent: %v", err)
	}
	if _, err := c.Report(equivalents.Q(1, equivalents.Kcal), "staff_years"); !errors.Is(err, equivalents.ErrNoPath) {
		t.Errorf("unreachable equivalent: %v", err)
	}
	if e, ok := c.Equivalent("walking"); !ok || e.Kind != equivalents.Action || e.Unit != equivalents.WalkingMin {
		t.Errorf("Equivalent(walking) = %+v, %v", e, ok)
	}
	if _, ok := c.Equivalent("nope"); ok {
		t.Error("Equivalent(nope) found")
	}
	if _, err := c.Report(equivalents.Q(1, "furlong")); !errors.Is(err, equivalents.ErrUnknownUnit) {
		t.Errorf("unknown unit: %v", err)
	}
}

func TestConversionMarshalsToJSON(t *testing.T) {
	c := allBuiltins(t)
	conv, err := c.Convert(equivalents.Q(120, equivalents.Minute), equivalents.Hour)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(conv)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"from":{"value":"120","unit":"minute"},"to":{"value":"2","unit":"hour"},"steps":[{"from":{"value":"120","unit":"minute"},"to":{"value":"2","unit":"hour"},"factor":{"from":"hour","to":"minute","ratio":"60","source":"ISO 80000-3:2019, Quantities and units, Part 3: Space and time","edition":"2019"},"inverse":true}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back equivalents.Conversion
	if err := json.Unmarshal(b, &back); err != nil || !back.To.Value.Equal(d("2")) || !strings.Contains(string(b), "ISO 80000-3") {
		t.Errorf("unmarshal: %v %v", back, err)
	}
}

func TestCatalogIterators(t *testing.T) {
	c := awardCatalog(t)
	var got []string
	for e := range c.Equivalents() {
		got = append(got, "equivalent "+e.Name)
	}
	for r := range c.AwardRules() {
		got = append(got, "award rule "+r.Name)
	}
	got = append(got, "name "+c.Name())
	want := []string{"equivalent hours_saved", "equivalent staff_years", "award rule leave", "award rule training", "name time and staffing"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
