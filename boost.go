package liveboard

import "time"

// MinBoostInterval is the shortest time between two rounds of a coin
// boost.
const MinBoostInterval = time.Minute

// BoostStatus is where a coin boost plan is in its life.
type BoostStatus string

// The plan statuses. Only a running plan starts rounds; the others are
// final.
const (
	BoostRunning BoostStatus = "running"
	// BoostFinished: the budget is spent, as far as whole rounds go.
	BoostFinished BoostStatus = "finished"
	// BoostSessionEnded: the session went off air first.
	BoostSessionEnded BoostStatus = "session_ended"
	BoostStopped      BoostStatus = "stopped"
	// BoostFailed: several rounds in a row could not be run.
	BoostFailed BoostStatus = "failed"
)

// RoundStatus is where one round of a coin boost stands.
type RoundStatus string

// The round statuses. A pending round was recorded before Shopee was
// asked to start its giveaway and its answer has not been seen yet; an
// unknown round was pending when its job ran again and Shopee's state
// could not show whether the giveaway started. Pending and unknown
// rounds count as spent and are never sent again.
const (
	RoundPending RoundStatus = "pending"
	RoundDone    RoundStatus = "done"
	RoundFailed  RoundStatus = "failed"
	RoundSkipped RoundStatus = "skipped"
	RoundUnknown RoundStatus = "unknown"
)

// Spends reports whether a round in status s counts against the plan's
// budget: it gave coins out, or may have.
func (s RoundStatus) Spends() bool {
	return s == RoundPending || s == RoundDone || s == RoundUnknown
}

// BoostPlan is an engagement boost: coin giveaways started in a live
// session every Interval, each handing out CoinsPerClaim coins to each
// claimer in ClaimTimes claims, until TotalCoins would be exceeded, the
// session ends or someone stops the plan. A round is skipped while fewer
// than MinViewers watch.
type BoostPlan struct {
	ID        int64
	StudioID  int64
	AccountID int64
	// SessionID is our id of the stored session; ShopeeSessionID is
	// Shopee's, in decimal.
	SessionID       int64
	ShopeeSessionID string

	TotalCoins    int64
	CoinsPerClaim int64
	ClaimTimes    int64
	Interval      time.Duration
	// MinViewers is nil when the plan runs whatever the audience.
	MinViewers *int64

	Status BoostStatus
	// Reason says why a plan that is not running ended.
	Reason string
	// CreatedBy is the user who started the plan.
	CreatedBy int64

	CreatedAt time.Time
	UpdatedAt time.Time
	// EndedAt is when the plan stopped starting rounds.
	EndedAt *time.Time

	// Rounds are the plan's rounds so far, in order; filled by
	// Store.BoostPlan only.
	Rounds []BoostRound
}

// RoundCoins is what one round gives out: every claim of every claimer.
func (p *BoostPlan) RoundCoins() int64 { return p.CoinsPerClaim * p.ClaimTimes }

// Validate returns an EInvalid error when the plan's amounts cannot be
// run: every amount must be positive, one round must fit the budget and
// rounds must be at least MinBoostInterval apart.
func (p *BoostPlan) Validate() error {
	switch {
	case p.TotalCoins < 1:
		return Errorf(EInvalid, "total_coins must be a positive integer")
	case p.CoinsPerClaim < 1:
		return Errorf(EInvalid,
			"coins_per_claim must be a positive integer")
	case p.ClaimTimes < 1:
		return Errorf(EInvalid, "claim_times must be a positive integer")
	case p.CoinsPerClaim > p.TotalCoins/p.ClaimTimes:
		return Errorf(EInvalid, "coins_per_claim × claim_times (one "+
			"round) must not exceed total_coins (%d)", p.TotalCoins)
	case p.Interval < MinBoostInterval:
		return Errorf(EInvalid, "interval_seconds must be at least %d",
			int64(MinBoostInterval/time.Second))
	case p.MinViewers != nil && *p.MinViewers < 1:
		return Errorf(EInvalid,
			"min_viewers must be a positive integer when given")
	}
	return nil
}

// BoostRound is one round of a plan: a giveaway started in the session,
// or a round skipped or failed.
type BoostRound struct {
	PlanID int64
	// Number counts the plan's rounds from 1, skipped ones included.
	Number int
	Status RoundStatus
	// At is when the round was decided.
	At time.Time
	// Coins is what the round's giveaway hands out; 0 for a round that
	// was skipped.
	Coins int64
	// Viewers is the audience the round was decided on; nil when not
	// known.
	Viewers *int64
	// SessionCoinsBefore is the session's coins given out in all
	// giveaways before this round, as Shopee reported it; nil when not
	// known. It tells later whether a pending round's giveaway started.
	SessionCoinsBefore *int64
	// Claimed is the coins viewers claimed of the round's giveaway, and
	// Claims the claims made; nil until read from Shopee.
	Claimed *int64
	Claims  *int64
	// Error says why the round failed or was skipped.
	Error     string
	UpdatedAt time.Time
}

// BoostSpent returns the coins the rounds spent or may have spent.
func BoostSpent(rounds []BoostRound) int64 {
	var n int64
	for _, r := range rounds {
		if r.Status.Spends() {
			n += r.Coins
		}
	}
	return n
}

// BoostClaimed returns the coins viewers claimed in the rounds, as far as
// Shopee reported them.
func BoostClaimed(rounds []BoostRound) int64 {
	var n int64
	for _, r := range rounds {
		if r.Claimed != nil {
			n += *r.Claimed
		}
	}
	return n
}
