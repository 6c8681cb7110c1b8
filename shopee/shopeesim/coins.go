package shopeesim

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// errCodeNotAllowed is the live room API's answer to a coin request the
// session's state does not allow. Shopee's value is not publicly known;
// this is the simulator's.
const errCodeNotAllowed = 20001

// giveaway is a coin giveaway in a live session: claimTimes rounds,
// interval apart from its start, each handing perClaim coins to every
// claimer; there are as many claimers per round as spread giveout over
// the rounds. Rounds stop when the session ends.
type giveaway struct {
	start, sessionEnd time.Time
	perClaim          float64
	claimTimes        int64
	giveout           int64
	interval          time.Duration
}

// CoinTruth is a session's latest coin giveaway at one moment, with what
// all its giveaways handed out so far.
type CoinTruth struct {
	// Status is 1 while the giveaway runs, 2 once it is over.
	Status        int     `json:"coin_status"`
	CoinsPerClaim float64 `json:"coins_per_claim"`
	ClaimTimes    int64   `json:"claim_times"`
	ClaimsLeft    int64   `json:"claims_left"`
	Giveout       int64   `json:"giveout"`
	// Interval is in seconds.
	Interval   int64 `json:"interval"`
	ShownCoins int64 `json:"shown_coins"`

	TotalCoins   int64 `json:"-"`
	ClaimedCoins int64 `json:"-"`
	Claimers     int64 `json:"-"`
}

// rounds is how many claim rounds have happened by now.
func (g *giveaway) rounds(now time.Time) int64 {
	until := now
	if g.sessionEnd.Before(until) {
		until = g.sessionEnd
	}
	if !until.After(g.start) {
		return 0
	}
	return min(int64(until.Sub(g.start)/g.interval), g.claimTimes)
}

// claimers is how many viewers claim in each round.
func (g *giveaway) claimers() int64 {
	return int64(float64(g.giveout) / (g.perClaim * float64(g.claimTimes)))
}

func (g *giveaway) claimed(now time.Time) int64 {
	return int64(math.Floor(float64(g.rounds(now)*g.claimers()) * g.perClaim))
}

// coinTruth sums up a session's giveaways at now; zero when it has none.
func coinTruth(gs []*giveaway, now time.Time) CoinTruth {
	var tr CoinTruth
	for _, g := range gs {
		tr.TotalCoins += g.giveout
		tr.ClaimedCoins += g.claimed(now)
		tr.Claimers += g.rounds(now) * g.claimers()
	}
	if len(gs) == 0 {
		return tr
	}

	g := gs[len(gs)-1]
	done := g.rounds(now)
	tr.Status = 2
	if done < g.claimTimes && now.Before(g.sessionEnd) {
		tr.Status = 1
	}
	tr.CoinsPerClaim = g.perClaim
	tr.ClaimTimes = g.claimTimes
	tr.ClaimsLeft = g.claimTimes - done
	tr.Giveout = g.giveout
	tr.Interval = int64(g.interval / time.Second)
	tr.ShownCoins = g.giveout - g.claimed(now)
	return tr
}

// Coins returns the session's coin giveaways at the clock's time; false
// for a session that has had none.
func (s *Server) Coins(sessionID int64) (CoinTruth, bool) {
	now := s.clock.Now()
	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	gs, ok := s.coins[sessionID]
	if !ok {
		return CoinTruth{}, false
	}
	return coinTruth(gs, now), true
}

// coinSession returns the caller's started session the path names, or
// nil; a malformed id gives a problem to report. The caller holds s.mu
// for reading.
func (s *Server) coinSession(c *call) (*session, string) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, "the session id must be a positive number"
	}
	ss, ok := s.world.bySession[id]
	if !ok || ss.userID != c.acct.UserID || !ss.started(c.now) {
		return nil, ""
	}
	return ss, ""
}

type coinPlanBody struct {
	Giveout       int64   `json:"giveout"`
	CoinsPerClaim float64 `json:"coins_per_claim"`
	ClaimTimes    int64   `json:"claim_times"`
	Interval      int64   `json:"interval"`
}

// check says what is wrong with the plan, or "".
func (p coinPlanBody) check() string {
	switch {
	case p.Giveout < 1 || p.CoinsPerClaim <= 0 || p.ClaimTimes < 1 ||
		p.Interval < 1:
		return "giveout, coins_per_claim, claim_times and interval " +
			"must be positive"
	case float64(p.Giveout) < p.CoinsPerClaim*float64(p.ClaimTimes):
		return "giveout must cover one claim in every round"
	}
	return ""
}

// coinStart starts a giveaway in one of the caller's live sessions,
// unless one is still running there.
func (s *Server) coinStart(c *call) reply {
	ss, problem := s.coinSession(c)
	var p coinPlanBody
	switch {
	case problem != "":
		return liveInvalid(problem)
	case ss == nil:
		return liveOK(nil)
	case !ss.liveAt(c.now):
		return liveRefused("the session is not on air")
	case !readBody(c, &p):
		return liveInvalid("the body must be a JSON object")
	}
	if problem := p.check(); problem != "" {
		return liveInvalid(problem)
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	gs := s.coins[ss.id]
	if len(gs) > 0 && coinTruth(gs, c.now).Status == 1 {
		return liveRefused("a coin giveaway is running")
	}
	s.coins[ss.id] = append(gs, &giveaway{
		start: c.now, sessionEnd: ss.end, perClaim: p.CoinsPerClaim,
		claimTimes: p.ClaimTimes, giveout: p.Giveout,
		interval: time.Duration(p.Interval) * time.Second,
	})
	return liveOK(coinTruth(s.coins[ss.id], c.now))
}

func liveRefused(msg string) reply {
	return jsonReply(http.StatusOK, liveEnvelope{
		ErrCode: errCodeNotAllowed, ErrMsg: msg})
}

// coinGiveout answers the session's latest giveaway, all zero when it
// has had none.
func (s *Server) coinGiveout(c *call) reply {
	ss, problem := s.coinSession(c)
	switch {
	case problem != "":
		return liveInvalid(problem)
	case ss == nil:
		return liveOK(nil)
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	return liveOK(coinTruth(s.coins[ss.id], c.now))
}

// rewardInfo is the simulator's guess at the reward info's fields.
type rewardInfo struct {
	TotalCoins     int64 `json:"total_coins"`
	ClaimedCoins   int64 `json:"claimed_coins"`
	RemainingCoins int64 `json:"remaining_coins"`
	ClaimedUsers   int64 `json:"claimed_users"`
}

// coinRewardInfo answers what the session's giveaways handed out.
func (s *Server) coinRewardInfo(c *call) reply {
	ss, problem := s.coinSession(c)
	switch {
	case problem != "":
		return liveInvalid(problem)
	case ss == nil:
		return liveOK(nil)
	}

	s.extrasMu.Lock()
	defer s.extrasMu.Unlock()
	tr := coinTruth(s.coins[ss.id], c.now)
	return liveOK(rewardInfo{TotalCoins: tr.TotalCoins,
		ClaimedCoins:   tr.ClaimedCoins,
		RemainingCoins: tr.TotalCoins - tr.ClaimedCoins,
		ClaimedUsers:   tr.Claimers})
}
