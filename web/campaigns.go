package web

import (
	"net/http"
	"strconv"
	"strings"

	"liveboard"
	"liveboard/workflow"
)

// campaignsData is the campaigns page's own data.
type campaignsData struct {
	// Review is nil when this server runs no campaign optimisation.
	Review   *workflow.StudioReview
	Settings *liveboard.AutoPauseSettings
	Actions  []actionRow
}

// actionRow is an automatic campaign action with its account.
type actionRow struct {
	Action  liveboard.CampaignAction
	Account liveboard.Account
}

// maxActions caps the log of automatic actions the page shows.
const maxActions = 50

// campaignsPage answers GET /campaigns: each account's live-stream ads
// campaigns today, read from Shopee now and reviewed as the API's
// GET /campaigns/optimization reviews them, the studio's auto-pause
// settings and the log of what auto-pause did.
func (s *Server) campaignsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	page := view{Title: "Campaigns", Visit: v,
		Notice: notices[r.URL.Query().Get("done")]}
	if v.studio == nil {
		s.render(w, http.StatusOK, "campaigns", page)
		return nil
	}
	ctx := r.Context()
	var data campaignsData
	if s.cfg.Optimizer != nil {
		rv, err := s.cfg.Optimizer.Review(ctx, v.studio.ID)
		if err != nil {
			return err
		}
		data.Review, data.Settings = rv, &rv.Settings
	} else {
		set, err := s.cfg.Store.AutoPauseSettings(ctx, v.studio.ID)
		if err != nil {
			return err
		}
		data.Settings = set
	}

	accounts, err := s.cfg.Store.Accounts(ctx, v.studio.ID)
	if err != nil {
		return err
	}
	actions, err := s.cfg.Store.CampaignActions(ctx, v.studio.ID,
		maxActions)
	if err != nil {
		return err
	}
	for _, act := range actions {
		a, err := s.accountOf(r, accounts, act.AccountID)
		if err != nil {
			return err
		}
		data.Actions = append(data.Actions, actionRow{Action: act,
			Account: *a})
	}
	page.Data = data
	s.render(w, http.StatusOK, "campaigns", page)
	return nil
}

// saveAutoPause answers POST /campaigns/auto-pause: the studio's
// auto-pause settings as the form sets them, the minimum spend in the
// studio's currency. Needs the admin role.
func (s *Server) saveAutoPause(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	studioID, err := requireAdmin(v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	set, err := s.cfg.Store.AutoPauseSettings(ctx, studioID)
	if err != nil {
		return err
	}
	set.Enabled = r.PostFormValue("enabled") == "on"
	floor, err := strconv.ParseFloat(strings.TrimSpace(
		r.PostFormValue("roi_floor_percent")), 64)
	if err != nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"the ROI floor must be a number of percent")
	}
	set.ROIFloorPercent = floor
	if set.MinSpend, err = liveboard.ParseMoney(
		r.PostFormValue("min_spend")); err != nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"the minimum spend must be an amount such as 50000")
	}
	// The store checks the ranges, as it does for the API.
	if err := s.cfg.Store.SaveAutoPauseSettings(ctx, set); err != nil {
		return err
	}
	s.audit(r, v, liveboard.AuditAutoPause, v.studio.ID,
		"studio "+v.studio.Name, set.Describe(v.studio.Region))
	seeOther(w, r, "/campaigns", "auto_pause")
	return nil
}
