package segment

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/valuepath/valuepath/internal/short"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Tier is a level of customer-success coverage. The zero value is not a
// tier; the three tiers are [TierTop], [TierLeveraged] and [TierScalable].
type Tier uint8

// The tiers, from the most to the least CSM time per account.
const (
	// TierTop accounts get a named CSM, executive relationships and
	// business reviews; their number is bounded by CSM hours.
	TierTop Tier = iota + 1
	// TierLeveraged accounts get leveraged, largely automated touch signed
	// by a CSM who serves several times as many of them.
	TierLeveraged
	// TierScalable accounts get the self-service, digital experience.
	TierScalable
)

var tierNames = [...]string{"", "top", "leveraged", "scalable"}

// String returns "top", "leveraged" or "scalable", and "tier(N)" for
// anything else.
func (t Tier) String() string {
	if int(t) < len(tierNames) && t != 0 {
		return tierNames[t]
	}
	return "tier(" + strconv.Itoa(int(t)) + ")"
}

// MarshalText writes the tier's name; the zero value and unknown tiers are
// an error.
func (t Tier) MarshalText() ([]byte, error) {
	if t == 0 || int(t) >= len(tierNames) {
		return nil, fmt.Errorf("segment: %w: %s", valuepath.ErrInvalid, t)
	}
	return []byte(tierNames[t]), nil
}

// TierInput is what tiering reads about one customer account: its
// revenue and whether it is strategic.
type TierInput struct {
	ID valuepath.AccountID `json:"id"`
	// Revenue is the account's recurring revenue. Use one basis for every
	// account of a call (all ARR or all MRR); it must not be negative, and
	// its currency must be the spec's or have a rate.
	Revenue valuepath.Money `json:"revenue"`
	// Strategic accounts are placed in the top tier before any other,
	// whatever their revenue: a lighthouse logo, a design partner.
	Strategic bool `json:"strategic,omitempty"`
}

// Capacity is what the CSM team can serve in one period (a week, a month:
// the caller's choice, used consistently).
type Capacity struct {
	// TopCSMs is the number of CSMs serving the top tier.
	TopCSMs int `json:"top_csms"`
	// LeveragedCSMs is the number of CSMs serving the leveraged tier.
	LeveragedCSMs int `json:"leveraged_csms"`
	// HoursPerCSM is the hours each CSM has for accounts per period; > 0.
	HoursPerCSM float64 `json:"hours_per_csm"`
	// HoursPerTopAccount is the hours a top-tier account needs per period; > 0.
	HoursPerTopAccount float64 `json:"hours_per_top_account"`
	// LeveragedRatio is how many times as many accounts a CSM serves in the
	// leveraged tier as in the top tier. Zero means 10, the usual upper
	// end; otherwise it must be at least 1.
	LeveragedRatio float64 `json:"leveraged_ratio,omitempty"`
}

// DefaultLeveragedRatio is the leveraged ratio used when
// [Capacity.LeveragedRatio] is zero.
const DefaultLeveragedRatio = 10

// maxCSMs bounds the CSM counts a model accepts, so that capacity arithmetic
// stays far from overflow.
const maxCSMs = 1_000_000

// TieringSpec is the configuration of a [Tiering]: the reporting
// currency, exchange rates for any other currency, and the CSM capacity.
type TieringSpec struct {
	// Currency is the reporting currency (ISO 4217, in either case), e.g.
	// "USD".
	Currency valuepath.Currency `json:"currency"`
	// Rates converts other currencies: one unit of the key currency (in
	// either case) is worth Rates[key] units of Currency. An account in a
	// currency with no rate is an error, never silently mixed. Conversion
	// is a decimal multiplication, so it is exact.
	Rates map[valuepath.Currency]decimal.Decimal `json:"rates,omitempty"`
	// Capacity is what the CSM team can serve.
	Capacity Capacity `json:"capacity"`
}

// Tiering is a validated, immutable [TieringSpec]. It is safe for
// concurrent use: build it once with [NewTiering] or [ParseTiering] and
// assign any number of account lists with it.
type Tiering struct {
	spec      TieringSpec
	conv      converter
	ratio     float64
	topPlaces int
	levPlaces int
}

// NewTiering validates spec and compiles it. Every problem is reported
// with its field path ("capacity.hours_per_csm"), joined: an unknown
// currency code, rates that are not > 0 or name the reporting currency,
// CSM counts out of range, hours that are not > 0, a leveraged ratio below
// 1. spec is copied, not kept.
func NewTiering(spec TieringSpec) (*Tiering, error) {
	c := validate.New("segment")
	conv := newConverter(c, spec.Currency, spec.Rates)
	cp := spec.Capacity
	if cp.TopCSMs < 0 || cp.TopCSMs > maxCSMs {
		c.Addf("capacity.top_csms", valuepath.ErrInvalid, "must be between 0 and %d, got %d", maxCSMs, cp.TopCSMs)
	}
	if cp.LeveragedCSMs < 0 || cp.LeveragedCSMs > maxCSMs {
		c.Addf("capacity.leveraged_csms", valuepath.ErrInvalid, "must be between 0 and %d, got %d", maxCSMs, cp.LeveragedCSMs)
	}
	c.Positive("capacity.hours_per_csm", cp.HoursPerCSM)
	c.Positive("capacity.hours_per_top_account", cp.HoursPerTopAccount)
	lr := cp.LeveragedRatio
	if lr == 0 {
		lr = DefaultLeveragedRatio
	}
	if c.Finite("capacity.leveraged_ratio", cp.LeveragedRatio) && lr < 1 {
		c.Addf("capacity.leveraged_ratio", valuepath.ErrInvalid, "must be 0 (meaning %d) or at least 1, got %v", DefaultLeveragedRatio, cp.LeveragedRatio)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	spec.Rates = maps.Clone(spec.Rates)
	t := &Tiering{spec: spec, conv: conv, ratio: lr}
	t.topPlaces = t.places(cp.TopCSMs, 1)
	t.levPlaces = t.places(cp.LeveragedCSMs, lr)
	return t, nil
}

// ParseTiering reads a JSON [TieringSpec] and compiles it with
// [NewTiering]. Unknown fields and trailing data are errors.
func ParseTiering(data []byte) (*Tiering, error) {
	var spec TieringSpec
	if err := decodeStrict(data, &spec); err != nil {
		return nil, fmt.Errorf("segment: tiering: %w", err)
	}
	return NewTiering(spec)
}

// decodeStrict decodes one JSON value into v, rejecting unknown fields and
// anything after the value.
func decodeStrict(data []byte, v any) error {
	if err := strictjson.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", valuepath.ErrInvalid, err)
	}
	return nil
}

// Spec returns a copy of the configuration t was built from.
func (t *Tiering) Spec() TieringSpec {
	s := t.spec
	s.Rates = maps.Clone(s.Rates)
	return s
}

// MarshalJSON writes the spec, so a Tiering round-trips through
// [ParseTiering].
func (t *Tiering) MarshalJSON() ([]byte, error) { return json.Marshal(t.spec) }

// Places returns how many accounts the top and leveraged tiers can hold.
// CSM hours are pooled within a tier: top places are
// floor(TopCSMs × HoursPerCSM / HoursPerTopAccount), and leveraged places
// the same for LeveragedCSMs, times the leveraged ratio.
func (t *Tiering) Places() (top, leveraged int) { return t.topPlaces, t.levPlaces }

// places is the number of accounts csms CSMs serve at ratio times the top
// tier's accounts per CSM.
func (t *Tiering) places(csms int, ratio float64) int {
	cp := t.spec.Capacity
	x := float64(csms) * cp.HoursPerCSM / cp.HoursPerTopAccount * ratio
	if x >= math.MaxInt32 || math.IsNaN(x) {
		return math.MaxInt32
	}
	// The tolerance keeps 120/10 hours at 12 places whatever the rounding.
	return int(math.Floor(x + 1e-9))
}

// csmsFor is the number of top-tier CSMs that k top accounts need.
func (t *Tiering) csmsFor(k int) int {
	cp := t.spec.Capacity
	x := float64(k) * cp.HoursPerTopAccount / cp.HoursPerCSM
	if x >= math.MaxInt32 {
		return math.MaxInt32
	}
	return int(math.Ceil(x - 1e-9))
}

// Reason is why an account landed in its tier.
type Reason uint8

// The reasons for a placement.
const (
	// ReasonStrategic: a strategic account, placed before any other.
	ReasonStrategic Reason = iota + 1
	// ReasonRevenue: placed by revenue rank within the tiers' capacity.
	ReasonRevenue
)

var reasonNames = [...]string{"", "strategic", "revenue"}

// String returns "strategic" or "revenue".
func (r Reason) String() string {
	if r != 0 && int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// MarshalText writes the reason's name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Assignment places one account in a tier and says why.
type Assignment struct {
	Account valuepath.AccountID `json:"account"`
	Tier    Tier                `json:"tier"`
	// Rank is the account's 1-based position in placement order: strategic
	// accounts first, then by revenue, highest first, ties by id.
	Rank int `json:"rank"`
	// Place is the 1-based position within the tier; Places the tier's
	// capacity (0 for the unbounded scalable tier).
	Place  int `json:"place"`
	Places int `json:"places"`
	// Revenue is the account's revenue in the reporting currency.
	Revenue   valuepath.Money `json:"revenue"`
	Strategic bool            `json:"strategic"`
	Reason    Reason          `json:"reason"`
	// prior is the number of places in the tiers above this one.
	prior int
}

// Why explains the placement in one sentence, e.g. "placement rank 52
// (strategic first, then by revenue), after the top tier's 40 places:
// leveraged place 12 of 400". The rank is [Assignment.Rank], the position
// in placement order, not the account's rank by revenue alone: with two
// strategic accounts placed first, the 8th largest account is rank 10.
func (a Assignment) Why() string {
	var b strings.Builder
	if a.Strategic {
		b.WriteString("strategic account")
		switch a.Tier {
		case TierTop:
			b.WriteString(", placed first")
		case TierLeveraged:
			fmt.Fprintf(&b, ", but the top tier's %d places hold strategic accounts", a.prior)
		default:
			fmt.Fprintf(&b, ", but all %d CSM-served places hold strategic accounts", a.prior)
		}
	} else {
		fmt.Fprintf(&b, "placement rank %d (strategic first, then by revenue)", a.Rank)
		switch a.Tier {
		case TierLeveraged:
			fmt.Fprintf(&b, ", after the top tier's %d places", a.prior)
		case TierScalable:
			fmt.Fprintf(&b, ", after the %d CSM-served places", a.prior)
		}
	}
	switch a.Tier {
	case TierScalable:
		b.WriteString(": scalable, digital touch")
	default:
		fmt.Fprintf(&b, ": %s place %d of %d", a.Tier, a.Place, a.Places)
	}
	return b.String()
}

// MarshalJSON writes the assignment with its explanation under "why".
func (a Assignment) MarshalJSON() ([]byte, error) {
	type plain Assignment
	return json.Marshal(struct {
		plain
		Why string `json:"why"`
	}{plain(a), a.Why()})
}

// TierSummary is one tier's share of the customer base.
type TierSummary struct {
	Tier Tier `json:"tier"`
	// CSMs is the number of CSMs serving the tier, and Places how many
	// accounts they can serve (0 for the unbounded scalable tier).
	CSMs   int `json:"csms"`
	Places int `json:"places"`
	// Accounts is the number of accounts in the tier, AccountShare their
	// share of all accounts (absent when there are none at all).
	Accounts     int              `json:"accounts"`
	AccountShare valuepath.Number `json:"account_share"`
	// Revenue is the tier's revenue in the reporting currency,
	// RevenueShare its share of all revenue (absent when all revenue is 0).
	Revenue      valuepath.Money  `json:"revenue"`
	RevenueShare valuepath.Number `json:"revenue_share"`
}

// ParetoPoint is one point of the Pareto curve: the largest
// AccountShare of accounts by revenue carry RevenueShare of the revenue
// (absent when all revenue is 0).
type ParetoPoint struct {
	AccountShare float64          `json:"account_share"`
	Accounts     int              `json:"accounts"`
	RevenueShare valuepath.Number `json:"revenue_share"`
}

// paretoShares are the account shares at which the Pareto curve is drawn.
var paretoShares = [...]float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}

// TierReport is the result of tiering a customer base: every account's
// placement, each tier's accounts and revenue share, the Pareto curve of
// revenue, and what-if answers about the size of the CSM team
// ([TierReport.CSMsFor], [TierReport.Cover]). It is immutable.
type TierReport struct {
	Accounts int `json:"accounts"`
	// Revenue is the revenue of all accounts in the reporting currency.
	Revenue valuepath.Money `json:"revenue"`
	// Tiers holds the top, leveraged and scalable tiers, in that order.
	Tiers []TierSummary `json:"tiers"`
	// Pareto is the share of revenue carried by the largest 1%, 5%, 10%,
	// 20%, …, 100% of accounts.
	Pareto []ParetoPoint `json:"pareto"`
	// Assignments holds every account's placement in rank order.
	Assignments []Assignment `json:"assignments"`

	tiering *Tiering
	total   decimal.Decimal // Revenue's amount
	money   column          // revenue in rank order
}

// Tier returns the summary of tier t; the zero TierSummary if t is not a
// tier.
func (r *TierReport) Tier(t Tier) TierSummary {
	if t == 0 || int(t) > len(r.Tiers) {
		return TierSummary{}
	}
	return r.Tiers[t-1]
}

// Assign places accounts in tiers: strategic accounts first, then the rest
// by revenue (highest first, ties by id), filling the top tier's places,
// then the leveraged tier's, and leaving everyone else in the scalable
// tier. Every account is validated first and every problem reported at
// once: an empty or duplicate id, negative revenue, a currency with no
// rate, and strategic accounts when the top tier has no places. accounts is
// neither kept nor modified.
func (t *Tiering) Assign(accounts []TierInput) (*TierReport, error) {
	c := validate.New("segment")
	if len(accounts) > math.MaxInt32 {
		c.Addf("accounts", valuepath.ErrInvalid, "more than %d accounts", math.MaxInt32)
		return nil, c.Err()
	}
	vals := make([]decimal.Decimal, len(accounts))
	strategic := 0
	for i := range accounts {
		a := &accounts[i]
		if a.ID == "" {
			c.Addf(validate.Index("accounts", i)+".id", valuepath.ErrInvalid, "must not be empty")
		}
		if v, ok := t.conv.convertChecked(a.Revenue); ok {
			vals[i] = v
		} else {
			t.conv.check(c, validate.Index("accounts", i)+".revenue", a.Revenue)
		}
		if a.Strategic {
			strategic++
		}
	}
	duplicates(c, accounts)
	if strategic > 0 && t.topPlaces == 0 {
		c.Addf("capacity.top_csms", valuepath.ErrInvalid, "%d CSMs give the top tier no places, but %d strategic accounts ask for it", t.spec.Capacity.TopCSMs, strategic)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}

	money := newColumn(vals)
	// Strategic accounts first (a partition, kept in input order), then
	// each part by revenue, highest first, ties by id.
	ents := make([]entry, len(accounts))
	lo, hi := 0, len(ents)
	for i := range accounts {
		e := entry{key: money.key(i), idx: int32(i)}
		if accounts[i].Strategic {
			ents[lo] = e
			lo++
		} else {
			hi--
			ents[hi] = e
		}
	}
	byID := func(x, y entry) int { return strings.Compare(string(accounts[x.idx].ID), string(accounts[y.idx].ID)) }
	order := func(x, y entry) int {
		if d := vals[y.idx].Cmp(vals[x.idx]); d != 0 {
			return d
		}
		return byID(x, y)
	}
	if money.exact {
		order = func(x, y entry) int {
			if x.key != y.key {
				if x.key > y.key {
					return -1
				}
				return 1
			}
			return byID(x, y)
		}
	}
	slices.SortFunc(ents[:strategic], order)
	slices.SortFunc(ents[strategic:], order)

	n := len(accounts)
	r := &TierReport{
		Accounts:    n,
		Assignments: make([]Assignment, n),
		tiering:     t,
	}
	// The report's revenue column in rank order: int64 keys when exact,
	// else decimals.
	r.money = column{exact: money.exact, exp: money.exp}
	if money.exact {
		r.money.keys = make([]int64, n)
		for k, e := range ents {
			r.money.keys[k] = money.keys[e.idx]
		}
	} else {
		r.money.vals = make([]decimal.Decimal, n)
		for k, e := range ents {
			r.money.vals[k] = vals[e.idx]
		}
	}
	topN := min(n, t.topPlaces)
	levN := min(n-topN, t.levPlaces)
	for k, e := range ents {
		a := &r.Assignments[k]
		a.Account, a.Rank, a.Revenue, a.Strategic = accounts[e.idx].ID, k+1, t.conv.money(vals[e.idx]), k < strategic
		a.Reason = ReasonRevenue
		if a.Strategic {
			a.Reason = ReasonStrategic
		}
		switch {
		case k < topN:
			a.Tier, a.Place, a.Places = TierTop, k+1, t.topPlaces
		case k < topN+levN:
			a.Tier, a.Place, a.Places, a.prior = TierLeveraged, k-topN+1, t.levPlaces, t.topPlaces
		default:
			a.Tier, a.Place, a.prior = TierScalable, k-topN-levN+1, t.topPlaces+t.levPlaces
		}
	}
	r.total = r.money.sum(0, n)
	r.Revenue = t.conv.money(r.total)
	cp := t.spec.Capacity
	r.Tiers = []TierSummary{
		r.summary(TierTop, cp.TopCSMs, t.topPlaces, 0, topN),
		r.summary(TierLeveraged, cp.LeveragedCSMs, t.levPlaces, topN, topN+levN),
		r.summary(TierScalable, 0, 0, topN+levN, n),
	}
	r.Pareto = r.pareto(strategic)
	return r, nil
}

// duplicates reports every account id used more than once. It sorts
// hashes of the ids rather than filling a map, which at a million accounts
// is several times faster, and only looks closer at repeated hashes.
func duplicates(c *validate.Collector, accounts []TierInput) {
	seed := maphash.MakeSeed()
	hs := make([]uint64, len(accounts))
	for i := range accounts {
		hs[i] = maphash.String(seed, string(accounts[i].ID))
	}
	slices.Sort(hs)
	var repeated map[uint64]bool
	for k := 1; k < len(hs); k++ {
		if hs[k] == hs[k-1] {
			if repeated == nil {
				repeated = map[uint64]bool{}
			}
			repeated[hs[k]] = true
		}
	}
	if repeated == nil {
		return
	}
	first := map[valuepath.AccountID]int{}
	for i := range accounts {
		id := accounts[i].ID
		if id == "" || !repeated[maphash.String(seed, string(id))] {
			continue
		}
		if j, dup := first[id]; dup {
			c.Addf(validate.Index("accounts", i)+".id", valuepath.ErrDuplicate, "account %s (also accounts[%d])", short.Quote(id), j)
		} else {
			first[id] = i
		}
	}
}

type entry struct {
	key int64
	idx int32
}

// summary describes the accounts at ranks [lo, hi) as tier t.
func (r *TierReport) summary(t Tier, csms, places, lo, hi int) TierSummary {
	rev := r.money.sum(lo, hi)
	return TierSummary{
		Tier: t, CSMs: csms, Places: places,
		Accounts: hi - lo, AccountShare: ratio(hi-lo, r.Accounts),
		Revenue: r.tiering.conv.money(rev), RevenueShare: share(rev, r.total),
	}
}

// pareto draws the Pareto curve. Rank order is strategic accounts by
// revenue, then the rest by revenue: two sorted runs, merged here into
// revenue order.
func (r *TierReport) pareto(strategic int) []ParetoPoint {
	n := r.Accounts
	out := make([]ParetoPoint, 0, len(paretoShares))
	m := r.money
	var s int64 // exact running sum
	sd := decimal.Zero
	i, j, taken := 0, strategic, 0 // next of each run, accounts taken
	for _, p := range paretoShares {
		k := min(n, int(math.Ceil(p*float64(n)-1e-9)))
		for ; taken < k; taken++ {
			// Take from the strategic run when the other is exhausted or
			// smaller.
			var x int
			switch {
			case i >= strategic:
				x, j = j, j+1
			case j >= n:
				x, i = i, i+1
			case m.exact && m.keys[i] >= m.keys[j], !m.exact && m.vals[i].Cmp(m.vals[j]) >= 0:
				x, i = i, i+1
			default:
				x, j = j, j+1
			}
			if m.exact {
				s += m.keys[x]
			} else {
				sd = sd.Add(m.vals[x])
			}
		}
		if m.exact {
			sd = decimal.New(s, m.exp)
		}
		out = append(out, ParetoPoint{AccountShare: p, Accounts: k, RevenueShare: share(sd, r.total)})
	}
	return out
}

// Staffing answers "how many top-tier CSMs put this share of revenue in
// the top tier?".
type Staffing struct {
	// TargetShare is the revenue share asked for.
	TargetShare float64 `json:"target_share"`
	// Reachable is false when no top tier reaches the target because all
	// revenue is 0; the other fields then describe putting every account in
	// the top tier.
	Reachable bool `json:"reachable"`
	// TopCSMs is the smallest number of CSMs that reaches the target, and
	// Top the top tier they would serve.
	TopCSMs int         `json:"top_csms"`
	Top     TierSummary `json:"top"`
}

// CSMsFor returns the smallest top-tier team whose top tier, filled in rank
// order, holds at least target (0 < target ≤ 1) of the revenue.
func (r *TierReport) CSMsFor(target float64) (Staffing, error) {
	if math.IsNaN(target) || target <= 0 || target > 1 {
		return Staffing{}, &valuepath.FieldError{Pkg: "segment", Path: "target", Err: fmt.Errorf("%w: revenue share must be in (0, 1], got %v", valuepath.ErrInvalid, target)}
	}
	t := r.tiering
	k, ok := r.money.reach(decimal.NewFromFloat(target).Mul(r.total))
	if r.total.Sign() == 0 {
		k, ok = r.Accounts, false
	}
	csms := t.csmsFor(k)
	places := t.places(csms, 1)
	return Staffing{
		TargetShare: target, Reachable: ok, TopCSMs: csms,
		Top: r.summary(TierTop, csms, places, 0, min(max(k, places), r.Accounts)),
	}, nil
}

// Team answers "what does a CSM team of this size serve?".
type Team struct {
	TopCSMs       int `json:"top_csms"`
	LeveragedCSMs int `json:"leveraged_csms"`
	// Top and Leveraged are the tiers that team would serve.
	Top       TierSummary `json:"top"`
	Leveraged TierSummary `json:"leveraged"`
	// CSMShare is the share of revenue served by a CSM in either tier
	// (absent when all revenue is 0).
	CSMShare valuepath.Number `json:"csm_share"`
}

// Cover returns the tiers a team of topCSMs and leveragedCSMs would serve,
// filled in rank order with the report's hours and leveraged ratio.
func (r *TierReport) Cover(topCSMs, leveragedCSMs int) (Team, error) {
	c := validate.New("segment")
	if topCSMs < 0 || topCSMs > maxCSMs {
		c.Addf("top_csms", valuepath.ErrInvalid, "must be between 0 and %d, got %d", maxCSMs, topCSMs)
	}
	if leveragedCSMs < 0 || leveragedCSMs > maxCSMs {
		c.Addf("leveraged_csms", valuepath.ErrInvalid, "must be between 0 and %d, got %d", maxCSMs, leveragedCSMs)
	}
	if err := c.Err(); err != nil {
		return Team{}, err
	}
	t := r.tiering
	tp, lp := t.places(topCSMs, 1), t.places(leveragedCSMs, t.ratio)
	topN := min(r.Accounts, tp)
	levN := min(r.Accounts-topN, lp)
	cv := Team{
		TopCSMs: topCSMs, LeveragedCSMs: leveragedCSMs,
		Top:       r.summary(TierTop, topCSMs, tp, 0, topN),
		Leveraged: r.summary(TierLeveraged, leveragedCSMs, lp, topN, topN+levN),
	}
	cv.CSMShare = share(r.money.sum(0, topN+levN), r.total)
	return cv, nil
}

// ratio returns a/b, absent when there are no accounts.
func ratio(a, b int) valuepath.Number {
	if b == 0 {
		return valuepath.Absent("no accounts")
	}
	return valuepath.Defined(float64(a) / float64(b))
}

// share returns part/total, absent when total is 0.
func share(part, total decimal.Decimal) valuepath.Number {
	q, err := valuepath.DivRound(part, total, 16, valuepath.HalfEven)
	if err != nil {
		return valuepath.Absent("no revenue: every account's revenue is 0")
	}
	return valuepath.Defined(q.InexactFloat64())
}

// column holds non-negative amounts. When every amount is an int64
// multiple of 10^exp and so is their total, sums run on int64 keys
// (exactly, without allocating); otherwise on decimals.
type column struct {
	exact bool
	exp   int32
	keys  []int64
	vals  []decimal.Decimal
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

func newColumn(vals []decimal.Decimal) column {
	c := column{vals: vals}
	minExp := int32(0)
	for i, v := range vals {
		if v.NumDigits() > 18 {
			return c
		}
		if e := v.Exponent(); i == 0 || e < minExp {
			minExp = e
		}
	}
	keys := make([]int64, len(vals))
	var total int64
	for i, v := range vals {
		k := v.Exponent() - minExp
		if k >= int32(len(pow10)) {
			return c
		}
		co := v.CoefficientInt64()
		if co > math.MaxInt64/pow10[k] {
			return c
		}
		keys[i] = co * pow10[k]
		if keys[i] > math.MaxInt64-total {
			return c
		}
		total += keys[i]
	}
	c.exact, c.exp, c.keys = true, minExp, keys
	return c
}

func (c column) key(i int) int64 {
	if c.exact {
		return c.keys[i]
	}
	return 0
}

// sum returns the sum of the amounts at [lo, hi).
func (c column) sum(lo, hi int) decimal.Decimal {
	if c.exact {
		var s int64
		for _, k := range c.keys[lo:hi] {
			s += k
		}
		return decimal.New(s, c.exp)
	}
	s := decimal.Zero
	for _, v := range c.vals[lo:hi] {
		s = s.Add(v)
	}
	return s
}

// reach returns the smallest k whose prefix sum [0, k) is at least target,
// and false if even the whole column falls short.
func (c column) reach(target decimal.Decimal) (int, bool) {
	if target.Sign() <= 0 {
		return 0, true
	}
	if c.exact {
		// Amounts are whole multiples of 10^exp, so reaching target means
		// reaching its ceiling in those units.
		tk := target.Shift(-c.exp).Ceil()
		if tk.NumDigits() <= 18 {
			t := tk.IntPart()
			var s int64
			for i, k := range c.keys {
				s += k
				if s >= t {
					return i + 1, true
				}
			}
			return len(c.keys), false
		}
		return len(c.keys), false
	}
	s := decimal.Zero
	for i, v := range c.vals {
		s = s.Add(v)
		if s.Cmp(target) >= 0 {
			return i + 1, true
		}
	}
	return len(c.vals), false
}
