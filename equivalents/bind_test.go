package equivalents_test

import (
	"errors"
	"testing"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/equivalents"
)

func TestBinding(t *testing.T) {
	c := allBuiltins(t)
	p, _ := c.Path("transaction", equivalents.Hour)
	schema := valuepath.Must(valuepath.NewSchema("logins_30d", "transactions_30d"))
	b, err := p.Bind(schema, "transactions_30d")
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	full := valuepath.NewSnapshot(schema, "acme", asOf)
	if err := full.Set("transactions_30d", 1200); err != nil {
		t.Fatal(err)
	}
	empty := valuepath.NewSnapshot(schema, "beta", asOf)
	other := valuepath.NewSnapshot(valuepath.Must(valuepath.NewSchema("transactions_30d")), "gamma", asOf)

	got, ok, err := b.Apply(full)
	if err != nil || !ok || got.String() != "60" {
		t.Errorf("Apply(full) = %s, %v, %v; want 60 hours", got, ok, err)
	}
	if _, ok, err := b.Apply(empty); ok || err != nil {
		t.Errorf("Apply(missing) = %v, %v; want missing, no error", ok, err)
	}
	if _, _, err := b.Apply(other); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("Apply(other schema): %v", err)
	}
	if _, err := p.Bind(schema, "nope"); !errors.Is(err, valuepath.ErrUnknownMetric) {
		t.Errorf("Bind(unknown metric): %v", err)
	}
	if _, err := p.Bind(nil, "x"); !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("Bind(nil schema): %v", err)
	}
	if b.Path() != p {
		t.Error("Path() is not the bound path")
	}
}
