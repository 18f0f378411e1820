// Package valuepath is the shared vocabulary of a Go SDK for proving,
// measuring and growing the value customers get from a SaaS product.
//
// A host application implements one small interface, [Provider], over its
// own data. The library reads an account's raw series and events through it
// as of a time the caller passes in (asOf: the library never reads the
// clock), derives the windowed metrics models need into a [Snapshot], and the
// packages below turn snapshots into explained results. Data that already
// comes one row per account, as from a warehouse query or a CSV export,
// skips the Provider: a [Table] (or [Snapshot.SetValues], row by row) turns
// it into snapshots directly. The package valuepathtest checks a host's
// Provider against the whole Provider contract.
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
//   - [Table]: tabular data, one row per account, as snapshots.
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
// # The contract
//
// Every package of the SDK follows the same rules, so that learning one
// teaches all of them.
//
// Models are data. A model is built from its configuration with
// New<Type>(spec <Type>Spec) or loaded from JSON with
// Parse<Type>(data []byte, deps...) — the data first, then the models it
// depends on — and read back with Spec(). It is validated once: every
// problem is a *[FieldError] with its path ("groups[0].measures[3].weight"),
// all of them joined with [errors.Join], never a panic. A built model is
// immutable and safe for concurrent use: compile once, evaluate many, like
// regexp.Compile. [Must] is the one way to turn a constructor's error into a
// panic, for tests and literals.
//
// Strict JSON. Every loader reads JSON through one strict, bounded decoder,
// also exported as [DecodeJSON]: unknown fields, duplicate names, names that
// differ from a field's only in case, null where nothing can be absent, and
// trailing data are errors; input is capped at [DefaultMaxJSONBytes]; every
// problem is reported at once with its JSON path in the model's own terms
// ("groups[0].measures[3].wieght: unknown field"), a syntax error with its
// line and column, and no message quotes more than a short prefix of a value.
//
// Binding. A model that reads snapshot metrics is bound to a [Schema] before
// it evaluates: a metric the schema lacks is an error wrapping
// [ErrUnknownMetric] that names the metric and the model's field path. The
// convenience methods that take a snapshot bind to its schema the same way
// and return the same error; nothing is silently "not in schema".
//
// Missing is not zero. Lookups return (v, ok). A number that can be
// undefined — a mean or percentile of nothing, an AUC without both classes,
// a ratio over zero — is a [Number]: absent with a reason, never 0, NaN or
// Inf. A result that can be absent as a whole says so with one field,
// Present, and gives its Reason. A nil snapshot is an error everywhere.
//
// One vocabulary. [Money] (a decimal with a [Currency]; codes in either case,
// printed in ISO form) is every amount; [Comparison] is every threshold test;
// [Direction] says which way a value improves; [Duration] is every span of
// time in a public struct; [AccountID] and [Metric] name accounts and
// metrics. A name means one thing across the SDK.
//
// Hot paths and batches. A method X that returns a new result has a twin
// XInto whose destination is its last argument and which returns an error
// exactly when X does. A batch is a method XAll(in iter.Seq[In], ..., opt
// [BatchOptions]) that returns iter.Seq2[*R, error]: one result per input,
// in input order, in constant memory; the yielded result is reused and
// valid until the loop body returns (clone it to keep it); a failure for
// one account is yielded beside it as an *[AccountError] and the stream
// goes on; break to stop. BatchOptions means the same everywhere: by
// default a batch uses every core, Concurrency 1 keeps it on the caller's
// goroutine, and InPlace skips the copy of each input when the input stays
// as it is. Data already in memory has a batch over it that uses a second
// core fully, because each goroutine works on its own range and writes its
// own part of the caller's destination: a method XSlice(in []In, dst []R,
// opt BatchOptions) error fills dst[i] with what XAll yields for in[i] and
// joins the failures, in index order, each naming its index (health's
// SummarizeSlice and ScoreSlice, effectiveness's AssessSlice, segment's
// MatchSlice); health's SummarizeColumns does the same for columns.
//
// Pure evaluation. Nothing reads the clock (the caller passes asOf), keeps
// global state or does hidden I/O: only the [Provider] the caller hands in,
// with ctx first. The same input gives the same output.
//
// Explain every result. A score carries each measure's contribution, a phase
// the behaviors met and missing, a due moment the rule that made it due, an
// equivalent its conversion chain and sources. Results marshal to JSON.
//
// The API is locked: api/*.txt in the repository describes every exported
// name, a test fails when the API changes without it, and CHANGES.md says
// what moved.
//
// # Packages
//
// The packages under this one each encode a part of the customer-success
// practice. They read snapshots, series, events and [Money] from this
// package and do not import each other (a subpackage may import its
// parent).
//
//   - effectiveness: effectiveness models of 3 to 7 phases defined by
//     behaviors, an account's phase and its path to the next one, AMPM
//     (adoption before performance) with weak links and ROI, the day-one
//     baseline, improvement plans and progress; effectiveness/stakeholders
//     holds the stakeholder capability matrix and effectiveness/population
//     the distribution of a base over the phases and peer ranks.
//   - engagement: engagement models per segment — onboarding milestones,
//     calendar cadences in the account's time zone, event and non-event
//     triggers with cooldowns, escalations — as an agenda per account and a
//     workload per owner role; time to value, onboarding transitions and
//     their bottleneck, and the customer journey.
//   - health: scorecards whose every score carries each measure's
//     contribution, bands and rules, trends and attribution, alerts, the
//     distribution of the base with its tails; health/backtest measures a
//     scorecard against real churn (AUC, lift, lead time).
//   - segment: tiers sized by revenue and CSM capacity with what-if answers,
//     behavioral rules over snapshots, campaign routing under a frequency
//     cap, and who owns each renewal and upsell.
//   - equivalents: catalogs of conversion factors, each with its source,
//     chained along the shortest path and explained step by step; action
//     and feel-good equivalents, award rules, and built-in catalogs
//     (time and staffing, PACE, US EPA greenhouse-gas equivalencies).
//   - revenue: subscriptions normalised to MRR under explicit policies, the
//     MRR bridge, retention and churn, lifetime value and cohorts;
//     revenue/sbg projects cohort retention with the shifted-beta-geometric
//     model and revenue/forecast gives health-weighted renewal forecasts.
//
// examples/quickstart runs all of them on a generated demo customer base.
// Three more examples show the library in production shape:
// examples/sqlprovider is a Provider over database/sql (SQLite, or
// PostgreSQL); examples/service embeds the models in a net/http JSON
// service; examples/valuereport writes a customer's value report as one
// self-contained HTML file with charts.
package valuepath
