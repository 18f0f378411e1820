package health

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
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
	// Present is false when there is no score: no measure had data, or a
	// measure whose policy is [MissingUnavailable] was missing. Reason then
	// says why, and Value (0) and Band (empty) must not be shown.
	Present bool   `json:"present"`
	Reason  string `json:"reason,omitempty"`
	// Value is the overall score, 0–100: the sum of the measures'
	// contributions.
	Value float64 `json:"score"`
	// Band is the overall band after rules; DataBand the band of Value
	// before them.
	Band     Band `json:"band"`
	DataBand Band `json:"data_band"`
	// Coverage says how much of the scorecard had data.
	Coverage MeasureCoverage `json:"coverage"`
	// Groups and Measures are in the scorecard's declaration order.
	Groups   []GroupScore   `json:"groups"`
	Measures []MeasureScore `json:"measures"`
	// Rules lists the rules that fired, in the scorecard's order.
	Rules []RuleFiring `json:"rules"`
}

// Reasons a score is not present, the values of [Score.Reason] and
// [Summary.Reason].
const (
	ReasonNoData          = "no measure has data"
	ReasonRequiredMissing = "a measure whose missing policy is unavailable has no data"
)

// reasonGroupNoData is the reason of a group none of whose measures had data.
const reasonGroupNoData = "no measure of the group has data"

// MeasureCoverage counts the measures of a scorecard that had data for one
// score. (The coverage of a snapshot's metrics is [valuepath.Coverage].)
type MeasureCoverage struct {
	Measures int `json:"measures"` // measures in the scorecard
	Present  int `json:"present"`  // measures whose metric had a usable value
	// Weight is the nominal weight share of the measures present: 1 when
	// every measure had data, 0.25 when only a quarter of the weight did.
	Weight float64 `json:"weight"`
}

// MeasureStatus says how a measure's score came about.
type MeasureStatus string

// The statuses of a measure.
const (
	Scored           MeasureStatus = "scored"             // from its value
	ExcludedMissing  MeasureStatus = "missing_excluded"   // missing, left out, siblings renormalised
	NeutralMissing   MeasureStatus = "missing_neutral"    // missing, counted as NeutralScore
	WorstMissing     MeasureStatus = "missing_worst"      // missing, counted as 0
	RequiredMissing  MeasureStatus = "missing_required"   // missing, made the whole score not present
	UnmatchedMissing MeasureStatus = "missing_unmatched"  // value had no category; treated per policy
	NotFiniteMissing MeasureStatus = "missing_not_finite" // NaN or infinite value; treated per policy
)

// MeasureScore is one measure's part in a [Score].
//
// It names the measure by ID and Group; its name, timing and scope, which
// never change, are in [Scorecard.Measures] in the same order.
type MeasureScore struct {
	ID     string           `json:"id"`
	Group  string           `json:"group"`
	Metric valuepath.Metric `json:"metric"`
	// Value is the raw metric value; Present says whether the snapshot had
	// one, and Value must not be shown when it is false.
	Value   float64       `json:"value"`
	Present bool          `json:"present"`
	Status  MeasureStatus `json:"status"`
	// Reason says why the value was not used: "absent" (missing from the
	// snapshot), "not_finite" or "no_category"; empty when it was scored.
	Reason string `json:"reason,omitempty"`
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
	// Present is false when the group has no score: none of its children
	// had data, or the whole score is not present. Reason then says why.
	Present      bool    `json:"present"`
	Reason       string  `json:"reason,omitempty"`
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

// Score scores snap into a new [Score]; see [Scorecard.ScoreInto].
func (sc *Scorecard) Score(snap *valuepath.Snapshot) (*Score, error) {
	// Small enough to inline, so that a caller that does not keep the
	// score can have it on its stack.
	s := new(Score)
	err := sc.ScoreInto(snap, s)
	if err != nil {
		s = nil
	}
	return s, err
}

// ScoreInto scores snap into dst, overwriting every field and reusing dst's
// slices: after the first call with a given dst it does not allocate, so a
// loop keeps one dst.
//
// It fails on a nil snapshot (wrapping [valuepath.ErrInvalid]) and when
// snap's schema lacks a metric the scorecard reads: that error is the one
// [Scorecard.Check] returns for the schema, each unknown metric a
// *valuepath.FieldError wrapping [valuepath.ErrUnknownMetric] at the
// measure's or rule's path ("groups[0].measures[3].metric"). dst then holds
// the account, no score and no measures. A metric the schema has but snap
// lacks is missing, and handled by the measure's [MissingPolicy].
func (sc *Scorecard) ScoreInto(snap *valuepath.Snapshot, dst *Score) error {
	b, err := sc.bindSnapshot(snap)
	sc.reset(dst, snap, err == nil)
	if err != nil {
		dst.Reason = "not scored: " + reasonOf(err)
		return err
	}
	required := sc.scoreMeasures(snap, b.measures, dst)
	topSum, topW := sc.scoreGroupsUp(dst)
	// No measure with data means no score, even where a missing policy
	// would fill every measure in (neutral or worst): a score made only of
	// fill-ins would say "yellow" about an account nobody has measured.
	switch {
	case dst.Coverage.Present == 0:
		dst.Reason = ReasonNoData
	case required:
		dst.Reason = ReasonRequiredMissing
	}
	if dst.Reason != "" {
		sc.unscore(dst)
		return nil
	}
	sc.shareDown(dst, topW)
	// The value is computed as the summary path computes it, so the two
	// agree exactly; the contributions sum to it up to rounding.
	dst.Present = true
	dst.Value = clampScore(topSum / topW)
	dst.DataBand = sc.bands[sc.bands.index(dst.Value)].Name
	dst.Band = dst.DataBand
	if len(sc.rules) > 0 {
		sc.applyRules(snap, b, dst)
	}
	return nil
}

// bindSnapshot returns the binding of snap's schema, and an error for a nil
// snapshot or a schema that lacks one of the scorecard's metrics.
func (sc *Scorecard) bindSnapshot(snap *valuepath.Snapshot) (*binding, error) {
	if snap == nil {
		return nil, errNilSnapshot
	}
	b := sc.bind(snap.Schema())
	return b, b.err
}

// errNilSnapshot is what scoring a nil snapshot returns.
var errNilSnapshot = fmt.Errorf("health: %w: nil snapshot", valuepath.ErrInvalid)

// reasonOf says why a score failed, in the words of a Reason.
func reasonOf(err error) string {
	switch {
	case err == errNilSnapshot:
		return "nil snapshot"
	case errors.Is(err, valuepath.ErrUnknownMetric):
		return "the snapshot's schema lacks metrics the scorecard reads"
	}
	return "the snapshot has no schema"
}

// reset sizes dst for sc and clears it, keeping the account and time of
// snap. A score that failed (bound false) keeps no groups, measures or rules.
func (sc *Scorecard) reset(dst *Score, snap *valuepath.Snapshot, bound bool) {
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
	dst.Scorecard, dst.Present, dst.Reason = sc.hash, false, ""
	dst.Value, dst.Band, dst.DataBand = 0, "", ""
	dst.Coverage = MeasureCoverage{Measures: nm}
	dst.Account, dst.AsOf = "", time.Time{}
	if snap != nil {
		dst.Account, dst.AsOf = snap.Account, snap.AsOf
	}
	if !bound {
		dst.Measures, dst.Groups = dst.Measures[:0], dst.Groups[:0]
		return
	}
	for i := range sc.groups {
		g := &sc.groups[i]
		gs := &dst.Groups[i]
		if gs.ID != g.id {
			gs.ID, gs.Name, gs.Parent = g.id, g.name, ""
			if g.parent >= 0 {
				gs.Parent = sc.groups[g.parent].id
			}
		}
		gs.Present, gs.Reason, gs.Score, gs.Share, gs.Contribution = false, reasonGroupNoData, 0, 0, 0
	}
}

// scoreMeasures scores every measure of snap, whose metrics are at the
// schema positions pos, into dst.Measures, and accumulates each group's
// weighted sum of counted measures in Contribution and their weight in
// Share until the shares are known. It reports whether a measure whose
// policy is MissingUnavailable was missing.
func (sc *Scorecard) scoreMeasures(snap *valuepath.Snapshot, pos []int, dst *Score) (required bool) {
	groups, measures := dst.Groups, dst.Measures
	for i := range sc.measures {
		m := &sc.measures[i]
		ms := &measures[i]
		ms.ID, ms.Group, ms.Metric = m.id, m.groupName, m.metric
		ms.Value, ms.Present, ms.Reason, ms.Score, ms.Band, ms.Share, ms.Contribution = 0, false, "", 0, "", 0, 0
		v, ok := snap.ValueAt(pos[i])
		var score float64
		switch {
		case !ok:
			ms.Reason, ms.Status = "absent", ExcludedMissing
		case v-v != 0: // NaN or infinite
			ok, ms.Reason, ms.Status = false, "not_finite", NotFiniteMissing
		default:
			ms.Value, ms.Present = v, true
			if score, ok = sc.measureScore(i, v); !ok {
				ms.Reason, ms.Status = "no_category", UnmatchedMissing
			}
		}
		if ok {
			ms.Status = Scored
			dst.Coverage.Present++
			dst.Coverage.Weight += m.share
		} else {
			score, ok = m.fillIn(ms)
			required = required || m.missing == missUnavailable
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
	return required
}

// fillIn applies m's missing policy to the measure score ms, whose value
// was not usable: it returns the score the policy counts, and false when
// the measure is left out. A plain absence takes the policy's status; a
// value without category or not finite keeps its own.
func (m *cmeasure) fillIn(ms *MeasureScore) (float64, bool) {
	absent := ms.Reason == "absent"
	switch m.missing {
	case missNeutral:
		if absent {
			ms.Status = NeutralMissing
		}
		return NeutralScore, true
	case missWorst:
		if absent {
			ms.Status = WorstMissing
		}
		return 0, true
	case missUnavailable:
		if absent {
			ms.Status = RequiredMissing
		}
	}
	return 0, false
}

// scoreGroupsUp scores the groups bottom up (children come after parents in
// pre-order) and returns the weighted sum and weight of the top-level
// groups with a score.
func (sc *Scorecard) scoreGroupsUp(dst *Score) (topSum, topW float64) {
	groups := dst.Groups
	for i := len(groups) - 1; i >= 0; i-- {
		gs := &groups[i]
		if gs.Share == 0 {
			gs.Contribution = 0
			continue
		}
		gs.Present, gs.Reason = true, ""
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
	return topSum, topW
}

// unscore clears the scores of a score that is not present.
func (sc *Scorecard) unscore(dst *Score) {
	for i := range dst.Groups {
		gs := &dst.Groups[i]
		gs.Present, gs.Reason, gs.Score, gs.Share, gs.Contribution = false, dst.Reason, 0, 0, 0
	}
	for i := range dst.Measures {
		ms := &dst.Measures[i]
		ms.Score, ms.Band, ms.Share = 0, "", 0
	}
}

// shareDown computes the shares and contributions top down: a group's share
// of the overall score is its parent's share times its weight over the
// weight of its siblings with a score. Until its children are done, a
// group's Contribution holds the factor that turns a child's weight into
// its share.
func (sc *Scorecard) shareDown(dst *Score, topW float64) {
	groups := dst.Groups
	for i := range sc.groups {
		g := &sc.groups[i]
		gs := &groups[i]
		if !gs.Present {
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
		ms := &dst.Measures[i]
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

// ScoreAll scores a stream of snapshots with full explanation, in order,
// and yields each score: the batch form of [Scorecard.ScoreInto]. The
// yielded *Score is reused: it is valid until the loop body returns; call
// [Score.Clone] to keep it. A snapshot that cannot be scored (nil, or on a
// schema that lacks a metric) is yielded with a *valuepath.AccountError
// wrapping ScoreInto's error, and the stream goes on; break to stop.
// Metric names are resolved once per schema, and nothing is allocated per
// snapshot once the reused scores have grown.
//
// opt.Concurrency sets how many goroutines score: zero (the default) uses
// every core (runtime.GOMAXPROCS), 1 scores on the caller's goroutine. Above
// 1, snaps is still ranged over on the caller's goroutine, which scores
// chunks of it beside opt.Concurrency-1 helper goroutines, and each snapshot
// is copied before it is scored, so an iterator that reuses one snapshot is
// safe, unless opt.InPlace says the input stays as it is; results still come
// in input order. For snapshots already in a slice, [Scorecard.ScoreSlice]
// gains more from a second core.
func (sc *Scorecard) ScoreAll(snaps iter.Seq[*valuepath.Snapshot], opt valuepath.BatchOptions) iter.Seq2[*Score, error] {
	if n := batch.Workers(opt.Concurrency); n > 1 {
		return func(yield func(*Score, error) bool) {
			batch.Ordered(snaps, n, batch.PutSnap(opt), func() func(*batch.Snap, *Score) error {
				return func(in *batch.Snap, s *Score) error {
					if e := sc.ScoreInto(in.Get(), s); e != nil {
						return &valuepath.AccountError{Account: s.Account, Err: e}
					}
					return nil
				}
			}, yield)
		}
	}
	return func(yield func(*Score, error) bool) {
		var s Score
		for snap := range snaps {
			var err error
			if e := sc.ScoreInto(snap, &s); e != nil {
				err = &valuepath.AccountError{Account: s.Account, Err: e}
			}
			if !yield(&s, err) {
				return
			}
		}
	}
}
