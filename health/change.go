package health

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
)

// Trend is the direction of a score against the previous one. The zero
// value, "", is no trend: the direction between scores of which one is
// unknown (NaN or infinite).
type Trend string

// The trends.
const (
	Up   Trend = "up"
	Down Trend = "down"
	Flat Trend = "flat"
)

// TrendOf compares score cur with prev: Up or Down when they differ by more
// than tolerance points, Flat otherwise. A negative or non-finite tolerance
// counts as 0. When prev or cur is NaN or infinite there is no trend, and
// TrendOf returns "" rather than claim Flat.
func TrendOf(prev, cur, tolerance float64) Trend {
	if math.IsNaN(prev) || math.IsInf(prev, 0) || math.IsNaN(cur) || math.IsInf(cur, 0) {
		return ""
	}
	if !(tolerance >= 0) || math.IsInf(tolerance, 0) {
		tolerance = 0
	}
	switch d := cur - prev; {
	case d > tolerance:
		return Up
	case d < -tolerance:
		return Down
	}
	return Flat
}

// Change is one measure's part in the change between two scores.
type Change struct {
	Measure string `json:"measure"`
	// From and To are the measure's contributions to the earlier and later
	// score; Delta = To − From. The deltas of all measures sum to the
	// change of the overall score.
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Delta float64 `json:"delta"`
	// FromScore and ToScore are the measure's own scores (0 when not
	// counted), to tell "its value moved" from "its weight moved".
	FromScore float64 `json:"from_score"`
	ToScore   float64 `json:"to_score"`
}

// Attribution explains the change between two scores of one account.
type Attribution struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Delta float64 `json:"delta"`
	Trend Trend   `json:"trend"`
	// Changes lists every measure whose contribution moved, largest
	// absolute delta first (ties in declaration order).
	Changes []Change `json:"changes"`
}

// Attribute splits the change from prev to cur among the measures that
// moved it, largest first, with tolerance (points) deciding the trend. Both
// scores must come from the same scorecard (equal hashes) and be present;
// otherwise it returns an error.
func Attribute(prev, cur *Score, tolerance float64) (Attribution, error) {
	switch {
	case prev == nil || cur == nil:
		return Attribution{}, fmt.Errorf("health: attribute: %w: nil score", valuepath.ErrInvalid)
	case prev.Scorecard != cur.Scorecard:
		return Attribution{}, fmt.Errorf("health: attribute: %w: scores from different scorecards (%s, %s)", valuepath.ErrInvalid, prev.Scorecard, cur.Scorecard)
	case !prev.Present || !cur.Present:
		return Attribution{}, fmt.Errorf("health: attribute: %w: both scores must be present", valuepath.ErrInvalid)
	case len(prev.Measures) != len(cur.Measures):
		return Attribution{}, fmt.Errorf("health: attribute: %w: scores have %d and %d measures", valuepath.ErrInvalid, len(prev.Measures), len(cur.Measures))
	}
	a := Attribution{From: prev.Value, To: cur.Value, Delta: cur.Value - prev.Value, Trend: TrendOf(prev.Value, cur.Value, tolerance)}
	for i := range cur.Measures {
		p, c := &prev.Measures[i], &cur.Measures[i]
		d := c.Contribution - p.Contribution
		if d == 0 {
			continue
		}
		a.Changes = append(a.Changes, Change{Measure: c.ID, From: p.Contribution, To: c.Contribution, Delta: d, FromScore: p.Score, ToScore: c.Score})
	}
	slices.SortStableFunc(a.Changes, func(x, y Change) int {
		ax, ay := math.Abs(x.Delta), math.Abs(y.Delta)
		switch {
		case ax > ay:
			return -1
		case ax < ay:
			return 1
		}
		return 0
	})
	return a, nil
}

// Sentiment is a person's judgement of an account, carried beside the
// computed score, never averaged into it: a CSM's sense of the relationship
// or a deliberate override.
type Sentiment struct {
	Band   Band      `json:"band"`
	Author string    `json:"author"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	// Override asks consumers to act on Band instead of the computed band
	// (the score itself is unchanged).
	Override bool `json:"override,omitempty"`
}

// SentimentCheck is a computed score with a person's [Sentiment] beside it,
// and whether the two disagree.
type SentimentCheck struct {
	Score     *Score    `json:"score"`
	Sentiment Sentiment `json:"sentiment"`
	// Disagrees is true when the sentiment's band differs from the
	// computed band; Gap is by how many bands (positive: the person is
	// more optimistic than the data).
	Disagrees bool `json:"disagrees"`
	Gap       int  `json:"gap"`
	// Effective is the band to act on: the sentiment's when it is an
	// override, the computed one otherwise.
	Effective Band `json:"effective"`
}

// CheckSentiment sets sentiment beside score and flags disagreement. The
// sentiment needs a band of the scorecard, an author and a reason; the score
// must be present and made by sc.
func (sc *Scorecard) CheckSentiment(score *Score, sentiment Sentiment) (SentimentCheck, error) {
	if score == nil || !score.Present {
		return SentimentCheck{}, fmt.Errorf("health: check sentiment: %w: score is not present", valuepath.ErrInvalid)
	}
	if score.Scorecard != sc.hash {
		return SentimentCheck{}, fmt.Errorf("health: check sentiment: %w: score made by scorecard %s, not %s", valuepath.ErrInvalid, score.Scorecard, sc.hash)
	}
	m, ok := sc.bands.Rank(sentiment.Band)
	if !ok {
		return SentimentCheck{}, &valuepath.FieldError{Pkg: "health", Path: "sentiment.band", Err: fmt.Errorf("%w: unknown band %q (the scorecard's bands are %s)", valuepath.ErrInvalid, sentiment.Band, sc.bands)}
	}
	if sentiment.Author == "" {
		return SentimentCheck{}, &valuepath.FieldError{Pkg: "health", Path: "sentiment.author", Err: fmt.Errorf("%w: must not be empty", valuepath.ErrInvalid)}
	}
	if sentiment.Reason == "" {
		return SentimentCheck{}, &valuepath.FieldError{Pkg: "health", Path: "sentiment.reason", Err: fmt.Errorf("%w: must not be empty", valuepath.ErrInvalid)}
	}
	c, _ := sc.bands.Rank(score.Band)
	a := SentimentCheck{Score: score, Sentiment: sentiment, Gap: m - c, Disagrees: m != c, Effective: score.Band}
	if sentiment.Override {
		a.Effective = sentiment.Band
	}
	return a, nil
}
