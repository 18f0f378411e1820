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
	"unicode"
	"unicode/utf8"

	"github.com/valuepath/valuepath/internal/short"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Tier is a level of customer-success coverage, named by its
// [TieringSpec]: the default tiers are [TierTop], [TierLeveraged] and
// [TierScalable], and a spec that lists its own tiers ([TieringSpec.Tiers])
// names them itself. The zero value "" is not a tier.
type Tier string

// The default tiers, from the most to the least CSM time per account.
const (
	// TierTop accounts get a named CSM, executive relationships and
	// business reviews; their number is bounded by CSM hours.
	TierTop Tier = "top"
	// TierLeveraged accounts get leveraged, largely automated touch signed
	// by a CSM who serves several times as many of them.
	TierLeveraged Tier = "leveraged"
	// TierScalable accounts get the self-service, digital experience.
	TierScalable Tier = "scalable"
)

// String returns the tier's name, and "tier(none)" for the zero value.
func (t Tier) String() string {
	if t == "" {
		return "tier(none)"
	}
	return string(t)
}

// MarshalText writes the tier's name; the zero value is an error.
func (t Tier) MarshalText() ([]byte, error) {
	if t == "" {
		return nil, fmt.Errorf("segment: %w: %s", valuepath.ErrInvalid, t)
	}
	return []byte(t), nil
}

// TierInput is what tiering reads about one customer account: its
// revenue and whether it is strategic.
type TierInput struct {
	ID valuepath.AccountID `json:"id"`
	// Revenue is the account's recurring revenue. Use one basis for every
	// account of a call (all ARR or all MRR); it must not be negative, and
	// its currency must be the spec's or have a rate.
	Revenue valuepath.Money `json:"revenue"`
	// Strategic accounts are placed in the first (top) tier before any
	// other, whatever their revenue: a lighthouse logo, a design partner.
	Strategic bool `json:"strategic,omitempty"`
}

// Capacity is what the CSM team can serve in one period (a week, a month:
// the caller's choice, used consistently). HoursPerCSM and
// HoursPerTopAccount set how many accounts a CSM serves in the first tier;
// TopCSMs, LeveragedCSMs and LeveragedRatio describe the default three
// tiers and must be 0 when [TieringSpec.Tiers] lists the tiers.
type Capacity struct {
	// TopCSMs is the number of CSMs serving the top tier.
	TopCSMs int `json:"top_csms,omitempty"`
	// LeveragedCSMs is the number of CSMs serving the leveraged tier.
	LeveragedCSMs int `json:"leveraged_csms,omitempty"`
	// HoursPerCSM is the hours each CSM has for accounts per period; > 0.
	HoursPerCSM float64 `json:"hours_per_csm"`
	// HoursPerTopAccount is the hours an account of the first (top) tier
	// needs per period; > 0.
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

// MinTiers and MaxTiers bound the number of tiers of a [TieringSpec]: the
// practice's three, or one more or fewer.
const (
	MinTiers = 2
	MaxTiers = 4
)

// maxTierName bounds the length of a tier's name, in bytes.
const maxTierName = 64

// TierDef is one tier of [TieringSpec.Tiers]. Every tier but the last is
// served by CSMs and holds as many accounts as they can serve; the last
// tier is digital, without CSMs, and takes every account left.
type TierDef struct {
	// Name names the tier in reports and JSON: 1 to 64 bytes of printable
	// UTF-8, without surrounding spaces, unique within the spec.
	Name Tier `json:"name"`
	// CSMs is the number of CSMs serving the tier, 0 to 1,000,000; 0 for
	// the last tier.
	CSMs int `json:"csms,omitempty"`
	// Ratio is the tier's coverage: how many times as many accounts a CSM
	// serves in it as in the first tier. The first tier is the unit (0 or
	// 1); every later tier but the last serves more accounts per CSM than
	// the one above it, so its ratio is greater than that tier's. The last
	// tier has no ratio (0).
	Ratio float64 `json:"ratio,omitempty"`
}

// TieringSpec is the configuration of a [Tiering]: the reporting
// currency, exchange rates for any other currency, the CSM capacity and,
// optionally, the tiers.
type TieringSpec struct {
	// Currency is the reporting currency (ISO 4217, in either case), e.g.
	// "USD".
	Currency valuepath.Currency `json:"currency"`
	// Rates converts other currencies: one unit of the key currency (in
	// either case) is worth Rates[key] units of Currency. An account in a
	// currency with no rate is an error, never silently mixed. Conversion
	// is a decimal multiplication, so it is exact.
	Rates map[valuepath.Currency]decimal.Decimal `json:"rates,omitempty"`
	// Tiers lists 2 to 4 tiers, from the most to the least CSM time per
	// account, when the three default ones do not fit the base. Empty
	// means the default: [TierTop] with Capacity.TopCSMs, [TierLeveraged]
	// with Capacity.LeveragedCSMs at Capacity.LeveragedRatio, and
	// [TierScalable].
	Tiers []TierDef `json:"tiers,omitempty"`
	// Capacity is what the CSM team can serve.
	Capacity Capacity `json:"capacity"`
}

// tierPlan is one tier of a compiled Tiering.
type tierPlan struct {
	name   Tier
	csms   int
	ratio  float64
	places int // 0 for the last, unbounded tier
	prior  int // places of the tiers above
	// csmsPath is the field path of the tier's CSM count.
	csmsPath string
}

// Tiering is a validated, immutable [TieringSpec]. It is safe for
// concurrent use: build it once with [NewTiering] or [ParseTiering] and
// assign any number of account lists with it.
type Tiering struct {
	spec  TieringSpec
	conv  converter
	tiers []tierPlan
}

// NewTiering validates spec and compiles it. Every problem is reported
// with its field path ("capacity.hours_per_csm", "tiers[2].ratio"),
// joined: an unknown currency code, rates that are not > 0 or name the
// reporting currency, CSM counts out of range, hours that are not > 0, a
// leveraged ratio below 1; and for listed tiers, fewer than 2 or more than
// 4 of them, a name empty, unreadable or used twice, coverage that does not
// grow down the list, CSMs or a ratio on the last tier, or the default
// tiers' capacity fields set beside them. spec is copied, not kept.
func NewTiering(spec TieringSpec) (*Tiering, error) {
	c := validate.New("segment")
	conv := newConverter(c, spec.Currency, spec.Rates)
	cp := spec.Capacity
	var tiers []tierPlan
	if len(spec.Tiers) == 0 {
		tiers = defaultTiers(c, cp)
	} else {
		checkHours(c, cp)
		tiers = listedTiers(c, spec.Tiers, cp)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	spec.Rates = maps.Clone(spec.Rates)
	spec.Tiers = slices.Clone(spec.Tiers)
	t := &Tiering{spec: spec, conv: conv, tiers: tiers}
	prior := 0
	for i := range tiers[:len(tiers)-1] {
		tiers[i].places = t.places(tiers[i].csms, tiers[i].ratio)
		tiers[i].prior = prior
		prior += tiers[i].places
	}
	tiers[len(tiers)-1].prior = prior
	return t, nil
}

// csmCount checks a CSM count.
func csmCount(c *validate.Collector, path string, n int) {
	if n < 0 || n > maxCSMs {
		c.Addf(path, valuepath.ErrInvalid, "must be between 0 and %d, got %d", maxCSMs, n)
	}
}

// checkHours checks the hours of cp.
func checkHours(c *validate.Collector, cp Capacity) {
	c.Positive("capacity.hours_per_csm", cp.HoursPerCSM)
	c.Positive("capacity.hours_per_top_account", cp.HoursPerTopAccount)
}

// defaultTiers checks and returns the three default tiers of cp, in the
// order of cp's fields.
func defaultTiers(c *validate.Collector, cp Capacity) []tierPlan {
	csmCount(c, "capacity.top_csms", cp.TopCSMs)
	csmCount(c, "capacity.leveraged_csms", cp.LeveragedCSMs)
	checkHours(c, cp)
	lr := cp.LeveragedRatio
	if lr == 0 {
		lr = DefaultLeveragedRatio
	}
	if c.Finite("capacity.leveraged_ratio", cp.LeveragedRatio) && lr < 1 {
		c.Addf("capacity.leveraged_ratio", valuepath.ErrInvalid, "must be 0 (meaning %d) or at least 1, got %v", DefaultLeveragedRatio, cp.LeveragedRatio)
	}
	return []tierPlan{
		{name: TierTop, csms: cp.TopCSMs, ratio: 1, csmsPath: "capacity.top_csms"},
		{name: TierLeveraged, csms: cp.LeveragedCSMs, ratio: lr, csmsPath: "capacity.leveraged_csms"},
		{name: TierScalable},
	}
}

// listedTiers checks and compiles the tiers a spec lists.
func listedTiers(c *validate.Collector, defs []TierDef, cp Capacity) []tierPlan {
	if len(defs) < MinTiers || len(defs) > MaxTiers {
		c.Addf("tiers", valuepath.ErrInvalid, "must list %d to %d tiers, got %d", MinTiers, MaxTiers, len(defs))
	}
	for _, f := range []struct {
		path string
		set  bool
	}{
		{"capacity.top_csms", cp.TopCSMs != 0},
		{"capacity.leveraged_csms", cp.LeveragedCSMs != 0},
		{"capacity.leveraged_ratio", cp.LeveragedRatio != 0},
	} {
		if f.set {
			c.Addf(f.path, valuepath.ErrInvalid, "must be 0 when tiers are listed: each tier states its own csms and ratio")
		}
	}
	tiers := make([]tierPlan, len(defs))
	seen := make(map[Tier]int, len(defs))
	prevRatio, prevOK := 1.0, true
	for i, d := range defs {
		p := validate.Index("tiers", i)
		last := i == len(defs)-1
		checkTierName(c, p+".name", d.Name)
		if j, dup := seen[d.Name]; dup && d.Name != "" {
			c.Addf(p+".name", valuepath.ErrDuplicate, "tier %s (also tiers[%d])", strconv.Quote(string(d.Name)), j)
		} else if !dup {
			seen[d.Name] = i
		}
		tiers[i] = tierPlan{name: d.Name, csms: d.CSMs, ratio: d.Ratio, csmsPath: p + ".csms"}
		switch {
		case last:
			if d.CSMs != 0 {
				c.Addf(p+".csms", valuepath.ErrInvalid, "must be 0: the last tier is served digitally, without CSMs, got %d", d.CSMs)
			}
			if d.Ratio != 0 {
				c.Addf(p+".ratio", valuepath.ErrInvalid, "must be 0: the last tier holds every account left, got %v", d.Ratio)
			}
		case i == 0:
			csmCount(c, p+".csms", d.CSMs)
			if d.Ratio != 0 && d.Ratio != 1 {
				c.Addf(p+".ratio", valuepath.ErrInvalid, "must be 0 or 1: the first tier is the unit of coverage, got %v", d.Ratio)
			}
			tiers[i].ratio = 1
		default:
			csmCount(c, p+".csms", d.CSMs)
			ok := c.Finite(p+".ratio", d.Ratio)
			switch {
			case !ok:
			case d.Ratio < 1:
				c.Addf(p+".ratio", valuepath.ErrInvalid, "must be at least 1 (accounts per CSM as a multiple of the first tier's), got %v", d.Ratio)
				ok = false
			case prevOK && d.Ratio <= prevRatio:
				c.Addf(p+".ratio", valuepath.ErrInvalid, "must be greater than tiers[%d]'s %v: each tier serves more accounts per CSM than the one above, got %v", i-1, prevRatio, d.Ratio)
			}
			prevRatio, prevOK = d.Ratio, ok
		}
	}
	return tiers
}

// checkTierName checks that a tier's name reads well in a report.
func checkTierName(c *validate.Collector, path string, name Tier) {
	s := string(name)
	switch {
	case s == "":
		c.Addf(path, valuepath.ErrInvalid, "must not be empty")
	case len(s) > maxTierName:
		c.Addf(path, valuepath.ErrInvalid, "must be at most %d bytes, got %d", maxTierName, len(s))
	case !utf8.ValidString(s):
		c.Addf(path, valuepath.ErrInvalid, "must be valid UTF-8")
	case strings.TrimSpace(s) != s:
		c.Addf(path, valuepath.ErrInvalid, "must not begin or end with a space, got %s", strconv.Quote(s))
	case strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }):
		c.Addf(path, valuepath.ErrInvalid, "must be printable, got %s", strconv.Quote(s))
	}
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
	s.Tiers = slices.Clone(s.Tiers)
	return s
}

// MarshalJSON writes the spec, so a Tiering round-trips through
// [ParseTiering].
func (t *Tiering) MarshalJSON() ([]byte, error) { return json.Marshal(t.spec) }

// Tiers returns the tiers t places accounts in, in order, with their CSMs
// and ratios filled in: the listed tiers of the spec, or the three default
// ones (the first tier's ratio is 1, the leveraged ratio's default 10).
func (t *Tiering) Tiers() []TierDef {
	out := make([]TierDef, len(t.tiers))
	for i, p := range t.tiers {
		out[i] = TierDef{Name: p.name, CSMs: p.csms, Ratio: p.ratio}
	}
	return out
}

// Places returns how many accounts each tier but the last can hold, in
// tier order; the last tier is unbounded. CSM hours are pooled within a
// tier: the first tier's places are floor(CSMs × HoursPerCSM /
// HoursPerTopAccount), and each later tier's the same for its CSMs, times
// its ratio.
func (t *Tiering) Places() []int {
	out := make([]int, len(t.tiers)-1)
	for i := range out {
		out[i] = t.tiers[i].places
	}
	return out
}

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
	// capacity (0 for the unbounded last tier).
	Place  int `json:"place"`
	Places int `json:"places"`
	// Revenue is the account's revenue in the reporting currency.
	Revenue   valuepath.Money `json:"revenue"`
	Strategic bool            `json:"strategic"`
	Reason    Reason          `json:"reason"`
	// index is the position of Tier in tiering's tiers.
	index   uint8
	tiering *Tiering
}

// Why explains the placement in one sentence, e.g. "placement rank 52
// (strategic first, then by revenue), after the top tier's 40 places:
// leveraged place 12 of 400". The rank is [Assignment.Rank], the position
// in placement order, not the account's rank by revenue alone: with two
// strategic accounts placed first, the 8th largest account is rank 10.
func (a Assignment) Why() string {
	var b strings.Builder
	var tiers []tierPlan
	if a.tiering != nil {
		tiers = a.tiering.tiers
	}
	i := int(a.index)
	first, last := i == 0, len(tiers) > 0 && i == len(tiers)-1
	prior := 0
	if i < len(tiers) {
		prior = tiers[i].prior
	}
	if a.Strategic {
		b.WriteString("strategic account")
		switch {
		case first:
			b.WriteString(", placed first")
		case last:
			fmt.Fprintf(&b, ", but all %d CSM-served places hold strategic accounts", prior)
		default:
			fmt.Fprintf(&b, ", but %s %d places hold strategic accounts", above(tiers[:i]), prior)
		}
	} else {
		fmt.Fprintf(&b, "placement rank %d (strategic first, then by revenue)", a.Rank)
		switch {
		case first:
		case last:
			fmt.Fprintf(&b, ", after the %d CSM-served places", prior)
		default:
			fmt.Fprintf(&b, ", after %s %d places", above(tiers[:i]), prior)
		}
	}
	if last {
		fmt.Fprintf(&b, ": %s, digital touch", a.Tier)
	} else {
		fmt.Fprintf(&b, ": %s place %d of %d", a.Tier, a.Place, a.Places)
	}
	return b.String()
}

// above names the tiers above a middle one: "the top tier's", "the top
// and leveraged tiers'".
func above(tiers []tierPlan) string {
	if len(tiers) == 1 {
		return "the " + string(tiers[0].name) + " tier's"
	}
	names := make([]string, len(tiers))
	for i, t := range tiers {
		names[i] = string(t.name)
	}
	return "the " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " tiers'"
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
	// accounts they can serve (0 for the unbounded last tier).
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
	// Tiers holds one summary per tier, in the spec's order: top,
	// leveraged and scalable by default.
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

// Tier returns the summary of tier t; the zero TierSummary if t is not
// one of the report's tiers.
func (r *TierReport) Tier(t Tier) TierSummary {
	for _, s := range r.Tiers {
		if s.Tier == t {
			return s
		}
	}
	return TierSummary{}
}

// Assign places accounts in tiers: strategic accounts first, then the rest
// by revenue (highest first, ties by id), filling the first tier's places,
// then each next tier's, and leaving everyone else in the last tier (by
// default: top, leveraged, then scalable). Every account is validated
// first and every problem reported at once: an empty or duplicate id,
// negative revenue, a currency with no rate, and strategic accounts when
// the first tier has no places. accounts is neither kept nor modified.
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
	if top := t.tiers[0]; strategic > 0 && top.places == 0 {
		c.Addf(top.csmsPath, valuepath.ErrInvalid, "%d CSMs give the %s tier no places, but %d strategic accounts ask for it", top.csms, top.name, strategic)
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
	// ends[i] is the rank after the last account of tier i.
	var ends [MaxTiers]int
	at := 0
	for i, tp := range t.tiers {
		ends[i] = n
		if i < len(t.tiers)-1 {
			ends[i] = at + min(n-at, tp.places)
		}
		at = ends[i]
	}
	start := 0
	for ti := range t.tiers {
		tp := &t.tiers[ti]
		for k := start; k < ends[ti]; k++ {
			e := ents[k]
			a := &r.Assignments[k]
			a.Account, a.Rank, a.Revenue, a.Strategic = accounts[e.idx].ID, k+1, t.conv.money(vals[e.idx]), k < strategic
			a.Reason = ReasonRevenue
			if a.Strategic {
				a.Reason = ReasonStrategic
			}
			a.Tier, a.Place, a.Places, a.index, a.tiering = tp.name, k-start+1, tp.places, uint8(ti), t
		}
		start = ends[ti]
	}
	r.total = r.money.sum(0, n)
	r.Revenue = t.conv.money(r.total)
	r.Tiers = make([]TierSummary, len(t.tiers))
	at = 0
	for i, tp := range t.tiers {
		r.Tiers[i] = r.summary(tp.name, tp.csms, tp.places, at, ends[i])
		at = ends[i]
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

// Staffing answers "how many CSMs in the first (top) tier put this share
// of revenue in it?".
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

// CSMsFor returns the smallest team for the first (top) tier whose tier,
// filled in rank order, holds at least target (0 < target ≤ 1) of the
// revenue.
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
		Top: r.summary(t.tiers[0].name, csms, places, 0, min(max(k, places), r.Accounts)),
	}, nil
}

// Team answers "what does a CSM team of this size serve?".
type Team struct {
	// CSMs is the team asked about: one count per CSM-served tier (every
	// tier but the last), in tier order.
	CSMs []int `json:"csms"`
	// Tiers are the tiers that team would serve, one per count.
	Tiers []TierSummary `json:"tiers"`
	// CSMShare is the share of revenue served by a CSM in any tier (absent
	// when all revenue is 0).
	CSMShare valuepath.Number `json:"csm_share"`
}

// Cover returns the tiers a team would serve, given one CSM count per
// CSM-served tier (every tier but the last) in tier order — Cover(top,
// leveraged) for the default tiers — filled in rank order with the
// report's hours and ratios. A wrong number of counts, or a count below 0
// or above 1,000,000, is an error. csms is neither kept nor modified.
func (r *TierReport) Cover(csms ...int) (Team, error) {
	t := r.tiering
	served := t.tiers[:len(t.tiers)-1]
	c := validate.New("segment")
	if len(csms) != len(served) {
		c.Addf("csms", valuepath.ErrInvalid, "want one CSM count per CSM-served tier (%d), got %d", len(served), len(csms))
	}
	for i, n := range csms {
		csmCount(c, validate.Index("csms", i), n)
	}
	if err := c.Err(); err != nil {
		return Team{}, err
	}
	cv := Team{CSMs: slices.Clone(csms), Tiers: make([]TierSummary, len(served))}
	lo := 0
	for i, tp := range served {
		places := t.places(csms[i], tp.ratio)
		hi := lo + min(r.Accounts-lo, places)
		cv.Tiers[i] = r.summary(tp.name, csms[i], places, lo, hi)
		lo = hi
	}
	cv.CSMShare = share(r.money.sum(0, lo), r.total)
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
