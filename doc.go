// Package valuepath is the shared vocabulary of a Go SDK for proving,
// measuring and growing the value customers get from a SaaS product.
//
// A host application implements one small interface, [Provider], over its
// own data. The library reads an account's raw series and events through it
// as of a time the caller passes in (asOf: the library never reads the
// clock), derives the windowed metrics models need into a [Snapshot], and the
// packages below turn snapshots into explained results.
//
// # Vocabulary
//
//   - [AccountID], [Metric] and [EventKind] name accounts, metrics and events.
//   - [Sample] and [Series]: time-stamped values, validated and immutable.
//   - [Event] and [EventLog]: things that happened to an account, in order.
//   - [Interval]: a half-open span [Start, End); "as of t" means before t.
//   - [Snapshot] on a [Schema]: one account's metric values as of a time,
//     each present or missing, so models can tell zero from unknown.
//   - [Provider] and [MemoryProvider]: where raw data comes from.
//
// # Deriving metrics
//
// A [Derivation] declares one derived metric as data: an aggregate over a
// trailing window (sum, mean, min, max, last, count), the change between the
// current and previous window, the least-squares slope per day, the ratio of
// two derived metrics, the count of events of a kind (optionally narrowed by
// attribute, such as severity), or the days since the last one. [NewDerivations] (or [ParseDerivations] for JSON) validates a set
// once; [Derivations.Evaluate] runs it for one account and
// [Derivations.EvaluateAll] streams it over many, concurrently and in
// constant memory.
//
//	set, err := valuepath.ParseDerivations([]byte(`[
//	  {"name": "active_users_30d", "op": "mean", "source": "active_users", "window": "30d"},
//	  {"name": "seats_now", "op": "last", "source": "seats", "window": "30d"},
//	  {"name": "seat_utilisation", "op": "ratio", "numerator": "active_users_30d", "denominator": "seats_now"}
//	]`))
//	snap, err := set.Evaluate(ctx, provider, "acme", asOf)
//
// A division by zero, an empty window or a missing input makes a metric
// missing, never NaN or Inf.
//
// # Errors
//
// Models are validated when built and report every problem at once, each a
// *[FieldError] with a path such as "derivations[3].window", joined with
// [errors.Join]. Failures while evaluating an account are *[AccountError]s
// naming the account and metric. Both wrap sentinels such as [ErrNotFinite]
// and [ErrCycle] for [errors.Is].
//
// # Packages
//
// The packages under this one each encode a part of the customer-success
// practice. They read snapshots, series and events from this package and
// do not import each other.
//
//   - effectiveness: effectiveness models of 3 to 7 phases defined by
//     behaviors, an account's phase and its path to the next one, AMPM
//     (adoption before performance) with weak links and ROI, the day-one
//     baseline, improvement plans and progress, and the stakeholder
//     capability matrix.
//   - engagement: engagement models per segment — onboarding milestones,
//     calendar cadences in the account's time zone, event and non-event
//     triggers with cooldowns, escalations — as an agenda per account and a
//     workload per owner role; time to value, onboarding transitions and
//     their bottleneck, and the customer journey.
//   - health: scorecards whose every score carries each measure's
//     contribution, bands and rules, trends and attribution, alerts, the
//     distribution of the base with its tails, and backtests (AUC, lift,
//     lead time) against real churn.
//   - segment: tiers sized by revenue and CSM capacity with what-if answers,
//     behavioral rules over snapshots, campaign routing under a frequency
//     cap, and who owns each renewal and upsell.
//   - equivalents: catalogs of conversion factors, each with its source,
//     chained along the shortest path and explained step by step; action
//     and feel-good equivalents, policy equivalents, and built-in catalogs
//     (time and staffing, PACE, US EPA greenhouse-gas equivalencies).
//   - revenue: money with a currency, subscriptions normalised to MRR under
//     explicit policies, the MRR bridge, retention and churn, lifetime value,
//     cohorts with the shifted-beta-geometric model, and health-weighted
//     renewal forecasts.
//
// examples/quickstart runs all of them on a generated demo customer base.
// Three more examples show the library in production shape:
// examples/sqlprovider is a Provider over database/sql (SQLite, or
// PostgreSQL); examples/service embeds the models in a net/http JSON
// service; examples/valuereport writes a customer's value report as one
// self-contained HTML file with charts.
package valuepath
