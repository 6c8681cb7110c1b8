package liveboard

import "time"

// LiveUpdate is what one look at a session during monitoring learnt: the
// session as it now stands, and what else was read.
type LiveUpdate struct {
	Session *Session

	// Snapshot, when not nil, is the session's figures as read this
	// time; unknown figures stay nil, so a failed read never shows as a
	// zero.
	Snapshot *Snapshot

	// Products, when not nil, replaces the session's stored product
	// figures.
	Products []Product

	// FullSync records that the session's details and products were
	// read this time, as well as its figures.
	FullSync bool
}

// WatchedSession is a stored session with what monitoring keeps of it.
type WatchedSession struct {
	Session
	// FullSyncedAt is when monitoring last read the session in full:
	// details, figures and products. Nil when it never has.
	FullSyncedAt *time.Time
}

// SnapshotEvent is a stored snapshot with the session it belongs to, as
// the live stream sends it.
type SnapshotEvent struct {
	Snapshot
	StudioID        int64
	AccountID       int64
	Region          Region
	ShopeeSessionID string
	Title           string
	Status          SessionStatus
}
