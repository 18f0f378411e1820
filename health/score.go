package health

import (
	"iter"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
)

// Score is one account's health as of one time, with everything needed to
// explain it: each group's and measure's score, each measure's contribution,
// the coverage of the data, the rules that fired and the scorecard version.
// It marshals to JSON for a host's UI.
type Score struct {
	Account valuepath.AccountID `json:"account"`
	AsOf    time.Time           `json:"as_of"`
	// Scorecard is the [Scorecard.Hash] of the scorecard that made it.
	Scorecard string `json:"scorecard"`
	// Available is false when no measure had data, or when a measure whose
	// policy is [MissingUnavailable] was missing; Value is then 0, Band
	// empty, and Reason says why.
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	// Value is the overall score, 0–100: the sum of the measures'
	// contributions.
	Value float64 `json:"score"`
	// Band is the overall band after rules; DataBand the band of Value
	// before them.
	Band     Band `json:"band"`
	DataBand Band `json:"data_band"`
	// Coverage says how much of the scorecard had data.
	Coverage Coverage `json:"coverage"`
	// Groups and Measures are in the scorecard's declaration order.
	Groups   []GroupScore   `json:"groups"`
	Measures []MeasureScore `json:"measures"`
	// Rules lists the rules that fired, in the scorecard's order.
	Rules []RuleFiring `json:"rules"`
}

// Reasons a score is unavailable.
const (
	ReasonNoData          = "no measure has data"
	ReasonRequiredMissing = "a measure whose missing policy is unavailable has no data"
)

// Coverage counts the measures that had data.
type Coverage struct {
	Measures int `json:"measures"` // measures in the scorecard
	Present  int `json:"present"`  // measures whose metric had a usable value
	// Weight is the nominal weight share of the measures present: 1 when
	// every measure had data, 0.25 when only a quarter of the weight did.
	Weight float64 `json:"weight"`
}

// Status says how a measure's score came about.
type Status string

// The statuses of a measure.
const (
	Scored           Status = "scored"             // from its value
	ExcludedMissing  Status = "missing_excluded"   // missing, left out, siblings renormalised
	NeutralMissing   Status = "missing_neutral"    // missing, counted as NeutralScore
	WorstMissing     Status = "missing_worst"      // missing, counted as 0
	RequiredMissing  Status = "missing_required"   // missing, made the whole score unavailable
	UnmatchedMissing Status = "missing_unmatched"  // value had no category; treated per policy
	NotFiniteMissing Status = "missing_not_finite" // NaN or infinite value; treated per policy
)

// MeasureScore is one measure's part in a [Score].
//
// It names the measure by ID and Group; its name, timing and scope, which
// never change, are in [Scorecard.Measures] in the same order.
type MeasureScore struct {
	ID     string           `json:"id"`
	Group  string           `json:"group"`
	Metric valuepath.Metric `json:"metric"`
	// Value is the raw metric value; meaningful only when Present.
	Value   float64 `json:"value"`
	Present bool    `json:"present"`
	Status  Status  `json:"status"`
	// Missing says why a missing value is missing: "absent" (not in the
	// snapshot), "not_in_schema", "not_finite" or "no_category"; empty when
	// present and scored.
	Missing string `json:"missing,omitempty"`
	// Score is the measure's 0–100 score, and Band its band on the
	// measure's own band set; both zero when excluded.
	Score float64 `json:"score"`
	Band  Band    `json:"band,omitempty"`
	// Share is the measure's share of the overall score after
	// renormalisation; Contribution = Share × Score, and the contributions
	// of all measures sum to the overall score.
	Share        float64 `json:"share"`
	Contribution float64 `json:"contribution"`
}

// Counted reports whether the measure took part in the score.
func (m *MeasureScore) Counted() bool { return m.Share > 0 }

// Drag is how many points the measure cost the overall score against a
// perfect 100 on it: Share × (100 − Score). Sorting by Drag finds the
// measures that pull an account down most.
func (m *MeasureScore) Drag() float64 { return m.Share * (100 - m.Score) }

// GroupScore is one group's part in a [Score].
type GroupScore struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	// Available is false when none of the group's children had data.
	Available    bool    `json:"available"`
	Score        float64 `json:"score"`
	Share        float64 `json:"share"`
	Contribution float64 `json:"contribution"`
}

// RuleFiring records a rule that fired and what it did to the band.
type RuleFiring struct {
	ID     string           `json:"id"`
	Reason string           `json:"reason"`
	Metric valuepath.Metric `json:"metric"`
	Value  float64          `json:"value"` // the metric's value
	Cap    Band             `json:"cap,omitempty"`
	Floor  Band             `json:"floor,omitempty"`
	// Changed reports whether the rule moved the band.
	Changed bool `json:"changed"`
}

// Score scores snap. A nil snapshot gives an unavailable score. Metrics the
// snapshot's schema lacks count as missing (see [Scorecard.Check]).
func (sc *Scorecard) Score(snap *valuepath.Snapshot) *Score {
	s := &Score{}
	sc.ScoreInto(snap, s)
	return s
}

// ScoreInto scores snap into dst, reusing dst's slices: after the first
// call with a given dst it does not allocate. Batch loops keep one dst.
// Every field of dst is overwritten.
func (sc *Scorecard) ScoreInto(snap *valuepath.Snapshot, dst *Score) {
	nm, ng := len(sc.measures), len(sc.groups)
	if cap(dst.Measures) < nm {
		dst.Measures = make([]MeasureScore, nm)
	}
	if cap(dst.Groups) < ng {
		dst.Groups = make([]GroupScore, ng)
	}
	if cap(dst.Rules) < len(sc.rules) || dst.Rules == nil {
		dst.Rules = make([]RuleFiring, 0, len(sc.rules)) // never nil: marshals as []
	}
	dst.Measures, dst.Groups, dst.Rules = dst.Measures[:nm], dst.Groups[:ng], dst.Rules[:0]
	dst.Scorecard, dst.Available, dst.Reason = sc.hash, false, ""
	dst.Value, dst.Band, dst.DataBand = 0, "", ""
	dst.Coverage = Coverage{Measures: nm}
	var pos []int
	if snap == nil {
		dst.Account, dst.AsOf = "", time.Time{}
	} else {
		dst.Account, dst.AsOf = snap.Account, snap.AsOf
		pos = sc.bind(snap.Schema()).measures
	}

	// Groups accumulate the weighted sum of their available children in
	// Contribution and their weight in Share until the shares are known.
	groups := dst.Groups
	for i := range sc.groups {
		g := &sc.groups[i]
		gs := &groups[i]
		if gs.ID != g.id {
			gs.ID, gs.Name, gs.Parent = g.id, g.name, ""
			if g.parent >= 0 {
				gs.Parent = sc.groups[g.parent].id
			}
		}
		gs.Available, gs.Score, gs.Share, gs.Contribution = false, 0, 0, 0
	}
	required := false
	measures := dst.Measures
	for i := range sc.measures {
		m := &sc.measures[i]
		ms := &measures[i]
		ms.ID, ms.Group, ms.Metric = m.id, m.groupName, m.metric
		ms.Value, ms.Present, ms.Missing, ms.Score, ms.Band, ms.Share, ms.Contribution = 0, false, "", 0, "", 0, 0
		var v float64
		ok := false
		switch {
		case pos == nil:
			ms.Missing = "absent"
		case pos[i] < 0:
			ms.Missing = "not_in_schema"
		default:
			if v, ok = snap.ValueAt(pos[i]); !ok {
				ms.Missing = "absent"
			}
		}
		// why: 0 scored, 1 not finite, 2 no category.
		why := 0
		var score float64
		if ok {
			if v-v != 0 { // NaN or infinite
				ok, ms.Missing, why = false, "not_finite", 1
			} else {
				ms.Value, ms.Present = v, true
				if score, ok = sc.measureScore(i, v); !ok {
					ms.Missing, why = "no_category", 2
				}
			}
		}
		if ok {
			ms.Status = Scored
			dst.Coverage.Present++
			dst.Coverage.Weight += m.share
		} else {
			switch why {
			case 1:
				ms.Status = NotFiniteMissing
			case 2:
				ms.Status = UnmatchedMissing
			}
			switch m.missing {
			case missNeutral:
				score, ok = NeutralScore, true
				if why == 0 {
					ms.Status = NeutralMissing
				}
			case missWorst:
				score, ok = 0, true
				if why == 0 {
					ms.Status = WorstMissing
				}
			case missUnavailable:
				required = true
				if why == 0 {
					ms.Status = RequiredMissing
				}
			default:
				if why == 0 {
					ms.Status = ExcludedMissing
				}
			}
		}
		if !ok {
			continue
		}
		ms.Score, ms.Share = score, 1 // Share marks "counted" until shares are known
		ms.Band = m.bands[m.bands.index(score)].Name
		g := &groups[m.group]
		g.Contribution += m.weight * score
		g.Share += m.weight
	}
	// Bottom up: children come after parents in pre-order.
	var topSum, topW float64
	for i := ng - 1; i >= 0; i-- {
		gs := &groups[i]
		if gs.Share == 0 {
			gs.Contribution = 0
			continue
		}
		gs.Available = true
		gs.Score = clampScore(gs.Contribution / gs.Share)
		w := sc.groups[i].weight
		if p := sc.groups[i].parent; p >= 0 {
			groups[p].Contribution += w * gs.Score
			groups[p].Share += w
		} else {
			topSum += w * gs.Score
			topW += w
		}
	}
	// No measure with data means no score, even where a missing policy
	// would fill every measure in (neutral or worst): a score made only of
	// fill-ins would say "yellow" about an account nobody has measured.
	switch {
	case snap == nil || dst.Coverage.Present == 0:
		dst.Reason = ReasonNoData
	case required:
		dst.Reason = ReasonRequiredMissing
	}
	if dst.Reason != "" {
		for i := range groups {
			groups[i].Available, groups[i].Score, groups[i].Share, groups[i].Contribution = false, 0, 0, 0
		}
		for i := range measures {
			ms := &measures[i]
			ms.Score, ms.Band, ms.Share = 0, "", 0
		}
		return
	}
	// Top down: a group's share of the overall score is its parent's share
	// times its weight over the weight of its available siblings. Until
	// its children are done, Contribution holds the factor that turns a
	// child's weight into its share.
	for i := range sc.groups {
		g := &sc.groups[i]
		gs := &groups[i]
		if !gs.Available {
			gs.Share = 0
			continue
		}
		if g.parent >= 0 {
			gs.Share, gs.Contribution = groups[g.parent].Contribution*g.weight, gs.Share
		} else {
			gs.Share, gs.Contribution = g.weight/topW, gs.Share
		}
		gs.Contribution = gs.Share / gs.Contribution
	}
	for i := range sc.measures {
		ms := &measures[i]
		if ms.Share == 0 {
			continue
		}
		m := &sc.measures[i]
		ms.Share = groups[m.group].Contribution * m.weight
		ms.Contribution = ms.Share * ms.Score
	}
	for i := range groups {
		gs := &groups[i]
		gs.Contribution = gs.Share * gs.Score
	}
	// The value is computed as Summarize computes it, so the two agree
	// exactly; the contributions sum to it up to rounding.
	dst.Available = true
	dst.Value = clampScore(topSum / topW)
	dst.DataBand = sc.bands[sc.bands.index(dst.Value)].Name
	dst.Band = dst.DataBand
	if len(sc.rules) > 0 {
		sc.applyRules(snap, sc.bind(snap.Schema()), dst)
	}
}

func clampScore(s float64) float64 {
	switch {
	case !(s > 0): // also NaN
		return 0
	case s > 100:
		return 100
	}
	return s
}

// applyRules records the rules that fire and sets the band they leave.
func (sc *Scorecard) applyRules(snap *valuepath.Snapshot, b *binding, dst *Score) {
	rank, _ := sc.bands.Rank(dst.Band)
	for i := range sc.rules {
		r := &sc.rules[i]
		v, ok := r.fires(snap, b.rules[i])
		if !ok {
			continue
		}
		f := RuleFiring{ID: r.ID, Reason: r.Reason, Metric: r.Metric, Value: v, Cap: r.Cap, Floor: r.Floor}
		if r.Cap != "" {
			f.Changed = rank > r.rank
		} else {
			f.Changed = rank < r.rank
		}
		dst.Rules = append(dst.Rules, f)
	}
	dst.Band, _ = sc.ruleBand(snap, b, dst.Band)
}

// ruleBand returns the band that band becomes under the rules that fire on
// snap, and how many fired. Caps are applied first, then floors: a floor is
// a promise that holds even against a cap.
func (sc *Scorecard) ruleBand(snap *valuepath.Snapshot, b *binding, band Band) (Band, int) {
	rank, _ := sc.bands.Rank(band)
	capRank, floorRank, n := len(sc.bands)-1, 0, 0
	for i := range sc.rules {
		r := &sc.rules[i]
		if _, ok := r.fires(snap, b.rules[i]); !ok {
			continue
		}
		n++
		if r.Cap != "" {
			capRank = min(capRank, r.rank)
		} else {
			floorRank = max(floorRank, r.rank)
		}
	}
	return sc.bands[max(min(rank, capRank), floorRank)].Name, n
}

// fires reports whether r holds for the value at schema position pos of
// snap, with that value.
func (r *crule) fires(snap *valuepath.Snapshot, pos int) (float64, bool) {
	if pos < 0 {
		return 0, false
	}
	v, ok := snap.ValueAt(pos)
	if !ok || v-v != 0 || !r.Op.Holds(v, r.Value) {
		return 0, false
	}
	return v, true
}

// Clone returns a deep copy of s, for keeping a score that a batch will
// overwrite.
func (s *Score) Clone() *Score {
	c := *s
	c.Groups = slices.Clone(s.Groups)
	c.Measures = slices.Clone(s.Measures)
	c.Rules = slices.Clone(s.Rules)
	return &c
}

// Measure returns the score of the measure with id, and false if there is
// none.
func (s *Score) Measure(id string) (*MeasureScore, bool) {
	for i := range s.Measures {
		if s.Measures[i].ID == id {
			return &s.Measures[i], true
		}
	}
	return nil, false
}

// Draggers returns the counted measures that cost the score points, the
// largest [MeasureScore.Drag] first (ties by declaration order), at most n
// of them (all if n ≤ 0).
func (s *Score) Draggers(n int) []MeasureScore {
	var out []MeasureScore
	for _, m := range s.Measures {
		if m.Counted() && m.Drag() > 0 {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b MeasureScore) int {
		da, db := a.Drag(), b.Drag()
		switch {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// ScoreAll scores a stream of snapshots and yields each account with its
// score. The yielded *Score is reused: it is valid until the loop body
// returns; call [Score.Clone] to keep it. Metric names are resolved once
// per schema, and nothing is allocated per snapshot.
func (sc *Scorecard) ScoreAll(snaps iter.Seq[*valuepath.Snapshot]) iter.Seq2[valuepath.AccountID, *Score] {
	return func(yield func(valuepath.AccountID, *Score) bool) {
		var s Score
		for snap := range snaps {
			sc.ScoreInto(snap, &s)
			if !yield(s.Account, &s) {
				return
			}
		}
	}
}
