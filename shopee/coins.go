package shopee

import (
	"context"
	"encoding/json"
	"strconv"

	"liveboard"
)

// CoinGiveaway is a live session's coin giveaway as the live room shows
// it: the fields of the Shopee app's AnchorCoinEntity. What each means is
// read from its name, as no source documents it; nil fields were not
// reported.
type CoinGiveaway struct {
	// Status is coin_status; 0 when the session has no giveaway.
	Status        *int64
	CoinsPerClaim *float64
	ClaimTimes    *int64
	ClaimsLeft    *int64
	// Giveout is the coins the giveaway hands out in all.
	Giveout *int64
	// Interval is the time between claim rounds, in seconds as far as
	// known.
	Interval   *int64
	ShownCoins *int64
}

type wireCoinGiveaway struct {
	CoinStatus    wireInt   `json:"coin_status"`
	CoinsPerClaim wireFloat `json:"coins_per_claim"`
	ClaimTimes    wireInt   `json:"claim_times"`
	ClaimsLeft    wireInt   `json:"claims_left"`
	Giveout       wireInt   `json:"giveout"`
	Interval      wireInt   `json:"interval"`
	ShownCoins    wireInt   `json:"shown_coins"`
}

func (w *wireCoinGiveaway) giveaway() *CoinGiveaway {
	return &CoinGiveaway{
		Status: w.CoinStatus.p, CoinsPerClaim: w.CoinsPerClaim.p,
		ClaimTimes: w.ClaimTimes.p, ClaimsLeft: w.ClaimsLeft.p,
		Giveout: w.Giveout.p, Interval: w.Interval.p,
		ShownCoins: w.ShownCoins.p,
	}
}

// coinCall describes a call about a session's coins on the live-room
// host.
func coinCall(endpoint string, sessionID int64, action string,
	f family, u use) call {
	return call{
		endpoint: endpoint,
		service:  ServiceLive,
		path: "/api/v1/session/" + strconv.FormatInt(sessionID, 10) +
			"/coin/" + action,
		family: f,
		use:    u,
	}
}

func checkSessionID(endpoint string, id int64) error {
	if id < 1 {
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: session id must be positive", endpoint)
	}
	return nil
}

// CoinGiveout returns the session's coin giveaway now
// (session/{id}/coin/giveout, a GET as the Shopee app sends it). A
// session that is not this login's fails with ErrNotFound.
func (c *Client) CoinGiveout(ctx context.Context, a Auth,
	sessionID int64) (*CoinGiveaway, error) {
	const endpoint = "coinGiveout"
	if err := checkSessionID(endpoint, sessionID); err != nil {
		return nil, err
	}

	cl := coinCall(endpoint, sessionID, "giveout", liveFamily, liveRead)
	cl.ifEmpty = ErrNotFound
	var w wireCoinGiveaway
	if err := c.get(ctx, a, cl, &w); err != nil {
		return nil, err
	}
	return w.giveaway(), nil
}

// CoinPlan is a coin giveaway to start: Giveout coins in all, handed out
// in ClaimTimes rounds Interval seconds apart, CoinsPerClaim to each
// viewer who claims.
type CoinPlan struct {
	Giveout       int64   `json:"giveout"`
	CoinsPerClaim float64 `json:"coins_per_claim"`
	ClaimTimes    int64   `json:"claim_times"`
	Interval      int64   `json:"interval"`
}

func (p CoinPlan) check(endpoint string) error {
	if p.Giveout < 1 || p.CoinsPerClaim <= 0 || p.ClaimTimes < 1 ||
		p.Interval < 1 {
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: giveout, coins per claim, claim times and "+
				"interval must all be positive", endpoint)
	}
	if float64(p.Giveout) < p.CoinsPerClaim*float64(p.ClaimTimes) {
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: giveout is less than one claim per round",
			endpoint)
	}
	return nil
}

// StartCoins starts a coin giveaway in the session
// (session/{id}/coin/start, as the specification gives it) and returns
// the giveaway when Shopee answers with it. It is sent again only after
// HTTP 429, so a giveaway is never started twice by a retry.
func (c *Client) StartCoins(ctx context.Context, a Auth, sessionID int64,
	p CoinPlan) (*CoinGiveaway, error) {
	const endpoint = "coinStart"
	if err := checkSessionID(endpoint, sessionID); err != nil {
		return nil, err
	}
	if err := p.check(endpoint); err != nil {
		return nil, err
	}

	var raw json.RawMessage
	cl := coinCall(endpoint, sessionID, "start", anyFamily, writeOnce)
	if err := c.post(ctx, a, cl, p, &raw); err != nil {
		return nil, err
	}
	m, ok := looseObject(raw)
	if !ok {
		return nil, nil
	}
	return &CoinGiveaway{
		Status:        m.int("coin_status", "status"),
		CoinsPerClaim: m.float("coins_per_claim"),
		ClaimTimes:    m.int("claim_times"),
		ClaimsLeft:    m.int("claims_left"),
		Giveout:       m.int("giveout"),
		Interval:      m.int("interval"),
		ShownCoins:    m.int("shown_coins"),
	}, nil
}

// CoinRewards is what a session's coin giveaways have handed out so far.
// Nil fields were not reported.
type CoinRewards struct {
	TotalCoins     *int64
	ClaimedCoins   *int64
	RemainingCoins *int64
	// Claimers is how many viewers claimed coins.
	Claimers *int64
}

// CoinRewardInfo returns the session's coin rewards
// (session/{id}/coin/rewardinfo, as the specification gives it).
func (c *Client) CoinRewardInfo(ctx context.Context, a Auth,
	sessionID int64) (*CoinRewards, error) {
	const endpoint = "coinRewardInfo"
	if err := checkSessionID(endpoint, sessionID); err != nil {
		return nil, err
	}

	cl := coinCall(endpoint, sessionID, "rewardinfo", anyFamily, cachedRead)
	cl.ifEmpty = ErrNotFound
	var raw json.RawMessage
	if err := c.get(ctx, a, cl, &raw); err != nil {
		return nil, err
	}
	m, _ := looseObject(raw)
	return &CoinRewards{
		TotalCoins: m.int("total_coins", "totalCoins", "total"),
		ClaimedCoins: m.int("claimed_coins", "claimedCoins",
			"distributed_coins", "claimed"),
		RemainingCoins: m.int("remaining_coins", "remainingCoins",
			"left_coins", "remaining"),
		Claimers: m.int("claimed_users", "claimedUsers", "user_count",
			"claimers"),
	}, nil
}
