package engagement

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/strictjson"
	"github.com/valuepath/valuepath/internal/validate"
)

// Stage names a stage of a customer journey.
type Stage string

// The stage names of both built-in journeys ([BoomerangStages] and
// [FunnelToEllipseStages]), in order. A journey of your own may name its
// stages as it likes.
const (
	Awareness      Stage = "awareness"
	Consideration  Stage = "consideration"
	Trial          Stage = "trial"
	Decision       Stage = "decision_and_contract"
	Adoption       Stage = "adoption"
	Performance    Stage = "performance"
	Transformation Stage = "transformation"
	Advocacy       Stage = "advocacy"
)

// Motion is the loop of the journey a stage belongs to.
type Motion string

// The motions of the built-in journeys.
const (
	Demand     Motion = "demand"     // awareness to contract
	Turnaround Motion = "turnaround" // adoption: from contract to first value
	Expand     Motion = "expand"     // performance and transformation
	Boomerang  Motion = "boomerang"  // advocacy that brings new demand
)

// StageSpec is one stage of a journey: its name, the [Motion] it belongs
// to and the teams in relay at it, the leading team first, so that the
// hand-offs between them are explicit.
type StageSpec struct {
	Name   Stage    `json:"name"`
	Motion Motion   `json:"motion"`
	Teams  []string `json:"teams"`
}

// BoomerangStages returns the journey of the customer-success practice this
// package encodes, the default of a [JourneySpec]: the funnel stops at the
// contract and the installed base follows an ellipse — awareness,
// consideration, trial, decision and contract, adoption, performance,
// transformation, advocacy — whose advocacy brings new demand back to the
// top (the boomerang). Teams relay rather than hand off: customer success
// relays with sales and marketing in performance, transformation and
// advocacy; the product team is there across the whole journey; finance from
// the signature (decision and contract) on.
func BoomerangStages() []StageSpec {
	const cs, sales, mkt, product, finance = "customer success", "sales", "marketing", "product", "finance"
	return []StageSpec{
		{Awareness, Demand, []string{mkt, product}},
		{Consideration, Demand, []string{mkt, sales, product}},
		{Trial, Demand, []string{sales, cs, product}},
		{Decision, Demand, []string{sales, finance, product}},
		{Adoption, Turnaround, []string{cs, product, finance}},
		{Performance, Expand, []string{cs, sales, mkt, product, finance}},
		{Transformation, Expand, []string{cs, sales, mkt, product, finance}},
		{Advocacy, Boomerang, []string{cs, mkt, sales, product, finance}},
	}
}

// FunnelToEllipseStages returns the classic funnel-to-ellipse journey: the
// same eight stages and motions as [BoomerangStages], with the hand-offs of
// a funnel that passes the customer from marketing to sales and, at the
// contract, to the post-sale teams (onboarding, customer success, support,
// account management, professional services), marketing coming back only
// for advocacy. It is the team assignment this package used before the
// stages became data.
func FunnelToEllipseStages() []StageSpec {
	return []StageSpec{
		{Awareness, Demand, []string{"marketing"}},
		{Consideration, Demand, []string{"marketing", "sales"}},
		{Trial, Demand, []string{"sales", "solutions engineering", "customer success"}},
		{Decision, Demand, []string{"sales", "customer success"}},
		{Adoption, Turnaround, []string{"onboarding", "customer success", "support"}},
		{Performance, Expand, []string{"customer success", "support"}},
		{Transformation, Expand, []string{"customer success", "account management", "professional services"}},
		{Advocacy, Boomerang, []string{"customer success", "marketing"}},
	}
}

// JourneySpec is the configuration of a [Journey]: its stages, in order
// (empty means [BoomerangStages]), the stage the contract start moves an
// account into (default the stage named [Decision]) and the events that
// move an account into each stage.
type JourneySpec struct {
	Stages        []StageSpec                     `json:"stages,omitempty"`
	ContractStage Stage                           `json:"contract_stage,omitempty"`
	Enter         map[Stage][]valuepath.EventKind `json:"enter"`
}

// Journey derives an account's journey stage from its events: the newest
// event that enters a stage wins, so an account can move back (a sponsor
// change sends it back to adoption, say) as well as forward. A *Journey is
// immutable and safe for concurrent use.
type Journey struct {
	spec     JourneySpec
	all      []StageSpec // resolved: spec.Stages or the default
	contract Stage
	stages   map[valuepath.EventKind]Stage // the stage each event kind enters
}

// maxJourneyKinds bounds the event kinds of a journey: far above any real
// vocabulary of events.
const maxJourneyKinds = 10000

// NewJourney validates spec: stages with unique, non-empty names, a
// motion and at least one non-empty team each; a contract stage and event
// stages among them; non-empty event kinds, each entering one stage only.
// Every problem is reported with its path ("stages[2].teams[0]",
// "enter[\"adoption\"][1]"), joined. spec is copied, not kept.
func NewJourney(spec JourneySpec) (*Journey, error) {
	c := validate.New("engagement")
	j := &Journey{spec: cloneJourneySpec(spec), contract: spec.ContractStage, all: cloneStages(spec.Stages)}
	if len(j.all) == 0 {
		j.all = BoomerangStages()
	}
	for i, st := range j.all {
		p := validate.Index("stages", i)
		if c.NonEmpty(validate.Field(p, "name"), string(st.Name)) {
			if at := j.rank(st.Name); at < i {
				c.Addf(validate.Field(p, "name"), valuepath.ErrDuplicate, "stage %q already at stages[%d]", st.Name, at)
			}
		}
		c.NonEmpty(validate.Field(p, "motion"), string(st.Motion))
		if len(st.Teams) == 0 {
			c.Addf(validate.Field(p, "teams"), valuepath.ErrInvalid, "no team at stage %q", st.Name)
		}
		for k, team := range st.Teams {
			c.NonEmpty(validate.Index(validate.Field(p, "teams"), k), team)
		}
	}
	if j.contract == "" {
		j.contract = Decision
	}
	if j.rank(j.contract) < 0 {
		c.Addf("contract_stage", valuepath.ErrInvalid, "unknown stage %q", j.contract)
	}
	total := 0
	for _, kinds := range spec.Enter {
		total += len(kinds)
	}
	if total > maxJourneyKinds {
		c.Addf("enter", valuepath.ErrInvalid, "%d event kinds; a journey holds at most %d", total, maxJourneyKinds)
		return nil, c.Err()
	}
	j.stages = make(map[valuepath.EventKind]Stage, total)
	for _, st := range j.all {
		for i, k := range spec.Enter[st.Name] {
			p := validate.Index(validate.Key("enter", string(st.Name)), i)
			if !c.NonEmpty(p, string(k)) {
				continue
			}
			if at, dup := j.stages[k]; dup {
				c.Addf(p, valuepath.ErrDuplicate, "event %q already enters %s", k, at)
				continue
			}
			j.stages[k] = st.Name
		}
	}
	keys := make([]Stage, 0, len(spec.Enter))
	for st := range spec.Enter {
		if j.rank(st) < 0 {
			keys = append(keys, st)
		}
	}
	slices.Sort(keys)
	for _, st := range keys {
		c.Addf(validate.Key("enter", string(st)), valuepath.ErrInvalid, "unknown stage %q", st)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return j, nil
}

// ParseJourney reads a JSON [JourneySpec] and validates it with
// [NewJourney]; unknown fields are errors.
func ParseJourney(data []byte) (*Journey, error) {
	var spec JourneySpec
	if err := strictjson.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("engagement: journey: %w: %w", valuepath.ErrInvalid, err)
	}
	return NewJourney(spec)
}

// Spec returns a deep copy of the journey's configuration; [NewJourney]
// accepts it back.
func (j *Journey) Spec() JourneySpec { return cloneJourneySpec(j.spec) }

// Stages returns a copy of the journey's stages, in order.
func (j *Journey) Stages() []StageSpec { return cloneStages(j.all) }

// Stage returns the stage named name, and false if the journey has none.
func (j *Journey) Stage(name Stage) (StageSpec, bool) {
	if i := j.rank(name); i >= 0 {
		st := j.all[i]
		st.Teams = slices.Clone(st.Teams)
		return st, true
	}
	return StageSpec{}, false
}

// rank is the position of the stage named name, or -1.
func (j *Journey) rank(name Stage) int {
	return slices.IndexFunc(j.all, func(s StageSpec) bool { return s.Name == name })
}

func cloneStages(in []StageSpec) []StageSpec {
	if in == nil {
		return nil
	}
	out := slices.Clone(in)
	for i := range out {
		out[i].Teams = slices.Clone(out[i].Teams)
	}
	return out
}

func cloneJourneySpec(spec JourneySpec) JourneySpec {
	out := JourneySpec{ContractStage: spec.ContractStage, Stages: cloneStages(spec.Stages)}
	if spec.Enter != nil {
		out.Enter = make(map[Stage][]valuepath.EventKind, len(spec.Enter))
		for st, kinds := range spec.Enter {
			out.Enter[st] = slices.Clone(kinds)
		}
	}
	return out
}

// Position is where an account stands on the journey at a time.
type Position struct {
	Stage Stage `json:"stage"`
	// Since is when the account entered the stage.
	Since time.Time `json:"since"`
	// InStage is how long it has been in the stage.
	InStage valuepath.Duration `json:"in_stage"`
	// Event is the event that moved it there; empty for the contract start.
	Event valuepath.EventKind `json:"event,omitempty"`
}

// Position returns acct's stage at asOf from its events before asOf and its
// contract start, and false if nothing places it on the journey yet.
func (j *Journey) Position(acct Input, asOf time.Time) (Position, bool) {
	var p Position
	ok := false
	if !acct.Start.IsZero() && acct.Start.Before(asOf) {
		p, ok = Position{Stage: j.contract, Since: acct.Start}, true
	}
	log := acct.Events.Window(valuepath.Interval{End: asOf})
	for i := log.Len() - 1; i >= 0; i-- {
		e := log.At(i)
		if st, found := j.stages[e.Kind]; found {
			if !ok || !e.At.Before(p.Since) {
				p, ok = Position{Stage: st, Since: e.At, Event: e.Kind}, true
			}
			break
		}
	}
	if ok {
		p.InStage = valuepath.Duration(asOf.Sub(p.Since))
	}
	return p, ok
}

// StageCount is how many accounts are in a stage, and for how long in the
// median, in days: absent when the stage is empty.
type StageCount struct {
	Stage             Stage            `json:"stage"`
	Accounts          int              `json:"accounts"`
	MedianDaysInStage valuepath.Number `json:"median_days_in_stage"`
}

// Move counts the accounts that went from one stage to another over a
// period. From is "" for accounts not yet on the journey at its start.
type Move struct {
	From     Stage `json:"from"`
	To       Stage `json:"to"`
	Accounts int   `json:"accounts"`
}

// Flow is the journey of a population over [From, To): the accounts in each
// stage at To (every stage listed, in order) and the moves between stages.
type Flow struct {
	From   time.Time    `json:"from"`
	To     time.Time    `json:"to"`
	Stages []StageCount `json:"stages"`
	Moves  []Move       `json:"moves"`
}

// Flow places every account at from and at to and counts stages and moves;
// accounts that stayed put are not moves. Moves are listed by source stage,
// then destination, in journey order.
func (j *Journey) Flow(accounts iter.Seq[Input], from, to time.Time) Flow {
	all := j.all
	in := make([][]float64, len(all))
	moves := map[[2]Stage]int{}
	for acct := range accounts {
		end, ok := j.Position(acct, to)
		if !ok {
			continue
		}
		r := j.rank(end.Stage)
		in[r] = append(in[r], end.InStage.Std().Hours())
		start, _ := j.Position(acct, from)
		if start.Stage != end.Stage {
			moves[[2]Stage{start.Stage, end.Stage}]++
		}
	}
	f := Flow{From: from, To: to, Moves: []Move{}}
	for i, st := range all {
		f.Stages = append(f.Stages, StageCount{Stage: st.Name, Accounts: len(in[i]), MedianDaysInStage: summarize(in[i], 0, "no account in the stage").MedianDays})
	}
	for k, n := range moves {
		f.Moves = append(f.Moves, Move{From: k[0], To: k[1], Accounts: n})
	}
	slices.SortFunc(f.Moves, func(x, y Move) int {
		return cmp.Or(cmp.Compare(j.rank(x.From), j.rank(y.From)), cmp.Compare(j.rank(x.To), j.rank(y.To)))
	})
	return f
}
