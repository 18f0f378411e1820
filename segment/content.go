package segment

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/valuepath/valuepath/internal/short"

	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/validate"
)

// CampaignKind is the kind of a [Campaign].
type CampaignKind string

// The kinds of campaign.
const (
	// Drip sends one piece of content to every account in its segments.
	Drip CampaignKind = "drip"
	// Release announces a release with one version of the message per
	// segment, so each audience hears what the release means for it.
	Release CampaignKind = "release"
)

// Campaign is content aimed at behavioral segments.
type Campaign struct {
	ID   string       `json:"id"`
	Kind CampaignKind `json:"kind"`
	// Priority orders campaigns competing for the frequency cap: higher
	// first; ties keep declaration order.
	Priority int `json:"priority"`
	// Segments and Content, for a drip: the rule ids aimed at and what
	// they receive (a template id, a title).
	Segments []string `json:"segments,omitempty"`
	Content  string   `json:"content,omitempty"`
	// Versions, for a release: one version per segment. An account in
	// several gets the first version listed among its segments.
	Versions []Version `json:"versions,omitempty"`
}

// Version is the content a release sends to one segment.
type Version struct {
	Segment string `json:"segment"`
	Content string `json:"content"`
}

// RouterSpec is the configuration of a [Router]: campaigns aimed at
// segments under a frequency cap.
type RouterSpec struct {
	// Cap is the most campaigns an account receives per Period. Zero means
	// no cap; it must not be negative.
	Cap int `json:"cap"`
	// Period is the span the cap applies to, e.g. "7d"; required with a cap.
	Period    valuepath.Duration `json:"period,omitempty"`
	Campaigns []Campaign         `json:"campaigns"`
}

// Router is a validated, immutable [RouterSpec] tied to the [Rules] whose
// segments it aims at. It is safe for concurrent use.
type Router struct {
	spec  RouterSpec
	rules *Rules
	order []int // campaigns by priority, highest first, stable
}

// NewRouter validates spec against rules: campaign ids unique and
// non-empty, kinds known, every segment a rule of rules, content present, a
// cap not negative and with a period. Every problem is reported with its
// path. spec is copied, not kept.
func NewRouter(spec RouterSpec, rules *Rules) (*Router, error) {
	p := spec
	c := validate.New("segment")
	if rules == nil {
		c.Addf("rules", valuepath.ErrInvalid, "must not be nil")
		return nil, c.Err()
	}
	if p.Cap < 0 {
		c.Addf("cap", valuepath.ErrInvalid, "must not be negative, got %d", p.Cap)
	}
	if p.Cap > 0 && p.Period <= 0 {
		c.Addf("period", valuepath.ErrInvalid, "a cap needs a positive period, got %s", p.Period)
	}
	seen := map[string]int{}
	segment := func(path, id string) {
		if c.NonEmpty(path, id) && !rules.has(id) {
			c.Addf(path, valuepath.ErrInvalid, "unknown segment %s: no rule has that id", short.Quote(id))
		}
	}
	for i, cp := range p.Campaigns {
		path := validate.Index("campaigns", i)
		if c.NonEmpty(path+".id", cp.ID) {
			if j, dup := seen[cp.ID]; dup {
				c.Addf(path+".id", valuepath.ErrDuplicate, "campaign %s (also campaigns[%d])", short.Quote(cp.ID), j)
			} else {
				seen[cp.ID] = i
			}
		}
		switch cp.Kind {
		case Drip:
			if len(cp.Segments) == 0 {
				c.Addf(path+".segments", valuepath.ErrInvalid, "a drip campaign needs at least one segment")
			}
			for k, s := range cp.Segments {
				segment(validate.Index(path+".segments", k), s)
			}
			c.NonEmpty(path+".content", cp.Content)
			if cp.Versions != nil {
				c.Addf(path+".versions", valuepath.ErrInvalid, "only a release campaign has versions")
			}
		case Release:
			if len(cp.Versions) == 0 {
				c.Addf(path+".versions", valuepath.ErrInvalid, "a release campaign needs at least one version")
			}
			vs := map[string]int{}
			for k, v := range cp.Versions {
				vp := validate.Index(path+".versions", k)
				segment(vp+".segment", v.Segment)
				if j, dup := vs[v.Segment]; dup && v.Segment != "" {
					c.Addf(vp+".segment", valuepath.ErrDuplicate, "segment %s (also versions[%d])", short.Quote(v.Segment), j)
				}
				vs[v.Segment] = k
				c.NonEmpty(vp+".content", v.Content)
			}
			if cp.Segments != nil || cp.Content != "" {
				c.Addf(path, valuepath.ErrInvalid, "a release campaign sets versions, not segments and content")
			}
		default:
			c.Addf(path+".kind", valuepath.ErrInvalid, "unknown kind %s (want drip or release)", short.Quote(cp.Kind))
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	p.Campaigns = cloneCampaigns(p.Campaigns)
	r := &Router{spec: p, rules: rules, order: make([]int, len(p.Campaigns))}
	for i := range r.order {
		r.order[i] = i
	}
	slices.SortStableFunc(r.order, func(a, b int) int { return p.Campaigns[b].Priority - p.Campaigns[a].Priority })
	return r, nil
}

// ParseRouter reads a JSON [RouterSpec] and validates it against rules
// with [NewRouter]. Unknown fields and trailing data are errors.
func ParseRouter(data []byte, rules *Rules) (*Router, error) {
	var spec RouterSpec
	if err := decodeStrict(data, &spec); err != nil {
		return nil, fmt.Errorf("segment: router: %w", err)
	}
	return NewRouter(spec, rules)
}

func cloneCampaigns(cs []Campaign) []Campaign {
	out := slices.Clone(cs)
	for i := range out {
		out[i].Segments = slices.Clone(out[i].Segments)
		out[i].Versions = slices.Clone(out[i].Versions)
	}
	return out
}

// Spec returns a copy of the configuration r was built from.
func (r *Router) Spec() RouterSpec {
	s := r.spec
	s.Campaigns = cloneCampaigns(s.Campaigns)
	return s
}

// Delivery is one campaign routed to an account.
type Delivery struct {
	Campaign string       `json:"campaign"`
	Kind     CampaignKind `json:"kind"`
	Priority int          `json:"priority"`
	// Segment is the segment that made the account eligible, and Content
	// what it receives (for a release, that segment's version).
	Segment string `json:"segment"`
	Content string `json:"content"`
}

// Held is a campaign an account was eligible for, or might be, but does
// not receive, and why.
type Held struct {
	Delivery
	Reason string `json:"reason"`
}

// Routing is what one account receives this period and what was held back.
type Routing struct {
	Account valuepath.AccountID `json:"account"`
	// Deliver lists the campaigns to send, highest priority first.
	Deliver []Delivery `json:"deliver"`
	// Held lists the campaigns held back: over the frequency cap, or aimed
	// at segments whose membership is undecided for lack of data.
	Held []Held `json:"held"`
}

// Route gives the account of ms only the campaigns of segments it belongs
// to, highest priority first, at most the cap minus sent (the campaigns it
// already received this period). ms must come from a [Matcher] of the
// router's rules.
func (r *Router) Route(ms *Membership, sent int) (Routing, error) {
	if ms == nil || ms.rules != r.rules {
		return Routing{}, fmt.Errorf("segment: %w: membership is not from the router's rules", valuepath.ErrInvalid)
	}
	if sent < 0 {
		return Routing{}, &valuepath.FieldError{Pkg: "segment", Path: "sent", Err: fmt.Errorf("%w: must not be negative, got %d", valuepath.ErrInvalid, sent)}
	}
	out := Routing{Account: ms.Account, Deliver: []Delivery{}, Held: []Held{}}
	left := -1 // no cap
	if r.spec.Cap > 0 {
		left = max(0, r.spec.Cap-sent)
	}
	for _, i := range r.order {
		cp := &r.spec.Campaigns[i]
		d, undecided, ok := r.eligible(cp, ms)
		switch {
		case !ok && undecided != "":
			d.Segment = undecided
			out.Held = append(out.Held, Held{Delivery: d, Reason: "membership of segment " + strconv.Quote(undecided) + " is undecided: data is missing"})
		case !ok:
		case left == 0:
			out.Held = append(out.Held, Held{Delivery: d, Reason: fmt.Sprintf("frequency cap of %d per %s reached (%d sent before, %d routed now)", r.spec.Cap, r.spec.Period, sent, len(out.Deliver))})
		default:
			out.Deliver = append(out.Deliver, d)
			if left > 0 {
				left--
			}
		}
	}
	return out, nil
}

// eligible returns the delivery of cp to the account of ms; if it is not
// eligible, the first of cp's segments whose membership is undecided.
func (r *Router) eligible(cp *Campaign, ms *Membership) (d Delivery, undecided string, ok bool) {
	d = Delivery{Campaign: cp.ID, Kind: cp.Kind, Priority: cp.Priority}
	test := func(seg, content string) bool {
		j := r.rules.index[seg]
		switch ms.res[j] {
		case triTrue:
			d.Segment, d.Content = seg, content
			return true
		case triUnknown:
			if undecided == "" {
				undecided = seg
				d.Content = content
			}
		}
		return false
	}
	if cp.Kind == Release {
		for _, v := range cp.Versions {
			if test(v.Segment, v.Content) {
				return d, "", true
			}
		}
		return d, undecided, false
	}
	for _, s := range cp.Segments {
		if test(s, cp.Content) {
			return d, "", true
		}
	}
	return d, undecided, false
}

// MarshalJSON writes the spec, so a Router round-trips through
// [ParseRouter].
func (r *Router) MarshalJSON() ([]byte, error) { return json.Marshal(r.spec) }
