package health

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/stats"
	"github.com/valuepath/valuepath/internal/validate"
)

// AUC returns the area under the ROC curve of scores as a churn predictor:
// the probability that a randomly chosen retained account scores higher than
// a randomly chosen churned one, ties counting one half. 1 means the score
// separates them perfectly, 0.5 that it is no better than chance. It sorts
// copies of the scores, so it takes O(n log n) time; scores and churned are
// not modified. It fails on a length mismatch, a NaN or infinite score, or
// when either class has no members.
func AUC(scores []float64, churned []bool) (float64, error) {
	if len(scores) != len(churned) {
		return 0, fmt.Errorf("health: auc: %w: %d scores but %d outcomes", valuepath.ErrInvalid, len(scores), len(churned))
	}
	nc := 0
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, &valuepath.FieldError{Pkg: "health", Path: validate.Index("scores", i), Err: fmt.Errorf("%w: %v", valuepath.ErrNotFinite, s)}
		}
		if churned[i] {
			nc++
		}
	}
	nr := len(scores) - nc
	if nc == 0 || nr == 0 {
		return 0, fmt.Errorf("health: auc: %w: need both churned and retained accounts, got %d churned and %d retained", valuepath.ErrInvalid, nc, nr)
	}
	ch := make([]float64, 0, nc)
	re := make([]float64, 0, nr)
	for i, s := range scores {
		if churned[i] {
			ch = append(ch, s)
		} else {
			re = append(re, s)
		}
	}
	return aucSplit(re, ch), nil
}

// aucSplit computes the AUC of retained scores re against churned scores ch,
// both finite and non-empty; it sorts them in place.
func aucSplit(re, ch []float64) float64 {
	sortFloats(re)
	sortFloats(ch)
	// For each run of equal retained scores, count churned scores below
	// (wins) and equal (ties) with a pointer walking up ch.
	var wins float64
	lo, hi := 0, 0 // ch[:lo] < r, ch[lo:hi] == r
	for i := 0; i < len(re); {
		r := re[i]
		j := i
		for j < len(re) && re[j] == r {
			j++
		}
		for lo < len(ch) && ch[lo] < r {
			lo++
		}
		hi = max(hi, lo)
		for hi < len(ch) && ch[hi] == r {
			hi++
		}
		wins += float64(j-i) * (float64(lo) + 0.5*float64(hi-lo))
		i = j
	}
	return wins / (float64(len(re)) * float64(len(ch)))
}

// Outcome is what became of an account: churned at a date, or known to be
// retained until a date (a renewal, or the end of the data).
type Outcome struct {
	Account valuepath.AccountID `json:"account"`
	Churned bool                `json:"churned"`
	// At is the churn date when Churned, otherwise the date until which
	// the account is known to have stayed.
	At time.Time `json:"at"`
}

// BacktestOptions tunes [Scorecard.Backtest]. The zero value is ready to use.
type BacktestOptions struct {
	// Horizon is how far ahead a score predicts: a score at t is a churn
	// observation when the account churned within (t, t+Horizon], a
	// retained one when it was known to stay past t+Horizon. Scores whose
	// fate within the horizon is unknown are left out. Zero means 90 days.
	Horizon valuepath.Duration `json:"horizon,omitempty"`
	// Thresholds are the scores at which precision and recall of "flag
	// when score < threshold" are reported; empty means 10, 20, …, 90.
	Thresholds []float64 `json:"thresholds,omitempty"`
	// Leads are the times before churn at which the share of churners
	// below the best band is reported; empty means 30, 60 and 90 days.
	Leads []valuepath.Duration `json:"leads,omitempty"`
}

// Backtest reports how well a scorecard's scores predicted churn.
type Backtest struct {
	Scorecard string             `json:"scorecard"`
	Horizon   valuepath.Duration `json:"horizon"`
	// Observations counts the scores used; Churned those followed by
	// churn within the horizon. BaseRate = Churned / Observations.
	Observations int     `json:"observations"`
	Churned      int     `json:"churned"`
	BaseRate     float64 `json:"base_rate"`
	// AUC of the overall score over the observations; see [AUC].
	AUC        float64         `json:"auc"`
	Thresholds []ThresholdStat `json:"thresholds"`
	// Bands is the churn rate per overall band, worst first (calibration);
	// Lift of a band is its rate over the base rate.
	Bands []BandStat `json:"bands"`
	// Deciles is the churn rate per tenth of observations by score,
	// lowest scores first (calibration).
	Deciles []DecileStat `json:"deciles"`
	// WorstBandLift is the lift of the worst band (red by default).
	WorstBandLift float64 `json:"worst_band_lift"`
	Warning
	// Measures repeats the analysis per measure, on the measure's own
	// score and bands, to find which indicators actually lead.
	Measures []MeasureBacktest `json:"measures"`
}

// Warning says whether the warnings came early enough.
type Warning struct {
	// ChurnedAccounts counts the accounts that churned.
	ChurnedAccounts int `json:"churned_accounts"`
	// Leads is, at each lead time before churn, the share of churners
	// whose latest score by then was below the best band.
	Leads []LeadStat `json:"leads"`
	// Warned counts churners that were in the worst band at some point
	// after their last score in the best band; MedianLeadDays is the
	// median time in days from that first worst-band score to churn.
	Warned         int     `json:"warned"`
	MedianLeadDays float64 `json:"median_lead_days"`
}

// ThresholdStat is precision and recall of "flag when score < Threshold".
type ThresholdStat struct {
	Threshold float64 `json:"threshold"`
	Flagged   int     `json:"flagged"`
	Precision float64 `json:"precision"` // churned among flagged; 0 when none flagged
	Recall    float64 `json:"recall"`    // flagged among churned
}

// BandStat is the churn rate of observations in one band.
type BandStat struct {
	Band         Band    `json:"band"`
	Observations int     `json:"observations"`
	Churned      int     `json:"churned"`
	Rate         float64 `json:"rate"`
	Lift         float64 `json:"lift"`
}

// DecileStat is the churn rate of one tenth of observations by score.
type DecileStat struct {
	Decile       int     `json:"decile"` // 1 = lowest scores
	Min          float64 `json:"min"`
	Max          float64 `json:"max"`
	Observations int     `json:"observations"`
	Churned      int     `json:"churned"`
	Rate         float64 `json:"rate"`
}

// LeadStat is the share of churners below the best band Before churn.
type LeadStat struct {
	Before valuepath.Duration `json:"before"`
	// Churners counts churners with a score by then; Below those whose
	// latest score by then was below the best band.
	Churners int     `json:"churners"`
	Below    int     `json:"below"`
	Share    float64 `json:"share"`
}

// MeasureBacktest is the backtest of one measure's own score.
type MeasureBacktest struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Timing Timing `json:"timing,omitempty"`
	Scope  Scope  `json:"scope,omitempty"`
	// Observations and Churned count the observations where the measure
	// was counted.
	Observations int `json:"observations"`
	Churned      int `json:"churned"`
	// AUC of the measure's score; Defined is false (and AUC 0) when the
	// observations lack churned or retained ones.
	AUC     float64 `json:"auc"`
	Defined bool    `json:"defined"`
	Warning
}

type observation struct {
	score   *Score
	churned bool
}

// Backtest checks sc's scores over time against outcomes. history holds
// scores of any accounts at any times (typically monthly), made by sc;
// outcomes holds one outcome per account scored. It fails, naming every
// problem, on nil scores, scores from another scorecard, accounts without an
// outcome, duplicate outcomes, bad options, or when the observations lack
// churned or retained ones.
func (sc *Scorecard) Backtest(history []*Score, outcomes []Outcome, opt BacktestOptions) (*Backtest, error) {
	c := validate.New("health")
	if opt.Horizon < 0 {
		c.Addf("options.horizon", valuepath.ErrInvalid, "must be >= 0, got %s", opt.Horizon)
	}
	for i, t := range opt.Thresholds {
		c.Finite(validate.Index("options.thresholds", i), t)
	}
	for i, l := range opt.Leads {
		if l <= 0 {
			c.Addf(validate.Index("options.leads", i), valuepath.ErrInvalid, "must be > 0, got %s", l)
		}
	}
	byAccount := map[valuepath.AccountID]int{}
	for i, o := range outcomes {
		p := validate.Index("outcomes", i)
		if !c.NonEmpty(validate.Field(p, "account"), string(o.Account)) {
			continue
		}
		if o.At.IsZero() {
			c.Addf(validate.Field(p, "at"), valuepath.ErrInvalid, "must be set")
		}
		if j, dup := byAccount[o.Account]; dup {
			c.Addf(validate.Field(p, "account"), valuepath.ErrDuplicate, "account %q (also outcomes[%d])", o.Account, j)
			continue
		}
		byAccount[o.Account] = i
	}
	for i, s := range history {
		p := validate.Index("history", i)
		switch {
		case s == nil:
			c.Addf(p, valuepath.ErrInvalid, "nil score")
		case s.Scorecard != sc.hash:
			c.Addf(validate.Field(p, "scorecard"), valuepath.ErrInvalid, "made by scorecard %s, not %s", s.Scorecard, sc.hash)
		case len(s.Measures) != len(sc.measures):
			c.Addf(validate.Field(p, "measures"), valuepath.ErrInvalid, "has %d measures, the scorecard %d", len(s.Measures), len(sc.measures))
		default:
			if _, ok := byAccount[s.Account]; !ok {
				c.Addf(validate.Field(p, "account"), valuepath.ErrUnknownAccount, "no outcome for account %q", s.Account)
			}
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if opt.Horizon == 0 {
		opt.Horizon = valuepath.Days(90)
	}
	if len(opt.Thresholds) == 0 {
		opt.Thresholds = []float64{10, 20, 30, 40, 50, 60, 70, 80, 90}
	}
	if len(opt.Leads) == 0 {
		opt.Leads = []valuepath.Duration{valuepath.Days(30), valuepath.Days(60), valuepath.Days(90)}
	}
	h := opt.Horizon.Std()

	// Observations, and each account's scores in time order.
	var obs []observation
	perAccount := map[valuepath.AccountID][]*Score{}
	for _, s := range history {
		if !s.Present {
			continue
		}
		o := outcomes[byAccount[s.Account]]
		perAccount[s.Account] = append(perAccount[s.Account], s)
		switch {
		case o.Churned && s.AsOf.Before(o.At):
			obs = append(obs, observation{s, !s.AsOf.Add(h).Before(o.At)})
		case !o.Churned && !s.AsOf.Add(h).After(o.At):
			obs = append(obs, observation{s, false})
		}
	}
	slices.SortStableFunc(obs, func(a, b observation) int {
		return cmp.Or(cmp.Compare(a.score.Value, b.score.Value), cmp.Compare(a.score.Account, b.score.Account), a.score.AsOf.Compare(b.score.AsOf))
	})
	bt := &Backtest{Scorecard: sc.hash, Horizon: opt.Horizon, Observations: len(obs)}
	re, ch := make([]float64, 0, len(obs)), []float64{}
	for _, o := range obs {
		if o.churned {
			ch = append(ch, o.score.Value)
		} else {
			re = append(re, o.score.Value)
		}
	}
	if len(ch) == 0 || len(re) == 0 {
		return nil, fmt.Errorf("health: backtest: %w: need observations followed by churn and by retention within %s, got %d and %d", valuepath.ErrInvalid, opt.Horizon, len(ch), len(re))
	}
	bt.Churned = len(ch)
	bt.BaseRate = float64(bt.Churned) / float64(len(obs))
	bt.AUC = aucSplit(re, ch)
	for _, t := range opt.Thresholds {
		ts := ThresholdStat{Threshold: t}
		hit := 0
		for _, o := range obs {
			if o.score.Value < t {
				ts.Flagged++
				if o.churned {
					hit++
				}
			}
		}
		ts.Precision, ts.Recall = share(hit, ts.Flagged), share(hit, bt.Churned)
		bt.Thresholds = append(bt.Thresholds, ts)
	}
	for _, b := range sc.bands {
		bs := BandStat{Band: b.Name}
		for _, o := range obs {
			if o.score.Band == b.Name {
				bs.Observations++
				if o.churned {
					bs.Churned++
				}
			}
		}
		bs.Rate = share(bs.Churned, bs.Observations)
		bs.Lift = bs.Rate / bt.BaseRate
		bt.Bands = append(bt.Bands, bs)
	}
	bt.WorstBandLift = bt.Bands[0].Lift
	n := len(obs)
	for d := range 10 {
		lo, hi := d*n/10, (d+1)*n/10
		if lo == hi {
			continue
		}
		ds := DecileStat{Decile: d + 1, Min: obs[lo].score.Value, Max: obs[hi-1].score.Value, Observations: hi - lo}
		for _, o := range obs[lo:hi] {
			if o.churned {
				ds.Churned++
			}
		}
		ds.Rate = share(ds.Churned, ds.Observations)
		bt.Deciles = append(bt.Deciles, ds)
	}

	// Churners in a stable order, each with its scores in time order.
	var churners []Outcome
	for _, o := range outcomes {
		if o.Churned {
			churners = append(churners, o)
		}
	}
	slices.SortFunc(churners, func(a, b Outcome) int { return cmp.Compare(a.Account, b.Account) })
	for _, ss := range perAccount {
		slices.SortFunc(ss, func(a, b *Score) int { return a.AsOf.Compare(b.AsOf) })
	}
	worst, best := sc.bands[0].Name, sc.bands[len(sc.bands)-1].Name
	bt.Warning = warning(churners, perAccount, opt.Leads, func(s *Score) (Band, Band, Band, bool) {
		return s.Band, worst, best, true
	})

	for j, m := range sc.measures {
		mb := MeasureBacktest{ID: m.id, Name: m.name, Timing: m.timing, Scope: m.scope}
		re, ch = re[:0], ch[:0]
		for _, o := range obs {
			ms := &o.score.Measures[j]
			if !ms.Counted() {
				continue
			}
			if o.churned {
				ch = append(ch, ms.Score)
			} else {
				re = append(re, ms.Score)
			}
		}
		mb.Observations, mb.Churned = len(re)+len(ch), len(ch)
		if len(re) > 0 && len(ch) > 0 {
			mb.AUC, mb.Defined = aucSplit(re, ch), true
		}
		mw, mbest := m.bands[0].Name, m.bands[len(m.bands)-1].Name
		mb.Warning = warning(churners, perAccount, opt.Leads, func(s *Score) (Band, Band, Band, bool) {
			ms := &s.Measures[j]
			return ms.Band, mw, mbest, ms.Counted()
		})
		bt.Measures = append(bt.Measures, mb)
	}
	return bt, nil
}

// warning computes the lead statistics of churners, reading each score's
// band (and the worst and best bands) through band; ok false skips a score.
func warning(churners []Outcome, perAccount map[valuepath.AccountID][]*Score, leads []valuepath.Duration, band func(*Score) (b, worst, best Band, ok bool)) Warning {
	w := Warning{ChurnedAccounts: len(churners)}
	for _, l := range leads {
		ls := LeadStat{Before: l}
		for _, o := range churners {
			by := o.At.Add(-l.Std())
			var latest *Score
			for _, s := range perAccount[o.Account] {
				if s.AsOf.After(by) {
					break
				}
				if _, _, _, ok := band(s); ok {
					latest = s
				}
			}
			if latest == nil {
				continue
			}
			ls.Churners++
			if b, _, best, _ := band(latest); b != best {
				ls.Below++
			}
		}
		ls.Share = share(ls.Below, ls.Churners)
		w.Leads = append(w.Leads, ls)
	}
	var days []float64
	for _, o := range churners {
		var first time.Time
		for _, s := range perAccount[o.Account] {
			if !s.AsOf.Before(o.At) {
				break
			}
			b, worst, best, ok := band(s)
			switch {
			case !ok:
			case b == best:
				first = time.Time{}
			case b == worst && first.IsZero():
				first = s.AsOf
			}
		}
		if !first.IsZero() {
			days = append(days, o.At.Sub(first).Hours()/24)
		}
	}
	slices.Sort(days)
	w.Warned = len(days)
	w.MedianLeadDays = stats.Median(days)
	return w
}
