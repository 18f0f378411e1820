package revenue

import (
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"github.com/valuepath/valuepath"
	"github.com/valuepath/valuepath/internal/batch"
	"github.com/valuepath/valuepath/internal/validate"
)

// Timeline is one account's MRR over time: every moment it changed and the
// total MRR of all the account's subscriptions from then on, normalised to a
// month under a [Policy]. It is immutable and safe for concurrent use. The
// zero value is an account that never had MRR.
type Timeline struct {
	account  valuepath.AccountID
	currency valuepath.Currency
	scale    int32   // amounts are integers in units of 10^-scale
	extra    int32   // Policy.ExtraPlaces it was built with
	at       []int64 // Unix nanoseconds, strictly increasing
	mrr      []int64 // total MRR in force from at[i] on; consecutive values differ
}

// MRRStep is a moment a [Timeline] changed and the MRR in force from then on.
type MRRStep struct {
	At  time.Time       `json:"at"`
	MRR valuepath.Money `json:"mrr"`
}

// Account returns the account.
func (t Timeline) Account() valuepath.AccountID { return t.account }

// Currency returns the currency of the account's MRR.
func (t Timeline) Currency() valuepath.Currency { return t.currency }

// Len returns the number of steps.
func (t Timeline) Len() int { return len(t.at) }

func (t Timeline) money(units int64) valuepath.Money {
	return money(decimal.New(units, -t.scale), t.currency)
}

// Steps yields the moments the MRR changed, oldest first.
func (t Timeline) Steps() iter.Seq[MRRStep] {
	return func(yield func(MRRStep) bool) {
		for i := range t.at {
			if !yield(MRRStep{At: time.Unix(0, t.at[i]).UTC(), MRR: t.money(t.mrr[i])}) {
				return
			}
		}
	}
}

// unitsAt returns the MRR in force at the instant ns (changes stamped ns
// included).
func (t Timeline) unitsAt(ns int64) int64 {
	i := sort.Search(len(t.at), func(i int) bool { return t.at[i] > ns })
	if i == 0 {
		return 0
	}
	return t.mrr[i-1]
}

// MRRAt returns the MRR in force at the instant at, changes stamped exactly
// at included. An account with no history at all has zero MRR with no
// currency.
func (t Timeline) MRRAt(at time.Time) valuepath.Money {
	if t.currency == "" {
		return valuepath.Money{}
	}
	return t.money(t.unitsAt(clampNanos(at)))
}

func clampNanos(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return minTime.UnixNano()
	case t.After(maxTime):
		return maxTime.UnixNano()
	}
	return t.UnixNano()
}

type subState struct {
	id        string
	started   bool
	active    bool
	anchor    time.Time
	months    int
	last      int       // index of the subscription's last event
	pending   int       // index in steps of a deferred cancellation, or -1
	pendingAt int64     // when that cancellation takes effect
	idx       int       // position among the account's subscriptions
	lastKind  EventKind // kind of the last event
	lastAt    time.Time // time of the last event
	next      int32     // the account's next subscription in the pool, or -1
}

type accState struct {
	currency valuepath.Currency
	first    int // index of the account's first event
	lastIdx  int
	lastAt   time.Time
	subs     int32 // index in the subscription pool of the first one, or -1
	nsubs    int32
	lastSub  int32 // the subscription of the account's last event, or -1
	deferred bool  // a cancellation was moved later: steps need sorting
	// currencyOK says currency is a known code, so that events in the
	// account's currency need no table lookup.
	currencyOK bool
	scale      int32
}

// subPool holds every subscription's state in chunks that never move; an
// account's subscriptions form a linked list through next. Chunks instead
// of an allocation per account, or one slice that is copied as it grows,
// keep normalising a large base cheap.
type subPool struct {
	chunks [][]subState
	n      int32
}

const subChunk = 4096

func (p *subPool) at(j int32) *subState { return &p.chunks[j/subChunk][j%subChunk] }

// subScan is how many subscriptions an account may have before finding
// one by id goes through a map instead of the account's list.
const subScan = 8

// subKey names a subscription of the account at position acc.
type subKey struct {
	acc int32
	id  string
}

// sub returns the state of subscription id of the account a (at position
// acc), creating it if new. Consecutive events of one subscription (the
// common case) find it without a search; an account with more than
// [subScan] subscriptions finds the others through a map, so no account
// costs a scan of a long list per event.
func (n *normalizer) sub(acc int32, a *accState, id string) *subState {
	p := &n.pool
	if a.lastSub >= 0 {
		if s := p.at(a.lastSub); s.id == id {
			return s
		}
	}
	j := int32(-1)
	if a.nsubs <= subScan {
		for k := a.subs; k >= 0; k = p.at(k).next {
			if p.at(k).id == id {
				j = k
				break
			}
		}
	} else if k, ok := n.subIdx[subKey{acc, id}]; ok {
		j = k
	}
	if j < 0 {
		if int(p.n) == len(p.chunks)*subChunk {
			p.chunks = append(p.chunks, make([]subState, subChunk))
		}
		j = p.n
		p.n++
		*p.at(j) = subState{id: id, pending: -1, idx: int(a.nsubs), last: -1, next: a.subs}
		a.subs = j
		a.nsubs++
		switch {
		case a.nsubs == subScan+1: // from now on, by map
			if n.subIdx == nil {
				n.subIdx = map[subKey]int32{}
			}
			for k := a.subs; k >= 0; k = p.at(k).next {
				n.subIdx[subKey{acc, p.at(k).id}] = k
			}
		case a.nsubs > subScan+1:
			n.subIdx[subKey{acc, id}] = j
		}
	}
	a.lastSub = j
	return p.at(j)
}

type step struct {
	at    int64
	units int64
	acc   int32 // account order
	sub   int32 // subscription position within the account; -1 for a withdrawn cancellation
}

// Normalize turns the subscription events of a customer base into one MRR
// timeline per account under p, in the order each account first appears:
// what [NewBridge], [CohortRetention] and [Cohorts] take. For a base too
// large to hold at once, stream it account by account with [NormalizeAll]. Each
// account's events must be in non-decreasing time order (accounts may
// interleave) and share one currency. A cancellation is churn only when no
// other subscription of the account stays active; otherwise it is
// contraction, and changes stamped at the same instant net out (a plan
// switch recorded as cancel + start is one movement).
//
// Every problem is reported at once with the index of the event: an unknown
// kind or currency, negative amounts, a discount above the amount, events
// out of order, a change or cancel before the start, a start of an active
// subscription, a reactivation of one never cancelled, duplicate events.
func Normalize(events []SubscriptionEvent, p Policy) ([]Timeline, error) {
	var n normalizer
	return n.run(events, p, false)
}

// NormalizeAll normalises a stream of accounts under p, each input being
// the events of one account (every event of an input must name the same
// account), and yields one timeline per input, in input order, in constant
// memory. Each account is checked as [Normalize] checks a base.
//
// opt.Concurrency accounts are normalised at once (zero: every core; see
// [valuepath.BatchOptions]); the timelines are the same whatever the
// count. With more than one, accounts is still ranged over on the caller's
// goroutine, which normalises chunks of it beside helper goroutines, and
// each input's events are copied before the next is asked for, so an
// iterator that reuses its slice is safe (opt.InPlace skips the copy when
// the slices stay as they are).
//
// The yielded *Timeline is reused: it is valid until the loop body returns
// ([Timeline.Clone] keeps it). A problem with one account is yielded beside
// its (empty) timeline as a *valuepath.AccountError naming it, and the
// stream goes on; a problem with p is yielded for every account. Break to
// stop.
func NormalizeAll(accounts iter.Seq[[]SubscriptionEvent], p Policy, opt valuepath.BatchOptions) iter.Seq2[*Timeline, error] {
	workers := batch.Workers(opt.Concurrency)
	if workers == 1 {
		return func(yield func(*Timeline, error) bool) {
			var n normalizer
			var tl Timeline
			for events := range accounts {
				var err error
				tl, err = n.account(events, p)
				if !yield(&tl, err) {
					return
				}
			}
		}
	}
	return func(yield func(*Timeline, error) bool) {
		batch.Ordered(accounts, workers,
			func(slot *[]SubscriptionEvent, events []SubscriptionEvent) {
				if opt.InPlace {
					*slot = events
					return
				}
				*slot = append((*slot)[:0], events...)
			},
			func() func(*[]SubscriptionEvent, *Timeline) error {
				var n normalizer
				return func(slot *[]SubscriptionEvent, dst *Timeline) error {
					tl, err := n.account(*slot, p)
					// n's memory is reused by the worker's next account:
					// copy into dst's own, which its slot keeps.
					at, mrr := append(dst.at[:0], tl.at...), append(dst.mrr[:0], tl.mrr...)
					*dst = tl
					dst.at, dst.mrr = at, mrr
					return err
				}
			}, yield)
	}
}

// account normalises the events of one account: the timeline shares n's
// memory, and on a problem it is empty, beside a *valuepath.AccountError.
func (n *normalizer) account(events []SubscriptionEvent, p Policy) (Timeline, error) {
	ts, err := n.one(events, p)
	var tl Timeline
	if len(events) > 0 {
		tl.account = events[0].Account
	}
	if err != nil {
		return tl, &valuepath.AccountError{Account: tl.account, Err: err}
	}
	if len(ts) == 1 {
		tl = ts[0]
	}
	return tl, nil
}

// Clone returns a copy of t that shares no storage with it, to keep a
// timeline yielded by [NormalizeAll] beyond its loop body.
func (t Timeline) Clone() Timeline {
	t.at = slices.Clone(t.at)
	t.mrr = slices.Clone(t.mrr)
	return t
}

// normalizer holds the working memory of normalisation, reused from one
// account to the next by [NormalizeAll].
type normalizer struct {
	accs   map[valuepath.AccountID]int32
	subIdx map[subKey]int32 // subscriptions of accounts with many
	order  []accState
	ids    []valuepath.AccountID
	pool   subPool
	steps  []step
	counts []int
	at     []int64
	mrr    []int64
	out    []Timeline
	subs   []int64
}

// one normalises the events of one account.
func (n *normalizer) one(events []SubscriptionEvent, p Policy) ([]Timeline, error) {
	c := validate.New("revenue")
	if len(events) == 0 {
		c.Addf("events", valuepath.ErrInvalid, "no events for the account")
	}
	for i := range events {
		if i > 0 && events[i].Account != events[0].Account {
			c.Addf(validate.Field(validate.Index("events", i), "account"), valuepath.ErrInvalid, "%q differs from events[0] %q", events[i].Account, events[0].Account)
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return n.run(events, p, true)
}

// run normalises events, reusing n's memory: the timelines it returns are
// valid until the next call. single says every event names the same
// account, as [NormalizeAll] has checked, so no map of accounts is needed.
func (n *normalizer) run(events []SubscriptionEvent, p Policy, single bool) ([]Timeline, error) {
	c := validate.New("revenue")
	p.check(c)
	// Size the per-account state from the number of times the account
	// changes from one event to the next: exact for input grouped by
	// account, an upper bound otherwise.
	runs := 0
	for i := range events {
		if i == 0 || events[i].Account != events[i-1].Account {
			runs++
		}
	}
	if single {
		// no map
	} else if n.accs == nil {
		n.accs = make(map[valuepath.AccountID]int32, runs)
	} else {
		clear(n.accs)
	}
	if len(n.subIdx) > 0 {
		clear(n.subIdx)
	}
	accs := n.accs
	n.pool.n = 0
	order := slices.Grow(n.order[:0], runs)
	ids := slices.Grow(n.ids[:0], runs)
	steps := slices.Grow(n.steps[:0], len(events))
	defer func() { n.order, n.ids, n.steps = order, ids, steps }()
	cur := int32(-1)
	var curID valuepath.AccountID
	for i := range events {
		e := &events[i]
		// Paths are built only when there is a problem to report: this loop
		// runs once per event of the whole customer base.
		path := func(field string) string { return evPath(i, field) }
		if e.Account == "" {
			c.Addf(path("account"), valuepath.ErrInvalid, "must not be empty")
			continue
		}
		if cur < 0 || e.Account != curID {
			var k int32
			seen := false
			if !single {
				k, seen = accs[e.Account]
			}
			curID = e.Account
			if !seen {
				k = int32(len(order))
				iso, known := isoCurrency(e.Currency)
				if !known {
					iso = e.Currency
				}
				st := accState{first: i, lastIdx: -1, currency: iso, subs: -1, lastSub: -1, currencyOK: known}
				if u, ok := iso.MinorUnits(); ok {
					st.scale = u + p.ExtraPlaces
				}
				if !single {
					accs[e.Account] = k
				}
				order = append(order, st)
				ids = append(ids, e.Account)
			}
			cur = k
		}
		a := &order[cur]
		ok := true
		var coef int64 // the amount's coefficient, if plain
		plain := false
		if e.Kind != Cancel {
			coef, plain = plainAmounts(e)
		}
		if e.At.IsZero() {
			c.Addf(path("at"), valuepath.ErrInvalid, "must not be zero")
			ok = false
		} else if e.At.Before(minTime) || !e.At.Before(maxTime) {
			c.Addf(path("at"), valuepath.ErrInvalid, "%s is outside the years 1700 to 2199", e.At.Format(time.RFC3339))
			ok = false
		} else if a.lastIdx >= 0 && e.At.Before(a.lastAt) {
			c.Addf(path("at"), valuepath.ErrOutOfOrder, "%s is before events[%d] of account %q at %s", e.At.Format(time.RFC3339), a.lastIdx, e.Account, a.lastAt.Format(time.RFC3339))
			ok = false
		}
		if e.Kind != Cancel {
			if e.Currency == a.currency && a.currencyOK {
				// the common case: nothing to check
			} else if iso, known := isoCurrency(e.Currency); !known {
				checkCurrency(c, path("currency"), e.Currency)
				ok = false
			} else if iso != a.currency {
				c.Addf(path("currency"), valuepath.ErrCurrencyMismatch, "%s differs from %s in events[%d] of account %q", e.Currency, a.currency, a.first, e.Account)
				ok = false
			}
			if plain {
				// The common event passes every check below (see
				// plainAmounts), without arithmetic on big integers.
			} else if !checkAmount(c, i, "amount", e.Amount) || !checkAmount(c, i, "discount", e.Discount) || !checkAmount(c, i, "tax", e.Tax) {
				// Short-circuit: amounts too large to compare are not compared.
				ok = false
			} else {
				if e.Amount.Sign() < 0 {
					c.Addf(path("amount"), valuepath.ErrInvalid, "must not be negative, got %s", e.Amount)
					ok = false
				}
				if e.Discount.Sign() < 0 {
					c.Addf(path("discount"), valuepath.ErrInvalid, "must not be negative, got %s", e.Discount)
					ok = false
				} else if !e.Discount.IsZero() && e.Discount.GreaterThan(e.Amount) {
					c.Addf(path("discount"), valuepath.ErrInvalid, "%s exceeds the amount %s", e.Discount, e.Amount)
					ok = false
				}
				if e.Tax.Sign() < 0 {
					c.Addf(path("tax"), valuepath.ErrInvalid, "must not be negative, got %s", e.Tax)
					ok = false
				}
			}
			if e.IntervalMonths < 0 || e.IntervalMonths > maxIntervalMonths {
				c.Addf(path("interval_months"), valuepath.ErrInvalid, "must be between 1 and %d (0 means 1), got %d", maxIntervalMonths, e.IntervalMonths)
				ok = false
			}
		}
		s := n.sub(cur, a, e.Subscription)
		switch e.Kind {
		case Start, Change, Cancel, Reactivate:
		default:
			c.Addf(path("kind"), valuepath.ErrInvalid, "unknown kind %q (want start, change, cancel or reactivate)", e.Kind)
			ok = false
		}
		if s.last >= 0 && s.lastKind == e.Kind && s.lastAt.Equal(e.At) {
			c.Addf(path(""), valuepath.ErrDuplicate, "%s of subscription %q of account %q at %s (same as events[%d])", e.Kind, e.Subscription, e.Account, e.At.Format(time.RFC3339), s.last)
			ok = false
		} else {
			switch e.Kind {
			case Start:
				if s.started {
					c.Addf(path("kind"), valuepath.ErrInvalid, "start of subscription %q of account %q, already started by events[%d]: use reactivate after a cancel", e.Subscription, e.Account, s.last)
					ok = false
				}
			case Change, Cancel:
				if !s.active {
					if s.started {
						c.Addf(path("kind"), valuepath.ErrInvalid, "%s of subscription %q of account %q, cancelled by events[%d]", e.Kind, e.Subscription, e.Account, s.last)
					} else {
						c.Addf(path("kind"), valuepath.ErrInvalid, "%s before the start of subscription %q of account %q", e.Kind, e.Subscription, e.Account)
					}
					ok = false
				}
			case Reactivate:
				if s.active || !s.started {
					c.Addf(path("kind"), valuepath.ErrInvalid, "reactivate of subscription %q of account %q, which is not cancelled", e.Subscription, e.Account)
					ok = false
				}
			}
		}
		if !e.At.IsZero() {
			a.lastIdx, a.lastAt = i, e.At
			s.last, s.lastKind, s.lastAt = i, e.Kind, e.At
		}
		// Keep the state machine going even after a problem so that later
		// events are judged on what the caller meant.
		switch e.Kind {
		case Start, Reactivate:
			s.started, s.active = true, true
		case Cancel:
			s.active = false
		}
		if !ok || c.Len() > 0 {
			continue
		}
		ns := e.At.UnixNano()
		switch e.Kind {
		case Start, Reactivate, Change:
			months := max(e.IntervalMonths, 1)
			var units int64
			var fits bool
			if plain {
				units, fits = plainUnits(e, coef, p, a.scale, int64(months))
			} else {
				units, fits = monthlyUnits(e, p, a.scale, int64(months))
			}
			if !fits {
				c.Addf(path("amount"), ErrOverflow, "%s a month does not fit in 18 digits", e.Amount)
				continue
			}
			if e.Kind != Change {
				if e.Kind == Reactivate && s.pending >= 0 && s.pendingAt > ns {
					// Reactivated before the paid period ran out: the
					// cancellation never took effect.
					steps[s.pending].sub = -1
				} else {
					s.anchor = e.At
				}
				s.pending = -1
			}
			s.months = months
			steps = append(steps, step{acc: cur, sub: int32(s.idx), at: ns, units: units})
		case Cancel:
			at := ns
			if p.ChurnAt == AtPeriodEnd {
				end := periodEnd(s.anchor, e.At, s.months)
				if end.After(e.At) {
					if !end.Before(maxTime) {
						end = maxTime
					}
					at = end.UnixNano()
					a.deferred = true
					s.pending, s.pendingAt = len(steps), at
				}
			}
			steps = append(steps, step{acc: cur, sub: int32(s.idx), at: at})
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	ts, bad := n.buildTimelines(steps, order, ids, p.ExtraPlaces, int64(p.MergeWithin))
	if bad >= 0 {
		return nil, fmt.Errorf("revenue: account %q: %w: its subscriptions' MRR adds up to more than 18 digits", ids[bad], ErrOverflow)
	}
	return ts, nil
}

// buildTimelines groups steps by account (stably), sums each account's
// subscriptions and keeps the moments the total changed. All timelines share
// two backing arrays.
//
// It returns the position of an account whose total overflows, or -1.
func (n *normalizer) buildTimelines(steps []step, order []accState, ids []valuepath.AccountID, extra int32, merge int64) ([]Timeline, int) {
	counts := slices.Grow(n.counts[:0], len(order)+1)[:len(order)+1]
	clear(counts)
	n.counts = counts
	sorted := true
	for i := range steps {
		counts[steps[i].acc+1]++
		if i > 0 && steps[i].acc < steps[i-1].acc {
			sorted = false
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	grouped := steps // usually each account's events come together
	if !sorted {
		grouped = make([]step, len(steps))
		pos := slices.Clone(counts[:len(order)])
		for _, s := range steps {
			grouped[pos[s.acc]] = s
			pos[s.acc]++
		}
	}
	at := slices.Grow(n.at[:0], len(steps))
	mrr := slices.Grow(n.mrr[:0], len(steps))
	out := slices.Grow(n.out[:0], len(order))[:len(order)]
	subs := n.subs
	defer func() { n.at, n.mrr, n.out, n.subs = at, mrr, out, subs }()
	for k := range order {
		a := &order[k]
		g := grouped[counts[k]:counts[k+1]]
		if a.deferred {
			slices.SortStableFunc(g, func(x, y step) int {
				switch {
				case x.at < y.at:
					return -1
				case x.at > y.at:
					return 1
				}
				return 0
			})
		}
		subs = slices.Grow(subs[:0], int(a.nsubs))[:a.nsubs]
		clear(subs)
		begin := len(at)
		var total int64
		for i := 0; i < len(g); {
			t := g[i].at
			for ; i < len(g) && g[i].at == t; i++ {
				if g[i].sub < 0 {
					continue
				}
				sum, ok := addChecked(total-subs[g[i].sub], g[i].units) // total ≥ subs[...] ≥ 0
				if !ok {
					return nil, k
				}
				total = sum
				subs[g[i].sub] = g[i].units
			}
			prev := int64(0)
			if len(at) > begin {
				prev = mrr[len(mrr)-1]
			}
			if total != prev {
				at = append(at, t)
				mrr = append(mrr, total)
			}
		}
		if merge > 0 {
			at, mrr = mergeChanges(at, mrr, begin, merge)
		}
		out[k] = Timeline{account: ids[k], currency: a.currency, scale: a.scale, extra: extra,
			at: at[begin:len(at):len(at)], mrr: mrr[begin:len(mrr):len(mrr)]}
	}
	return out, -1
}

// mergeChanges nets the changes of at[begin:] and mrr[begin:] that come
// within window of the first change of their run into one change, stamped
// at the run's last change with its final MRR; a run that ends where it
// began leaves no change. It works in place and returns the shortened
// slices.
func mergeChanges(at, mrr []int64, begin int, window int64) ([]int64, []int64) {
	out, prev := begin, int64(0)
	for i := begin; i < len(at); {
		j := i
		for j+1 < len(at) && at[j+1]-at[i] <= window {
			j++
		}
		if mrr[j] != prev {
			at[out], mrr[out] = at[j], mrr[j]
			prev = mrr[j]
			out++
		}
		i = j + 1
	}
	return at[:out], mrr[:out]
}

func evPath(i int, field string) string {
	if field == "" {
		return validate.Index("events", i)
	}
	return validate.Field(validate.Index("events", i), field)
}

type timelineJSON struct {
	Account  valuepath.AccountID `json:"account"`
	Currency valuepath.Currency  `json:"currency"`
	Steps    []MRRStep           `json:"steps"`
}

// MarshalJSON writes the account, its currency and its steps.
func (t Timeline) MarshalJSON() ([]byte, error) {
	out := timelineJSON{Account: t.account, Currency: t.currency, Steps: make([]MRRStep, 0, len(t.at))}
	for s := range t.Steps() {
		out.Steps = append(out.Steps, s)
	}
	return json.Marshal(out)
}
