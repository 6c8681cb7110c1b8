package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"liveboard"
	"liveboard/workflow"
)

// Boosts queues coin boost plans' rounds.
type Boosts = workflow.BoostQueue

// boostRoundJSON is one round of a coin boost. Times are in the
// account's zone.
type boostRoundJSON struct {
	Round   int     `json:"round"`
	Status  string  `json:"status"`
	At      string  `json:"at"`
	Coins   int64   `json:"coins"`
	Viewers *int64  `json:"viewers"`
	Claimed *int64  `json:"claimed"`
	Claims  *int64  `json:"claims"`
	Error   string  `json:"error"`
	Updated *string `json:"updated_at"`
}

// boostPlanJSON is a coin boost plan; Rounds is left out of lists.
type boostPlanJSON struct {
	ID              int64             `json:"id"`
	StudioID        int64             `json:"studio_id"`
	AccountID       int64             `json:"account_id"`
	SessionID       string            `json:"session_id"`
	StoredSessionID int64             `json:"stored_session_id"`
	TotalCoins      int64             `json:"total_coins"`
	CoinsPerClaim   int64             `json:"coins_per_claim"`
	ClaimTimes      int64             `json:"claim_times"`
	IntervalSeconds int64             `json:"interval_seconds"`
	MinViewers      *int64            `json:"min_viewers"`
	Status          string            `json:"status"`
	Reason          string            `json:"reason"`
	CreatedAt       string            `json:"created_at"`
	EndedAt         *string           `json:"ended_at"`
	CoinsSpent      *int64            `json:"coins_spent,omitempty"`
	CoinsClaimed    *int64            `json:"coins_claimed,omitempty"`
	Rounds          *[]boostRoundJSON `json:"rounds,omitempty"`
}

func newBoostPlanJSON(p *liveboard.BoostPlan, region liveboard.Region,
	withRounds bool) boostPlanJSON {
	out := boostPlanJSON{ID: p.ID, StudioID: p.StudioID,
		AccountID: p.AccountID, SessionID: p.ShopeeSessionID,
		StoredSessionID: p.SessionID, TotalCoins: p.TotalCoins,
		CoinsPerClaim: p.CoinsPerClaim, ClaimTimes: p.ClaimTimes,
		IntervalSeconds: int64(p.Interval / time.Second),
		MinViewers:      p.MinViewers, Status: string(p.Status),
		Reason: p.Reason, CreatedAt: regionTime(p.CreatedAt, region),
		EndedAt: optionalTime(p.EndedAt, region)}
	if !withRounds {
		return out
	}
	rounds := []boostRoundJSON{}
	for _, r := range p.Rounds {
		rounds = append(rounds, boostRoundJSON{Round: r.Number,
			Status: string(r.Status), At: regionTime(r.At, region),
			Coins: r.Coins, Viewers: r.Viewers, Claimed: r.Claimed,
			Claims: r.Claims, Error: r.Error,
			Updated: optionalTime(&r.UpdatedAt, region)})
	}
	out.Rounds = &rounds
	out.CoinsSpent = new(liveboard.BoostSpent(p.Rounds))
	out.CoinsClaimed = new(liveboard.BoostClaimed(p.Rounds))
	return out
}

// boostRequest is the body of POST /coins/boost. MinViewers is
// optional.
type boostRequest struct {
	AccountID       int64  `json:"account_id"`
	SessionID       flexID `json:"session_id"`
	TotalCoins      int64  `json:"total_coins"`
	CoinsPerClaim   int64  `json:"coins_per_claim"`
	ClaimTimes      int64  `json:"claim_times"`
	IntervalSeconds int64  `json:"interval_seconds"`
	MinViewers      *int64 `json:"min_viewers"`
}

// boostsReady returns EInvalid when this server runs no coin boosts.
func (s *Server) boostsReady() error {
	if s.cfg.Booster == nil || s.cfg.Boosts == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"coin boosts are not configured")
	}
	return nil
}

// startBoost answers POST /coins/boost: it checks and stores a coin
// boost plan for one of the account's live sessions and queues its
// first round now. It needs the operator role.
func (s *Server) startBoost(w http.ResponseWriter, r *http.Request) error {
	var req boostRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.AccountID == 0 {
		return liveboard.Errorf(liveboard.EInvalid, "account_id is required")
	}
	ctx := r.Context()
	a, err := s.roleOnAccount(ctx, req.AccountID, liveboard.RoleOperator)
	if err != nil {
		return err
	}
	sid, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}
	if err := s.boostsReady(); err != nil {
		return err
	}

	p := &liveboard.BoostPlan{AccountID: a.ID,
		ShopeeSessionID: strconv.FormatInt(sid, 10),
		TotalCoins:      req.TotalCoins, CoinsPerClaim: req.CoinsPerClaim,
		ClaimTimes: req.ClaimTimes,
		Interval:   time.Duration(req.IntervalSeconds) * time.Second,
		MinViewers: req.MinViewers}
	if pr := principalFrom(ctx); pr != nil {
		p.CreatedBy = pr.UserID
	}
	if err := s.cfg.Booster.Launch(ctx, p, s.cfg.Boosts); err != nil {
		return err
	}

	s.audit(r, liveboard.AuditCoinAction, p.StudioID,
		"session "+p.ShopeeSessionID, fmt.Sprintf("boost plan %d "+
			"started: %d coins, %d × %d every %ds", p.ID, p.TotalCoins,
			p.CoinsPerClaim, p.ClaimTimes, req.IntervalSeconds))
	s.writeData(w, http.StatusCreated, newBoostPlanJSON(p, a.Region, true))
	return nil
}

// roleOnAccount returns a stored, unremoved account whose studio the
// caller holds role in; ENotFound for anyone without a role there.
func (s *Server) roleOnAccount(ctx context.Context, id int64,
	role liveboard.Role) (*liveboard.Account, error) {
	a, err := s.cfg.Store.Account(ctx, id)
	if err == nil && a.RemovedAt != nil {
		err = liveboard.Errorf(liveboard.ENotFound, "removed")
	}
	if err == nil {
		err = requireRole(ctx, a.StudioID, role)
	}
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return nil, liveboard.Errorf(liveboard.ENotFound,
			"account %d not found", id)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// boostPlan returns the plan the path names, which the caller must hold
// role on, and its account's region.
func (s *Server) boostPlan(r *http.Request, role liveboard.Role) (
	*liveboard.BoostPlan, liveboard.Region, error) {
	ctx := r.Context()
	id, err := pathID(r, "boost plan")
	if err != nil {
		return nil, "", err
	}
	p, err := s.cfg.Store.BoostPlan(ctx, id)
	if err == nil {
		err = requireRole(ctx, p.StudioID, role)
	}
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return nil, "", liveboard.Errorf(liveboard.ENotFound,
			"boost plan %d not found", id)
	}
	if err != nil {
		return nil, "", err
	}
	a, err := s.cfg.Store.Account(ctx, p.AccountID)
	if err != nil {
		return nil, "", err
	}
	return p, a.Region, nil
}

// getBoost answers GET /coins/boost/{id}: a plan with its rounds.
func (s *Server) getBoost(w http.ResponseWriter, r *http.Request) error {
	p, region, err := s.boostPlan(r, liveboard.RoleViewer)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newBoostPlanJSON(p, region, true))
	return nil
}

// stopBoost answers POST /coins/boost/{id}/stop: no round of the plan
// starts after it. It needs the operator role.
func (s *Server) stopBoost(w http.ResponseWriter, r *http.Request) error {
	p, region, err := s.boostPlan(r, liveboard.RoleOperator)
	if err != nil {
		return err
	}
	if err := s.boostsReady(); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.cfg.Booster.Stop(ctx, p.ID, "stopped through the API"); err != nil {
		return err
	}
	s.audit(r, liveboard.AuditCoinAction, p.StudioID,
		"session "+p.ShopeeSessionID,
		fmt.Sprintf("boost plan %d stopped", p.ID))
	if p, err = s.cfg.Store.BoostPlan(ctx, p.ID); err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newBoostPlanJSON(p, region, true))
	return nil
}

// listBoosts answers GET /coins/boost: a studio's plans, newest first,
// without their rounds.
func (s *Server) listBoosts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	studioID := st.ID
	limit, err := queryInt(r.URL.Query(), "limit", 100, 1, 500)
	if err != nil {
		return err
	}
	regions, err := s.accountRegions(ctx, studioID)
	if err != nil {
		return err
	}

	list, err := s.cfg.Store.BoostPlans(ctx, studioID, int(limit))
	if err != nil {
		return err
	}
	out := make([]boostPlanJSON, len(list))
	for i := range list {
		region, ok := regions[list[i].AccountID]
		if !ok {
			region = st.Region
		}
		out[i] = newBoostPlanJSON(&list[i], region, false)
	}
	s.writeData(w, http.StatusOK, map[string]any{"studio_id": studioID,
		"plans": out})
	return nil
}
