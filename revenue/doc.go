// Package revenue measures recurring revenue: subscriptions normalised to
// MRR, the MRR bridge and its movements, retention and churn, lifetime
// value, and cohorts.
//
// The funnel stops at the contract; a subscription business lives on its
// installed base, which lands, expands, renews — and churns, with churn
// compounding against it. Analytics vendors disagree on how to count that
// (when churn is recognised, how discounts and trials count, what nets
// into one change), so every choice is an explicit field of a [Policy],
// each with a documented default. Every amount is a valuepath.Money (a decimal
// with an ISO 4217 currency, codes in either case).
//
// # From subscriptions to movements
//
// [Normalize] turns a base's [SubscriptionEvent]s (start, change, cancel,
// reactivate, with amount, billing interval, discount, tax and trial; read
// from JSON with [ParseEvents]) into one [Timeline] per account under a
// [Policy]; [NormalizeAll] streams the same work account by account in
// constant memory, on every core. [NewBridge] turns timelines into the MRR
// bridge per period (on every core too), and [NewBridgeStream] does the
// same from a stream of timelines, so a book of any size is bridged in the
// memory of its periods; [NewBridgeEvents] normalises and bridges such a
// stream in one pass, each account on the core that takes it:
//
//	opening + new + expansion + reactivation − contraction − churn + fx = closing
//
// exactly, in fixed-point integers, with exchange-rate effects
// ([CurrencyConversion], [ExchangeRate]) on their own row.
//
//	timelines, err := revenue.Normalize(events, revenue.Policy{})
//	bridge, err := revenue.NewBridge(timelines, revenue.Months(start, 12), revenue.BridgeOptions{})
//	nrr := bridge.Total().NRR() // a valuepath.Number
//
//	// The same, account by account from a cursor (an iter.Seq of one account's events):
//	bridge, err = revenue.NewBridgeEvents(accounts, revenue.Policy{}, revenue.Months(start, 12), revenue.BridgeOptions{})
//
// # One boundary rule
//
// Every window of the package — a bridge period, the span of
// [CohortRetention], a cohort's period in [Cohorts] — is half-open, [start,
// end): a change stamped exactly at start belongs to the window. A window's
// opening is the MRR in force just before start and its closing the MRR in
// force just before end. So a subscription that starts exactly at a
// boundary is new in the window that starts there, never in force at its
// opening, and a cancellation stamped at a boundary is churn of the window
// that starts there. [Timeline.MRRAt] reads a single instant, changes
// stamped at it included: the opening of a window starting at t is MRRAt of
// the instant before t.
//
// # Retention, churn and value
//
// Retention follows the cohort definition everywhere: GRR and NRR count
// only the accounts in force at the window's opening (accounts that join
// within the window are growth, not retention), so GRR lies in [0, 1] and
// NRR is never negative. [CohortRetention] computes them for any window;
// [Period.GRR] and [Period.NRR] (of a bridge period or [Bridge.Total]) are
// the same figures for the bridge's windows. [Period] methods also give
// logo churn, gross and net MRR churn and the quick ratio; [Cohorts] builds the retention matrix. [AnnualRate] and
// [MonthlyRate] convert churn rates, [ARPA], [LifetimeValue] and
// [CACPayback] value accounts, and a [Reference] tells where a figure
// stands: [NRRReference], [GRRReference] and [LogoChurnReference] for
// retention, [TimeToValueReference] and [TimeToAdvocacyReference] for how
// fast a new customer gets value and becomes an advocate, or one built with
// [NewReference].
//
// # Undefined results
//
// A rate of nothing — NRR over no opening MRR, the quick ratio of a period
// that lost nothing, retention of an empty cohort — is a valuepath.Number
// that is absent and says why, never 0, NaN or Inf. A function that returns
// an amount has no absent form: ARPA over no accounts and lifetime value at
// zero churn are errors wrapping valuepath.ErrUndefined.
//
// # Errors
//
// Bad input is reported all at once, each problem a *valuepath.FieldError
// naming the event index or field ("events[12].discount"), wrapping
// sentinels such as valuepath.ErrOutOfOrder, valuepath.ErrUnknownCurrency,
// valuepath.ErrCurrencyMismatch or this package's [ErrOverflow].
//
// # Subpackages
//
// Offline analysis lives apart: revenue/sbg fits the shifted-beta-geometric
// model of Fader and Hardie (2007) to a cohort's survivors and projects it;
// revenue/forecast calibrates renewal probabilities per health band, weights
// upcoming renewals with them and projects how churn compounds on ARR.
package revenue
