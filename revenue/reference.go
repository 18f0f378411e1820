package revenue

import (
	"fmt"
	"math"
	"strconv"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Reference is a stated reference range for one metric, to compare a
// measured value against: ascending Thresholds cut the line into
// len(Thresholds)+1 bands named by Labels, lowest first. A value equal to a
// threshold falls in the band above it. Source says where the ranges come
// from, because reference figures are only as good as their source.
type Reference struct {
	Metric     string    `json:"metric"`
	Source     string    `json:"source"`
	Thresholds []float64 `json:"thresholds"`
	Labels     []string  `json:"labels"`
}

// Assessment places a value in a [Reference]'s bands.
type Assessment struct {
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
	// Band is the index of the band, 0 for the lowest; Label its name.
	Band  int    `json:"band"`
	Label string `json:"label"`
	// Range describes the band's bounds, e.g. "1.1 to 1.25".
	Range  string `json:"range"`
	Source string `json:"source"`
}

// Check reports every problem of r: no metric, thresholds not finite or not
// strictly ascending, the wrong number of labels.
func (r Reference) Check() error {
	c := validate.New("revenue")
	c.NonEmpty("metric", r.Metric)
	for i, t := range r.Thresholds {
		if c.Finite(validate.Index("thresholds", i), t) && i > 0 && !(t > r.Thresholds[i-1]) {
			c.Addf(validate.Index("thresholds", i), valuepath.ErrInvalid, "%v is not above thresholds[%d] %v", t, i-1, r.Thresholds[i-1])
		}
	}
	if len(r.Labels) != len(r.Thresholds)+1 {
		c.Addf("labels", valuepath.ErrInvalid, "want %d labels for %d thresholds, got %d", len(r.Thresholds)+1, len(r.Thresholds), len(r.Labels))
	}
	for i, l := range r.Labels {
		c.NonEmpty(validate.Index("labels", i), l)
	}
	return c.Err()
}

// Assess places v in r's bands. It fails if r is not valid or v is not
// finite.
func (r Reference) Assess(v float64) (Assessment, error) {
	if err := r.Check(); err != nil {
		return Assessment{}, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Assessment{}, fmt.Errorf("revenue: assess %s: %w: %v", r.Metric, valuepath.ErrNotFinite, v)
	}
	band := 0
	for band < len(r.Thresholds) && v >= r.Thresholds[band] {
		band++
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	var rng string
	switch {
	case len(r.Thresholds) == 0:
		rng = "any value"
	case band == 0:
		rng = "below " + f(r.Thresholds[0])
	case band == len(r.Thresholds):
		rng = f(r.Thresholds[band-1]) + " or more"
	default:
		rng = f(r.Thresholds[band-1]) + " to " + f(r.Thresholds[band])
	}
	return Assessment{Metric: r.Metric, Value: v, Band: band, Label: r.Labels[band], Range: rng, Source: r.Source}, nil
}

// The reference ranges below are rules of thumb commonly quoted for B2B
// SaaS (and named in the issue this package was built from); replace them
// with your segment's figures when you have them. Each call returns a fresh
// copy, so changing one never changes another.

// NRRReference returns the reference for net revenue retention over twelve
// months: at least 100% means the base grows on its own, 110–125% is best in
// class.
func NRRReference() Reference {
	return Reference{Metric: "nrr", Source: "common B2B SaaS rule of thumb: NRR of 100% or more, 110-125% best in class",
		Thresholds: []float64{1.0, 1.1, 1.25}, Labels: []string{"shrinking", "healthy", "best in class", "exceptional"}}
}

// GRRReference returns the reference for gross revenue retention over
// twelve months.
func GRRReference() Reference {
	return Reference{Metric: "grr", Source: "common B2B SaaS rule of thumb: GRR of 90% or more strong, 80-90% typical",
		Thresholds: []float64{0.8, 0.9}, Labels: []string{"weak", "typical", "strong"}}
}

// LogoChurnReference returns the reference for annual logo churn: under 5%
// a year is best in class for B2B.
func LogoChurnReference() Reference {
	return Reference{Metric: "annual logo churn", Source: "common B2B SaaS rule of thumb: under 5% a year best in class",
		Thresholds: []float64{0.05, 0.1}, Labels: []string{"best in class", "typical", "high"}}
}
