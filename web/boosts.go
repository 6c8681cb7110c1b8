package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// boostsData is the coin boosts page's own data.
type boostsData struct {
	Plans []boostRow
	// CanStart is set when this server runs coin boosts.
	CanStart bool
	Accounts []liveboard.Account
	// Live are the studio's sessions on air, to start a plan in.
	Live []sessionRow
	// Form is the start form as last sent, for showing it again with
	// the problem it had.
	Form boostForm
}

// boostRow is a plan with its account and what its rounds add up to.
type boostRow struct {
	Plan    liveboard.BoostPlan
	Account liveboard.Account
	Spent   int64
	Claimed int64
}

// boostForm is the start form's fields as typed.
type boostForm struct {
	AccountID, SessionID                    string
	TotalCoins, CoinsPerClaim               string
	ClaimTimes, IntervalSeconds, MinViewers string
}

// maxBoostPlans caps the plans the page shows, each read with its
// rounds.
const maxBoostPlans = 20

// boostsPage answers GET /boosts: the studio's coin boost plans, newest
// first, with their rounds, and for operators a form to start one.
func (s *Server) boostsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	page := view{Title: "Coin boosts", Visit: v,
		Notice: notices[r.URL.Query().Get("done")]}
	return s.showBoosts(w, r, page, http.StatusOK, boostForm{
		ClaimTimes: "10", IntervalSeconds: "60"})
}

func (s *Server) showBoosts(w http.ResponseWriter, r *http.Request,
	page view, status int, form boostForm) error {
	v := page.Visit
	if v.studio == nil {
		s.render(w, status, "boosts", page)
		return nil
	}
	ctx := r.Context()
	data := boostsData{Form: form,
		CanStart: s.cfg.Booster != nil && s.cfg.Boosts != nil}
	var err error
	if data.Accounts, err = s.cfg.Store.Accounts(ctx,
		v.studio.ID); err != nil {
		return err
	}
	plans, err := s.cfg.Store.BoostPlans(ctx, v.studio.ID, maxBoostPlans)
	if err != nil {
		return err
	}
	for _, p := range plans {
		// The list leaves the rounds out; the plan itself has them.
		full, err := s.cfg.Store.BoostPlan(ctx, p.ID)
		if err != nil {
			return err
		}
		a, err := s.accountOf(r, data.Accounts, p.AccountID)
		if err != nil {
			return err
		}
		data.Plans = append(data.Plans, boostRow{Plan: *full, Account: *a,
			Spent:   liveboard.BoostSpent(full.Rounds),
			Claimed: liveboard.BoostClaimed(full.Rounds)})
	}

	live, _, err := s.cfg.Store.Sessions(ctx, liveboard.SessionFilter{
		StudioIDs: []int64{v.studio.ID},
		Status:    liveboard.SessionOngoing, Limit: 100})
	if err != nil {
		return err
	}
	for _, se := range live {
		a, err := s.accountOf(r, data.Accounts, se.AccountID)
		if err != nil {
			return err
		}
		data.Live = append(data.Live, sessionRow{Session: se, Account: *a})
	}
	page.Data = data
	s.render(w, status, "boosts", page)
	return nil
}

// startBoost answers POST /boosts: it checks and stores a coin boost
// plan for a live session of one of the studio's accounts and queues
// its first round now, as POST /coins/boost of the API does. The plan's
// problems show on the page with the form as sent. Needs the operator
// role.
func (s *Server) startBoost(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	if v.studio == nil {
		return liveboard.Errorf(liveboard.ENotFound, "no studio")
	}
	if err := v.principal.Require(v.studio.ID,
		liveboard.RoleOperator); err != nil {
		return err
	}
	form := boostForm{AccountID: r.PostFormValue("account_id"),
		SessionID:       r.PostFormValue("session_id"),
		TotalCoins:      r.PostFormValue("total_coins"),
		CoinsPerClaim:   r.PostFormValue("coins_per_claim"),
		ClaimTimes:      r.PostFormValue("claim_times"),
		IntervalSeconds: r.PostFormValue("interval_seconds"),
		MinViewers:      r.PostFormValue("min_viewers")}
	p, err := s.startPlan(r, v, form)
	if err != nil {
		if _, shown := statusOf[liveboard.ErrorCode(err)]; !shown {
			return err
		}
		page := view{Title: "Coin boosts", Visit: v,
			Problem: liveboard.ErrorMessage(err)}
		return s.showBoosts(w, r, page,
			statusOf[liveboard.ErrorCode(err)], form)
	}
	s.auditCoins(r, v, p, fmt.Sprintf("boost plan %d started from the "+
		"dashboard: %d coins, %d × %d every %ds", p.ID, p.TotalCoins,
		p.CoinsPerClaim, p.ClaimTimes, int64(p.Interval/time.Second)))
	seeOther(w, r, "/boosts", "boost_started")
	return nil
}

// startPlan reads the start form into a plan and launches it.
func (s *Server) startPlan(r *http.Request, v *visit,
	form boostForm) (*liveboard.BoostPlan, error) {
	if s.cfg.Booster == nil || s.cfg.Boosts == nil {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"coin boosts are not configured")
	}
	ctx := r.Context()
	id, err := strconv.ParseInt(form.AccountID, 10, 64)
	if err != nil || id <= 0 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"choose an account")
	}
	a, err := s.cfg.Store.Account(ctx, id)
	if liveboard.ErrorCode(err) == liveboard.ENotFound ||
		(err == nil && (a.StudioID != v.studio.ID || a.RemovedAt != nil)) {
		return nil, liveboard.Errorf(liveboard.ENotFound,
			"account %d not found", id)
	}
	if err != nil {
		return nil, err
	}
	sid, err := strconv.ParseInt(strings.TrimSpace(form.SessionID), 10, 64)
	if err != nil || sid <= 0 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"choose a live session")
	}

	f := intForm{}
	p := &liveboard.BoostPlan{AccountID: a.ID,
		ShopeeSessionID: strconv.FormatInt(sid, 10),
		TotalCoins:      f.int("total_coins", form.TotalCoins),
		CoinsPerClaim:   f.int("coins_per_claim", form.CoinsPerClaim),
		ClaimTimes:      f.int("claim_times", form.ClaimTimes),
		Interval: time.Duration(f.int("interval_seconds",
			form.IntervalSeconds)) * time.Second,
		CreatedBy: v.user.ID}
	if strings.TrimSpace(form.MinViewers) != "" {
		p.MinViewers = new(f.int("min_viewers", form.MinViewers))
	}
	if f.err != nil {
		return nil, f.err
	}
	if err := s.cfg.Booster.Launch(ctx, p, s.cfg.Boosts); err != nil {
		return nil, err
	}
	return p, nil
}

// intForm reads whole numbers of a form, keeping the first error. The
// ranges are the plan's to check.
type intForm struct{ err error }

func (f *intForm) int(name, text string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil && f.err == nil {
		f.err = liveboard.Errorf(liveboard.EInvalid,
			"%s must be a whole number", name)
	}
	return n
}

// stopBoost answers POST /boosts/{id}/stop: no round of the plan starts
// after it. A plan of another studio is not found. Needs the operator
// role.
func (s *Server) stopBoost(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	ctx := r.Context()
	notFound := liveboard.Errorf(liveboard.ENotFound, "no such boost plan")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound
	}
	p, err := s.cfg.Store.BoostPlan(ctx, id)
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return notFound
	}
	if err != nil {
		return err
	}
	if err := v.principal.Require(p.StudioID,
		liveboard.RoleOperator); err != nil {
		return err
	}
	if s.cfg.Booster == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"coin boosts are not configured")
	}
	if err := s.cfg.Booster.Stop(ctx, p.ID,
		"stopped from the dashboard"); err != nil {
		return err
	}
	s.auditCoins(r, v, p, fmt.Sprintf("boost plan %d stopped from the "+
		"dashboard", p.ID))
	seeOther(w, r, "/boosts", "boost_stopped")
	return nil
}

// auditCoins records a coin action on the plan's session in the
// studio's audit log, as the API does.
func (s *Server) auditCoins(r *http.Request, v *visit,
	p *liveboard.BoostPlan, detail string) {
	s.audit(r, v, liveboard.AuditCoinAction, p.StudioID,
		"session "+p.ShopeeSessionID, detail)
}

// audit records an action of the visit's person in a studio's audit
// log. A failure to record is logged: the action is done.
func (s *Server) audit(r *http.Request, v *visit,
	action liveboard.AuditAction, studioID int64, target, detail string) {
	e := liveboard.NewAuditEntry(v.principal, s.cfg.ClientIP(r),
		s.cfg.Now(), action, studioID, target)
	e.Detail = detail
	if err := s.cfg.Store.RecordAudit(r.Context(), e); err != nil {
		s.cfg.Logger.Error("record audit entry", "action", action,
			"error", err)
	}
}
