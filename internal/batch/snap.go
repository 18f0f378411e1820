package batch

import "github.com/valuepath/valuepath"

// Snap is a parallel batch's hold on one input snapshot: the caller's own
// when the input is read in place, otherwise a copy; nil stays nil. It is
// two words, so that the slots the caller fills and a helper reads share
// few cache lines.
type Snap struct {
	p   *valuepath.Snapshot
	own *valuepath.Snapshot // the copy's storage, allocated on first use
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
	if slot.own == nil {
		slot.own = new(valuepath.Snapshot)
	}
	s.CloneInto(slot.own)
	slot.p = slot.own
}
