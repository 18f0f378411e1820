package batch

import "github.com/valuepath/valuepath"

// Snap is a parallel batch's hold on one input snapshot: the caller's own
// when the input is read in place, otherwise a copy; nil stays nil.
type Snap struct {
	p   *valuepath.Snapshot
	own valuepath.Snapshot
}

// Get returns the snapshot to evaluate.
func (s *Snap) Get() *valuepath.Snapshot { return s.p }

// PutSnap returns the put function of [Ordered] for snapshots under opt: it
// keeps the caller's pointer when opt.InPlace, and otherwise copies the
// snapshot into the slot's own storage, allocating nothing once that has
// grown.
func PutSnap(opt valuepath.BatchOptions) func(*Snap, *valuepath.Snapshot) {
	if opt.InPlace {
		return putSnapInPlace
	}
	return putSnapCopy
}

func putSnapInPlace(slot *Snap, s *valuepath.Snapshot) { slot.p = s }

func putSnapCopy(slot *Snap, s *valuepath.Snapshot) {
	if s == nil {
		slot.p = nil
		return
	}
	s.CloneInto(&slot.own)
	slot.p = &slot.own
}
