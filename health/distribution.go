package health

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/stats"
	"github.com/valuepath/valuepath/internal/validate"
)

// DistributionOptions tunes [Scorecard.Distribution]. The zero value is
// ready to use.
type DistributionOptions struct {
	// Bins is the number of equal-width histogram bins over 0–100; zero
	// means 10.
	Bins int `json:"bins,omitempty"`
	// TailShare, when > 0, defines the tails by percentile: the at-risk
	// tail is the lowest TailShare of accounts, the advocate tail the
	// highest. Zero defines them by band: the worst band and the best.
	TailShare float64 `json:"tail_share,omitempty"`
}

// Distribution describes a customer base's scores: the curve a team wants
// to move right, and the two tails that need attention. With no score
// present, its statistics and shares are absent, never 0.
type Distribution struct {
	// Count is the number of scores present; Unavailable the others,
	// which nothing below includes.
	Count       int              `json:"count"`
	Unavailable int              `json:"unavailable"`
	Mean        valuepath.Number `json:"mean"`
	Median      valuepath.Number `json:"median"`
	// Percentiles holds the 10th, 25th, 50th, 75th and 90th percentiles.
	Percentiles []Percentile `json:"percentiles"`
	Histogram   []Bin        `json:"histogram"`
	// Bands counts the scores per overall band, worst band first.
	Bands     []BandCount `json:"bands"`
	AtRisk    Tail        `json:"at_risk"`
	Advocates Tail        `json:"advocates"`
}

// Percentile is the score below which P percent of accounts fall.
type Percentile struct {
	P     int              `json:"p"`
	Value valuepath.Number `json:"value"`
}

// Bin is one histogram bin: scores s with Min ≤ s < Max (the last bin also
// holds s = Max). Share is Count over the scores present.
type Bin struct {
	Min   float64          `json:"min"`
	Max   float64          `json:"max"`
	Count int              `json:"count"`
	Share valuepath.Number `json:"share"`
}

// BandCount is how many accounts are in a band, and their share of the
// scores present.
type BandCount struct {
	Band  Band             `json:"band"`
	Count int              `json:"count"`
	Share valuepath.Number `json:"share"`
}

// Tail is one end of the distribution.
type Tail struct {
	// By is "band" or "percentile"; Band names the band of a band tail.
	By   string `json:"by"`
	Band Band   `json:"band,omitempty"`
	// Bound is the score that closes the tail: the highest score in the
	// at-risk tail, the lowest in the advocate tail; absent for an empty
	// tail.
	Bound valuepath.Number `json:"bound"`
	Count int              `json:"count"`
	Share valuepath.Number `json:"share"`
	// Accounts are the tail's accounts, most extreme first (lowest
	// scores first for at-risk, highest first for advocates), ties by id.
	Accounts []valuepath.AccountID `json:"accounts"`
}

var percentiles = []int{10, 25, 50, 75, 90}

// Distribution summarises scores (typically one per account, as of one
// time). Scores that are not present are counted apart. opt.Bins must be 0 to 100 and
// opt.TailShare within 0 to 0.5. Each account may appear once: a repeated
// account id is an error wrapping [valuepath.ErrDuplicate] naming both
// indexes.
func (sc *Scorecard) Distribution(scores []*Score, opt DistributionOptions) (*Distribution, error) {
	c := validate.New("health")
	if opt.Bins < 0 || opt.Bins > 100 {
		c.Addf("options.bins", valuepath.ErrInvalid, "must be within 0 and 100, got %d", opt.Bins)
	}
	if c.Finite("options.tail_share", opt.TailShare) && (opt.TailShare < 0 || opt.TailShare > 0.5) {
		c.Addf("options.tail_share", valuepath.ErrInvalid, "must be within 0 and 0.5, got %v", opt.TailShare)
	}
	seen := make(map[valuepath.AccountID]int, len(scores))
	for i, s := range scores {
		if s == nil {
			c.Addf(validate.Index("scores", i), valuepath.ErrInvalid, "nil score")
			continue
		}
		// One score per account: a repeated account would be counted
		// once per copy in every statistic and tail.
		if j, dup := seen[s.Account]; dup {
			c.Addf(validate.Field(validate.Index("scores", i), "account"), valuepath.ErrDuplicate, "account %q is also scores[%d]", s.Account, j)
			continue
		}
		seen[s.Account] = i
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if opt.Bins == 0 {
		opt.Bins = 10
	}
	type row struct {
		id   valuepath.AccountID
		v    float64
		band Band
	}
	rows := make([]row, 0, len(scores))
	d := &Distribution{}
	for _, s := range scores {
		if !s.Present || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			d.Unavailable++
			continue
		}
		rows = append(rows, row{s.Account, s.Value, s.Band})
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.v, b.v), cmp.Compare(a.id, b.id))
	})
	vals := make([]float64, len(rows))
	for i, r := range rows {
		vals[i] = r.v
	}
	n := len(rows)
	d.Count = n
	d.Mean, d.Median = noScores, noScores
	if n > 0 {
		d.Mean, d.Median = valuepath.Defined(stats.Mean(vals)), valuepath.Defined(stats.Median(vals))
	}
	for _, p := range percentiles {
		q := noScores
		if n > 0 {
			q = valuepath.Defined(stats.Quantile(vals, float64(p)/100))
		}
		d.Percentiles = append(d.Percentiles, Percentile{P: p, Value: q})
	}
	edges := make([]float64, opt.Bins+1)
	for i := range edges {
		edges[i] = 100 * float64(i) / float64(opt.Bins)
	}
	for i, k := range stats.Histogram(vals, edges) {
		d.Histogram = append(d.Histogram, Bin{Min: edges[i], Max: edges[i+1], Count: k, Share: share(k, n)})
	}
	for _, b := range sc.bands {
		k := 0
		for _, r := range rows {
			if r.band == b.Name {
				k++
			}
		}
		d.Bands = append(d.Bands, BandCount{Band: b.Name, Count: k, Share: share(k, n)})
	}
	d.AtRisk = Tail{By: "band", Accounts: []valuepath.AccountID{}, Bound: emptyTail}
	d.Advocates = Tail{By: "band", Accounts: []valuepath.AccountID{}, Bound: emptyTail}
	if opt.TailShare > 0 {
		d.AtRisk.By, d.Advocates.By = "percentile", "percentile"
		k := int(math.Ceil(opt.TailShare * float64(n)))
		for i := 0; i < k && i < n; i++ {
			d.AtRisk.Accounts = append(d.AtRisk.Accounts, rows[i].id)
			d.AtRisk.Bound = valuepath.Defined(rows[i].v)
		}
		for i := n - 1; i >= n-k && i >= 0; i-- {
			d.Advocates.Accounts = append(d.Advocates.Accounts, rows[i].id)
			d.Advocates.Bound = valuepath.Defined(rows[i].v)
		}
	} else {
		worst, best := sc.bands[0].Name, sc.bands[len(sc.bands)-1].Name
		d.AtRisk.Band, d.Advocates.Band = worst, best
		for i := 0; i < n; i++ {
			if rows[i].band == worst {
				d.AtRisk.Accounts = append(d.AtRisk.Accounts, rows[i].id)
				d.AtRisk.Bound = valuepath.Defined(rows[i].v)
			}
		}
		for i := n - 1; i >= 0; i-- {
			if rows[i].band == best {
				d.Advocates.Accounts = append(d.Advocates.Accounts, rows[i].id)
				d.Advocates.Bound = valuepath.Defined(rows[i].v)
			}
		}
	}
	d.AtRisk.Count, d.AtRisk.Share = len(d.AtRisk.Accounts), share(len(d.AtRisk.Accounts), n)
	d.Advocates.Count, d.Advocates.Share = len(d.Advocates.Accounts), share(len(d.Advocates.Accounts), n)
	return d, nil
}

// Reasons for the absent statistics of a distribution.
var (
	noScores  = valuepath.Absent("no score present")
	emptyTail = valuepath.Absent("empty tail")
)

// share returns k/n, absent when no score is present.
func share(k, n int) valuepath.Number {
	if n == 0 {
		return noScores
	}
	return valuepath.Defined(float64(k) / float64(n))
}

// Shift compares two distributions of the same base, such as this quarter
// against last: did the whole curve move right? A comparison with an empty
// distribution has absent deltas and moved "unknown".
type Shift struct {
	Mean   Delta `json:"mean"`
	Median Delta `json:"median"`
	// Percentiles compares each percentile of the two distributions.
	Percentiles []PercentileShift `json:"percentiles"`
	// AtRiskShare and AdvocateShare compare the tails' shares of accounts.
	AtRiskShare   Delta `json:"at_risk_share"`
	AdvocateShare Delta `json:"advocate_share"`
	// Moved is "right" when no percentile fell and at least one rose,
	// "left" for the reverse, "mixed" when some rose and some fell,
	// "none" when none moved, and "unknown" when either distribution has
	// no score.
	Moved string `json:"moved"`
}

// Delta is a before and after value and their difference, absent when
// either is.
type Delta struct {
	From  valuepath.Number `json:"from"`
	To    valuepath.Number `json:"to"`
	Delta valuepath.Number `json:"delta"`
}

// PercentileShift is one percentile before and after.
type PercentileShift struct {
	P int `json:"p"`
	Delta
}

func delta(a, b valuepath.Number) Delta {
	d := Delta{From: a, To: b}
	switch {
	case !a.Present:
		d.Delta = valuepath.Absent("nothing before: " + a.Reason)
	case !b.Present:
		d.Delta = valuepath.Absent("nothing after: " + b.Reason)
	default:
		d.Delta = valuepath.Defined(b.Value - a.Value)
	}
	return d
}

// Compare compares distribution before with after. Both should come from
// the same options for the tail shares to be comparable. It fails on a nil
// distribution.
func Compare(before, after *Distribution) (Shift, error) {
	if before == nil || after == nil {
		return Shift{}, fmt.Errorf("health: compare: %w: nil distribution", valuepath.ErrInvalid)
	}
	s := Shift{
		Mean: delta(before.Mean, after.Mean), Median: delta(before.Median, after.Median),
		AtRiskShare: delta(before.AtRisk.Share, after.AtRisk.Share), AdvocateShare: delta(before.Advocates.Share, after.Advocates.Share),
	}
	up, down := 0, 0
	for i := range before.Percentiles {
		if i >= len(after.Percentiles) {
			break
		}
		ps := PercentileShift{P: before.Percentiles[i].P, Delta: delta(before.Percentiles[i].Value, after.Percentiles[i].Value)}
		s.Percentiles = append(s.Percentiles, ps)
		switch v, ok := ps.Delta.Delta.Get(); {
		case ok && v > 0:
			up++
		case ok && v < 0:
			down++
		}
	}
	switch {
	case before.Count == 0 || after.Count == 0:
		s.Moved = "unknown"
	case up > 0 && down == 0:
		s.Moved = "right"
	case down > 0 && up == 0:
		s.Moved = "left"
	case up > 0:
		s.Moved = "mixed"
	default:
		s.Moved = "none"
	}
	return s, nil
}
