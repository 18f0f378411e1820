package health

import (
	"fmt"
	"math"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// AlertKind names what an alert is about.
type AlertKind string

// The alert kinds.
const (
	// BandDrop: the overall band got worse than at the previous score.
	BandDrop AlertKind = "band_drop"
	// PointDrop: the score fell by at least DropPoints below its highest
	// value within DropWindow.
	PointDrop AlertKind = "point_drop"
	// MeasureRed: a measure entered the worst band of its band set.
	MeasureRed AlertKind = "measure_red"
)

// AlertOptions tunes [Scorecard.Alerts]. The zero value is ready to use.
type AlertOptions struct {
	// DropPoints is the fall that raises a PointDrop; zero means 15.
	DropPoints float64 `json:"drop_points,omitempty"`
	// DropWindow is how far back the fall is measured; zero means 30 days.
	DropWindow valuepath.Duration `json:"drop_window,omitempty"`
	// Cooldown is how long an alert stays open: the same alert (same key)
	// does not fire again until Cooldown after it last fired. Zero means
	// 14 days.
	Cooldown valuepath.Duration `json:"cooldown,omitempty"`
}

func (p AlertOptions) withDefaults() AlertOptions {
	if p.DropPoints == 0 {
		p.DropPoints = 15
	}
	if p.DropWindow == 0 {
		p.DropWindow = valuepath.Days(30)
	}
	if p.Cooldown == 0 {
		p.Cooldown = valuepath.Days(14)
	}
	return p
}

// Alert is one warning about one account.
type Alert struct {
	// Key dedupes alerts: account, kind and what it is about (the band
	// entered or the measure), e.g. "acct-1|band_drop|red".
	Key     string              `json:"key"`
	Account valuepath.AccountID `json:"account"`
	Kind    AlertKind           `json:"kind"`
	At      time.Time           `json:"at"`
	Reason  string              `json:"reason"`
	// Measure is the measure's id, for MeasureRed.
	Measure string `json:"measure,omitempty"`
	// From and To are the scores (for MeasureRed, the measure's scores)
	// the alert compares.
	From float64 `json:"from"`
	To   float64 `json:"to"`
	Band Band    `json:"band"` // overall band (for MeasureRed, the measure's) at At
}

// Alerts walks one account's score history, oldest first, and returns the
// alerts it raises in time order. open holds alerts fired by earlier calls
// (any accounts); an alert whose key fired, in open or in this history, less
// than opt.Cooldown before does not fire again. Scores that are not present are
// skipped. The history must be of one account, in ascending AsOf, from sc.
func (sc *Scorecard) Alerts(history []*Score, open []Alert, opt AlertOptions) ([]Alert, error) {
	c := validate.New("health")
	if opt.DropPoints != 0 {
		c.Positive("options.drop_points", opt.DropPoints)
	}
	if opt.DropWindow < 0 {
		c.Addf("options.drop_window", valuepath.ErrInvalid, "must be >= 0, got %s", opt.DropWindow)
	}
	if opt.Cooldown < 0 {
		c.Addf("options.cooldown", valuepath.ErrInvalid, "must be >= 0, got %s", opt.Cooldown)
	}
	for i, s := range history {
		p := validate.Index("history", i)
		switch {
		case s == nil:
			c.Addf(p, valuepath.ErrInvalid, "nil score")
			continue
		case s.Scorecard != sc.hash:
			c.Addf(validate.Field(p, "scorecard"), valuepath.ErrInvalid, "made by scorecard %s, not %s", s.Scorecard, sc.hash)
		case len(s.Measures) != len(sc.measures):
			c.Addf(validate.Field(p, "measures"), valuepath.ErrInvalid, "has %d measures, the scorecard %d", len(s.Measures), len(sc.measures))
		}
		if i > 0 && history[i-1] != nil {
			if s.Account != history[0].Account {
				c.Addf(validate.Field(p, "account"), valuepath.ErrInvalid, "%q, but history[0] is %q: one account per history", s.Account, history[0].Account)
			}
			if !s.AsOf.After(history[i-1].AsOf) {
				c.Addf(validate.Field(p, "as_of"), valuepath.ErrOutOfOrder, "%s is not after %s", s.AsOf.Format(time.RFC3339), history[i-1].AsOf.Format(time.RFC3339))
			}
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	last := map[string]time.Time{}
	for _, a := range open {
		if t, ok := last[a.Key]; !ok || a.At.After(t) {
			last[a.Key] = a.At
		}
	}
	var out []Alert
	fire := func(a Alert) {
		if t, ok := last[a.Key]; ok && a.At.Sub(t) < opt.Cooldown.Std() {
			return
		}
		last[a.Key] = a.At
		out = append(out, a)
	}
	var prev *Score
	for i, s := range history {
		if !s.Present {
			continue
		}
		key := string(s.Account) + "|"
		if prev != nil {
			pr, _ := sc.bands.Rank(prev.Band)
			cr, _ := sc.bands.Rank(s.Band)
			if cr < pr {
				fire(Alert{Key: key + string(BandDrop) + "|" + string(s.Band), Account: s.Account, Kind: BandDrop, At: s.AsOf,
					Reason: fmt.Sprintf("band fell from %s to %s", prev.Band, s.Band), From: prev.Value, To: s.Value, Band: s.Band})
			}
			for j := range s.Measures {
				m, pm := &s.Measures[j], &prev.Measures[j]
				worst := sc.measures[j].bands[0].Name
				if m.Counted() && m.Band == worst && pm.Band != worst {
					fire(Alert{Key: key + string(MeasureRed) + "|" + m.ID, Account: s.Account, Kind: MeasureRed, At: s.AsOf, Measure: m.ID,
						Reason: fmt.Sprintf("%s entered %s (score %s)", sc.measures[j].name, worst, fmtScore(m.Score)), From: pm.Score, To: m.Score, Band: m.Band})
				}
			}
		}
		peak, peakAt := math.Inf(-1), time.Time{}
		from := s.AsOf.Add(-opt.DropWindow.Std())
		for j := i - 1; j >= 0 && !history[j].AsOf.Before(from); j-- {
			if h := history[j]; h.Present && h.Value > peak {
				peak, peakAt = h.Value, h.AsOf
			}
		}
		if peak-s.Value >= opt.DropPoints {
			reason := fmt.Sprintf("score fell %s points since %s (%s to %s)",
				fmtScore(peak-s.Value), peakAt.Format(time.DateOnly), fmtScore(peak), fmtScore(s.Value))
			fire(Alert{Key: key + string(PointDrop), Account: s.Account, Kind: PointDrop, At: s.AsOf, Reason: reason, From: peak, To: s.Value, Band: s.Band})
		}
		prev = s
	}
	return out, nil
}

// fmtScore formats a score with one decimal, without a trailing ".0".
func fmtScore(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}
