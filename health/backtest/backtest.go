// Package backtest checks a health scorecard against real churn: how well
// its scores separated the accounts that churned from those that stayed
// (AUC), precision and recall per threshold, churn rate and lift per band
// and decile (calibration), and how early the warnings came — for the
// overall score and for every measure, to find which indicators lead. A
// measure's leading or trailing label is the host's claim; its lead time
// here is the evidence ([MeasureReport.Evidence]).
//
// It is offline analysis over a history of [health.Score]s, kept apart
// from package health so that the scoring API stays small. Undefined
// statistics (an AUC without both classes, a rate over no observations, a
// median of nothing) are absent [valuepath.Number]s with a reason, never 0.
package backtest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/health"
	"github.com/valuepath/valuepath/internal/stats"
	"github.com/valuepath/valuepath/internal/validate"
)

// AUC returns the area under the ROC curve of scores as a churn predictor:
// the probability that a randomly chosen retained account scores higher
// than a randomly chosen churned one, ties counting one half. 1 means the
// score separates them perfectly, 0.5 that it is no better than chance.
// When either class has no members the AUC is undefined: the Number is
// absent with the reason. It fails on a length mismatch or a NaN or
// infinite score. It sorts copies, in O(n log n); its inputs are not
// modified.
func AUC(scores []float64, churned []bool) (valuepath.Number, error) {
	if len(scores) != len(churned) {
		return valuepath.Number{}, fmt.Errorf("backtest: auc: %w: %d scores but %d outcomes", valuepath.ErrInvalid, len(scores), len(churned))
	}
	nc := 0
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return valuepath.Number{}, &valuepath.FieldError{Pkg: "backtest", Path: validate.Index("scores", i), Err: fmt.Errorf("%w: %v", valuepath.ErrNotFinite, s)}
		}
		if churned[i] {
			nc++
		}
	}
	ch := make([]float64, 0, nc)
	re := make([]float64, 0, len(scores)-nc)
	for i, s := range scores {
		if churned[i] {
			ch = append(ch, s)
		} else {
			re = append(re, s)
		}
	}
	return aucOf(re, ch), nil
}

// aucOf is the AUC of retained scores re against churned scores ch, both
// finite; it sorts them in place.
func aucOf(re, ch []float64) valuepath.Number {
	switch {
	case len(ch) == 0:
		return valuepath.Absent("no churned account")
	case len(re) == 0:
		return valuepath.Absent("no retained account")
	}
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
	return valuepath.Defined(wins / (float64(len(re)) * float64(len(ch))))
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

// Options tunes [Run]. The zero value is ready to use.
type Options struct {
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

// Report says how well a scorecard's scores predicted churn.
type Report struct {
	Scorecard string             `json:"scorecard"`
	Horizon   valuepath.Duration `json:"horizon"`
	// Observations counts the scores used; Churned those followed by
	// churn within the horizon. BaseRate = Churned / Observations.
	Observations int     `json:"observations"`
	Churned      int     `json:"churned"`
	BaseRate     float64 `json:"base_rate"`
	// AUC of the overall score over the observations; see [AUC].
	AUC        valuepath.Number `json:"auc"`
	Thresholds []ThresholdStat  `json:"thresholds"`
	// Bands is the churn rate per overall band, worst first (calibration);
	// Lift of a band is its rate over the base rate.
	Bands []BandStat `json:"bands"`
	// Deciles is the churn rate per tenth of observations by score,
	// lowest scores first (calibration).
	Deciles []DecileStat `json:"deciles"`
	// WorstBandLift is the lift of the worst band (red by default),
	// absent when no observation was in it.
	WorstBandLift valuepath.Number `json:"worst_band_lift"`
	Warning
	// Measures repeats the analysis per measure, on the measure's own
	// score and bands, to find which indicators actually lead.
	Measures []MeasureReport `json:"measures"`
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
	// median time in days from that first worst-band score to churn,
	// absent when no churner was warned.
	Warned         int              `json:"warned"`
	MedianLeadDays valuepath.Number `json:"median_lead_days"`
}

// ThresholdStat is precision and recall of "flag when score < Threshold".
type ThresholdStat struct {
	Threshold float64 `json:"threshold"`
	Flagged   int     `json:"flagged"`
	// Precision is the share of churned among flagged, absent when none
	// was flagged; Recall the share of churned that were flagged.
	Precision valuepath.Number `json:"precision"`
	Recall    float64          `json:"recall"`
}

// BandStat is the churn rate of observations in one band. Rate and Lift are
// absent when no observation was in the band.
type BandStat struct {
	Band         health.Band      `json:"band"`
	Observations int              `json:"observations"`
	Churned      int              `json:"churned"`
	Rate         valuepath.Number `json:"rate"`
	Lift         valuepath.Number `json:"lift"`
}

// DecileStat is the churn rate of one tenth of observations by score. Only
// deciles holding observations are reported.
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
	// latest score by then was below the best band. Share is Below over
	// Churners, absent when no churner had a score by then.
	Churners int              `json:"churners"`
	Below    int              `json:"below"`
	Share    valuepath.Number `json:"share"`
}

// MeasureReport is the backtest of one measure's own score.
type MeasureReport struct {
	ID     string        `json:"id"`
	Name   string        `json:"name"`
	Timing health.Timing `json:"timing,omitempty"`
	Scope  health.Scope  `json:"scope,omitempty"`
	// Observations and Churned count the observations where the measure
	// was counted.
	Observations int `json:"observations"`
	Churned      int `json:"churned"`
	// AUC of the measure's score: absent when the observations lack
	// churned or retained ones, such as a measure no churner had data for.
	AUC valuepath.Number `json:"auc"`
	Warning
}

// Evidence says what the measure's backtest shows about its timing, to set
// beside its [health.Timing] label (the host's claim): [health.Leading]
// when at least half of the churners turned to the measure's worst band
// after their last best-band score and those warnings came a median of at
// least minLead before churn — early enough to act; [health.Trailing]
// otherwise. It is empty, with the reason, when no account churned or
// minLead is not positive: no evidence either way.
func (m MeasureReport) Evidence(minLead valuepath.Duration) (health.Timing, string) {
	if minLead <= 0 {
		return "", "the minimum lead must be positive"
	}
	if m.ChurnedAccounts == 0 {
		return "", "no account churned"
	}
	if 2*m.Warned < m.ChurnedAccounts {
		return health.Trailing, fmt.Sprintf("%d of %d churners turned red on it first", m.Warned, m.ChurnedAccounts)
	}
	days, _ := m.MedianLeadDays.Get() // present: Warned > 0
	need := time.Duration(minLead).Hours() / 24
	if days < need {
		return health.Trailing, fmt.Sprintf("red a median of %.0f days before churn, under %.0f", days, need)
	}
	return health.Leading, fmt.Sprintf("red a median of %.0f days before churn (%d of %d churners)", days, m.Warned, m.ChurnedAccounts)
}

type observation struct {
	score   *health.Score
	churned bool
}

// Run checks sc's scores over time against outcomes. history holds scores
// of any accounts at any times (typically monthly), made by sc; outcomes
// holds one outcome per account scored. Scores that are not present are
// left out. It fails, naming every problem, on nil scores, scores from
// another scorecard, accounts without an outcome, duplicate outcomes, two
// scores of one account as of one time (ErrDuplicate), bad
// options, or when the observations lack churned or retained ones.
func Run(sc *health.Scorecard, history []*health.Score, outcomes []Outcome, opt Options) (*Report, error) {
	if sc == nil {
		return nil, fmt.Errorf("backtest: %w: nil scorecard", valuepath.ErrInvalid)
	}
	measures := sc.Measures()
	byAccount, err := check(sc.Hash(), len(measures), history, outcomes, opt)
	if err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	h := opt.Horizon.Std()

	// Observations, and each account's scores in time order.
	var obs []observation
	perAccount := map[valuepath.AccountID][]*health.Score{}
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
	re, ch := split(obs, func(s *health.Score) (float64, bool) { return s.Value, true })
	if len(ch) == 0 || len(re) == 0 {
		return nil, fmt.Errorf("backtest: %w: need observations followed by churn and by retention within %s, got %d and %d", valuepath.ErrInvalid, opt.Horizon, len(ch), len(re))
	}
	bands := sc.Spec().Bands
	r := &Report{Scorecard: sc.Hash(), Horizon: opt.Horizon, Observations: len(obs), Churned: len(ch)}
	r.BaseRate = float64(r.Churned) / float64(len(obs))
	r.AUC = aucOf(re, ch)
	r.Thresholds = thresholds(obs, opt.Thresholds, r.Churned)
	r.Bands = bandStats(obs, bands, r.BaseRate)
	r.WorstBandLift = r.Bands[0].Lift
	r.Deciles = deciles(obs)

	churners := churnersOf(outcomes)
	for _, ss := range perAccount {
		slices.SortFunc(ss, func(a, b *health.Score) int { return a.AsOf.Compare(b.AsOf) })
	}
	worst, best := bands[0].Name, bands[len(bands)-1].Name
	r.Warning = warning(churners, perAccount, opt.Leads, func(s *health.Score) (health.Band, health.Band, health.Band, bool) {
		return s.Band, worst, best, true
	})
	for j, m := range measures {
		r.Measures = append(r.Measures, measureReport(j, m, obs, churners, perAccount, opt.Leads))
	}
	return r, nil
}

// check validates the inputs of Run, reporting every problem, and returns
// the index of each account's outcome.
func check(hash string, measures int, history []*health.Score, outcomes []Outcome, opt Options) (map[valuepath.AccountID]int, error) {
	c := validate.New("backtest")
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
	type key struct {
		account valuepath.AccountID
		at      int64
	}
	seen := make(map[key]int, len(history))
	for i, s := range history {
		p := validate.Index("history", i)
		if s != nil {
			// A score counted twice would weigh its account twice in every
			// statistic; two scores of one account at one time are a
			// caller's mistake, not data.
			k := key{s.Account, s.AsOf.UnixNano()}
			if j, dup := seen[k]; dup {
				c.Addf(validate.Field(p, "as_of"), valuepath.ErrDuplicate, "a second score of account %q as of %s (also history[%d])", s.Account, s.AsOf.Format(time.RFC3339), j)
				continue
			}
			seen[k] = i
		}
		switch {
		case s == nil:
			c.Addf(p, valuepath.ErrInvalid, "nil score")
		case s.Scorecard != hash:
			c.Addf(validate.Field(p, "scorecard"), valuepath.ErrInvalid, "made by scorecard %s, not %s", s.Scorecard, hash)
		case s.Present && len(s.Measures) != measures:
			c.Addf(validate.Field(p, "measures"), valuepath.ErrInvalid, "has %d measures, the scorecard %d", len(s.Measures), measures)
		default:
			if _, ok := byAccount[s.Account]; !ok {
				c.Addf(validate.Field(p, "account"), valuepath.ErrUnknownAccount, "no outcome for account %q", s.Account)
			}
		}
	}
	return byAccount, c.Err()
}

func (o Options) withDefaults() Options {
	if o.Horizon == 0 {
		o.Horizon = valuepath.Days(90)
	}
	if len(o.Thresholds) == 0 {
		o.Thresholds = []float64{10, 20, 30, 40, 50, 60, 70, 80, 90}
	}
	if len(o.Leads) == 0 {
		o.Leads = []valuepath.Duration{valuepath.Days(30), valuepath.Days(60), valuepath.Days(90)}
	}
	return o
}

// split returns the values of the retained and of the churned observations,
// read by value; ok false leaves an observation out.
func split(obs []observation, value func(*health.Score) (float64, bool)) (re, ch []float64) {
	for _, o := range obs {
		v, ok := value(o.score)
		switch {
		case !ok:
		case o.churned:
			ch = append(ch, v)
		default:
			re = append(re, v)
		}
	}
	return re, ch
}

// ratio returns k/n, or an absent Number with reason when n is 0.
func ratio(k, n int, reason string) valuepath.Number {
	if n == 0 {
		return valuepath.Absent(reason)
	}
	return valuepath.Defined(float64(k) / float64(n))
}

func thresholds(obs []observation, ts []float64, churned int) []ThresholdStat {
	var out []ThresholdStat
	for _, t := range ts {
		st := ThresholdStat{Threshold: t}
		hit := 0
		for _, o := range obs {
			if o.score.Value < t {
				st.Flagged++
				if o.churned {
					hit++
				}
			}
		}
		st.Precision = ratio(hit, st.Flagged, "no observation flagged")
		st.Recall = float64(hit) / float64(churned)
		out = append(out, st)
	}
	return out
}

func bandStats(obs []observation, bands health.BandSet, baseRate float64) []BandStat {
	var out []BandStat
	for _, b := range bands {
		st := BandStat{Band: b.Name}
		for _, o := range obs {
			if o.score.Band == b.Name {
				st.Observations++
				if o.churned {
					st.Churned++
				}
			}
		}
		st.Rate = ratio(st.Churned, st.Observations, "no observation in the band")
		st.Lift = st.Rate
		if rate, ok := st.Rate.Get(); ok {
			st.Lift = valuepath.Defined(rate / baseRate)
		}
		out = append(out, st)
	}
	return out
}

// deciles cuts obs, sorted by score, into tenths.
func deciles(obs []observation) []DecileStat {
	var out []DecileStat
	n := len(obs)
	for d := range 10 {
		lo, hi := d*n/10, (d+1)*n/10
		if lo == hi {
			continue
		}
		st := DecileStat{Decile: d + 1, Min: obs[lo].score.Value, Max: obs[hi-1].score.Value, Observations: hi - lo}
		for _, o := range obs[lo:hi] {
			if o.churned {
				st.Churned++
			}
		}
		st.Rate = float64(st.Churned) / float64(st.Observations)
		out = append(out, st)
	}
	return out
}

// churnersOf returns the churned outcomes in a stable order.
func churnersOf(outcomes []Outcome) []Outcome {
	var out []Outcome
	for _, o := range outcomes {
		if o.Churned {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b Outcome) int { return cmp.Compare(a.Account, b.Account) })
	return out
}

// measureReport is the analysis of measure j on its own score and bands.
func measureReport(j int, m health.MeasureInfo, obs []observation, churners []Outcome, perAccount map[valuepath.AccountID][]*health.Score, leads []valuepath.Duration) MeasureReport {
	r := MeasureReport{ID: m.ID, Name: m.Name, Timing: m.Timing, Scope: m.Scope}
	re, ch := split(obs, func(s *health.Score) (float64, bool) {
		ms := &s.Measures[j]
		return ms.Score, ms.Counted()
	})
	r.Observations, r.Churned = len(re)+len(ch), len(ch)
	r.AUC = aucOf(re, ch)
	worst, best := m.Bands[0].Name, m.Bands[len(m.Bands)-1].Name
	r.Warning = warning(churners, perAccount, leads, func(s *health.Score) (health.Band, health.Band, health.Band, bool) {
		ms := &s.Measures[j]
		return ms.Band, worst, best, ms.Counted()
	})
	return r
}

// warning computes the lead statistics of churners, reading each score's
// band (and the worst and best bands) through band; ok false skips a score.
func warning(churners []Outcome, perAccount map[valuepath.AccountID][]*health.Score, leads []valuepath.Duration, band func(*health.Score) (b, worst, best health.Band, ok bool)) Warning {
	w := Warning{ChurnedAccounts: len(churners)}
	for _, l := range leads {
		w.Leads = append(w.Leads, leadStat(churners, perAccount, l, band))
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
	w.MedianLeadDays = valuepath.Absent("no churner was in the worst band before churning")
	if len(days) > 0 {
		w.MedianLeadDays = valuepath.Defined(stats.Median(days))
	}
	return w
}

// leadStat is the share of churners whose latest score l before churn was
// below the best band.
func leadStat(churners []Outcome, perAccount map[valuepath.AccountID][]*health.Score, l valuepath.Duration, band func(*health.Score) (b, worst, best health.Band, ok bool)) LeadStat {
	st := LeadStat{Before: l}
	for _, o := range churners {
		by := o.At.Add(-l.Std())
		var latest *health.Score
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
		st.Churners++
		if b, _, best, _ := band(latest); b != best {
			st.Below++
		}
	}
	st.Share = ratio(st.Below, st.Churners, "no churner had a score by then")
	return st
}
