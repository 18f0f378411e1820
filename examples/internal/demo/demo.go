// Package demo generates the deterministic demo customer base that the
// examples run on: a few hundred B2B SaaS accounts with daily usage series,
// onboarding milestones, support cases, surveys, sponsor changes and
// subscription histories, drawn so that the library has something true to
// find — a healthy majority, an at-risk tail, an advocate tail, and churn
// preceded by falling usage.
//
// The same Config always yields the same Base, on every machine.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// Daily series every active account has, one sample per day at 00:00 UTC.
const (
	Seats          valuepath.Metric = "seats"           // licensed seats
	ActiveUsers    valuepath.Metric = "active_users"    // distinct users active that day
	Logins         valuepath.Metric = "logins"          // logins that day
	RecordsUpdated valuepath.Metric = "records_updated" // records created or updated
	ReportsCreated valuepath.Metric = "reports_created" // reporting feature
	WorkflowsRun   valuepath.Metric = "workflows_run"   // automation feature
	Transactions   valuepath.Metric = "transactions"    // transactions processed by the product
	// SurveyScore is sparse: one sample per answered survey, 0 to 10.
	SurveyScore valuepath.Metric = "survey_score"
)

// SeriesMetrics lists the raw series in a stable order.
var SeriesMetrics = []valuepath.Metric{Seats, ActiveUsers, Logins, RecordsUpdated, ReportsCreated, WorkflowsRun, Transactions, SurveyScore}

// Event kinds in the demo base.
const (
	Kickoff            valuepath.EventKind = "kickoff"
	FirstLogin         valuepath.EventKind = "first_login"
	TrainingCompleted  valuepath.EventKind = "training_completed"
	FirstMetricsReview valuepath.EventKind = "first_metrics_review"
	SelfSufficient     valuepath.EventKind = "self_sufficient"
	SupportCase        valuepath.EventKind = "support_case" // attrs: severity = low|medium|high|critical
	Survey             valuepath.EventKind = "survey"       // attrs: score = 0..10
	SponsorChange      valuepath.EventKind = "sponsor_change"
	QBR                valuepath.EventKind = "qbr"
	Release            valuepath.EventKind = "release"   // attrs: version
	Reference          valuepath.EventKind = "reference" // the account agreed to be a reference
	Renewal            valuepath.EventKind = "renewal"   // attrs: term_months
	Cancellation       valuepath.EventKind = "cancellation"
)

// OnboardingMilestones lists the onboarding events in their expected order.
var OnboardingMilestones = []valuepath.EventKind{Kickoff, FirstLogin, TrainingCompleted, FirstMetricsReview, SelfSufficient}

// Fate is the generator's hidden truth about an account. It exists so that
// examples can check what models find; never feed it to a model.
type Fate string

// The fates an account can be drawn with.
const (
	Healthy  Fate = "healthy"
	AtRisk   Fate = "at_risk"  // active at AsOf, usage falling, will churn soon
	Advocate Fate = "advocate" // high, rising usage; often a reference
	Churned  Fate = "churned"  // cancelled before AsOf
)

// Segments, largest accounts first.
const (
	Enterprise = "enterprise"
	MidMarket  = "mid-market"
	SMB        = "smb"
)

// Config chooses the demo base. Zero fields take the documented defaults.
type Config struct {
	Accounts int       // number of accounts; default 300
	Seed     uint64    // random seed; default 1
	AsOf     time.Time // end of the data (exclusive); default 2026-11-01 00:00 UTC
	Months   int       // months of daily usage before AsOf; default 18
}

// DefaultAsOf is the default end of the demo data.
var DefaultAsOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Base is a generated demo customer base.
type Base struct {
	Config    Config    // with defaults filled in
	AsOf      time.Time // end of the data, exclusive
	DataStart time.Time // first day of the daily usage series
	Accounts  []Account // sorted by ID
	// Provider serves every account's series and events.
	Provider *valuepath.MemoryProvider
}

// Account is one demo customer.
type Account struct {
	ID         valuepath.AccountID
	Name       string
	Segment    string // Enterprise, MidMarket or SMB
	Industry   string
	TimeZone   string    // IANA name
	Start      time.Time // contract start, up to 36 months before AsOf
	TermMonths int       // contract term: 12 (annual) or 1 (monthly)
	Seats      int       // licensed seats at AsOf, or at cancellation
	Currency   string    // ISO 4217; "USD" for every demo account
	// MRR is the monthly recurring revenue at AsOf after discount; zero if churned.
	MRR       decimal.Decimal
	ChurnedAt time.Time // cancellation effective date; zero if active at AsOf
	Fate      Fate
	// Subscription is the account's subscription history in time order.
	Subscription []SubscriptionEvent
	Teams        []Team
}

// Active reports whether the account is a customer at AsOf.
func (a *Account) Active() bool { return a.ChurnedAt.IsZero() }

// SubscriptionEvent is one change to an account's subscription.
type SubscriptionEvent struct {
	At             time.Time
	Kind           string // "start", "change", "cancel" or "reactivate"
	Plan           string
	Seats          int
	PricePerSeat   decimal.Decimal // monthly list price per seat
	Discount       decimal.Decimal // fraction of list price waived, 0 to 1
	IntervalMonths int             // billing interval
	// MRR is the monthly recurring amount after discount and before tax;
	// zero on a cancellation.
	MRR decimal.Decimal
}

// Team is one team of users inside a customer, for adoption and performance
// measurement.
type Team struct {
	Name  string
	Users int
	// Adoption indicators at AsOf.
	WeeklyActiveShare  float64 // share of the team's users active weekly
	SameDayUpdateShare float64 // share of records updated within a day
	// Performance indicators at AsOf.
	WinRate   float64 // share of opportunities won
	CycleDays float64 // average sales cycle in days
	// Baselines, 30 days after the contract start.
	BaselineWeeklyActiveShare  float64
	BaselineSameDayUpdateShare float64
	BaselineWinRate            float64
	BaselineCycleDays          float64
}

// Find returns the account with id, and false if there is none.
func (b *Base) Find(id valuepath.AccountID) (*Account, bool) {
	i, ok := slices.BinarySearchFunc(b.Accounts, id, func(a Account, id valuepath.AccountID) int {
		switch {
		case a.ID < id:
			return -1
		case a.ID > id:
			return 1
		}
		return 0
	})
	if !ok {
		return nil, false
	}
	return &b.Accounts[i], true
}

// Generate draws a demo base. It fails only on an impossible Config.
func Generate(cfg Config) (*Base, error) {
	if cfg.Accounts == 0 {
		cfg.Accounts = 300
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.AsOf.IsZero() {
		cfg.AsOf = DefaultAsOf
	}
	if cfg.Months == 0 {
		cfg.Months = 18
	}
	switch {
	case cfg.Accounts < 0 || cfg.Accounts > 100000:
		return nil, fmt.Errorf("demo: accounts: must be between 1 and 100000, got %d", cfg.Accounts)
	case cfg.Months < 1 || cfg.Months > 36:
		return nil, fmt.Errorf("demo: months: must be between 1 and 36, got %d", cfg.Months)
	}
	asOf := cfg.AsOf.UTC().Truncate(valuepath.Day)
	b := &Base{
		Config:    cfg,
		AsOf:      asOf,
		DataStart: asOf.AddDate(0, -cfg.Months, 0),
		Accounts:  make([]Account, cfg.Accounts),
		Provider:  &valuepath.MemoryProvider{},
	}
	for _, m := range SeriesMetrics {
		if err := b.Provider.DeclareMetric(m); err != nil {
			return nil, err
		}
	}
	for i := range b.Accounts {
		g := &gen{r: rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1)), base: b}
		if err := g.account(i, &b.Accounts[i]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

type gen struct {
	r    *rand.Rand
	base *Base
}

var (
	adjectives = []string{"Northwind", "Bluepeak", "Silverline", "Redwood", "Brightwater", "Ironbark", "Clearfield", "Stonebridge", "Goldleaf", "Harborview", "Oakridge", "Summit", "Evergreen", "Granite", "Lakeside", "Pinecrest"}
	nouns      = []string{"Logistics", "Analytics", "Health", "Capital", "Foods", "Energy", "Robotics", "Media", "Retail", "Insurance", "Labs", "Manufacturing", "Travel", "Security", "Telecom", "Education"}
	industries = []string{"logistics", "financial services", "healthcare", "manufacturing", "retail", "software", "media", "education"}
	zones      = []string{"America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"}
	teamNames  = []string{"Sales East", "Sales West", "Inside Sales", "Customer Support", "Operations", "Partnerships"}
)

type segmentShape struct {
	name           string
	seatsLo        int
	seatsHi        int
	price          int64   // monthly list price per seat, USD
	churnA, churnB float64 // Beta(a, b) monthly churn propensity
	annualShare    float64
}

var shapes = []segmentShape{
	{Enterprise, 250, 2000, 60, 1.2, 200, 1.0},
	{MidMarket, 40, 250, 45, 1.2, 100, 0.8},
	{SMB, 5, 40, 30, 1.2, 45, 0.4},
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// beta draws from Beta(a, b) through two gamma draws (a, b ≥ 1).
func (g *gen) beta(a, b float64) float64 {
	x, y := g.gamma(a), g.gamma(b)
	return x / (x + y)
}

// gamma draws from Gamma(k, 1) for k ≥ 1 (Marsaglia and Tsang).
func (g *gen) gamma(k float64) float64 {
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := g.r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if u := g.r.Float64(); math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func (g *gen) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*g.r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func day(t time.Time) time.Time { return t.UTC().Truncate(valuepath.Day) }
