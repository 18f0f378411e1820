package equivalents_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestCatalogJSONRoundTrip(t *testing.T) {
	c := allBuiltins(t)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := equivalents.ParseCatalog(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c.Spec(), c2.Spec(), decEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(b), `"ratio":"0.000709"`) {
		t.Errorf("ratios are not written as exact strings: %.200s", b)
	}
}

func TestParseCatalogErrors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`{"units":[{"name":"a"}],"factors":[],"sorce":"x"}`, []string{`?: equivalents: catalog json: invalid value: sorce: unknown field`}},
		{`{"units":[{"name":7}]}`, []string{`?: equivalents: catalog json: invalid value: units[0].name: wrong JSON type: want a string, got the number "7"`}},
		{`{"units":[{"name":"a"}]} {}`, []string{"?: equivalents: catalog json: invalid value: line 1, column 26: data after the JSON value"}},
		{`{"units":[{"name":"a"},{"name":"b"}],"factors":[{"from":"a","to":"b","ratio":"2"}]}`, []string{"factors[0].source: invalid value"}},
		{`{"units":[{"name":"a","time":"1h"},{"name":"b","time":"-1h"}],"factors":[{"from":"a","to":"c","ratio":0,"source":"s"}]}`,
			[]string{"factors[0].ratio: invalid value", "factors[0].to: unknown unit", "units[1].time: invalid value"}},
		{`{"units":[{"name":"a","time":"soon"},{"name":"b"}],"factors":[{"from":"a","to":"b","ratio":"two","source":"s"}],
		  "award_rules":[{"name":"p","input":"a","every":[1],"award":{"quantity":{"value":"x","unit":"b"}},"threshold":"1e99999999999",
		    "cap":{"money":{"amount":"1e9","currency":"USD"}},"floor":{"money":{"amount":"1","currency":"XXY"}},"source":"s"}]}`,
			[]string{"award_rules[0].award.quantity.value: invalid value", "award_rules[0].cap.money: invalid value",
				"award_rules[0].every: invalid value", "award_rules[0].floor.money: invalid value", "award_rules[0].threshold: invalid value",
				"factors[0].ratio: invalid value", "units[0].time: invalid value"}},
	}
	for _, tt := range tests {
		_, err := equivalents.ParseCatalog([]byte(tt.in))
		if err == nil {
			t.Errorf("ParseCatalog(%s) succeeded", tt.in)
			continue
		}
		if !errors.Is(err, valuepath.ErrInvalid) && !errors.Is(err, equivalents.ErrUnknownUnit) {
			t.Errorf("ParseCatalog(%s): %v does not wrap a sentinel", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, fieldPaths(err, equivalents.ErrUnknownUnit, valuepath.ErrInvalid)); diff != "" {
			t.Errorf("ParseCatalog(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}
