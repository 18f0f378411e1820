package demo

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
)

// account draws account i into a and loads its data into the provider.
func (g *gen) account(i int, a *Account) error {
	r, asOf := g.r, g.base.AsOf
	sh := shapes[2]
	switch u := r.Float64(); {
	case u < 0.12:
		sh = shapes[0]
	case u < 0.42:
		sh = shapes[1]
	}
	a.ID = valuepath.AccountID(fmt.Sprintf("acct-%04d", i+1))
	a.Name = g.pick(adjectives) + " " + g.pick(nouns)
	a.Segment, a.Industry, a.TimeZone, a.Currency = sh.name, g.pick(industries), g.pick(zones), "USD"
	a.Start = asOf.AddDate(0, 0, -(14 + r.IntN(36*30))).Add(time.Duration(9+r.IntN(8)) * time.Hour)
	a.TermMonths = 1
	if r.Float64() < sh.annualShare {
		a.TermMonths = 12
	}

	// Churn: a monthly propensity drawn from a beta distribution (so cohorts
	// follow a shifted-beta-geometric law), tested at each renewal.
	theta := g.beta(sh.churnA, sh.churnB)
	perTerm := 1 - math.Pow(1-theta, float64(a.TermMonths))
	var churnAt time.Time
	horizon := asOf.AddDate(0, 6, 0)
	for k := 1; ; k++ {
		end := a.Start.AddDate(0, k*a.TermMonths, 0)
		if end.After(horizon) {
			break
		}
		if r.Float64() < perTerm {
			churnAt = end
			break
		}
	}
	switch {
	case !churnAt.IsZero() && churnAt.Before(asOf):
		a.Fate, a.ChurnedAt = Churned, churnAt
	case !churnAt.IsZero() && churnAt.Sub(asOf) <= 120*valuepath.Day:
		a.Fate = AtRisk
	case r.Float64() < 0.15:
		a.Fate, churnAt = Advocate, time.Time{}
	default:
		a.Fate, churnAt = Healthy, time.Time{}
	}
	end := asOf // the account's data ends here (exclusive)
	if a.Fate == Churned {
		end = churnAt
	}

	// Health trajectory: a base level, onboarding ramp, sponsor-change dips,
	// smooth noise, and a decline before churn that starts 3 to 6 months out.
	base := 0.55 + 0.3*r.Float64()
	if a.Fate == Advocate {
		base = 0.82 + 0.12*r.Float64()
	}
	declineDays := 90 + r.IntN(90)
	var declineStart time.Time
	if !churnAt.IsZero() {
		declineStart = churnAt.AddDate(0, 0, -declineDays)
	}
	var sponsorChanges []time.Time
	for t := a.Start.AddDate(0, 2, 0); t.Before(end); t = t.AddDate(0, 0, 30+r.IntN(60)) {
		if r.Float64() < 0.4/6 {
			sponsorChanges = append(sponsorChanges, t)
		}
	}
	if !declineStart.IsZero() && r.Float64() < 0.6 {
		if t := declineStart.AddDate(0, 0, -10-r.IntN(20)); t.After(a.Start) && t.Before(end) {
			sponsorChanges = append(sponsorChanges, t)
			slices.SortFunc(sponsorChanges, time.Time.Compare)
		}
	}
	health := func(t time.Time, noise float64) float64 {
		h := base
		if a.Fate == Advocate {
			h += 0.05 * clamp(t.Sub(a.Start).Hours()/24/365, 0, 1)
		}
		if age := t.Sub(a.Start).Hours() / 24; age < 60 {
			h *= 0.3 + 0.7*age/60
		}
		for _, sc := range sponsorChanges {
			if d := t.Sub(sc).Hours() / 24; d >= 0 && d < 75 {
				h -= 0.15 * (1 - d/75)
			}
		}
		if !declineStart.IsZero() && !t.Before(declineStart) {
			f := clamp(t.Sub(declineStart).Hours()/24/float64(declineDays), 0, 1)
			h -= (h - 0.12) * f
		}
		return clamp(h+noise, 0.02, 0.99)
	}

	// Subscription history and seats.
	disc := decimal.Zero
	switch sh.name {
	case Enterprise:
		disc = decimal.NewFromFloat([]float64{0.1, 0.15, 0.2}[r.IntN(3)])
	case MidMarket:
		disc = decimal.NewFromFloat([]float64{0, 0.1}[r.IntN(2)])
	}
	price := decimal.NewFromInt(sh.price)
	plan := map[string]string{Enterprise: "enterprise", MidMarket: "business", SMB: "team"}[sh.name]
	seats := sh.seatsLo + r.IntN(sh.seatsHi-sh.seatsLo+1)
	sub := func(t time.Time, kind string, seats int) SubscriptionEvent {
		e := SubscriptionEvent{At: t, Kind: kind, Plan: plan, Seats: seats, PricePerSeat: price, Discount: disc, IntervalMonths: a.TermMonths}
		if kind != "cancel" {
			e.MRR = price.Mul(decimal.NewFromInt(int64(seats))).Mul(decimal.NewFromInt(1).Sub(disc)).Round(2)
		}
		return e
	}
	a.Subscription = append(a.Subscription, sub(a.Start, "start", seats))
	for t := a.Start.AddDate(0, 4+r.IntN(6), 0); t.Before(end); t = t.AddDate(0, 5+r.IntN(8), 0) {
		var f float64
		switch {
		case !declineStart.IsZero() && t.After(declineStart):
			if r.Float64() < 0.5 {
				f = -(0.1 + 0.15*r.Float64())
			}
		case a.Fate == Advocate:
			f = 0.1 + 0.2*r.Float64()
		case r.Float64() < 0.35:
			f = 0.05 + 0.1*r.Float64()
		}
		if n := max(1, int(math.Round(float64(seats)*(1+f)))); n != seats {
			seats = n
			a.Subscription = append(a.Subscription, sub(t, "change", seats))
		}
	}
	if a.Fate == Churned {
		a.Subscription = append(a.Subscription, sub(churnAt, "cancel", seats))
	} else {
		a.MRR = a.Subscription[len(a.Subscription)-1].MRR
	}
	a.Seats = seats
	seatsAt := func(t time.Time) int {
		s := 0
		for _, e := range a.Subscription {
			if e.At.After(t) {
				break
			}
			s = e.Seats
		}
		return s
	}

	// Events.
	var events []valuepath.Event
	add := func(kind valuepath.EventKind, t time.Time, attrs ...string) {
		if t.Before(a.Start) || !t.Before(end) {
			return
		}
		e := valuepath.Event{Account: a.ID, Kind: kind, At: t}
		if len(attrs) > 0 {
			e.Attrs = map[string]string{}
			for k := 0; k+1 < len(attrs); k += 2 {
				e.Attrs[attrs[k]] = attrs[k+1]
			}
		}
		events = append(events, e)
	}
	lognormal := func(medianDays, sigma float64) time.Duration {
		return time.Duration(medianDays * math.Exp(sigma*r.NormFloat64()) * float64(valuepath.Day))
	}
	stuckAfter := len(OnboardingMilestones)
	if p := map[Fate]float64{Healthy: 0.06, Advocate: 0.02, AtRisk: 0.3, Churned: 0.3}[a.Fate]; r.Float64() < p {
		stuckAfter = 2 + r.IntN(3)
	}
	t := a.Start.Add(time.Duration(1+r.IntN(9)) * valuepath.Day)
	steps := []struct{ median, sigma float64 }{{0, 0}, {3, 0.5}, {10, 0.5}, {21, 0.7}, {30, 0.5}}
	if sh.name == SMB {
		steps[3].median = 28 // fewer CSM hours: the first metrics review waits longest
	}
	for k, kind := range OnboardingMilestones {
		if k >= stuckAfter {
			break
		}
		t = t.Add(lognormal(steps[k].median, steps[k].sigma))
		add(kind, t)
	}
	for w := a.Start; w.Before(end); w = w.AddDate(0, 0, 7) {
		h := health(w, 0)
		n := g.poisson(float64(seatsAt(w)) / 300 * (0.4 + 1.6*(1-h)))
		for range n {
			sev := "low"
			switch u := r.Float64() * (0.6 + (1 - h)); {
			case u > 1.3:
				sev = "critical"
			case u > 1.0:
				sev = "high"
			case u > 0.6:
				sev = "medium"
			}
			add(SupportCase, w.Add(time.Duration(r.IntN(7*24*60))*time.Minute), "severity", sev)
		}
	}
	var scores []valuepath.Sample
	for s := a.Start.AddDate(0, 0, 45); s.Before(end); s = s.AddDate(0, 0, 91) {
		if r.Float64() < 0.6 {
			score := int(clamp(math.Round(10*health(s, 0)+1.2*r.NormFloat64()), 0, 10))
			at := s.Add(time.Duration(r.IntN(48*60)) * time.Minute)
			add(Survey, at, "score", strconv.Itoa(score))
			if !at.Before(g.base.DataStart) && at.Before(end) {
				scores = append(scores, valuepath.Sample{At: at, Value: float64(score)})
			}
		}
	}
	for _, sc := range sponsorChanges {
		add(SponsorChange, sc)
	}
	if sh.name != SMB {
		for q := a.Start.AddDate(0, 3, 0); q.Before(end); q = q.AddDate(0, 3, 0) {
			if r.Float64() < 0.4+0.6*health(q, 0) {
				add(QBR, q.Add(time.Duration(r.IntN(10))*valuepath.Day))
			}
		}
	}
	for m := time.Date(a.Start.Year(), a.Start.Month(), 15, 16, 0, 0, 0, time.UTC); m.Before(end); m = m.AddDate(0, 1, 0) {
		add(Release, m, "version", fmt.Sprintf("%d.%d", m.Year(), int(m.Month())))
	}
	if a.Fate == Advocate && r.Float64() < 0.6 {
		add(Reference, a.Start.AddDate(0, 6+r.IntN(12), r.IntN(28)))
	}
	for k := 1; ; k++ {
		rt := a.Start.AddDate(0, k*a.TermMonths, 0)
		if !rt.Before(end) {
			break
		}
		add(Renewal, rt, "term_months", strconv.Itoa(a.TermMonths))
	}
	if a.Fate == Churned {
		add(Cancellation, churnAt.Add(-time.Minute))
	}
	slices.SortStableFunc(events, func(x, y valuepath.Event) int { return x.At.Compare(y.At) })
	log, err := valuepath.NewEventLog(events)
	if err != nil {
		return fmt.Errorf("demo: account %s: %w", a.ID, err)
	}
	p := g.base.Provider
	if err := p.AddAccount(a.ID); err != nil {
		return err
	}
	if err := p.SetEvents(a.ID, log); err != nil {
		return err
	}

	// Daily usage series over the data window.
	first := day(a.Start).AddDate(0, 0, 1)
	if first.Before(g.base.DataStart) {
		first = g.base.DataStart
	}
	reportsFrom := a.Start.AddDate(0, 0, 20+r.IntN(200))
	workflowsFrom := a.Start.AddDate(0, 0, 40+r.IntN(300))
	adoptsWorkflows := r.Float64() < base
	cols := make([][]valuepath.Sample, 7)
	noise := 0.0
	for d := first; d.Before(end); d = d.AddDate(0, 0, 1) {
		noise = 0.9*noise + 0.02*r.NormFloat64()
		h := health(d, noise)
		st := seatsAt(d)
		wk := 1.0
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			wk = 0.15
		}
		active := clamp(math.Round(float64(st)*h*wk*(1+0.05*r.NormFloat64())), 0, float64(st))
		logins := math.Round(active * (1.3 + 0.5*r.Float64()))
		records := math.Max(0, math.Round(active*6*(0.5+h)*(1+0.1*r.NormFloat64())))
		reports := 0.0
		if !d.Before(reportsFrom) {
			reports = math.Max(0, math.Round(active*0.08*h+r.NormFloat64()))
		}
		workflows := 0.0
		if adoptsWorkflows && !d.Before(workflowsFrom) {
			workflows = math.Max(0, math.Round(active*0.5*h*(1+0.1*r.NormFloat64())))
		}
		vals := [7]float64{float64(st), active, logins, records, reports, workflows, records*2.5 + workflows*10}
		for k, v := range vals {
			cols[k] = append(cols[k], valuepath.Sample{At: d, Value: v})
		}
	}
	for k, s := range append(cols, scores) {
		ser, err := valuepath.NewSeries(s)
		if err != nil {
			return fmt.Errorf("demo: account %s: %s: %w", a.ID, SeriesMetrics[k], err)
		}
		if err := p.SetSeries(a.ID, SeriesMetrics[k], ser); err != nil {
			return err
		}
	}

	// Teams, for adoption and performance measurement.
	hNow := health(end.Add(-valuepath.Day), 0)
	nTeams := map[string]int{Enterprise: 5, MidMarket: 3 + r.IntN(2), SMB: 2}[sh.name]
	names := slices.Clone(teamNames)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	laggard := -1
	if r.Float64() < 0.4 {
		laggard = r.IntN(nTeams)
	}
	for k := range nTeams {
		off := 0.06 * r.NormFloat64()
		if k == laggard {
			off -= 0.3
		}
		wa := clamp(hNow+off, 0.05, 0.98)
		bwa := clamp(0.3+0.15*r.Float64(), 0.05, 0.98)
		bsd := clamp(bwa*0.8+0.05*r.NormFloat64(), 0.02, 0.98)
		a.Teams = append(a.Teams, Team{
			Name:                       names[k],
			Users:                      max(1, seats/nTeams+r.IntN(3)),
			WeeklyActiveShare:          round3(wa),
			SameDayUpdateShare:         round3(clamp(wa*0.85+0.05*r.NormFloat64(), 0.02, 0.98)),
			WinRate:                    round3(clamp(0.12+0.2*wa+0.02*r.NormFloat64(), 0.01, 0.9)),
			CycleDays:                  math.Round(clamp(90-40*wa+5*r.NormFloat64(), 10, 180)),
			BaselineWeeklyActiveShare:  round3(bwa),
			BaselineSameDayUpdateShare: round3(bsd),
			BaselineWinRate:            round3(clamp(0.12+0.2*bwa+0.02*r.NormFloat64(), 0.01, 0.9)),
			BaselineCycleDays:          math.Round(clamp(90-40*bwa+5*r.NormFloat64(), 10, 180)),
		})
	}
	return nil
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
