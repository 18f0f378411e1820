package revenue

import (
	"fmt"
	"iter"
	"time"

	"github.com/valuepath/valuepath"
)

// MovementKind classifies a change of an account's MRR.
type MovementKind uint8

// The movement kinds. Every change of an account's total MRR is exactly one
// of them.
const (
	// New is the first MRR an account ever has.
	New MovementKind = iota + 1
	// Expansion is a rise of an account that already had MRR.
	Expansion
	// Contraction is a fall that leaves some MRR.
	Contraction
	// Churn is a fall to zero: nothing the account pays for stays active.
	Churn
	// Reactivation is a rise from zero of an account that had MRR before.
	Reactivation
)

var movementNames = [...]string{"", "new", "expansion", "contraction", "churn", "reactivation"}

// String returns the kind's name, e.g. "expansion".
func (k MovementKind) String() string {
	if int(k) < len(movementNames) && k > 0 {
		return movementNames[k]
	}
	return fmt.Sprintf("MovementKind(%d)", uint8(k))
}

// MarshalText implements [encoding.TextMarshaler].
func (k MovementKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// classify names the change of an account's MRR from prev to cur; ever says
// whether it had MRR at any time before.
func classify(prev, cur int64, ever bool) MovementKind {
	switch {
	case prev == 0 && cur > 0:
		if ever {
			return Reactivation
		}
		return New
	case cur == 0 && prev > 0:
		return Churn
	case cur > prev:
		return Expansion
	case cur < prev:
		return Contraction
	}
	return 0
}

// Movement is one change of an account's MRR. Amount is the size of the
// change, never negative: a contraction of 20 has Amount 20.
type Movement struct {
	Account valuepath.AccountID `json:"account"`
	At      time.Time           `json:"at"`
	Kind    MovementKind        `json:"kind"`
	Amount  valuepath.Money     `json:"amount"`
	Before  valuepath.Money     `json:"before"`
	After   valuepath.Money     `json:"after"`
}

// Movements yields every change of the account's MRR, oldest first.
func (t Timeline) Movements() iter.Seq[Movement] {
	return func(yield func(Movement) bool) {
		prev := int64(0)
		ever := false
		for i := range t.at {
			cur := t.mrr[i]
			d := cur - prev
			if d < 0 {
				d = -d
			}
			m := Movement{Account: t.account, At: time.Unix(0, t.at[i]).UTC(), Kind: classify(prev, cur, ever),
				Amount: t.money(d), Before: t.money(prev), After: t.money(cur)}
			if !yield(m) {
				return
			}
			ever = ever || cur > 0
			prev = cur
		}
	}
}
