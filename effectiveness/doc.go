// Package effectiveness makes a customer's path to value executable: where an
// account stands on an effectiveness model, what would take it to the next
// phase, and measured progress against a plan agreed from a day-one baseline.
//
// # Effectiveness models
//
// A [Model] has 3 to 7 ordered phases ([MinPhases], [MaxPhases]), from the
// basics any value needs to what the best customers do. Each [Phase] is
// defined by behaviors; a [Behavior] has a [Criterion] over snapshot metrics
// (a [valuepath.Comparison], or all/any/not of criteria) and the product
// features that help. [Placement] decides when a phase counts: the strict
// [Ladder] by default, or [ShareOfBehaviors].
//
//	model, err := effectiveness.ParseModel(modelJSON)
//	assessor, err := model.Bind(derivations.Schema(), effectiveness.Options{})
//	a, err := assessor.Assess(snapshot)
//	fmt.Println(a.Phase, a.Next.Phase, a.Next.Progress)
//
// Bind fails, naming the metric and its field path, if the schema lacks a
// metric the model reads. Missing data makes a behavior [Unknown], never
// [NotMet], and its gap absent. Every [Assessment] carries each behavior's
// state and observed values and the [PhasePath] to the next phase, closest
// steps first. [Assessor.AssessInto] and [Assessor.AssessAll] assess without
// an allocation per account. A metric with a [CustomerReported] [Source] is
// used only with the account's [Consent].
//
// # AMPM: adoption, then performance
//
// An [AMPM] framework has [Adoption] indicators (the new routines) and
// [Performance] indicators (the outcomes). [AMPM.Measure] measures an account
// and its teams and users ([OrgUnit]); performance is judged only once
// adoption has passed, so the afternoon never comes before the morning.
// [AMPM.WeakLinks] finds the units whose adoption lags their group, and
// [AMPM.ROI] values the improvement over baseline in [valuepath.Money].
//
// # Baseline, plan and progress
//
// [NewBaseline] captures the phase and metric values on day one. [NewPlan]
// sets targets that improve on it ([Relative], [Absolute], or the
// [NextPhase] threshold), each due on a date, through optional milestones.
// [Plan.Progress] reports each target's actual value, the share of the way
// and a [TargetStatus]; [Plan.Revise] sets new targets and keeps the history.
//
// Models, frameworks and plans are data: built with [NewModel], [NewAMPM] and
// [NewPlan] or read from JSON with [ParseModel], [ParseAMPM] and [ParsePlan],
// validated once with every problem reported by field path, then immutable
// and safe for concurrent use. Numbers that can be undefined are
// [valuepath.Number]s, absent with a reason, never 0. The phase distribution
// of a base and peer ranks are in package
// [github.com/valuepath/valuepath/effectiveness/population]; the stakeholder
// capability matrix is in
// [github.com/valuepath/valuepath/effectiveness/stakeholders].
package effectiveness
