// Package health scores account health with scorecards that explain
// themselves and warn early.
//
// A scorecard is data: measures on snapshot metrics, grouped and weighted,
// each mapping a raw value to 0–100, with a band set, rules that cap or floor
// the band, and a policy for missing values. Build a [ScorecardSpec] in Go
// or load it from JSON with [ParseScorecard]; [NewScorecard] validates it
// once and compiles it into an immutable [Scorecard] that is safe for
// concurrent use. [Scorecard.Check] binds it to the [valuepath.Schema] of
// the host's snapshots at start-up: a metric the schema lacks is an error
// naming the metric and its path (groups[0].measures[3].metric: unknown
// metric "tenrue"), never a measure silently treated as missing.
//
//	sc, err := health.ParseScorecard(data)
//	err = sc.Check(derivations.Schema())
//	score, err := sc.Score(snap)
//
// # Scoring: which method when
//
//   - [Scorecard.Score] scores one [valuepath.Snapshot] into a new [Score]:
//     the overall score and band, every group's and measure's score, each
//     measure's contribution (its share of the weight after renormalisation
//     times its score; the contributions sum to the overall score), the
//     coverage of the data, the rules that fired and the scorecard's
//     content hash. Use it for one account: a page, a report.
//   - [Scorecard.ScoreInto] is the same into a Score the caller reuses,
//     without allocating: for a request handler that pools its buffers.
//   - [Scorecard.ScoreAll] scores a stream of snapshots with the full
//     explanation, reusing one Score: to store or export every account's
//     explained score.
//   - [Scorecard.SummarizeAll] scores a stream without the explanation, as a
//     [Summary] (score, bands, coverage): the fastest way to score a whole
//     base, for a distribution or a dashboard.
//   - [Scorecard.SummarizeColumns] gives the same summaries for a block of
//     accounts held as columns ([Columns]: one []float64 per metric, NaN
//     missing), as a Parquet or Arrow reader hands them over, into a slice
//     the caller owns: no snapshot per account.
//
// The batches take a [valuepath.BatchOptions]: by default they use every
// core (runtime.GOMAXPROCS), with results in input order; Concurrency 1
// runs them on the caller's goroutine.
//
// All four fail the same way: a nil snapshot, or a snapshot whose schema
// lacks a metric the scorecard reads, is an error (the batches yield it as
// a *[valuepath.AccountError] beside that account and go on). Neither
// batch allocates per account; metric names are resolved once per schema.
//
// A group's score is the weighted mean of its children with a score;
// weights are relative among siblings. A metric missing from the snapshot
// (or NaN, infinite, or with no category) is handled by the measure's
// [MissingPolicy]: excluded with the siblings renormalised (the default),
// counted as [NeutralScore], counted as 0, or making the whole score not
// present. A score with no measure data at all is not present either:
// [Score.Present] is false and [Score.Reason] says why.
//
// # Bands
//
// [DefaultBands] is red for 0 ≤ s < 50, yellow for 50 ≤ s < 75 and green
// for 75 ≤ s ≤ 100. A [BandSet] must cover 0–100 without gaps or overlaps.
// A measure may have its own band set. [BandSet.Sticky] adds hysteresis.
// [Band] is a plain string so that other packages can accept band names.
//
// # Change, alerts and people
//
// [Attribute] says whether a score went up and which measures moved it.
// [Scorecard.Alerts] raises band drops, point drops and measures entering
// red, deduped by key and held back by a cooldown.
// [Scorecard.CheckSentiment] carries a CSM's [Sentiment] beside the
// computed score and flags disagreement; it is never averaged in.
//
// # The customer base
//
// [Scorecard.Distribution] summarises a base's scores (histogram,
// percentiles, the at-risk and advocate tails) and [Compare] says whether
// the curve moved right. A statistic of no scores is an absent
// [valuepath.Number] with a reason, never 0. Backtests against real churn
// (AUC, lift, calibration, lead time) are offline analysis, in package
// [github.com/valuepath/valuepath/health/backtest].
//
// # Performance
//
// The batch benchmarks run over a million distinct accounts × 12 measures
// in 3 groups (built once per process with a seed, not a cycled cache-hot
// set), as workers=1 and workers=2 sub-benchmarks, each op timing the
// library and a hand-written loop split into as many shards over the same
// accounts; they report wall and CPU time per account and both ratios
// (x-handwritten, cpu-x-handwritten):
//
//   - BenchmarkSummarizeAll: [Scorecard.SummarizeAll] over snapshots,
//     against a hand-written weighted sum over the same snapshots.
//   - BenchmarkSummarizeColumns: [Scorecard.SummarizeColumns] over the same
//     values as columns, against a flat hand-written loop over the columns
//     with weights, thresholds and bands inlined (checked to give the same
//     scores and bands).
//   - BenchmarkBatch: [Scorecard.ScoreAll], every account fully explained.
//
// All three allocate nothing per account. BENCHMARKS.md at the module root
// has the figures with their date, machine load and commands; run
// go test -run '^$' -bench '^Benchmark(SummarizeAll|SummarizeColumns|Batch)$' -benchtime 1x -count 3 ./health
// to measure your own.
package health
