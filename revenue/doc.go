// Package revenue measures recurring revenue: money with a currency,
// subscriptions normalised to MRR, the MRR bridge and its movements,
// retention and churn, lifetime value, cohort projection with the
// shifted-beta-geometric model, and renewal forecasts weighted by account
// health.
//
// The funnel stops at the contract; a subscription business lives on its
// installed base, which lands, expands, renews — and churns, with churn
// compounding against it. Analytics vendors disagree on how to count that
// (ChartMogul, Stripe, Baremetrics and ProfitWell each have their own
// defaults), so every choice here is an explicit, documented option.
//
// Every amount is a valuepath.Money (a decimal with an ISO 4217 currency,
// codes in either case); arithmetic across currencies is an error wrapping
// valuepath.ErrCurrencyMismatch.
//
// # From subscriptions to movements
//
// [NormalizeAll] turns [SubscriptionEvent]s (start, change, cancel,
// reactivate, with amount, billing interval, discount, tax and trial; read
// from JSON with [ParseEvents]) into one [Timeline] per account under a
// [Policy]; [NewBridge] turns timelines into the MRR bridge per period:
//
//	opening + new + expansion + reactivation − contraction − churn + fx = closing
//
// exactly, in fixed-point integers, with exchange-rate effects on their own
// row.
//
//	timelines, err := revenue.NormalizeAll(events, revenue.Policy{})
//	bridge, err := revenue.NewBridge(timelines, revenue.Months(start, 12), revenue.BridgeOptions{})
//	nrr, err := bridge.Total().NRR()
//
// # Retention, churn and value
//
// [CohortRetention] gives cohort-based GRR and NRR; [Period] methods give
// the period-based rates, logo churn, gross and net MRR churn and the quick
// ratio. [AnnualRate] and [MonthlyRate] convert churn rates, [ARPA],
// [LifetimeValue] and [CACPayback] value accounts, and [Reference.Assess]
// compares a figure with stated reference ranges such as [NRRReference].
//
// # Cohorts and forecasts
//
// [Cohorts] builds the retention matrix; [FitSBG] (or
// [Cohort.FitSurvivors]) fits the shifted-beta-geometric model of Fader and
// Hardie (2007) to a cohort's survivors, and [SBG] projects survival,
// retention rates, expected lifetime and the discounted expected residual
// lifetime used for a customer's remaining value. [Calibrate] computes renewal probabilities
// per health band from past outcomes, [ForecastRenewals] weights upcoming
// renewals with them, [RenewalForecast.Margin] gives the renewal stream's
// margin, and [ProjectARR] shows how churn compounds. Health bands are plain
// strings, the host's own labels, so this package depends on no scoring
// package.
//
// # Errors
//
// Bad input is reported all at once, each problem a *valuepath.FieldError
// naming the event index or field ("events[12].discount"), wrapping
// sentinels such as valuepath.ErrOutOfOrder or valuepath.ErrUnknownCurrency.
// Undefined ratios (lifetime value at zero churn, retention of an empty
// cohort) are errors wrapping valuepath.ErrUndefined, never NaN or Inf.
package revenue
