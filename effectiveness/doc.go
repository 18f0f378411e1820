// Package effectiveness makes a customer's path to value executable: where an
// account stands on an effectiveness model, what would take it to the next
// phase, and measured progress against a plan agreed from a day-one baseline.
//
// A vendor earns renewals by showing each customer that path, in words that
// do not talk down to them: phases of effectiveness, from the basics to what
// the best customers do.
//
// # Effectiveness models
//
// A [Model] has 3 to 7 ordered phases ([MinPhases], [MaxPhases]), from the
// basics that any value needs to what the best customers do. Each phase is
// defined by representative behaviors; a [Behavior] has a [Criterion] over
// snapshot metrics (a comparison, or all/any/not of criteria) and the product
// features that help achieve it. [Placement] decides when a phase counts:
// the strict [Ladder] (every behavior met, and every lower phase reached) by
// default, or a share of behaviors ([ShareOfBehaviors]).
//
//	model, err := effectiveness.ParseModel(modelJSON)
//	assessor, err := model.Bind(derivations.Schema(), effectiveness.Options{})
//	a, err := assessor.Assess(snapshot)
//	fmt.Println(a.Phase, a.Next.Phase, a.Next.Progress)
//
// Missing data makes a behavior [Unknown], never [NotMet]. Every
// [Assessment] carries each behavior's state and observed values, and the
// [Path] to the next phase: the missing behaviors, closest first, with the
// features that help. [Assessor.AssessAll] streams a population without an
// allocation per account; [Assessor.Distribution] counts it per phase and
// [Peers] ranks an account's metrics among accounts of its segment.
//
// # Metrics that matter
//
// Each metric has a [Source]: [Usage] measured by the product, or
// [CustomerReported], which needs the customer's [Consent]. Without consent
// such a metric is excluded and listed as excluded, never used silently.
//
// # AMPM: adoption, then performance
//
// An [AMPM] framework has [Adoption] indicators (the new routines: weekly
// active users, records updated within a day) and [Performance] indicators
// (the outcomes: win rate, cycle time), each with a baseline and a target.
// [AMPM.Measure] measures an account, its teams and users ([Unit]) and rolls
// values up with stated weights. Performance is judged only once adoption has
// passed its threshold ([NotYetMeaningful] before): the afternoon never comes
// before the morning. [AMPM.WeakLinks] finds the teams or users whose
// adoption lags their group enough to put its performance at risk, and
// [AMPM.ROI] values the improvement over baseline in decimal [Money].
//
// # Baseline, plan and progress
//
// [NewBaseline] captures the phase and metric values on day one. [NewPlan]
// sets targets that improve on it ([Relative], [Absolute], or the threshold
// of the [NextPhase]), each with a due date and optional milestones.
// [Plan.Progress] reports, per target, baseline, target, actual, the share of
// the way, the expected value on a straight path and a [TargetStatus].
// [Plan.Revise] starts new targets from current values and keeps the history.
//
// # Stakeholder capability matrix
//
// A [Matrix] crosses stakeholder roles with product capabilities, saying how
// each capability serves each role, and records for named stakeholders the
// current and planned state on an ordered scale ([DefaultScale]).
// [Matrix.Gaps] is the gap analysis and [Matrix.Roadmap] orders it by a
// stated [Priority].
//
// # Models are data
//
// Models, frameworks, plans and matrices are built in Go or loaded from JSON
// ([ParseModel], [ParseAMPM], [ParsePlan], [ParseMatrix]; unknown fields are
// errors), validated once with every problem reported by field path, and
// then immutable and safe for concurrent use. Results marshal to JSON.
package effectiveness
