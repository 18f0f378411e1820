package revenue

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// ReferenceSpec is the configuration of a [Reference]: ascending
// Thresholds cut the line into len(Thresholds)+1 bands named by Labels,
// lowest first. A value equal to a threshold falls in the band above it.
// Source says where the ranges come from, because reference figures are
// only as good as their source.
type ReferenceSpec struct {
	Metric     string    `json:"metric"`
	Source     string    `json:"source"`
	Thresholds []float64 `json:"thresholds"`
	Labels     []string  `json:"labels"`
}

// Reference is a validated reference range for one metric, to compare a
// measured value against. Build it with [NewReference]; it is immutable and
// safe for concurrent use.
type Reference struct {
	spec ReferenceSpec
}

// Standing is where a value stands against a [Reference]: the band it falls
// in, with the band's label and bounds and the reference's source.
type Standing struct {
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
	// Band is the index of the band, 0 for the lowest; Label its name.
	Band  int    `json:"band"`
	Label string `json:"label"`
	// Range describes the band's bounds, e.g. "1.1 to 1.25".
	Range  string `json:"range"`
	Source string `json:"source"`
}

// NewReference validates spec and returns the reference. Every problem is
// reported, each with its field path: no metric, thresholds not finite or
// not strictly ascending, the wrong number of labels, empty labels. spec is
// copied, not kept.
func NewReference(spec ReferenceSpec) (*Reference, error) {
	c := validate.New("revenue")
	c.NonEmpty("metric", spec.Metric)
	for i, t := range spec.Thresholds {
		if c.Finite(validate.Index("thresholds", i), t) && i > 0 && !(t > spec.Thresholds[i-1]) {
			c.Addf(validate.Index("thresholds", i), valuepath.ErrInvalid, "%v is not above thresholds[%d] %v", t, i-1, spec.Thresholds[i-1])
		}
	}
	if len(spec.Labels) != len(spec.Thresholds)+1 {
		c.Addf("labels", valuepath.ErrInvalid, "want %d labels for %d thresholds, got %d", len(spec.Thresholds)+1, len(spec.Thresholds), len(spec.Labels))
	}
	for i, l := range spec.Labels {
		c.NonEmpty(validate.Index("labels", i), l)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return &Reference{spec: cloneSpec(spec)}, nil
}

func cloneSpec(s ReferenceSpec) ReferenceSpec {
	s.Thresholds = slices.Clone(s.Thresholds)
	s.Labels = slices.Clone(s.Labels)
	return s
}

// Spec returns a copy of the configuration r was built from.
func (r *Reference) Spec() ReferenceSpec { return cloneSpec(r.spec) }

// Assess places v in r's bands. It fails only if v is not finite.
func (r *Reference) Assess(v float64) (Standing, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Standing{}, fmt.Errorf("revenue: assess %s: %w: %v", r.spec.Metric, valuepath.ErrNotFinite, v)
	}
	th := r.spec.Thresholds
	band := 0
	for band < len(th) && v >= th[band] {
		band++
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	var rng string
	switch {
	case len(th) == 0:
		rng = "any value"
	case band == 0:
		rng = "below " + f(th[0])
	case band == len(th):
		rng = f(th[band-1]) + " or more"
	default:
		rng = f(th[band-1]) + " to " + f(th[band])
	}
	return Standing{Metric: r.spec.Metric, Value: v, Band: band, Label: r.spec.Labels[band], Range: rng, Source: r.spec.Source}, nil
}

// The reference ranges below are the figures the customer-success practice
// this package encodes states, as rules of thumb for B2B SaaS; replace them
// with your segment's figures when you have them (build your own with
// [NewReference]).

// NRRReference returns the reference for net revenue retention over twelve
// months: at least 100% means the base grows on its own, and 110% to 125%
// is the best-in-class band. The practice states no band above 125%, so a
// value of 125% or more is best in class too, never a band of its own.
func NRRReference() *Reference {
	return &Reference{spec: ReferenceSpec{Metric: "nrr", Source: "customer-success practice (rule of thumb for B2B SaaS): NRR of 100% or more grows the base; 110%-125% is best in class",
		Thresholds: []float64{1.0, 1.1}, Labels: []string{"shrinking", "healthy", "best in class"}}}
}

// TimeToValueReference returns the reference for time to first value, in
// days from the signature (or kickoff) to the first value the customer
// recognises: the practice expects initial value in 4 to 6 weeks. Under 28
// days is ahead of it, 28 to 42 days on it, and 42 days or more behind (a
// value equal to a threshold falls in the band above).
func TimeToValueReference() *Reference {
	return &Reference{spec: ReferenceSpec{Metric: "time to value (days)", Source: "customer-success practice: initial value in 4-6 weeks",
		Thresholds: []float64{28, 42}, Labels: []string{"ahead (under 4 weeks)", "on the reference (4 to 6 weeks)", "behind (6 weeks or more)"}}}
}

// TimeToAdvocacyReference returns the reference for the days it takes a
// new customer to become an advocate: the practice's aim is under 60 days.
func TimeToAdvocacyReference() *Reference {
	return &Reference{spec: ReferenceSpec{Metric: "time to advocacy (days)", Source: "customer-success practice: a new customer an advocate in under 60 days",
		Thresholds: []float64{60}, Labels: []string{"on the reference (under 60 days)", "behind (60 days or more)"}}}
}

// GRRReference returns the reference for gross revenue retention over
// twelve months.
func GRRReference() *Reference {
	return &Reference{spec: ReferenceSpec{Metric: "grr", Source: "common B2B SaaS rule of thumb: GRR of 90% or more strong, 80-90% typical",
		Thresholds: []float64{0.8, 0.9}, Labels: []string{"weak", "typical", "strong"}}}
}

// LogoChurnReference returns the reference for annual logo churn: under 5%
// a year is best in class for B2B.
func LogoChurnReference() *Reference {
	return &Reference{spec: ReferenceSpec{Metric: "annual logo churn", Source: "common B2B SaaS rule of thumb: under 5% a year best in class",
		Thresholds: []float64{0.05, 0.1}, Labels: []string{"best in class", "typical", "high"}}}
}
