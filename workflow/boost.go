package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// BoostShopee is what coin boosts need of the Shopee client.
type BoostShopee interface {
	SessionInfo(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.SessionInfo, error)
	Overview(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.Overview, error)
	StartCoins(ctx context.Context, a shopee.Auth, sessionID int64,
		p shopee.CoinPlan) (*shopee.CoinGiveaway, error)
	CoinGiveout(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.CoinGiveaway, error)
	CoinRewardInfo(ctx context.Context, a shopee.Auth,
		sessionID int64) (*shopee.CoinRewards, error)
}

// Defaults of a Booster's zero fields.
const (
	// DefaultViewersFresh is how old a stored snapshot may be for its
	// viewers to decide a round.
	DefaultViewersFresh = 2 * time.Minute
	// maxFailedRounds is how many failed rounds in a row fail a plan.
	maxFailedRounds = 3
)

// Booster runs engagement boosts (the specification's workflow 4): plans
// that start a coin giveaway in a live session every interval. Start
// checks and stores a plan; Round runs one round of it, and is what a
// job scheduled at the round's time calls.
type Booster struct {
	Store  liveboard.Store
	Shopee BoostShopee

	// Now is the clock; time.Now by default.
	Now func() time.Time
	// ViewersFresh is how old a stored snapshot may be to count as the
	// audience now; DefaultViewersFresh when zero. Without one, the
	// live dashboard overview is read.
	ViewersFresh time.Duration
	Logger       *slog.Logger
}

func (b *Booster) now() time.Time {
	if b.Now != nil {
		return b.Now().UTC()
	}
	return time.Now().UTC()
}

func (b *Booster) logger() *slog.Logger {
	if b.Logger != nil {
		return b.Logger
	}
	return slog.Default()
}

// BoostQueue queues coin boost plans' rounds.
type BoostQueue interface {
	// StartBoost queues the first round of a stored plan, due at.
	StartBoost(ctx context.Context, planID int64, at time.Time) error
}

// Launch starts a plan as Start does and queues its first round now
// through q. A plan whose first round cannot be queued would never run,
// so it is ended as failed and the queue's error returned.
func (b *Booster) Launch(ctx context.Context, p *liveboard.BoostPlan,
	q BoostQueue) error {
	if err := b.Start(ctx, p); err != nil {
		return err
	}
	now := b.now()
	if err := q.StartBoost(ctx, p.ID, now); err != nil {
		if _, eerr := b.Store.EndBoostPlan(context.WithoutCancel(ctx),
			p.ID, liveboard.BoostFailed, "its rounds could not be queued",
			now); eerr != nil {
			b.logger().Warn("end unqueued boost plan", "plan_id", p.ID,
				"error", eerr)
		}
		return err
	}
	return nil
}

// Start checks a plan and stores it as running; p names the account and
// Shopee's session id, and Start fills in the stored session and the
// studio. The session must be stored, belong to the account's studio and
// be on air by Shopee's session info now: ENotFound for an unknown
// session, EInvalid for one that is not live. Scheduling its rounds is
// the caller's part.
func (b *Booster) Start(ctx context.Context, p *liveboard.BoostPlan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	a, err := b.Store.Account(ctx, p.AccountID)
	if err != nil {
		return err
	}
	se, err := b.Store.SessionByShopeeID(ctx, a.ID, p.ShopeeSessionID)
	if liveboard.ErrorCode(err) == liveboard.ENotFound ||
		(err == nil && se.StudioID != a.StudioID) {
		return liveboard.Errorf(liveboard.ENotFound, "session %s of "+
			"account %d not found", p.ShopeeSessionID, a.ID)
	}
	if err != nil {
		return err
	}
	if se.Status != liveboard.SessionOngoing {
		return liveboard.Errorf(liveboard.EInvalid,
			"session %s is not live", p.ShopeeSessionID)
	}
	auth, err := b.auth(ctx, a)
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(se.ShopeeSessionID, 10, 64)
	if err != nil {
		return fmt.Errorf("BUG: stored session id %q: %w",
			se.ShopeeSessionID, err)
	}
	live, err := b.isLive(ctx, auth, sid)
	if err != nil {
		return err
	}
	if !live {
		return liveboard.Errorf(liveboard.EInvalid,
			"session %s is not live", p.ShopeeSessionID)
	}

	p.StudioID, p.SessionID = a.StudioID, se.ID
	return b.Store.CreateBoostPlan(ctx, p)
}

func (b *Booster) auth(ctx context.Context,
	a *liveboard.Account) (shopee.Auth, error) {
	switch {
	case a.RemovedAt != nil:
		return shopee.Auth{}, ErrAccountRemoved
	case a.Health.NeedsRelogin:
		return shopee.Auth{}, fmt.Errorf("account %d: %w", a.ID,
			ErrNeedsRelogin)
	}
	cookies, err := b.Store.AccountCookies(ctx, a.ID)
	if err != nil {
		return shopee.Auth{}, err
	}
	return shopee.Auth{AccountID: a.ID, Region: a.Region,
		Cookies: cookies}, nil
}

// isLive reports whether Shopee's session info says the session is on
// air; the overview decides when the info has no status.
func (b *Booster) isLive(ctx context.Context, auth shopee.Auth,
	sid int64) (bool, error) {
	info, err := b.Shopee.SessionInfo(ctx, auth, sid)
	if err != nil {
		return false, err
	}
	if info.Status != nil {
		return *info.Status == 1, nil
	}
	ov, err := b.Shopee.Overview(ctx, auth, sid)
	if err != nil {
		return false, err
	}
	return ov.Status == nil || *ov.Status == 1, nil
}

// RoundOutcome says what follows a round: the next round at Next, or
// nothing when the plan Ended.
type RoundOutcome struct {
	Next  time.Time
	Ended bool
}

// Round runs round n of a plan, at most once however often it is called:
//
//   - a plan that is not running starts nothing; the claims of its last
//     giveaway are read once more and it Ends;
//   - a round already recorded is not run again; one left pending (its
//     job died between recording it and recording Shopee's answer) is
//     settled from Shopee's state: done when the session's giveaway
//     shows it started, unknown otherwise, and never sent again;
//   - otherwise the claims of the previous giveaway are read and stored,
//     with the session's coins given out; the plan ends when the session
//     is no longer live or the budget has no room for another round; the
//     round is skipped when fewer than the plan's minimum watch; else it
//     is recorded pending, the giveaway is started, and the round is
//     marked done, failed (Shopee refused it, so nothing was given) or
//     unknown (no clear answer, so coins may have been given).
//
// Unknown rounds count as spent, so the budget holds whatever Shopee
// did. The next round comes one interval after this one. A round that
// cannot decide (Shopee unreachable) is recorded failed, and
// maxFailedRounds failed rounds in a row fail the plan. The returned
// error is only a failure to read or write the store.
func (b *Booster) Round(ctx context.Context, planID int64,
	n int) (RoundOutcome, error) {
	p, err := b.Store.BoostPlan(ctx, planID)
	if err != nil {
		return RoundOutcome{}, fmt.Errorf("boost plan %d round %d: %w",
			planID, n, err)
	}
	r := &boostRun{b: b, p: p, now: b.now()}
	out, err := r.run(ctx, n)
	if err != nil {
		return out, fmt.Errorf("boost plan %d round %d: %w", planID, n, err)
	}
	return out, nil
}

// boostRun is one call of Round.
type boostRun struct {
	b    *Booster
	p    *liveboard.BoostPlan
	now  time.Time
	auth *shopee.Auth
	sid  int64
}

func (r *boostRun) run(ctx context.Context, n int) (RoundOutcome, error) {
	p := r.p
	sid, err := strconv.ParseInt(p.ShopeeSessionID, 10, 64)
	if err != nil {
		return RoundOutcome{}, fmt.Errorf("BUG: session id %q: %w",
			p.ShopeeSessionID, err)
	}
	r.sid = sid
	if n < 1 || n > len(p.Rounds)+1 {
		return RoundOutcome{Ended: true}, fmt.Errorf("BUG: round %d "+
			"after %d recorded", n, len(p.Rounds))
	}
	if n <= len(p.Rounds) {
		return r.again(ctx, p.Rounds[n-1])
	}
	if p.Status != liveboard.BoostRunning {
		r.tally(ctx)
		return RoundOutcome{Ended: true}, nil
	}

	if err := r.login(ctx); err != nil {
		if errors.Is(err, ErrAccountRemoved) {
			return r.end(ctx, liveboard.BoostFailed, err.Error())
		}
		return r.failed(ctx, n, err)
	}
	before := r.tally(ctx)
	live, err := r.b.isLive(ctx, *r.auth, sid)
	if err != nil {
		return r.failed(ctx, n, err)
	}
	if !live {
		return r.end(ctx, liveboard.BoostSessionEnded,
			"the session went off air")
	}
	left := p.TotalCoins - liveboard.BoostSpent(p.Rounds)
	if left < p.RoundCoins() {
		return r.end(ctx, liveboard.BoostFinished, fmt.Sprintf(
			"budget spent: %d coins left, a round needs %d", left,
			p.RoundCoins()))
	}
	viewers, err := r.viewers(ctx)
	if err != nil {
		return r.failed(ctx, n, err)
	}

	round := liveboard.BoostRound{PlanID: p.ID, Number: n, At: r.now,
		Viewers: viewers, SessionCoinsBefore: before}
	if min := p.MinViewers; min != nil &&
		(viewers == nil || *viewers < *min) {
		round.Status = liveboard.RoundSkipped
		round.Error = fmt.Sprintf("fewer than %d viewers", *min)
		if viewers != nil {
			round.Error = fmt.Sprintf("%d viewers, fewer than %d",
				*viewers, *min)
		}
		return r.record(ctx, round)
	}
	round.Status, round.Coins = liveboard.RoundPending, p.RoundCoins()
	ok, err := r.b.Store.ClaimBoostRound(ctx, &round)
	if err != nil {
		return RoundOutcome{}, err
	}
	if !ok {
		return r.lost(ctx, n)
	}
	return r.give(ctx, round)
}

// again answers for a round already recorded: it settles a pending one
// and says when the next round is due.
func (r *boostRun) again(ctx context.Context,
	round liveboard.BoostRound) (RoundOutcome, error) {
	if round.Status == liveboard.RoundPending {
		status, msg := r.settle(ctx, round)
		if err := r.b.Store.FinishBoostRound(ctx, r.p.ID, round.Number,
			status, msg, r.now); err != nil {
			return RoundOutcome{}, err
		}
		r.b.logger().Warn("coin boost round settled after a retry",
			"plan_id", r.p.ID, "round", round.Number, "status", status,
			"error", msg)
	}
	if r.p.Status != liveboard.BoostRunning {
		return RoundOutcome{Ended: true}, nil
	}
	return RoundOutcome{Next: round.At.Add(r.p.Interval)}, nil
}

// settle decides a pending round from Shopee's state: done when the
// session's latest giveaway is this round's and still running, or the
// session's coins given out grew by the round's since it was recorded;
// unknown otherwise.
func (r *boostRun) settle(ctx context.Context,
	round liveboard.BoostRound) (liveboard.RoundStatus, string) {
	if err := r.login(ctx); err != nil {
		return liveboard.RoundUnknown, liveboard.ErrorMessage(err)
	}
	g, err := r.b.Shopee.CoinGiveout(ctx, *r.auth, r.sid)
	if err != nil {
		return liveboard.RoundUnknown, "could not read the session's " +
			"giveaway: " + liveboard.ErrorMessage(err)
	}
	if r.ours(g, round.Coins) && g.Status != nil && *g.Status == 1 {
		return liveboard.RoundDone, ""
	}
	if round.SessionCoinsBefore != nil {
		rw, err := r.b.Shopee.CoinRewardInfo(ctx, *r.auth, r.sid)
		if err == nil && rw.TotalCoins != nil &&
			*rw.TotalCoins >= *round.SessionCoinsBefore+round.Coins {
			return liveboard.RoundDone, ""
		}
	}
	return liveboard.RoundUnknown, "Shopee's state does not show " +
		"whether the giveaway started; it is not sent again"
}

// ours reports whether a giveaway has this plan's amounts.
func (r *boostRun) ours(g *shopee.CoinGiveaway, coins int64) bool {
	return g != nil && g.Giveout != nil && *g.Giveout == coins &&
		g.ClaimTimes != nil && *g.ClaimTimes == r.p.ClaimTimes &&
		g.CoinsPerClaim != nil &&
		*g.CoinsPerClaim == float64(r.p.CoinsPerClaim)
}

func (r *boostRun) login(ctx context.Context) error {
	if r.auth != nil {
		return nil
	}
	a, err := r.b.Store.Account(ctx, r.p.AccountID)
	if err != nil {
		return err
	}
	auth, err := r.b.auth(ctx, a)
	if err != nil {
		return err
	}
	r.auth = &auth
	return nil
}

// tally reads what viewers claimed of the plan's latest giveaway and the
// session's coins, and stores them; it returns the coins the session's
// giveaways hand out in all, nil when not known. Failures are logged:
// claims are figures to show, not decisions.
func (r *boostRun) tally(ctx context.Context) *int64 {
	if err := r.login(ctx); err != nil {
		return nil
	}
	log := r.b.logger().With("plan_id", r.p.ID)
	last := -1
	for i, round := range r.p.Rounds {
		if round.Status == liveboard.RoundDone {
			last = i
		}
	}
	if last >= 0 {
		round := r.p.Rounds[last]
		g, err := r.b.Shopee.CoinGiveout(ctx, *r.auth, r.sid)
		switch {
		case err != nil:
			log.Warn("read coin giveaway", "error", err)
		case r.ours(g, round.Coins):
			claimed, claims := giveawayClaims(g)
			if err := r.b.Store.SetRoundClaims(ctx, r.p.ID, round.Number,
				claimed, claims); err != nil {
				log.Warn("store round claims", "error", err)
			}
		}
	}

	rw, err := r.b.Shopee.CoinRewardInfo(ctx, *r.auth, r.sid)
	if err != nil {
		log.Warn("read coin rewards", "error", err)
		return nil
	}
	if rw.ClaimedCoins != nil {
		if err := r.b.Store.RecordSessionCoins(ctx, r.p.SessionID,
			*rw.ClaimedCoins); err != nil {
			log.Warn("store session coins", "error", err)
		}
	}
	return rw.TotalCoins
}

// giveawayClaims returns the coins claimed of a giveaway and its claim
// rounds done, where Shopee reported enough to tell.
func giveawayClaims(g *shopee.CoinGiveaway) (claimed, claims *int64) {
	if g.Giveout != nil && g.ShownCoins != nil {
		claimed = new(max(*g.Giveout-*g.ShownCoins, 0))
	}
	if g.ClaimTimes != nil && g.ClaimsLeft != nil {
		claims = new(max(*g.ClaimTimes-*g.ClaimsLeft, 0))
	}
	return claimed, claims
}

// viewers returns the audience now: from a fresh stored snapshot, or
// else, when the plan has a minimum, from the live overview.
func (r *boostRun) viewers(ctx context.Context) (*int64, error) {
	fresh := r.b.ViewersFresh
	if fresh <= 0 {
		fresh = DefaultViewersFresh
	}
	snaps, err := r.b.Store.Snapshots(ctx, r.p.SessionID,
		r.now.Add(-fresh))
	if err != nil {
		return nil, err
	}
	for i := len(snaps) - 1; i >= 0; i-- {
		if v := snaps[i].Metrics.ViewersNow; v != nil {
			return v, nil
		}
	}
	if r.p.MinViewers == nil {
		return nil, nil
	}
	ov, err := r.b.Shopee.Overview(ctx, *r.auth, r.sid)
	if err != nil {
		return nil, err
	}
	return ov.Metrics.ViewersNow, nil
}

// give starts the claimed round's giveaway and records how it went.
func (r *boostRun) give(ctx context.Context,
	round liveboard.BoostRound) (RoundOutcome, error) {
	p := r.p
	plan := shopee.CoinPlan{Giveout: round.Coins,
		CoinsPerClaim: float64(p.CoinsPerClaim), ClaimTimes: p.ClaimTimes,
		// The giveaway's claims fit in the plan's interval, so that it
		// is over when the next round starts one.
		Interval: max(int64(p.Interval/time.Second)/p.ClaimTimes, 1)}
	_, err := r.b.Shopee.StartCoins(ctx, *r.auth, r.sid, plan)

	status, msg := liveboard.RoundDone, ""
	attrs := []any{"plan_id", p.ID, "round", round.Number,
		"session_id", p.ShopeeSessionID, "coins", round.Coins}
	switch {
	case err == nil:
		r.b.logger().Info("coin boost round started", attrs...)
	case refused(err):
		status, msg = liveboard.RoundFailed, liveboard.ErrorMessage(err)
		r.b.logger().Warn("coin boost round refused",
			append(attrs, "error", err)...)
	default:
		status, msg = liveboard.RoundUnknown, liveboard.ErrorMessage(err)
		r.b.logger().Warn("coin boost round may not have started",
			append(attrs, "error", err)...)
	}
	// The outcome is recorded even when the caller gave up, so that a
	// giveaway Shopee started is not left pending.
	if err := r.b.Store.FinishBoostRound(context.WithoutCancel(ctx), p.ID,
		round.Number, status, msg, r.now); err != nil {
		return RoundOutcome{}, err
	}
	if status == liveboard.RoundFailed {
		return r.afterFailure(ctx, round.Number)
	}
	return RoundOutcome{Next: r.now.Add(p.Interval)}, nil
}

// refused reports whether err shows that Shopee did not start the
// giveaway: it refused the request or the login, asked to slow down, or
// the request was never sent.
func refused(err error) bool {
	return errors.Is(err, shopee.ErrRejected) ||
		errors.Is(err, shopee.ErrNotFound) ||
		errors.Is(err, shopee.ErrRateLimited) || needsRelogin(err) ||
		liveboard.ErrorCode(err) == liveboard.EInvalid
}

// record stores a round that gives nothing and schedules the next one.
func (r *boostRun) record(ctx context.Context,
	round liveboard.BoostRound) (RoundOutcome, error) {
	ok, err := r.b.Store.ClaimBoostRound(ctx, &round)
	if err != nil {
		return RoundOutcome{}, err
	}
	if !ok {
		return r.lost(ctx, round.Number)
	}
	if round.Status == liveboard.RoundFailed {
		return r.afterFailure(ctx, round.Number)
	}
	return RoundOutcome{Next: r.now.Add(r.p.Interval)}, nil
}

// failed records round n as failed for err.
func (r *boostRun) failed(ctx context.Context, n int,
	err error) (RoundOutcome, error) {
	r.b.logger().Warn("coin boost round failed", "plan_id", r.p.ID,
		"round", n, "error", err)
	return r.record(ctx, liveboard.BoostRound{PlanID: r.p.ID, Number: n,
		Status: liveboard.RoundFailed, At: r.now,
		Error: liveboard.ErrorMessage(err)})
}

// afterFailure fails the plan when round n is the last of
// maxFailedRounds failed rounds in a row.
func (r *boostRun) afterFailure(ctx context.Context,
	n int) (RoundOutcome, error) {
	failures := 1
	for i := n - 2; i >= 0 && i < len(r.p.Rounds); i-- {
		if r.p.Rounds[i].Status != liveboard.RoundFailed {
			break
		}
		failures++
	}
	if failures >= maxFailedRounds {
		return r.end(ctx, liveboard.BoostFailed, fmt.Sprintf(
			"%d rounds in a row failed", failures))
	}
	return RoundOutcome{Next: r.now.Add(r.p.Interval)}, nil
}

// lost answers when round n could not be claimed: the plan was stopped
// or someone else recorded the round first.
func (r *boostRun) lost(ctx context.Context, n int) (RoundOutcome, error) {
	p, err := r.b.Store.BoostPlan(ctx, r.p.ID)
	if err != nil {
		return RoundOutcome{}, err
	}
	r.p = p
	if n <= len(p.Rounds) {
		return r.again(ctx, p.Rounds[n-1])
	}
	if p.Status != liveboard.BoostRunning {
		return RoundOutcome{Ended: true}, nil
	}
	// Running, unrecorded, yet refused: the budget has no room.
	return r.end(ctx, liveboard.BoostFinished, "budget spent")
}

// end moves the plan to a final status.
func (r *boostRun) end(ctx context.Context, status liveboard.BoostStatus,
	reason string) (RoundOutcome, error) {
	ok, err := r.b.Store.EndBoostPlan(ctx, r.p.ID, status, reason, r.now)
	if err != nil {
		return RoundOutcome{}, err
	}
	if ok {
		r.b.logger().Info("coin boost ended", "plan_id", r.p.ID,
			"status", status, "reason", reason,
			"coins_spent", liveboard.BoostSpent(r.p.Rounds))
	}
	return RoundOutcome{Ended: true}, nil
}

// Stop stops a running plan at once: no round starts after it, and the
// giveaway running keeps its course. Stopping a plan that ended is
// EInvalid.
func (b *Booster) Stop(ctx context.Context, planID int64,
	reason string) error {
	ok, err := b.Store.EndBoostPlan(ctx, planID, liveboard.BoostStopped,
		reason, b.now())
	if err != nil {
		return err
	}
	if !ok {
		return liveboard.Errorf(liveboard.EInvalid,
			"boost plan %d is not running", planID)
	}
	return nil
}
