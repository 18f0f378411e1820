package validate

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/valuepath/valuepath"
)

func TestCollector(t *testing.T) {
	c := New("health")
	if c.Err() != nil {
		t.Fatal("empty collector reports an error")
	}
	path := Field(Index("measures", 2), "weight")
	c.Positive(path, -1)
	c.Finite(Key("bands", "red"), math.Inf(1))
	c.NonEmpty(Field("", "id"), "")
	if ok := c.Positive("fine", 2); !ok {
		t.Error("Positive(2) = false")
	}
	err := c.Err()
	want := "health: measures[2].weight: invalid value: must be > 0, got -1\n" +
		`health: bands["red"]: not a finite number: +Inf` + "\n" +
		"health: id: invalid value: must not be empty"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c.Len() != 3 || !errors.Is(err, valuepath.ErrNotFinite) || !errors.Is(err, valuepath.ErrInvalid) {
		t.Errorf("Len = %d, err = %v", c.Len(), err)
	}
	var fe *valuepath.FieldError
	if !errors.As(err, &fe) || fe.Path != "measures[2].weight" || fe.Pkg != "health" {
		t.Errorf("first FieldError = %+v", fe)
	}
}

func TestPaths(t *testing.T) {
	c := New("x")
	c.NonEmpty("b", "")
	c.NonEmpty("a", "")
	nested := errors.Join(c.Err(), errors.New("not a field error"), &valuepath.FieldError{Pkg: "x", Path: "c"})
	if diff := cmp.Diff([]string{"a", "b", "c"}, Paths(nested)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := Paths(nil); got != nil {
		t.Errorf("Paths(nil) = %v", got)
	}
}
