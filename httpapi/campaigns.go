package httpapi

import (
	"net/http"
	"strconv"

	"liveboard"
	"liveboard/workflow"
)

// autoPauseJSON is a studio's auto-pause settings. MinSpend is in the
// studio's currency.
type autoPauseJSON struct {
	StudioID        int64           `json:"studio_id"`
	Enabled         bool            `json:"enabled"`
	ROIFloorPercent float64         `json:"roi_floor_percent"`
	MinSpend        liveboard.Money `json:"min_spend"`
	Currency        string          `json:"currency"`
	UpdatedAt       *string         `json:"updated_at"`
}

func newAutoPauseJSON(set liveboard.AutoPauseSettings,
	region liveboard.Region) autoPauseJSON {
	return autoPauseJSON{StudioID: set.StudioID, Enabled: set.Enabled,
		ROIFloorPercent: set.ROIFloorPercent, MinSpend: set.MinSpend,
		Currency:  region.Currency(),
		UpdatedAt: optionalTime(set.UpdatedAt, region)}
}

// campaignReviewJSON is a campaign's figures today with its ROI and
// what to do about it.
type campaignReviewJSON struct {
	CampaignID  string           `json:"campaign_id"`
	Title       string           `json:"title"`
	State       string           `json:"state"`
	DailyBudget *liveboard.Money `json:"daily_budget"`
	Spend       *liveboard.Money `json:"spend"`
	Revenue     *liveboard.Money `json:"revenue"`
	Commission  *liveboard.Money `json:"commission"`
	ROI         *float64         `json:"roi_percent"`
	Suggestion  string           `json:"suggestion"`
	Reason      string           `json:"reason"`
}

// accountReviewJSON is one account's ads today. Status is ok,
// needs_relogin (not read) or failed (Error says why).
type accountReviewJSON struct {
	AccountID    int64                `json:"account_id"`
	UserName     string               `json:"user_name"`
	Region       liveboard.Region     `json:"region"`
	Currency     string               `json:"currency"`
	Date         string               `json:"date"`
	Status       string               `json:"status"`
	Error        *string              `json:"error"`
	ExpenseToday *liveboard.Money     `json:"expense_today"`
	AdsCredit    *liveboard.Money     `json:"ads_credit"`
	LiveBalance  *liveboard.Money     `json:"live_balance"`
	Campaigns    []campaignReviewJSON `json:"campaigns"`
}

func newAccountReviewJSON(ar workflow.AccountReview) accountReviewJSON {
	a := ar.Account
	out := accountReviewJSON{AccountID: a.ID, UserName: a.UserName,
		Region: a.Region, Currency: a.Region.Currency(), Date: ar.Date,
		Status: "ok", ExpenseToday: ar.ExpenseToday, AdsCredit: ar.Credit,
		LiveBalance: ar.LiveBalance, Campaigns: []campaignReviewJSON{}}
	switch {
	case ar.NeedsRelogin:
		out.Status = "needs_relogin"
	case ar.Err != nil:
		msg := liveboard.ErrorMessage(ar.Err)
		out.Status, out.Error = "failed", &msg
	}
	for _, c := range ar.Campaigns {
		out.Campaigns = append(out.Campaigns, campaignReviewJSON{
			CampaignID: strconv.FormatInt(c.CampaignID, 10),
			Title:      c.Title, State: c.State, DailyBudget: c.DailyBudget,
			Spend: c.Spend, Revenue: c.Revenue, Commission: c.Commission,
			ROI: c.ROI, Suggestion: string(c.Suggestion), Reason: c.Reason})
	}
	return out
}

// campaignOptimization answers GET /campaigns/optimization: every
// account's live-stream ads campaigns today, read from Shopee now, with
// their ROI and a suggestion each. It changes nothing.
func (s *Server) campaignOptimization(w http.ResponseWriter,
	r *http.Request) error {
	studioID, err := s.oneStudio(r)
	if err != nil {
		return err
	}
	if s.cfg.Optimizer == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"campaign optimisation is not configured")
	}

	rv, err := s.cfg.Optimizer.Review(r.Context(), studioID)
	if err != nil {
		return err
	}
	region := rv.Studio.Region
	accounts := make([]accountReviewJSON, len(rv.Accounts))
	for i, ar := range rv.Accounts {
		accounts[i] = newAccountReviewJSON(ar)
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"studio_id":     studioID,
		"commission_bp": rv.Studio.CommissionBasisPoints,
		"reviewed_at":   regionTime(rv.At, region),
		"auto_pause":    newAutoPauseJSON(rv.Settings, region),
		"accounts":      accounts})
	return nil
}

// getAutoPause answers GET /campaigns/auto-pause: a studio's auto-pause
// settings, the defaults (off) until it saves its own.
func (s *Server) getAutoPause(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.requestedStudio(r)
	if err != nil {
		return err
	}
	studioID := st.ID
	set, err := s.cfg.Store.AutoPauseSettings(ctx, studioID)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, newAutoPauseJSON(*set, st.Region))
	return nil
}

// autoPauseRequest changes a studio's auto-pause settings: fields left
// out keep their value.
type autoPauseRequest struct {
	StudioID        int64            `json:"studio_id"`
	Enabled         *bool            `json:"enabled"`
	ROIFloorPercent *float64         `json:"roi_floor_percent"`
	MinSpend        *liveboard.Money `json:"min_spend"`
}

// putAutoPause answers PUT /campaigns/auto-pause: changes a studio's
// auto-pause settings and returns them. Needs the admin role.
func (s *Server) putAutoPause(w http.ResponseWriter, r *http.Request) error {
	var req autoPauseRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.StudioID == 0 {
		return liveboard.Errorf(liveboard.EInvalid, "studio_id is required")
	}
	ctx := r.Context()
	if err := requireRole(ctx, req.StudioID, liveboard.RoleAdmin); err != nil {
		return err
	}

	st, err := s.cfg.Store.Studio(ctx, req.StudioID)
	if err != nil {
		return err
	}
	set, err := s.cfg.Store.AutoPauseSettings(ctx, st.ID)
	if err != nil {
		return err
	}
	set.Enabled = valueOr(req.Enabled, set.Enabled)
	set.ROIFloorPercent = valueOr(req.ROIFloorPercent, set.ROIFloorPercent)
	set.MinSpend = valueOr(req.MinSpend, set.MinSpend)
	if err := s.cfg.Store.SaveAutoPauseSettings(ctx, set); err != nil {
		return err
	}
	s.audit(r, liveboard.AuditAutoPause, st.ID, "studio "+st.Name,
		set.Describe(st.Region))
	s.writeData(w, http.StatusOK, newAutoPauseJSON(*set, st.Region))
	return nil
}

func valueOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// campaignActionJSON is a change Liveboard made to a campaign on its
// own. Money is in the account's currency, times in its zone.
type campaignActionJSON struct {
	ID           int64           `json:"id"`
	AccountID    int64           `json:"account_id"`
	CampaignID   string          `json:"campaign_id"`
	Title        string          `json:"title"`
	Kind         string          `json:"kind"`
	Date         string          `json:"date"`
	ROIPercent   float64         `json:"roi_percent"`
	FloorPercent float64         `json:"roi_floor_percent"`
	Spend        liveboard.Money `json:"spend"`
	Revenue      liveboard.Money `json:"revenue"`
	Currency     string          `json:"currency"`
	Outcome      string          `json:"outcome"`
	Error        string          `json:"error"`
	DecidedAt    string          `json:"decided_at"`
	UpdatedAt    string          `json:"updated_at"`
}

func newCampaignActionJSON(a liveboard.CampaignAction,
	region liveboard.Region) campaignActionJSON {
	return campaignActionJSON{ID: a.ID, AccountID: a.AccountID,
		CampaignID: strconv.FormatInt(a.CampaignID, 10), Title: a.Title,
		Kind: a.Kind, Date: a.Date, ROIPercent: a.ROIPercent,
		FloorPercent: a.FloorPercent, Spend: a.Spend, Revenue: a.Revenue,
		Currency: region.Currency(), Outcome: string(a.Outcome),
		Error: a.Error, DecidedAt: regionTime(a.DecidedAt, region),
		UpdatedAt: regionTime(a.UpdatedAt, region)}
}

// campaignActions answers GET /campaigns/actions: the changes Liveboard
// made to a studio's campaigns on its own, newest first.
func (s *Server) campaignActions(w http.ResponseWriter,
	r *http.Request) error {
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
	list, err := s.cfg.Store.CampaignActions(ctx, studioID, int(limit))
	if err != nil {
		return err
	}
	out := make([]campaignActionJSON, len(list))
	for i, a := range list {
		region, ok := regions[a.AccountID]
		if !ok {
			region = st.Region
		}
		out[i] = newCampaignActionJSON(a, region)
	}
	s.writeData(w, http.StatusOK, map[string]any{"studio_id": studioID,
		"actions": out})
	return nil
}
