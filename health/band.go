package health

import (
	"fmt"
	"math"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// Band names a range of scores, such as "red". It is a plain string so that
// other packages and hosts (a renewal forecast, a UI) can accept band names
// without importing this package's types; it marshals as a JSON string.
type Band string

// The bands of [DefaultBands], worst first.
const (
	Red    Band = "red"
	Yellow Band = "yellow"
	Green  Band = "green"
)

// BandRange is one band of a [BandSet]: the scores s with Min ≤ s < Max, and
// for the last band of a set also s = Max (that is, 100).
type BandRange struct {
	Name Band    `json:"name"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// BandSet is an ordered partition of the score range [0, 100] into bands,
// worst first: the first band starts at 0, each band starts where the one
// before ends (no gaps, no overlaps), the last ends at 100 and includes it.
// An empty BandSet in a [ScorecardSpec] means [DefaultBands].
type BandSet []BandRange

// DefaultBands is the band set used when a scorecard names none:
// red for 0 ≤ s < 50, yellow for 50 ≤ s < 75, green for 75 ≤ s ≤ 100.
// It is a function so that no caller can change the default for another.
func DefaultBands() BandSet {
	return BandSet{{Red, 0, 50}, {Yellow, 50, 75}, {Green, 75, 100}}
}

// check records every problem with bs under path.
func (bs BandSet) check(c *validate.Collector, path string) {
	if len(bs) == 0 {
		c.Addf(path, valuepath.ErrInvalid, "must have at least one band")
		return
	}
	seen := map[Band]int{}
	for i, b := range bs {
		p := validate.Index(path, i)
		if c.NonEmpty(validate.Field(p, "name"), string(b.Name)) {
			if j, dup := seen[b.Name]; dup {
				c.Addf(validate.Field(p, "name"), valuepath.ErrDuplicate, "band %q (also %s)", b.Name, validate.Index(path, j))
			} else {
				seen[b.Name] = i
			}
		}
		okMin := c.Finite(validate.Field(p, "min"), b.Min)
		okMax := c.Finite(validate.Field(p, "max"), b.Max)
		if okMin && okMax && b.Min >= b.Max {
			c.Addf(p, valuepath.ErrInvalid, "min %v must be below max %v", b.Min, b.Max)
		}
		if i == 0 && okMin && b.Min != 0 {
			c.Addf(validate.Field(p, "min"), valuepath.ErrInvalid, "the first band must start at 0, got %v", b.Min)
		}
		if i == len(bs)-1 && okMax && b.Max != 100 {
			c.Addf(validate.Field(p, "max"), valuepath.ErrInvalid, "the last band must end at 100, got %v", b.Max)
		}
		if i > 0 {
			prev := bs[i-1]
			switch {
			case b.Min > prev.Max:
				c.Addf(validate.Field(p, "min"), valuepath.ErrInvalid, "gap: %s ends at %v but %s starts at %v", prev.Name, prev.Max, b.Name, b.Min)
			case b.Min < prev.Max:
				c.Addf(validate.Field(p, "min"), valuepath.ErrInvalid, "overlap: %s ends at %v but %s starts at %v", prev.Name, prev.Max, b.Name, b.Min)
			}
		}
	}
}

// Of returns the band of score s and its position in the set (0 is the
// worst). Scores below 0 fall in the first band, above 100 in the last.
func (bs BandSet) Of(s float64) (Band, int) {
	i := bs.index(s)
	if i < 0 {
		return "", -1
	}
	return bs[i].Name, i
}

func (bs BandSet) index(s float64) int {
	if len(bs) == 0 {
		return -1
	}
	for i := len(bs) - 1; i > 0; i-- {
		if s >= bs[i].Min {
			return i
		}
	}
	return 0
}

// Rank returns the position of band b in the set, 0 being the worst, and
// false if the set has no such band.
func (bs BandSet) Rank(b Band) (int, bool) {
	for i := range bs {
		if bs[i].Name == b {
			return i, true
		}
	}
	return -1, false
}

// Sticky returns the band for score s given the band prev it was in, with
// hysteresis: the band changes only once s has crossed a boundary by more
// than margin points, so a score wobbling around 50 does not flip between red
// and yellow every day. Moving up, the new band is the band of s-margin;
// moving down, the band of s+margin. With an unknown prev or margin ≤ 0 it is
// the plain band of s.
func (bs BandSet) Sticky(prev Band, s, margin float64) Band {
	b, i := bs.Of(s)
	p, ok := bs.Rank(prev)
	if !ok || !(margin > 0) || math.IsInf(margin, 0) || i == p {
		return b
	}
	if i > p {
		j := max(bs.index(s-margin), p)
		return bs[j].Name
	}
	j := min(bs.index(s+margin), p)
	return bs[j].Name
}

// String returns the set as "red [0,50) yellow [50,75) green [75,100]".
func (bs BandSet) String() string {
	s := ""
	for i, b := range bs {
		if i > 0 {
			s += " "
		}
		closeBr := ")"
		if i == len(bs)-1 {
			closeBr = "]"
		}
		s += fmt.Sprintf("%s [%g,%g%s", b.Name, b.Min, b.Max, closeBr)
	}
	return s
}
