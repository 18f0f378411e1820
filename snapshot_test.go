package valuepath_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
)

func TestSnapshotTellsZeroFromUnknown(t *testing.T) {
	schema := valuepath.Must(valuepath.NewSchema("logins", "cases", "nps"))
	s := valuepath.NewSnapshot(schema, "acme", t0)
	if err := s.Set("logins", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("nps", 42); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Value("logins"); !ok || v != 0 {
		t.Errorf("logins = %v, %v; want a present zero", v, ok)
	}
	if _, ok := s.Value("cases"); ok {
		t.Error("cases reported present, want missing")
	}
	if _, ok := s.Value("not in schema"); ok {
		t.Error("unknown metric reported present")
	}
	if got, want := s.Coverage(), (valuepath.Coverage{Present: 2, Total: 3}); got != want {
		t.Errorf("Coverage = %+v, want %+v", got, want)
	}
	if got := slices.Collect(s.Missing()); !slices.Equal(got, []valuepath.Metric{"cases"}) {
		t.Errorf("Missing = %v", got)
	}
	if err := s.Set("nps", math.NaN()); !errors.Is(err, valuepath.ErrNotFinite) {
		t.Errorf("Set(NaN) err = %v", err)
	}
	if v, _ := s.Value("nps"); v != 42 {
		t.Errorf("a rejected Set changed the value to %v", v)
	}
	if err := s.Set("other", 1); !errors.Is(err, valuepath.ErrUnknownMetric) {
		t.Errorf("Set(unknown) err = %v", err)
	}

	c := s.Clone()
	s.Reset("other", t0)
	if v, ok := c.Value("nps"); !ok || v != 42 || c.Account != "acme" {
		t.Errorf("clone changed with its original: %v %v %v", v, ok, c.Account)
	}

	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"account": "acme", "as_of": "2026-01-01T00:00:00Z",
		"values":   map[string]any{"logins": 0.0, "nps": 42.0},
		"missing":  []any{"cases"},
		"coverage": map[string]any{"present": 2.0, "total": 3.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestNewSchemaRejectsEmptyAndDuplicateNames(t *testing.T) {
	_, err := valuepath.NewSchema("a", "", "b", "a")
	for _, want := range []string{"metrics[1]", "metrics[3]", `"a"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to name %s", err, want)
		}
	}
}

func TestSnapshotOf(t *testing.T) {
	s, err := valuepath.SnapshotOf("a", t0, map[valuepath.Metric]float64{"z": 1, "b": 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Schema().Metric(0); got != "b" {
		t.Errorf("schema is not sorted: first metric %q", got)
	}
	if _, err := valuepath.SnapshotOf("a", t0, map[valuepath.Metric]float64{"x": math.Inf(1)}); !errors.Is(err, valuepath.ErrNotFinite) {
		t.Errorf("err = %v, want ErrNotFinite", err)
	}
}

func TestSnapshotCloneIntoReusesStorage(t *testing.T) {
	small := valuepath.Must(valuepath.NewSchema("a"))
	schema := valuepath.Must(valuepath.NewSchema("logins", "cases", "nps"))
	s := valuepath.NewSnapshot(schema, "acme", t0)
	if err := s.Set("nps", 42); err != nil {
		t.Fatal(err)
	}
	dst := valuepath.NewSnapshot(small, "old", t0.AddDate(0, 0, 1))
	if err := dst.Set("a", 7); err != nil {
		t.Fatal(err)
	}
	s.CloneInto(dst)
	s.Reset("other", t0)
	if dst.Schema() != schema || dst.Account != "acme" || !dst.AsOf.Equal(t0) {
		t.Fatalf("CloneInto kept the old identity: %v %v %v", dst.Schema().Len(), dst.Account, dst.AsOf)
	}
	if v, ok := dst.Value("nps"); !ok || v != 42 {
		t.Errorf("nps = %v, %v after the original was reset", v, ok)
	}
	if _, ok := dst.Value("logins"); ok {
		t.Error("logins present in the copy")
	}
	if n := testing.AllocsPerRun(100, func() { s.CloneInto(dst) }); n != 0 {
		t.Errorf("CloneInto into a grown snapshot allocates %v times", n)
	}
}
