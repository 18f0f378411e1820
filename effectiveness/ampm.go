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

// Kind says whether an indicator measures adoption or performance.
type Kind string

// The kinds of indicator.
const (
	// Adoption indicators measure the new routines that value needs: the
	// share of users active weekly, records updated within a day.
	Adoption Kind = "adoption"
	// Performance indicators measure the business outcome: win rate,
	// cycle time, revenue. They are judged only once adoption has passed.
	Performance Kind = "performance"
)

// Direction says which way an indicator improves. The zero value means
// higher is better.
type Direction string

// The directions of improvement.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// sign returns +1 for higher-is-better and -1 for lower-is-better.
func (d Direction) sign() float64 {
	if d == LowerIsBetter {
		return -1
	}
	return 1
}

func validDirection(d Direction) bool { return d == "" || d == HigherIsBetter || d == LowerIsBetter }

// Money is an amount in a currency (an ISO 4217 code such as "USD").
type Money struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency"`
}

// String formats the amount with two decimals and the currency: "1250.00 USD".
func (m Money) String() string { return m.Amount.StringFixed(2) + " " + m.Currency }

// Indicator is one AMPM indicator.
type Indicator struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Kind Kind   `json:"kind"`
	// Source is where the values come from; empty means [Usage]. A
	// [CustomerReported] indicator needs consent, asked of [Consent] with
	// the indicator's ID as the metric.
	Source Source    `json:"source,omitempty"`
	Better Direction `json:"better,omitempty"`
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
	// worth, for the ROI of performance indicators; optional.
	ValuePerUnit *Money `json:"value_per_unit,omitempty"`
}

// AMPMSpec is an AMPM framework as data: Adoption Measurement, then
// Performance Measurement.
type AMPMSpec struct {
	Indicators []Indicator `json:"indicators"`
	// MinLag is how far, in adoption-index points (0 to 1), a unit must
	// lag the rest of its group to be a weak link; zero means 0.15.
	MinLag float64 `json:"min_lag,omitempty"`
}

// DefaultMinLag is the lag behind the group that makes a weak link when
// AMPMSpec.MinLag is zero.
const DefaultMinLag = 0.15

// AMPM is a validated, immutable AMPM framework. Build it with [NewAMPM] or
// [ParseAMPM]; measure units with [AMPM.Measure]. It is safe for concurrent
// use.
type AMPM struct {
	spec     AMPMSpec
	index    map[string]int
	minLag   float64
	currency string
}

// NewAMPM validates spec: unique non-empty ids, known kinds, sources and
// directions, finite numbers, a positive threshold for adoption indicators,
// targets that improve on their baseline, non-negative weights and values
// per unit in one currency, and performance indicators only alongside at
// least one adoption indicator (the afternoon needs a morning). Every
// problem is reported with its path.
func NewAMPM(spec AMPMSpec) (*AMPM, error) {
	c := validate.New("effectiveness")
	x := &AMPM{spec: spec, index: map[string]int{}, minLag: spec.MinLag}
	x.spec.Indicators = slices.Clone(spec.Indicators)
	if len(spec.Indicators) == 0 {
		c.Addf("indicators", valuepath.ErrInvalid, "want at least one indicator")
	}
	adoption, performance := 0, 0
	for i, ind := range x.spec.Indicators {
		path := validate.Index("indicators", i)
		if ind.ValuePerUnit != nil {
			v := *ind.ValuePerUnit
			x.spec.Indicators[i].ValuePerUnit = &v
		}
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
		if !validDirection(ind.Better) {
			c.Addf(validate.Field(path, "better"), valuepath.ErrInvalid, "unknown direction %q (want %q or %q)", ind.Better, HigherIsBetter, LowerIsBetter)
		}
		okB := c.Finite(validate.Field(path, "baseline"), ind.Baseline)
		okT := c.Finite(validate.Field(path, "target"), ind.Target)
		if okB && okT && (ind.Target-ind.Baseline)*ind.Better.sign() <= 0 {
			c.Addf(validate.Field(path, "target"), valuepath.ErrInvalid, "target %v does not improve on baseline %v (%s is better)", ind.Target, ind.Baseline, cmp.Or(ind.Better, HigherIsBetter))
		}
		if c.Finite(validate.Field(path, "weight"), ind.Weight) && ind.Weight < 0 {
			c.Addf(validate.Field(path, "weight"), valuepath.ErrInvalid, "must be >= 0, got %v", ind.Weight)
		}
		if v := ind.ValuePerUnit; v != nil {
			vpath := validate.Field(path, "value_per_unit")
			if ind.Kind != Performance {
				c.Addf(vpath, valuepath.ErrInvalid, "only performance indicators have a value per unit")
			}
			if v.Amount.IsNegative() {
				c.Addf(validate.Field(vpath, "amount"), valuepath.ErrInvalid, "must be >= 0, got %s", v.Amount)
			}
			if validCurrency(c, validate.Field(vpath, "currency"), v.Currency) {
				if x.currency == "" {
					x.currency = v.Currency
				} else if v.Currency != x.currency {
					c.Addf(validate.Field(vpath, "currency"), valuepath.ErrInvalid, "%s differs from %s of another indicator", v.Currency, x.currency)
				}
			}
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
		x.minLag = DefaultMinLag
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return x, nil
}

// validCurrency checks an ISO 4217-shaped code: three upper-case letters.
func validCurrency(c *validate.Collector, path, code string) bool {
	if len(code) != 3 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2] < 'A' || code[2] > 'Z' {
		c.Addf(path, valuepath.ErrInvalid, "want a three-letter ISO 4217 code such as USD, got %q", code)
		return false
	}
	return true
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

// Indicators returns a copy of the indicators.
func (x *AMPM) Indicators() []Indicator {
	out := slices.Clone(x.spec.Indicators)
	for i := range out {
		if v := out[i].ValuePerUnit; v != nil {
			c := *v
			out[i].ValuePerUnit = &c
		}
	}
	return out
}

// MarshalJSON writes the spec.
func (x *AMPM) MarshalJSON() ([]byte, error) {
	return json.Marshal(AMPMSpec{Indicators: x.Indicators(), MinLag: x.minLag})
}

// Unit is a user, a team or a whole account, with its indicator values and
// its members. A unit's value for an indicator is its own, if it states
// one, else the weighted mean of its members' values; the same goes for
// baselines, which fall back to the indicator's default.
type Unit struct {
	ID string `json:"id"`
	// Weight is the unit's weight in its parent's roll-up, e.g. a team's
	// number of users; zero means 1.
	Weight float64 `json:"weight,omitempty"`
	// Values and Baselines map indicator IDs to this unit's current and
	// baseline values.
	Values    map[string]float64 `json:"values,omitempty"`
	Baselines map[string]float64 `json:"baselines,omitempty"`
	Units     []Unit             `json:"units,omitempty"`
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
	Indicator string    `json:"indicator"`
	Kind      Kind      `json:"kind"`
	Value     float64   `json:"value"`
	Present   bool      `json:"present"`
	Baseline  float64   `json:"baseline"`
	Target    float64   `json:"target"`
	Threshold float64   `json:"threshold,omitempty"`
	Judgement Judgement `json:"judgement"`
	// Attainment is, for adoption, the value as a share of the threshold
	// (in [0, 1]); for performance, the share of the way from baseline to
	// target (negative when worse than baseline, above 1 past target).
	Attainment float64 `json:"attainment"`
}

// Measurement is AMPM applied to one unit and, recursively, its members.
type Measurement struct {
	Unit   string  `json:"unit"`
	Weight float64 `json:"weight"`
	// AdoptionIndex is the weighted mean attainment of the adoption
	// indicators with data, in [0, 1].
	AdoptionIndex float64 `json:"adoption_index"`
	// AdoptionPassed is true when every adoption indicator with data has
	// reached its threshold, and at least one has data.
	AdoptionPassed bool `json:"adoption_passed"`
	// PerformanceIndex is the weighted mean share of the way from baseline
	// to target of the performance indicators with data, each clamped to
	// [0, 1]; 0 when PerformanceMeaningful is false.
	PerformanceIndex      float64       `json:"performance_index"`
	PerformanceMeaningful bool          `json:"performance_meaningful"`
	Readings              []Reading     `json:"readings"`
	Units                 []Measurement `json:"units,omitempty"`
}

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
func (x *AMPM) Measure(account valuepath.AccountID, root Unit, opt Options) (*Measurement, error) {
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

func (x *AMPM) check(c *validate.Collector, path string, u *Unit, seen map[string]string, depth int) {
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

func weightOf(u *Unit) float64 {
	if u.Weight == 0 {
		return 1
	}
	return u.Weight
}

// measure measures u and its members, returning the measurement and the
// rolled-up values per indicator.
func (x *AMPM) measure(u *Unit, excluded []bool) (*Measurement, []rolled) {
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
	// Morning: adoption.
	var aw, asum float64
	adoptedAll, anyAdoption := true, false
	m.Readings = make([]Reading, len(inds))
	for i, ind := range inds {
		rd := Reading{Indicator: ind.ID, Kind: ind.Kind, Value: vals[i].value, Present: vals[i].present, Baseline: vals[i].baseline, Target: ind.Target, Threshold: ind.Threshold}
		switch {
		case excluded[i]:
			rd.Value, rd.Present, rd.Judgement = 0, false, Excluded
		case !rd.Present:
			rd.Judgement = NoData
		case ind.Kind == Adoption:
			rd.Attainment = adoptionAttainment(ind, rd.Value)
			rd.Judgement = NotAdopted
			if rd.Attainment >= 1 {
				rd.Judgement = Adopted
			} else {
				adoptedAll = false
			}
			anyAdoption = true
			w := cmp.Or(ind.Weight, 1)
			aw += w
			asum += w * rd.Attainment
		}
		m.Readings[i] = rd
	}
	if aw > 0 {
		m.AdoptionIndex = clamp01(asum / aw)
	}
	m.AdoptionPassed = anyAdoption && adoptedAll
	// Afternoon: performance, only once adoption has passed.
	var pw, psum float64
	for i, ind := range inds {
		rd := &m.Readings[i]
		if ind.Kind != Performance || rd.Judgement == Excluded || rd.Judgement == NoData {
			continue
		}
		rd.Attainment = performanceAttainment(rd.Baseline, ind.Target, rd.Value)
		if !m.AdoptionPassed {
			rd.Judgement = NotYetMeaningful
			continue
		}
		switch {
		case rd.Attainment >= 1:
			rd.Judgement = TargetReached
		case rd.Attainment > 0:
			rd.Judgement = Improved
		default:
			rd.Judgement = NotImproved
		}
		w := cmp.Or(ind.Weight, 1)
		pw += w
		psum += w * clamp01(rd.Attainment)
	}
	if pw > 0 {
		m.PerformanceMeaningful = true
		m.PerformanceIndex = clamp01(psum / pw)
	}
	return m, vals
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
	if ind.Better == LowerIsBetter {
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
	// Lagging lists the adoption indicators below their threshold.
	Lagging []Shortfall `json:"lagging"`
}

// Shortfall is an adoption indicator short of its threshold.
type Shortfall struct {
	Indicator string  `json:"indicator"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
}

// WeakLinks finds, at every level of m, the members that have not passed
// adoption and lag the weighted adoption index of the rest of their group
// by at least the framework's MinLag. The result is ordered by how far
// behind they are, most first.
func (x *AMPM) WeakLinks(m *Measurement) []WeakLink {
	var out []WeakLink
	x.weakLinks(m, &out)
	slices.SortStableFunc(out, func(a, b WeakLink) int {
		return cmp.Or(cmp.Compare(b.Behind, a.Behind), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}

func (x *AMPM) weakLinks(m *Measurement, out *[]WeakLink) {
	var total, sum float64
	for _, k := range m.Units {
		total += k.Weight
		sum += k.Weight * k.AdoptionIndex
	}
	for _, k := range m.Units {
		rest := total - k.Weight
		if len(m.Units) < 2 || rest <= 0 || k.AdoptionPassed {
			continue
		}
		group := clamp01((sum - k.Weight*k.AdoptionIndex) / rest)
		behind := group - k.AdoptionIndex
		if behind < x.minLag-1e-12 {
			continue
		}
		wl := WeakLink{Unit: k.Unit, Parent: m.Unit, Adoption: k.AdoptionIndex, Group: group, Behind: behind, WeightShare: finiteOr0(k.Weight / total)}
		for _, r := range k.Readings {
			if r.Judgement == NotAdopted {
				wl.Lagging = append(wl.Lagging, Shortfall{Indicator: r.Indicator, Value: r.Value, Threshold: r.Threshold})
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
	Indicator   string  `json:"indicator"`
	Baseline    float64 `json:"baseline"`
	Actual      float64 `json:"actual"`
	Improvement float64 `json:"improvement"` // in the better direction
	Value       Money   `json:"value"`
}

// ROI is the return of the performance indicators against baseline.
type ROI struct {
	// Meaningful is false while adoption has not passed; the gains are then
	// listed but not counted.
	Meaningful bool   `json:"meaningful"`
	Gains      []Gain `json:"gains"`
	Gain       Money  `json:"gain"`
	Cost       Money  `json:"cost"`
	Net        Money  `json:"net"`
	// Ratio is Net over Cost (0.5 is a 50% return); 0 when Cost is zero.
	Ratio float64 `json:"ratio"`
}

// ROI values the improvement over baseline of m's performance indicators
// that have a value per unit, against cost (what the customer paid over the
// same period). Amounts are rounded to cents. It fails on a negative cost or
// a currency other than the indicators'.
func (x *AMPM) ROI(m *Measurement, cost Money) (ROI, error) {
	c := validate.New("effectiveness")
	if validCurrency(c, "cost.currency", cost.Currency) && x.currency != "" && cost.Currency != x.currency {
		c.Addf("cost.currency", valuepath.ErrInvalid, "%s differs from the indicators' %s", cost.Currency, x.currency)
	}
	if cost.Amount.IsNegative() {
		c.Addf("cost.amount", valuepath.ErrInvalid, "must be >= 0, got %s", cost.Amount)
	}
	if err := c.Err(); err != nil {
		return ROI{}, err
	}
	cur := cost.Currency
	r := ROI{Meaningful: m.PerformanceMeaningful, Gain: Money{Currency: cur}, Cost: Money{Amount: cost.Amount, Currency: cur}}
	for i, ind := range x.spec.Indicators {
		rd := m.Readings[i]
		if ind.Kind != Performance || ind.ValuePerUnit == nil || !rd.Present {
			continue
		}
		imp := finiteOr0((rd.Value - rd.Baseline) * ind.Better.sign())
		g := Gain{Indicator: ind.ID, Baseline: rd.Baseline, Actual: rd.Value, Improvement: imp,
			Value: Money{Amount: decimal.NewFromFloat(imp).Mul(ind.ValuePerUnit.Amount).Round(2), Currency: cur}}
		r.Gains = append(r.Gains, g)
		if r.Meaningful {
			r.Gain.Amount = r.Gain.Amount.Add(g.Value.Amount)
		}
	}
	r.Net = Money{Amount: r.Gain.Amount.Sub(cost.Amount), Currency: cur}
	if cost.Amount.IsPositive() {
		r.Ratio = r.Net.Amount.DivRound(cost.Amount, 6).InexactFloat64()
	}
	return r, nil
}
