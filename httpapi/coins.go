package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"liveboard"
	"liveboard/shopee"
)

// giveawayJSON is a session's coin giveaway as the live room shows it.
type giveawayJSON struct {
	CoinStatus      *int64   `json:"coin_status"`
	CoinsPerClaim   *float64 `json:"coins_per_claim"`
	ClaimTimes      *int64   `json:"claim_times"`
	ClaimsLeft      *int64   `json:"claims_left"`
	Giveout         *int64   `json:"giveout"`
	IntervalSeconds *int64   `json:"interval_seconds"`
	ShownCoins      *int64   `json:"shown_coins"`
}

func newGiveawayJSON(g *shopee.CoinGiveaway) *giveawayJSON {
	if g == nil {
		return nil
	}
	return &giveawayJSON{CoinStatus: g.Status,
		CoinsPerClaim: g.CoinsPerClaim, ClaimTimes: g.ClaimTimes,
		ClaimsLeft: g.ClaimsLeft, Giveout: g.Giveout,
		IntervalSeconds: g.Interval, ShownCoins: g.ShownCoins}
}

type coinStartRequest struct {
	shopeeCredentials
	SessionID     flexID  `json:"session_id"`
	Giveout       int64   `json:"giveout"`
	CoinsPerClaim float64 `json:"coins_per_claim"`
	ClaimTimes    int64   `json:"claim_times"`
	Interval      int64   `json:"interval_seconds"`
}

// startCoins answers POST /coins/start: start a coin giveaway in one of
// the account's live sessions. It needs the operator role.
func (s *Server) startCoins(w http.ResponseWriter, r *http.Request) error {
	var req coinStartRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleOperator)
	if err != nil {
		return err
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	plan := shopee.CoinPlan{Giveout: req.Giveout,
		CoinsPerClaim: req.CoinsPerClaim, ClaimTimes: req.ClaimTimes,
		Interval: req.Interval}
	g, err := s.cfg.Shopee.StartCoins(r.Context(), l.auth, id, plan)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.audit(r, liveboard.AuditCoinAction, l.account.StudioID,
		"session "+strconv.FormatInt(id, 10), fmt.Sprintf(
			"giveaway started: %d coins, %g × %d every %ds", plan.Giveout,
			plan.CoinsPerClaim, plan.ClaimTimes, plan.Interval))
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": strconv.FormatInt(id, 10),
		"giveaway":   newGiveawayJSON(g)})
	return nil
}

// coinGiveout answers POST /coins/giveout: the session's coin giveaway
// as it hands coins out now. It needs the operator role, as the
// specification makes it an action.
func (s *Server) coinGiveout(w http.ResponseWriter, r *http.Request) error {
	var req sessionRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleOperator)
	if err != nil {
		return err
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	g, err := s.cfg.Shopee.CoinGiveout(r.Context(), l.auth, id)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.audit(r, liveboard.AuditCoinAction, l.account.StudioID,
		"session "+strconv.FormatInt(id, 10), "giveout")
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": strconv.FormatInt(id, 10),
		"giveaway":   newGiveawayJSON(g)})
	return nil
}

// coinRewardInfo answers POST /coins/reward-info: what the session's
// coin giveaways have handed out.
func (s *Server) coinRewardInfo(w http.ResponseWriter,
	r *http.Request) error {
	var req sessionRequest
	l, err := s.decodeLogin(w, r, &req, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	rw, err := s.cfg.Shopee.CoinRewardInfo(r.Context(), l.auth, id)
	if err != nil {
		return s.failed(r.Context(), l, err)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id":  strconv.FormatInt(id, 10),
		"total_coins": rw.TotalCoins, "claimed_coins": rw.ClaimedCoins,
		"remaining_coins": rw.RemainingCoins, "claimers": rw.Claimers})
	return nil
}
