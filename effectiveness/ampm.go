package effectiveness

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// IndicatorKind says whether an AMPM indicator measures adoption or
// performance.
type IndicatorKind string

// The kinds of indicator.
const (
	// Adoption indicators measure the new routines that value needs: the
	// share of users active weekly, records updated within a day.
	Adoption IndicatorKind = "adoption"
	// Performance indicators measure the business outcome: win rate,
	// cycle time, revenue. They are judged only once adoption has passed.
	Performance IndicatorKind = "performance"
)

// Indicator is one AMPM indicator.
type Indicator struct {
	ID   string        `json:"id"`
	Name string        `json:"name,omitempty"`
	Kind IndicatorKind `json:"kind"`
	// Source is where the values come from; empty means [Usage]. A
	// [CustomerReported] indicator needs consent, asked of [Consent] with
	// the indicator's ID as the metric.
	Source Source              `json:"source,omitempty"`
	Better valuepath.Direction `json:"better,omitempty"`
	// Baseline and Target are the defaults for units that state no
	// baseline of their own. Target must improve on Baseline.
	Baseline float64 `json:"baseline"`
	Target   float64 `json:"target"`
	// Threshold is the value at which an adoption indicator counts as
	// adopted; required (> 0) for adoption indicators, unused otherwise.
	Threshold float64 `json:"threshold,omitempty"`
	// Weight is the indicator's weight in its kind's index; zero means 1.
	Weight float64 `json:"weight,omitempty"`
	// ValuePerUnit is what one unit of improvement over the baseline is
	// worth, for the ROI of performance indicators; optional. Every
	// indicator's value is in one currency.
	ValuePerUnit *valuepath.Money `json:"value_per_unit,omitempty"`
}

// AMPMSpec is an AMPM framework as data: Adoption Measurement, then
// Performance Measurement.
type AMPMSpec struct {
	Indicators []Indicator `json:"indicators"`
	// MinLag is how far, in adoption-index points (0 to 1), a unit must
	// lag the rest of its group to be a weak link; zero means 0.15.
	MinLag float64 `json:"min_lag,omitempty"`
}

// defaultMinLag is the lag behind the group that makes a weak link when
// AMPMSpec.MinLag is zero.
const defaultMinLag = 0.15

// AMPM is a validated, immutable AMPM framework. Build it with [NewAMPM] or
// [ParseAMPM]; measure units with [AMPM.Measure]. It is safe for concurrent
// use. The zero value is not usable.
type AMPM struct {
	spec     AMPMSpec
	index    map[string]int
	minLag   float64
	currency valuepath.Currency
}

// NewAMPM validates spec: unique non-empty ids, known kinds, sources and
// directions, finite numbers, a positive threshold for adoption indicators,
// targets that improve on their baseline, non-negative weights and values
// per unit in one currency, and performance indicators only alongside at
// least one adoption indicator (the afternoon needs a morning). Every
// problem is reported with its path. spec is copied, not kept.
func NewAMPM(spec AMPMSpec) (*AMPM, error) {
	c := validate.New("effectiveness")
	x := &AMPM{spec: spec.clone(), index: map[string]int{}, minLag: spec.MinLag}
	if len(spec.Indicators) == 0 {
		c.Addf("indicators", valuepath.ErrInvalid, "want at least one indicator")
	}
	adoption, performance := 0, 0
	for i, ind := range x.spec.Indicators {
		path := validate.Index("indicators", i)
		if c.NonEmpty(validate.Field(path, "id"), ind.ID) {
			if j, dup := x.index[ind.ID]; dup {
				c.Addf(validate.Field(path, "id"), valuepath.ErrDuplicate, "indicator id %q (also indicators[%d])", ind.ID, j)
			} else {
				x.index[ind.ID] = i
			}
		}
		switch ind.Kind {
		case Adoption:
			adoption++
			if c.Finite(validate.Field(path, "threshold"), ind.Threshold) && ind.Threshold <= 0 {
				c.Addf(validate.Field(path, "threshold"), valuepath.ErrInvalid, "an adoption indicator needs a threshold > 0, got %v", ind.Threshold)
			}
		case Performance:
			performance++
			if ind.Threshold != 0 {
				c.Addf(validate.Field(path, "threshold"), valuepath.ErrInvalid, "only adoption indicators take a threshold")
			}
		default:
			c.Addf(validate.Field(path, "kind"), valuepath.ErrInvalid, "unknown kind %q (want %q or %q)", ind.Kind, Adoption, Performance)
		}
		if ind.Source != "" && !validSource(ind.Source) {
			c.Addf(validate.Field(path, "source"), valuepath.ErrInvalid, "unknown source %q (want %q or %q)", ind.Source, Usage, CustomerReported)
		}
		if !ind.Better.Valid() {
			c.Addf(validate.Field(path, "better"), valuepath.ErrInvalid, "unknown direction %q (want %q or %q)", ind.Better, valuepath.HigherIsBetter, valuepath.LowerIsBetter)
		}
		okB := c.Finite(validate.Field(path, "baseline"), ind.Baseline)
		okT := c.Finite(validate.Field(path, "target"), ind.Target)
		if okB && okT && (ind.Target-ind.Baseline)*ind.Better.Sign() <= 0 {
			c.Addf(validate.Field(path, "target"), valuepath.ErrInvalid, "target %v does not improve on baseline %v (%s is better)", ind.Target, ind.Baseline, cmp.Or(ind.Better, valuepath.HigherIsBetter))
		}
		if c.Finite(validate.Field(path, "weight"), ind.Weight) && ind.Weight < 0 {
			c.Addf(validate.Field(path, "weight"), valuepath.ErrInvalid, "must be >= 0, got %v", ind.Weight)
		}
		if v := ind.ValuePerUnit; v != nil {
			x.checkValue(c, validate.Field(path, "value_per_unit"), ind.Kind, *v)
		}
	}
	if performance > 0 && adoption == 0 {
		c.Addf("indicators", valuepath.ErrInvalid, "performance indicators need at least one adoption indicator to be judged against")
	}
	switch {
	case !c.Finite("min_lag", spec.MinLag):
	case spec.MinLag < 0 || spec.MinLag > 1:
		c.Addf("min_lag", valuepath.ErrInvalid, "must be in [0, 1], got %v", spec.MinLag)
	case spec.MinLag == 0:
		x.minLag = defaultMinLag
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return x, nil
}

// checkValue validates an indicator's value per unit at path: a performance
// indicator's, not negative, in a known currency shared by every indicator.
func (x *AMPM) checkValue(c *validate.Collector, path string, kind IndicatorKind, v valuepath.Money) {
	if kind != Performance {
		c.Addf(path, valuepath.ErrInvalid, "only performance indicators have a value per unit")
	}
	if v.Sign() < 0 {
		c.Addf(validate.Field(path, "amount"), valuepath.ErrInvalid, "must be >= 0, got %s", v.Amount())
	}
	switch cur := v.Currency(); {
	case !v.Valid():
		c.Addf(validate.Field(path, "currency"), valuepath.ErrUnknownCurrency, "%q", string(cur))
	case x.currency == "":
		x.currency = cur
	case cur != x.currency:
		c.Add(validate.Field(path, "currency"), &valuepath.MismatchError{Op: "value_per_unit", A: x.currency, B: cur})
	}
}

func (s AMPMSpec) clone() AMPMSpec {
	s.Indicators = slices.Clone(s.Indicators)
	for i := range s.Indicators {
		if v := s.Indicators[i].ValuePerUnit; v != nil {
			c := *v
			s.Indicators[i].ValuePerUnit = &c
		}
	}
	return s
}

// ParseAMPM reads an [AMPMSpec] from JSON, rejecting unknown fields and
// trailing data, and validates it with [NewAMPM].
func ParseAMPM(data []byte) (*AMPM, error) {
	var spec AMPMSpec
	if err := strictUnmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("effectiveness: ampm: %w", err)
	}
	return NewAMPM(spec)
}

// Spec returns a copy of the configuration x was built from.
func (x *AMPM) Spec() AMPMSpec { return x.spec.clone() }

// MarshalJSON writes the spec; [ParseAMPM] reads it back.
func (x *AMPM) MarshalJSON() ([]byte, error) { return json.Marshal(x.spec) }

// OrgUnit is a part of the customer's organisation that AMPM measures: a
// user, a team or the whole account, with its indicator values and its
// members. A unit's value for an indicator is its own, if it states one,
// else the weighted mean of its members' values; the same goes for
// baselines, which fall back to the indicator's default.
type OrgUnit struct {
	ID string `json:"id"`
	// Weight is the unit's weight in its parent's roll-up, e.g. a team's
	// number of users; zero means 1.
	Weight float64 `json:"weight,omitempty"`
	// Values and Baselines map indicator IDs to this unit's current and
	// baseline values.
	Values    map[string]float64 `json:"values,omitempty"`
	Baselines map[string]float64 `json:"baselines,omitempty"`
	Units     []OrgUnit          `json:"units,omitempty"`
}

// Judgement is the state of one indicator for one unit.
type Judgement string

// The judgements of an indicator.
const (
	// Excluded: customer-reported without the account's consent.
	Excluded Judgement = "excluded"
	// NoData: neither the unit nor its members have a value.
	NoData Judgement = "no_data"
	// Adopted and NotAdopted judge adoption indicators against their
	// threshold.
	Adopted    Judgement = "adopted"
	NotAdopted Judgement = "not_adopted"
	// NotYetMeaningful: a performance indicator of a unit whose adoption
	// has not passed. The afternoon never comes before the morning.
	NotYetMeaningful Judgement = "not_yet_meaningful"
	// TargetReached, Improved and NotImproved judge performance
	// indicators against their baseline and target.
	TargetReached Judgement = "target_reached"
	Improved      Judgement = "improved"
	NotImproved   Judgement = "not_improved"
)

// Reading is one indicator measured for one unit.
type Reading struct {
	Indicator string        `json:"indicator"`
	Kind      IndicatorKind `json:"kind"`
	// Value is the unit's value, absent when it has none ([NoData]) or may
	// not be used ([Excluded]).
	Value     valuepath.Number `json:"value"`
	Baseline  float64          `json:"baseline"`
	Target    float64          `json:"target"`
	Threshold float64          `json:"threshold,omitempty"`
	Judgement Judgement        `json:"judgement"`
	// Attainment is, for adoption, the value as a share of the threshold
	// (in [0, 1]); for performance, the share of the way from baseline to
	// target (negative when worse than baseline, above 1 past target). It
	// is absent with the value.
	Attainment valuepath.Number `json:"attainment"`
}

// Measurement is AMPM applied to one unit and, recursively, its members.
type Measurement struct {
	Unit   string  `json:"unit"`
	Weight float64 `json:"weight"`
	// AdoptionIndex is the weighted mean attainment of the adoption
	// indicators with data, in [0, 1]; absent when none has data.
	AdoptionIndex valuepath.Number `json:"adoption_index"`
	// AdoptionPassed is true when every adoption indicator with data has
	// reached its threshold, and at least one has data.
	AdoptionPassed bool `json:"adoption_passed"`
	// PerformanceIndex is the weighted mean share of the way from baseline
	// to target of the performance indicators with data, each clamped to
	// [0, 1]. It is absent, with the reason, until adoption has passed, and
	// when no performance indicator has data.
	PerformanceIndex valuepath.Number `json:"performance_index"`
	Readings         []Reading        `json:"readings"`
	Units            []Measurement    `json:"units,omitempty"`
}

// The reasons a reading or an index is absent.
const (
	reasonExcluded      = "customer-reported, without the account's consent"
	reasonNoData        = "no value for the unit or its members"
	reasonNoAdoption    = "no adoption indicator has data"
	reasonNotAdopted    = "adoption has not passed: performance is not yet meaningful"
	reasonNoPerformance = "no performance indicator has data"
)

// rolled is an indicator's value and baseline for one unit, rolled up.
type rolled struct {
	value, baseline float64
	present         bool
}

// Measure applies the framework to root (an account with its teams and
// users) for account, whose consent decides on customer-reported
// indicators. It fails, naming every problem with its path, on empty or
// duplicate unit ids, unknown indicators, NaN or infinite values and
// negative weights. root is read, not kept.
func (x *AMPM) Measure(account valuepath.AccountID, root OrgUnit, opt Options) (*Measurement, error) {
	c := validate.New("effectiveness")
	seen := map[string]string{}
	x.check(c, "unit", &root, seen, 0)
	if err := c.Err(); err != nil {
		return nil, err
	}
	excluded := make([]bool, len(x.spec.Indicators))
	for i, ind := range x.spec.Indicators {
		excluded[i] = ind.Source == CustomerReported && (opt.Consent == nil || !opt.Consent(account, valuepath.Metric(ind.ID)))
	}
	m, _ := x.measure(&root, excluded)
	return m, nil
}

func (x *AMPM) check(c *validate.Collector, path string, u *OrgUnit, seen map[string]string, depth int) {
	if depth > maxDepth {
		c.Addf(path, valuepath.ErrInvalid, "units nest deeper than %d levels", maxDepth)
		return
	}
	if c.NonEmpty(validate.Field(path, "id"), u.ID) {
		if other, dup := seen[u.ID]; dup {
			c.Addf(validate.Field(path, "id"), valuepath.ErrDuplicate, "unit id %q (also %s)", u.ID, other)
		} else {
			seen[u.ID] = path
		}
	}
	if c.Finite(validate.Field(path, "weight"), u.Weight) && u.Weight < 0 {
		c.Addf(validate.Field(path, "weight"), valuepath.ErrInvalid, "must be >= 0, got %v", u.Weight)
	}
	for _, field := range []struct {
		name string
		m    map[string]float64
	}{{"values", u.Values}, {"baselines", u.Baselines}} {
		for _, id := range sortedKeys(field.m) {
			p := validate.Key(validate.Field(path, field.name), id)
			if _, ok := x.index[id]; !ok {
				c.Addf(p, valuepath.ErrInvalid, "unknown indicator %q", id)
			}
			c.Finite(p, field.m[id])
		}
	}
	for i := range u.Units {
		x.check(c, validate.Index(validate.Field(path, "units"), i), &u.Units[i], seen, depth+1)
	}
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func weightOf(u *OrgUnit) float64 {
	if u.Weight == 0 {
		return 1
	}
	return u.Weight
}

// measure measures u and its members, returning the measurement and the
// rolled-up values per indicator.
func (x *AMPM) measure(u *OrgUnit, excluded []bool) (*Measurement, []rolled) {
	inds := x.spec.Indicators
	m := &Measurement{Unit: u.ID, Weight: weightOf(u)}
	var kids [][]rolled
	var kidWeights []float64
	for i := range u.Units {
		km, kr := x.measure(&u.Units[i], excluded)
		m.Units = append(m.Units, *km)
		kids = append(kids, kr)
		kidWeights = append(kidWeights, weightOf(&u.Units[i]))
	}
	vals := make([]rolled, len(inds))
	for i, ind := range inds {
		r := &vals[i]
		r.baseline = ind.Baseline
		if v, ok := u.Values[ind.ID]; ok {
			r.value, r.present = v, true
		} else {
			r.value, r.present = weightedMean(kids, kidWeights, i, false)
		}
		if b, ok := u.Baselines[ind.ID]; ok {
			r.baseline = b
		} else if b, ok := weightedMean(kids, kidWeights, i, true); ok {
			r.baseline = b
		}
	}
	m.Readings = make([]Reading, len(inds))
	x.morning(m, vals, excluded)
	x.afternoon(m)
	return m, vals
}

// morning reads every indicator of m and judges adoption.
func (x *AMPM) morning(m *Measurement, vals []rolled, excluded []bool) {
	var aw, asum float64
	adoptedAll, anyAdoption := true, false
	for i, ind := range x.spec.Indicators {
		rd := Reading{Indicator: ind.ID, Kind: ind.Kind, Value: valuepath.Defined(vals[i].value), Baseline: vals[i].baseline, Target: ind.Target, Threshold: ind.Threshold}
		switch {
		case excluded[i]:
			rd.Value, rd.Judgement = valuepath.Absent(reasonExcluded), Excluded
		case !vals[i].present:
			rd.Value, rd.Judgement = valuepath.Absent(reasonNoData), NoData
		case ind.Kind == Adoption:
			att := adoptionAttainment(ind, vals[i].value)
			rd.Attainment = valuepath.Defined(att)
			rd.Judgement = NotAdopted
			if att >= 1 {
				rd.Judgement = Adopted
			} else {
				adoptedAll = false
			}
			anyAdoption = true
			w := cmp.Or(ind.Weight, 1)
			aw += w
			asum += w * att
		}
		if !rd.Value.Present {
			rd.Attainment = valuepath.Absent(rd.Value.Reason)
		}
		m.Readings[i] = rd
	}
	m.AdoptionIndex = valuepath.Absent(reasonNoAdoption)
	if aw > 0 {
		m.AdoptionIndex = valuepath.Defined(clamp01(asum / aw))
	}
	m.AdoptionPassed = anyAdoption && adoptedAll
}

// afternoon judges the performance indicators of m, only once adoption has
// passed.
func (x *AMPM) afternoon(m *Measurement) {
	var pw, psum float64
	for i, ind := range x.spec.Indicators {
		rd := &m.Readings[i]
		if ind.Kind != Performance || !rd.Value.Present {
			continue
		}
		att := performanceAttainment(rd.Baseline, ind.Target, rd.Value.Value)
		rd.Attainment = valuepath.Defined(att)
		if !m.AdoptionPassed {
			rd.Judgement = NotYetMeaningful
			continue
		}
		switch {
		case att >= 1:
			rd.Judgement = TargetReached
		case att > 0:
			rd.Judgement = Improved
		default:
			rd.Judgement = NotImproved
		}
		w := cmp.Or(ind.Weight, 1)
		pw += w
		psum += w * clamp01(att)
	}
	switch {
	case !m.AdoptionPassed:
		m.PerformanceIndex = valuepath.Absent(reasonNotAdopted)
	case pw == 0:
		m.PerformanceIndex = valuepath.Absent(reasonNoPerformance)
	default:
		m.PerformanceIndex = valuepath.Defined(clamp01(psum / pw))
	}
}

func weightedMean(kids [][]rolled, weights []float64, i int, baseline bool) (float64, bool) {
	var w, s float64
	for k, kr := range kids {
		if !kr[i].present && !baseline {
			continue
		}
		v := kr[i].value
		if baseline {
			v = kr[i].baseline
		}
		w += weights[k]
		s += weights[k] * v
	}
	if w == 0 {
		return 0, false
	}
	return finiteOr0(s / w), true
}

// adoptionAttainment is value as a share of the threshold, in [0, 1].
func adoptionAttainment(ind Indicator, v float64) float64 {
	if ind.Better == valuepath.LowerIsBetter {
		if v <= ind.Threshold {
			return 1
		}
		return clamp01(ind.Threshold / v)
	}
	return clamp01(v / ind.Threshold)
}

// performanceAttainment is the share of the way from baseline to target.
// The signs of target-baseline and v-baseline carry the direction.
func performanceAttainment(baseline, target, v float64) float64 {
	d := target - baseline
	if d == 0 {
		return 0
	}
	return finiteOr0((v - baseline) / d)
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also NaN
		return 0
	}
	return min(x, 1)
}

func finiteOr0(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// WeakLink is a unit whose adoption lags the rest of its group enough to
// put the group's performance at risk.
type WeakLink struct {
	Unit   string `json:"unit"`
	Parent string `json:"parent"`
	// Adoption is the unit's adoption index; Group the weighted adoption
	// index of the rest of its group; Behind is Group minus Adoption.
	Adoption float64 `json:"adoption"`
	Group    float64 `json:"group"`
	Behind   float64 `json:"behind"`
	// WeightShare is the unit's share of its group's weight: how much of
	// the group's performance rides on it.
	WeightShare float64 `json:"weight_share"`
	// Lagging lists the unit's adoption readings below their threshold.
	Lagging []Reading `json:"lagging"`
}

// WeakLinks finds, at every level of m, the members that have not passed
// adoption and lag the weighted adoption index of the rest of their group
// by at least the framework's MinLag. Members without an adoption index
// (no adoption data) are neither weak links nor part of the group they are
// compared with: missing is not zero. The result is ordered by how far
// behind they are, most first.
func (x *AMPM) WeakLinks(m *Measurement) []WeakLink {
	var out []WeakLink
	if m == nil {
		return out
	}
	x.weakLinks(m, &out)
	slices.SortStableFunc(out, func(a, b WeakLink) int {
		return cmp.Or(cmp.Compare(b.Behind, a.Behind), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}

func (x *AMPM) weakLinks(m *Measurement, out *[]WeakLink) {
	var total, sum float64
	n := 0
	for _, k := range m.Units {
		if ai, ok := k.AdoptionIndex.Get(); ok {
			total += k.Weight
			sum += k.Weight * ai
			n++
		}
	}
	for _, k := range m.Units {
		ai, ok := k.AdoptionIndex.Get()
		rest := total - k.Weight
		if !ok || n < 2 || rest <= 0 || k.AdoptionPassed {
			continue
		}
		group := clamp01((sum - k.Weight*ai) / rest)
		behind := group - ai
		if behind < x.minLag-1e-12 {
			continue
		}
		wl := WeakLink{Unit: k.Unit, Parent: m.Unit, Adoption: ai, Group: group, Behind: behind, WeightShare: finiteOr0(k.Weight / total)}
		for _, r := range k.Readings {
			if r.Judgement == NotAdopted {
				wl.Lagging = append(wl.Lagging, r)
			}
		}
		*out = append(*out, wl)
	}
	for i := range m.Units {
		x.weakLinks(&m.Units[i], out)
	}
}

// Gain is what one performance indicator's improvement over baseline is
// worth.
type Gain struct {
	Indicator   string          `json:"indicator"`
	Baseline    float64         `json:"baseline"`
	Actual      float64         `json:"actual"`
	Improvement float64         `json:"improvement"` // in the better direction
	Value       valuepath.Money `json:"value"`
}

// ROI is the return of the performance indicators against baseline.
type ROI struct {
	// Present is false while adoption has not passed, Reason says so, and
	// the ROI does not exist yet: the gains are listed but not counted,
	// Gain and Net are zero and Ratio is absent.
	Present bool   `json:"present"`
	Reason  string `json:"reason,omitempty"`
	Gains   []Gain `json:"gains"`
	// Gain is the sum of the gains' values; Cost what was paid; Net their
	// difference.
	Gain valuepath.Money `json:"gain"`
	Cost valuepath.Money `json:"cost"`
	Net  valuepath.Money `json:"net"`
	// Ratio is Net over Cost (0.5 is a 50% return), absent when Cost is
	// zero.
	Ratio valuepath.Number `json:"ratio"`
}

// ROI values the improvement over baseline of m's performance indicators
// that have a value per unit, against cost (what the customer paid over the
// same period). Amounts are rounded to the currency's minor units. It fails
// on a nil measurement, an invalid or negative cost, and a cost in another
// currency than the indicators' (an error wrapping
// [valuepath.ErrCurrencyMismatch]).
func (x *AMPM) ROI(m *Measurement, cost valuepath.Money) (ROI, error) {
	if m == nil || len(m.Readings) != len(x.spec.Indicators) {
		return ROI{}, fmt.Errorf("effectiveness: roi: %w: not a measurement of this framework", valuepath.ErrInvalid)
	}
	c := validate.New("effectiveness")
	switch {
	case !cost.Valid():
		c.Addf("cost.currency", valuepath.ErrUnknownCurrency, "%q", string(cost.Currency()))
	case x.currency != "" && cost.Currency() != x.currency:
		c.Add("cost.currency", &valuepath.MismatchError{Op: "roi", A: x.currency, B: cost.Currency()})
	}
	if cost.Sign() < 0 {
		c.Addf("cost.amount", valuepath.ErrInvalid, "must be >= 0, got %s", cost.Amount())
	}
	if err := c.Err(); err != nil {
		return ROI{}, err
	}
	cur := cost.Currency()
	r := ROI{Present: m.PerformanceIndex.Present, Gain: valuepath.ZeroMoney(cur), Cost: cost}
	if !r.Present {
		r.Reason = m.PerformanceIndex.Reason
	}
	for i, ind := range x.spec.Indicators {
		rd := m.Readings[i]
		v, ok := rd.Value.Get()
		if ind.Kind != Performance || ind.ValuePerUnit == nil || !ok {
			continue
		}
		imp := finiteOr0((v - rd.Baseline) * ind.Better.Sign())
		g := Gain{Indicator: ind.ID, Baseline: rd.Baseline, Actual: v, Improvement: imp,
			Value: ind.ValuePerUnit.Mul(decimal.NewFromFloat(imp)).Round(valuepath.HalfEven)}
		r.Gains = append(r.Gains, g)
		if r.Present {
			r.Gain, _ = r.Gain.Add(g.Value) // one currency, checked above
		}
	}
	r.Net = r.Gain
	if r.Present {
		r.Net, _ = r.Gain.Sub(cost)
	}
	switch {
	case !r.Present:
		r.Ratio = valuepath.Absent(r.Reason)
	case cost.IsZero():
		r.Ratio = valuepath.Absent("no cost to return on")
	default:
		q, _ := valuepath.DivRound(r.Net.Amount(), cost.Amount(), 6, valuepath.HalfEven)
		r.Ratio = valuepath.Defined(q.InexactFloat64())
	}
	return r, nil
}
