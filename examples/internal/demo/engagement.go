package demo

import "github.com/valuepath/valuepath/engagement"

// EngagementCatalogJSON is the demo's engagement catalog, one model per segment,
// as a host would keep it in a configuration file: enterprise accounts are
// high-touch, SMB accounts are served by automation.
const EngagementCatalogJSON = `[
 {"segment": "enterprise", "value_event": "first_metrics_review", "advocacy_event": "reference", "moments": [
  {"id": "kickoff", "name": "Kickoff", "phase": "onboarding", "owner": "csm", "objective": "agree goals and success metrics", "completed_by": "kickoff", "within": "10d", "stuck_after": "30d", "escalate_to": "cs_manager"},
  {"id": "activation", "name": "First login", "phase": "onboarding", "owner": "automated", "completed_by": "first_login", "after": "kickoff", "within": "5d", "stuck_after": "15d", "escalate_to": "csm"},
  {"id": "training", "name": "Initial training", "phase": "onboarding", "owner": "trainer", "completed_by": "training_completed", "after": "activation", "within": "14d", "stuck_after": "30d", "escalate_to": "cs_manager"},
  {"id": "metrics_review", "name": "First metrics review", "phase": "onboarding", "owner": "csm", "objective": "show the first value against the baseline", "completed_by": "first_metrics_review", "after": "training", "within": "28d", "stuck_after": "60d", "escalate_to": "cs_manager"},
  {"id": "self_sufficient", "name": "Self-sufficiency checkpoint", "phase": "onboarding", "owner": "csm", "completed_by": "self_sufficient", "after": "metrics_review", "within": "45d", "stuck_after": "90d", "escalate_to": "cs_manager"},
  {"id": "qbr", "name": "Quarterly business review", "phase": "ongoing", "owner": "csm", "completed_by": "qbr", "cadence": {"unit": "quarter", "every": 1}, "within": "21d"},
  {"id": "sponsor", "name": "Meet the new sponsor", "phase": "ongoing", "owner": "csm", "completed_by": "qbr", "within": "30d", "trigger": {"event": "sponsor_change", "cooldown": "30d"}},
  {"id": "usage_drop", "name": "Usage drop call", "phase": "ongoing", "owner": "csm", "completed_by": "qbr", "within": "7d", "trigger": {"when": {"metric": "logins_change_30d", "op": "<=", "value": -0.25}, "cooldown": "30d"}}
 ]},
 {"segment": "mid-market", "value_event": "first_metrics_review", "advocacy_event": "reference", "moments": [
  {"id": "kickoff", "name": "Kickoff", "phase": "onboarding", "owner": "csm", "completed_by": "kickoff", "within": "10d", "stuck_after": "30d", "escalate_to": "cs_manager"},
  {"id": "activation", "name": "First login", "phase": "onboarding", "owner": "automated", "completed_by": "first_login", "after": "kickoff", "within": "5d", "stuck_after": "15d", "escalate_to": "csm"},
  {"id": "training", "name": "Initial training", "phase": "onboarding", "owner": "trainer", "completed_by": "training_completed", "after": "activation", "within": "14d", "stuck_after": "30d", "escalate_to": "csm"},
  {"id": "metrics_review", "name": "First metrics review", "phase": "onboarding", "owner": "csm", "completed_by": "first_metrics_review", "after": "training", "within": "28d", "stuck_after": "60d", "escalate_to": "cs_manager"},
  {"id": "self_sufficient", "name": "Self-sufficiency checkpoint", "phase": "onboarding", "owner": "csm", "completed_by": "self_sufficient", "after": "metrics_review", "within": "45d", "stuck_after": "90d"},
  {"id": "qbr", "name": "Quarterly business review", "phase": "ongoing", "owner": "csm", "completed_by": "qbr", "cadence": {"unit": "quarter", "every": 1, "anchor": "calendar"}, "within": "45d"},
  {"id": "usage_drop", "name": "Usage drop call", "phase": "ongoing", "owner": "csm", "completed_by": "qbr", "within": "7d", "trigger": {"when": {"metric": "logins_change_30d", "op": "<=", "value": -0.25}, "cooldown": "30d"}}
 ]},
 {"segment": "smb", "value_event": "first_metrics_review", "advocacy_event": "reference", "moments": [
  {"id": "kickoff", "name": "Welcome webinar", "phase": "onboarding", "owner": "automated", "completed_by": "kickoff", "within": "10d", "stuck_after": "30d", "escalate_to": "pooled_csm"},
  {"id": "activation", "name": "First login", "phase": "onboarding", "owner": "automated", "completed_by": "first_login", "after": "kickoff", "within": "5d", "stuck_after": "15d"},
  {"id": "training", "name": "Self-paced training", "phase": "onboarding", "owner": "automated", "completed_by": "training_completed", "after": "activation", "within": "14d", "stuck_after": "30d"},
  {"id": "metrics_review", "name": "First metrics review", "phase": "onboarding", "owner": "pooled_csm", "completed_by": "first_metrics_review", "after": "training", "within": "28d", "stuck_after": "60d", "escalate_to": "cs_manager"},
  {"id": "self_sufficient", "name": "Self-sufficiency checkpoint", "phase": "onboarding", "owner": "automated", "completed_by": "self_sufficient", "after": "metrics_review", "within": "45d", "stuck_after": "90d"},
  {"id": "usage_drop", "name": "Usage drop nudge", "phase": "ongoing", "owner": "automated", "completed_by": "survey", "within": "3d", "trigger": {"when": {"metric": "logins_change_30d", "op": "<=", "value": -0.25}, "cooldown": "30d"}}
 ]}
]`

// EngagementCatalog returns the compiled demo engagement catalog. The JSON
// is a constant, so a failure here is a bug.
func EngagementCatalog() *engagement.Catalog {
	c, err := engagement.ParseCatalog([]byte(EngagementCatalogJSON))
	if err != nil {
		panic("demo: " + err.Error())
	}
	return c
}
