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

// Stage is a stage of the recurring-revenue customer journey.
type Stage string

// The stages of the journey, in order. The funnel stops at the contract;
// the installed base then goes on through adoption, performance,
// transformation and advocacy, which brings new customers back to the top.
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

// Stages returns the journey's stages in order.
func Stages() []Stage {
	return []Stage{Awareness, Consideration, Trial, Decision, Adoption, Performance, Transformation, Advocacy}
}

// Motion is the loop of the journey a stage belongs to.
type Motion string

// The motions of the journey.
const (
	Demand     Motion = "demand"     // awareness to contract
	Turnaround Motion = "turnaround" // adoption: from contract to first value
	Expand     Motion = "expand"     // performance and transformation
	Boomerang  Motion = "boomerang"  // advocacy that brings new demand
)

// Motion returns the motion the stage belongs to, or "" for an unknown stage.
func (s Stage) Motion() Motion {
	switch s {
	case Awareness, Consideration, Trial, Decision:
		return Demand
	case Adoption:
		return Turnaround
	case Performance, Transformation:
		return Expand
	case Advocacy:
		return Boomerang
	}
	return ""
}

// Teams returns the teams in relay at the stage, the leading team first, so
// that hand-offs between them are explicit. Unknown stages have none.
func (s Stage) Teams() []string {
	switch s {
	case Awareness:
		return []string{"marketing"}
	case Consideration:
		return []string{"marketing", "sales"}
	case Trial:
		return []string{"sales", "solutions engineering", "customer success"}
	case Decision:
		return []string{"sales", "customer success"}
	case Adoption:
		return []string{"onboarding", "customer success", "support"}
	case Performance:
		return []string{"customer success", "support"}
	case Transformation:
		return []string{"customer success", "account management", "professional services"}
	case Advocacy:
		return []string{"customer success", "marketing"}
	}
	return nil
}

func (s Stage) rank() int { return slices.Index(Stages(), s) }

// JourneySpec maps events to the stages they move an account into. The
// contract start moves an account into ContractStage (default [Decision]).
type JourneySpec struct {
	ContractStage Stage                           `json:"contract_stage,omitempty"`
	Enter         map[Stage][]valuepath.EventKind `json:"enter"`
}

// Journey derives an account's journey stage from its events: the newest
// event that enters a stage wins, so an account can move back (a sponsor
// change sends it back to adoption, say) as well as forward. A *Journey is
// immutable and safe for concurrent use.
type Journey struct {
	spec     JourneySpec
	contract Stage
	stages   map[valuepath.EventKind]Stage
}

// maxJourneyKinds bounds the event kinds of a journey: far above any real
// vocabulary of events.
const maxJourneyKinds = 10000

// NewJourney validates spec: known stages, non-empty event kinds, each
// event kind entering one stage only. Every problem is reported with its
// path ("enter[\"adoption\"][1]"), joined. spec is copied, not kept.
func NewJourney(spec JourneySpec) (*Journey, error) {
	c := validate.New("engagement")
	j := &Journey{spec: cloneJourneySpec(spec), contract: spec.ContractStage}
	if j.contract == "" {
		j.contract = Decision
	}
	if j.contract.rank() < 0 {
		c.Addf("contract_stage", valuepath.ErrInvalid, "unknown stage %q", spec.ContractStage)
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
	for _, st := range Stages() {
		for i, k := range spec.Enter[st] {
			p := validate.Index(validate.Key("enter", string(st)), i)
			if !c.NonEmpty(p, string(k)) {
				continue
			}
			if at, dup := j.stages[k]; dup {
				c.Addf(p, valuepath.ErrDuplicate, "event %q already enters %s", k, at)
				continue
			}
			j.stages[k] = st
		}
	}
	keys := make([]Stage, 0, len(spec.Enter))
	for st := range spec.Enter {
		if st.rank() < 0 {
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

func cloneJourneySpec(spec JourneySpec) JourneySpec {
	out := JourneySpec{ContractStage: spec.ContractStage}
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
	all := Stages()
	in := make([][]float64, len(all))
	moves := map[[2]Stage]int{}
	for acct := range accounts {
		end, ok := j.Position(acct, to)
		if !ok {
			continue
		}
		r := end.Stage.rank()
		in[r] = append(in[r], end.InStage.Std().Hours())
		start, _ := j.Position(acct, from)
		if start.Stage != end.Stage {
			moves[[2]Stage{start.Stage, end.Stage}]++
		}
	}
	f := Flow{From: from, To: to, Moves: []Move{}}
	for i, st := range all {
		f.Stages = append(f.Stages, StageCount{Stage: st, Accounts: len(in[i]), MedianDaysInStage: summarize(in[i], 0, "no account in the stage").MedianDays})
	}
	for k, n := range moves {
		f.Moves = append(f.Moves, Move{From: k[0], To: k[1], Accounts: n})
	}
	slices.SortFunc(f.Moves, func(x, y Move) int {
		return cmp.Or(cmp.Compare(x.From.rank(), y.From.rank()), cmp.Compare(x.To.rank(), y.To.rank()))
	})
	return f
}
