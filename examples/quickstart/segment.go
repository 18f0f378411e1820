package main

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/segment"
)

// segmentRulesJSON declares the demo's behavioral segments over its derived
// metrics and account attributes.
const segmentRulesJSON = `[
  {"id": "low_use",       "description": "fewer than 45% of seats active", "when": {"metric": "seat_utilisation", "op": "<", "value": 0.45}},
  {"id": "reporting_gap", "description": "underused and creating no reports",
   "when": {"all": [{"rule": "low_use"}, {"not_using": "reports_created_30d"}]}},
  {"id": "no_workflows",  "description": "not running any workflow", "when": {"not_using": "workflows_run_30d"}},
  {"id": "workflows_flat", "description": "workflow runs not up since 90 days ago",
   "when": {"all": [{"not_improved": "workflows_run_30d"}, {"metric": "workflows_run_30d", "op": ">", "value": 0}]}},
  {"id": "power_users",   "description": "60% or more of seats active", "when": {"metric": "seat_utilisation", "op": ">=", "value": 0.6}},
  {"id": "larger",        "description": "enterprise or mid-market", "when": {"attr": "segment", "in": ["enterprise", "mid-market"]}}
]`

// segmentContentJSON aims the demo's campaigns at those segments.
const segmentContentJSON = `{
  "cap": 2, "period": "7d",
  "campaigns": [
    {"id": "reports_in_10_minutes", "kind": "drip", "priority": 5, "segments": ["reporting_gap"], "content": "guide/reports-in-10-minutes"},
    {"id": "first_workflow",        "kind": "drip", "priority": 4, "segments": ["no_workflows"], "content": "guide/your-first-workflow"},
    {"id": "release_2026_11",       "kind": "release", "priority": 3, "versions": [
        {"segment": "reporting_gap", "content": "release/2026-11-report-templates"},
        {"segment": "power_users",   "content": "release/2026-11-advanced-automation"},
        {"segment": "low_use",       "content": "release/2026-11-quick-wins"}]},
    {"id": "workflow_patterns",     "kind": "drip", "priority": 2, "segments": ["workflows_flat"], "content": "webinar/workflow-patterns"}
  ]}`

// segmentOwnershipJSON is the demo's renewal and upsell ownership policy;
// bands are in ACV (12 × MRR).
const segmentOwnershipJSON = `{
  "currency": "USD", "service_threshold": 0.5, "transaction_threshold": 0.5,
  "bands": [
    {"name": "self-serve", "from": {"amount": "0",      "currency": "USD"}, "shift": -0.15},
    {"name": "standard",   "from": {"amount": "12000",  "currency": "USD"}, "shift": 0},
    {"name": "strategic",  "from": {"amount": "150000", "currency": "USD"}, "shift": 0.15}
  ]}`

// segmentSection tiers the demo base by MRR and CSM capacity, shows one
// behavioral segment with its campaign routing, and who owns each upcoming
// renewal.
func segmentSection(env *demoEnv) error {
	if err := segmentTiers(env); err != nil {
		return err
	}
	if err := segmentBehavior(env); err != nil {
		return err
	}
	return segmentRenewals(env)
}

func segmentTiers(env *demoEnv) error {
	w := env.w
	// Strategic: the two newest enterprise accounts, design partners.
	var enterprise []*demo.Account
	for i := range env.base.Accounts {
		if a := &env.base.Accounts[i]; a.Active() && a.Segment == demo.Enterprise {
			enterprise = append(enterprise, a)
		}
	}
	slices.SortFunc(enterprise, func(a, b *demo.Account) int { return b.Start.Compare(a.Start) })
	strategic := map[valuepath.AccountID]bool{}
	for _, a := range enterprise[:min(2, len(enterprise))] {
		strategic[a.ID] = true
	}
	var accounts []segment.TierInput
	for _, a := range env.base.Accounts {
		if a.Active() {
			mrr, err := valuepath.NewMoney(a.MRR, valuepath.Currency(a.Currency))
			if err != nil {
				return err
			}
			accounts = append(accounts, segment.TierInput{ID: a.ID, Revenue: mrr, Strategic: strategic[a.ID]})
		}
	}
	spec := segment.TieringSpec{Currency: "USD", Capacity: segment.Capacity{
		TopCSMs: 1, LeveragedCSMs: 2, HoursPerCSM: 120, HoursPerTopAccount: 12, LeveragedRatio: 5,
	}}
	tiering, err := segment.NewTiering(spec)
	if err != nil {
		return err
	}
	report, err := tiering.Assign(accounts)
	if err != nil {
		return err
	}
	cp := spec.Capacity
	fmt.Fprintf(w, "Tiers of the %d active accounts by MRR: top-tier CSMs %d × %v h a month at %v h per account,\n", report.Accounts, cp.TopCSMs, cp.HoursPerCSM, cp.HoursPerTopAccount)
	fmt.Fprintf(w, "leveraged CSMs %d serving %v× as many; %d strategic accounts (the newest enterprise ones) first.\n\n", cp.LeveragedCSMs, cp.LeveragedRatio, len(strategic))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tier\tCSMs\tplaces\taccounts\tof accounts\tMRR (USD)\tof MRR\t")
	for _, t := range report.Tiers {
		places := fmt.Sprint(t.Places)
		if t.Tier == segment.TierScalable {
			places = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%s\t%s\t\n", t.Tier, t.CSMs, places, t.Accounts, segShare(t.AccountShare), t.Revenue.Amount().StringFixed(2), segShare(t.RevenueShare))
	}
	fmt.Fprintf(tw, "total\t\t\t%d\t\t%s\t\t\n", report.Accounts, report.Revenue.Amount().StringFixed(2))
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nPareto curve: the largest accounts' share of MRR\n")
	tw = tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	var top, share strings.Builder
	top.WriteString("  largest\t")
	share.WriteString("  carry\t")
	for _, p := range report.Pareto {
		fmt.Fprintf(&top, "%s\t", segPct(p.AccountShare))
		fmt.Fprintf(&share, "%s\t", segShare(p.RevenueShare))
	}
	fmt.Fprintln(tw, top.String())
	fmt.Fprintln(tw, share.String())
	if err := tw.Flush(); err != nil {
		return err
	}

	st, err := report.CSMsFor(0.4)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nTo put 40%% of MRR in the top tier: %d top-tier CSMs, serving %d accounts with %s of MRR.\n", st.TopCSMs, st.Top.Accounts, segShare(st.Top.RevenueShare))
	cv, err := report.Cover(cp.TopCSMs, cp.LeveragedCSMs)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Today's team (%d top-tier + %d leveraged CSMs) puts %s of MRR with a CSM.\n\n", cp.TopCSMs, cp.LeveragedCSMs, segShare(cv.CSMShare))
	fmt.Fprintln(w, "Why accounts landed where they did:")
	shown := map[segment.Tier]int{}
	for _, a := range report.Assignments {
		if shown[a.Tier] >= 2 && !(a.Tier == segment.TierTop && a.Place == a.Places) {
			continue
		}
		shown[a.Tier]++
		fmt.Fprintf(w, "  %s  %9s %s  %s\n", a.Account, a.Revenue.Amount().StringFixed(2), a.Revenue.Currency(), a.Why())
	}
	return nil
}

func segmentBehavior(env *demoEnv) error {
	w := env.w
	rules, err := segment.ParseRules([]byte(segmentRulesJSON))
	if err != nil {
		return err
	}
	m, err := rules.Bind(env.derivations.Schema())
	if err != nil {
		return err
	}
	router, err := segment.ParseRouter([]byte(segmentContentJSON), rules)
	if err != nil {
		return err
	}
	baselineAt := env.asOf.AddDate(0, 0, -90)
	baselines, err := env.snapshotsAt(baselineAt)
	if err != nil {
		return err
	}
	inputs := func(yield func(segment.Input) bool) {
		for i, a := range env.base.Accounts {
			if !a.Active() {
				continue
			}
			in := segment.Input{Current: env.snapshots[i], Baseline: baselines[i], Attrs: map[string]string{"segment": a.Segment, "industry": a.Industry}}
			if !yield(in) {
				return
			}
		}
	}
	const focus = "reporting_gap"
	counts := map[string]int{}
	type routed struct {
		sent, held int
	}
	byCampaign := map[string]*routed{}
	var first *segment.Membership
	var members []valuepath.AccountID
	for ms, err := range m.MatchAll(inputs, valuepath.BatchOptions{}) {
		if err != nil {
			return err
		}
		for s := range ms.Segments() {
			counts[s]++
		}
		if !ms.Has(focus) {
			continue
		}
		members = append(members, ms.Account)
		if first == nil {
			first = ms.Clone()
		}
		rt, err := router.Route(ms, 0)
		if err != nil {
			return err
		}
		for _, d := range rt.Deliver {
			r := byCampaign[d.Campaign+" → "+d.Content]
			if r == nil {
				r = &routed{}
				byCampaign[d.Campaign+" → "+d.Content] = r
			}
			r.sent++
		}
		for _, h := range rt.Held {
			r := byCampaign[h.Campaign+" → "+h.Content]
			if r == nil {
				r = &routed{}
				byCampaign[h.Campaign+" → "+h.Content] = r
			}
			r.held++
		}
	}
	fmt.Fprintf(w, "\nBehavioral segments (baseline: 90 days earlier, %s):", baselineAt.Format(time.DateOnly))
	ruleSpecs := rules.Spec()
	for _, r := range ruleSpecs {
		fmt.Fprintf(w, " %s %d", r.ID, counts[r.ID])
		if r.ID != ruleSpecs[len(ruleSpecs)-1].ID {
			fmt.Fprint(w, ",")
		}
	}
	fmt.Fprintln(w)
	if first == nil {
		fmt.Fprintf(w, "No account is in %q today.\n", focus)
		return nil
	}
	fmt.Fprintf(w, "\nSegment %q (underused and creating no reports): %d accounts\n", focus, len(members))
	i := slices.IndexFunc(env.base.Accounts, func(a demo.Account) bool { return a.ID == first.Account })
	ex, err := m.Explain(segment.Input{Current: env.snapshots[i], Baseline: baselines[i]})
	if err != nil {
		return err
	}
	for _, s := range ex.Segments {
		if s.Segment != focus {
			continue
		}
		fmt.Fprintf(w, "  %s is in it because:\n", first.Account)
		for _, t := range s.Terms {
			fmt.Fprintf(w, "    %s\n", t.Text)
		}
	}
	rt, err := router.Route(first, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  its content this week (cap %d per %s):\n", router.Spec().Cap, router.Spec().Period)
	for _, d := range rt.Deliver {
		fmt.Fprintf(w, "    send %s (%s, priority %d, via %s)\n", d.Campaign, d.Content, d.Priority, d.Segment)
	}
	for _, h := range rt.Held {
		fmt.Fprintf(w, "    hold %s: %s\n", h.Campaign, h.Reason)
	}
	fmt.Fprintf(w, "  routing for all %d members this week:\n", len(members))
	keys := make([]string, 0, len(byCampaign))
	for k := range byCampaign {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "    %s\tsent %d\theld %d\n", k, byCampaign[k].sent, byCampaign[k].held)
	}
	return tw.Flush()
}

// segmentRenewals lists the renewals of the next two weeks with their
// owners and the complexities and value band behind each decision.
func segmentRenewals(env *demoEnv) error {
	w := env.w
	o, err := segment.ParseOwnership([]byte(segmentOwnershipJSON))
	if err != nil {
		return err
	}
	schema := env.derivations.Schema()
	casesAt, ok := schema.Index(demo.SupportCases90d)
	if !ok {
		return errors.New("demo schema lacks " + string(demo.SupportCases90d))
	}
	type renewal struct {
		at      time.Time
		a       *demo.Account
		svc, tx float64
		dec     segment.Decision
	}
	horizon := env.asOf.AddDate(0, 0, 14)
	var list []renewal
	for i := range env.base.Accounts {
		a := &env.base.Accounts[i]
		if !a.Active() {
			continue
		}
		var at time.Time
		for k := 1; ; k++ {
			if t := a.Start.AddDate(0, k*a.TermMonths, 0); !t.Before(env.asOf) {
				at = t
				break
			}
		}
		if !at.Before(horizon) {
			continue
		}
		cases, _ := env.snapshots[i].ValueAt(casesAt)
		var svc, tx float64
		// Service complexity: size (log of seats) and support load.
		svc = 0.6*math.Min(1, math.Log10(float64(max(1, a.Seats)))/3) + 0.4*math.Min(1, cases/10)
		// Transaction complexity: annual contracts are negotiated, more so
		// when large or discounted; monthly ones renew on a card.
		tx = 0.1
		if a.TermMonths >= 12 {
			tx = 0.3 + 0.4*math.Min(1, float64(a.Seats)/1000)
			if last := a.Subscription[len(a.Subscription)-1]; last.Discount.Sign() > 0 {
				tx += 0.2
			}
		}
		svc, tx = math.Round(svc*100)/100, math.Round(tx*100)/100
		mrr, err := valuepath.NewMoney(a.MRR, valuepath.Currency(a.Currency))
		if err != nil {
			return err
		}
		dec, err := o.Decide(segment.Deal{Account: a.ID, Kind: segment.Renewal, ACV: mrr.Mul(decimal.NewFromInt(12)),
			ServiceComplexity: svc, TransactionComplexity: tx})
		if err != nil {
			return err
		}
		list = append(list, renewal{at, a, svc, tx, dec})
	}
	slices.SortFunc(list, func(x, y renewal) int {
		if c := x.at.Compare(y.at); c != 0 {
			return c
		}
		return cmp.Compare(x.a.ID, y.a.ID)
	})
	byOwner := map[segment.Owner]int{}
	for _, r := range list {
		byOwner[r.dec.Owner]++
	}
	fmt.Fprintf(w, "\nRenewals due before %s: %d (web %d, csm %d, sales %d, sales with csm %d)\n", horizon.Format(time.DateOnly), len(list),
		byOwner[segment.OwnerWeb], byOwner[segment.OwnerCSM], byOwner[segment.OwnerSales], byOwner[segment.OwnerSalesWithCSM])
	fmt.Fprintln(w, "  (service = size and support load; transaction = annual term, size, discount; thresholds 0.5, shifted by ACV band)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  due\taccount\tsegment\tterm\tACV (USD)\tband\tthresholds\tservice\ttransaction\towner")
	for _, r := range list {
		d := r.dec
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%dm\t%s\t%s\t%.2f\t%.2f %s\t%.2f %s\t%s\n", r.at.Format(time.DateOnly), r.a.ID, r.a.Segment, r.a.TermMonths,
			d.ACV.Amount().StringFixed(2), d.Band, d.ServiceThreshold, r.svc, segLevel(d.ServiceHigh), r.tx, segLevel(d.TransactionHigh), d.Owner)
	}
	return tw.Flush()
}

func segLevel(high bool) string {
	if high {
		return "high"
	}
	return "low"
}

// segPct formats a share as a percentage with one decimal.
func segPct(share float64) string { return fmt.Sprintf("%.1f%%", 100*share) }

// segShare formats a share that may be undefined (no accounts, no
// revenue): "n/a" then, never 0%.
func segShare(n valuepath.Number) string {
	if v, ok := n.Get(); ok {
		return segPct(v)
	}
	return "n/a"
}
