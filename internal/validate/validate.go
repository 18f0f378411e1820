// Package validate accumulates the problems found while validating a model,
// each as a *valuepath.FieldError with its field path, so that a constructor
// can report all of them at once.
package validate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/valuepath/valuepath"
)

// Collector gathers field errors for one package. The zero value collects
// errors with an empty package name; set Pkg.
type Collector struct {
	Pkg  string
	errs []error
}

// New returns a collector for package pkg (e.g. "health").
func New(pkg string) *Collector { return &Collector{Pkg: pkg} }

// Add records err at path.
func (c *Collector) Add(path string, err error) {
	c.errs = append(c.errs, &valuepath.FieldError{Pkg: c.Pkg, Path: path, Err: err})
}

// Addf records at path an error that wraps sentinel, with a formatted
// message: "<sentinel>: <message>".
func (c *Collector) Addf(path string, sentinel error, format string, args ...any) {
	c.Add(path, fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

// Len returns the number of problems recorded.
func (c *Collector) Len() int { return len(c.errs) }

// Err returns every recorded problem joined with errors.Join, or nil.
func (c *Collector) Err() error { return errors.Join(c.errs...) }

// Finite records a problem at path and returns false if v is NaN or infinite.
func (c *Collector) Finite(path string, v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.Addf(path, valuepath.ErrNotFinite, "%v", v)
		return false
	}
	return true
}

// Positive records a problem at path and returns false unless v is finite
// and > 0.
func (c *Collector) Positive(path string, v float64) bool {
	if !c.Finite(path, v) {
		return false
	}
	if v <= 0 {
		c.Addf(path, valuepath.ErrInvalid, "must be > 0, got %v", v)
		return false
	}
	return true
}

// NonEmpty records a problem at path and returns false if s is empty.
func (c *Collector) NonEmpty(path, s string) bool {
	if s == "" {
		c.Addf(path, valuepath.ErrInvalid, "must not be empty")
		return false
	}
	return true
}

// Index returns path[i].
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Key returns path["key"].
func Key(path, key string) string { return path + "[" + strconv.Quote(key) + "]" }

// Field returns path.name, or name alone when path is empty.
func Field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Paths returns the sorted field paths of the *valuepath.FieldErrors that
// err holds, walking errors.Join trees; other errors are skipped. Tests use
// it to assert exactly which fields a constructor reported.
func Paths(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *valuepath.FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Path)
		}
	}
	walk(err)
	slices.Sort(out)
	return out
}
