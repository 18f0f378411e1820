// Package engagement models the moments each customer should experience,
// who owns them and when they are due, and measures how long customers take
// to get through them.
//
// Proactive engagement only scales when it is modelled. Onboarding is
// takeoff: intense, measured closely, escalated when adoption is late. The
// ongoing phase is cruise: a calendar of reviews plus reactions to events.
// The time between moments reveals systemic delays; time to value is the
// metric that keeps momentum.
//
// # Models
//
// A [Model] serves one customer segment; a [Catalog] holds a host's models.
// Each [Moment] has an owner (a role, or [Automated] for low-touch
// customers), an objective, and what completes it: an event kind or a metric
// [Condition] (a [valuepath.Comparison] with a threshold) on the account's
// [valuepath.Snapshot].
//
//   - Onboarding moments are due at an offset from the contract start or
//     from their predecessor's completion; past due they are behind, past
//     stuck_after they are stuck, and either raises an [Escalation].
//   - Ongoing moments recur on a [Cadence] (weekly, monthly, quarterly,
//     yearly; anchored to the contract or the calendar, in the account's
//     IANA time zone, with month ends clamped and wall-clock times kept
//     across DST changes) or fire on a [Trigger]: an event (optionally
//     filtered by an attribute), a metric condition such as a drop in usage,
//     or the absence of an event for a period, each with a cooldown and a
//     dedupe key.
//
// Models are data: build a [ModelSpec] in Go and call [NewModel], or load
// JSON with [ParseModel]; a [CatalogSpec] with [NewCatalog] or
// [ParseCatalog]. Every problem is reported with its field path
// ("moments[3].trigger.cooldown"). A model is immutable and safe for
// concurrent use; Spec reads its configuration back.
//
//	cat, err := engagement.ParseCatalog(configJSON)
//	err = cat.Check(derivations.Schema()) // every metric the models read
//	m, ok := cat.Model("enterprise")
//	agenda, err := m.Agenda(engagement.Input{ID: "acme", TimeZone: "Europe/Berlin",
//		Start: start, Events: log, Snapshot: snap}, asOf)
//
// # Agendas and workload
//
// [Model.Agenda] gives an account's moments at asOf, from its [Input]:
// completed (when), due, overdue (by how much), upcoming and waiting, each
// with the [Rule] that put it there, plus escalations. [Model.AgendaInto]
// reuses an [Agenda] so that a book of accounts is evaluated without
// allocating; [Catalog.AgendaAll] streams a whole book, and
// [Catalog.Workload] gathers the work per owner role for a coming period.
// The library never reads the clock: asOf is passed in, and events at or
// after it are an error.
//
// A model whose conditions read metrics binds to the schema of the input's
// snapshot: a nil snapshot is an error, and so is a schema that lacks one of
// the model's metrics (an error wrapping [valuepath.ErrUnknownMetric] with
// the condition's path, "moments[7].trigger.when.metric"). [Model.Check] and
// [Catalog.Check] find those at start-up.
//
// # Time measures
//
// [TimeTo] and [Model.Times] measure time to value and time to first
// advocacy; [Catalog.TimeToValue] summarises them per segment.
// [Model.Transitions] measures each onboarding transition over a population
// (median, p90, count), names the bottleneck that adds the most delay, and
// lists the accounts stuck in each. A median of nothing is absent (a
// [valuepath.Number] with its reason), never 0.
//
// # Journey
//
// A [Journey] maps events to the stages of a customer journey, each with
// its [Motion] and the teams in relay. Stages and teams are data
// ([JourneySpec.Stages]); two are built in. [BoomerangStages], the default,
// is the practice's journey: awareness, consideration, trial, decision and
// contract, adoption, performance, transformation, advocacy, with customer
// success relaying with sales and marketing from performance on, the
// product team across the whole journey and finance from the signature
// on. [FunnelToEllipseStages] is the classic funnel-to-ellipse: the same
// stages, handed off from marketing to sales to the post-sale teams at the
// contract. [Journey.Position] places an account and says for how
// long; [Journey.Flow] counts a population per stage and the moves between
// stages over a period.
package engagement
