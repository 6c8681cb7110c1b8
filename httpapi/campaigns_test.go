package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

const campaignsPath = "/api/live-streaming/campaigns"

type campaignReview struct {
	CampaignID string           `json:"campaign_id"`
	State      string           `json:"state"`
	Spend      *json.Number     `json:"spend"`
	Revenue    *json.Number     `json:"revenue"`
	Commission *json.Number     `json:"commission"`
	ROI        *float64         `json:"roi_percent"`
	Suggestion string           `json:"suggestion"`
	Reason     string           `json:"reason"`
	Budget     *liveboard.Money `json:"daily_budget"`
}

type optimization struct {
	StudioID  int64 `json:"studio_id"`
	AutoPause struct {
		Enabled bool `json:"enabled"`
	} `json:"auto_pause"`
	Accounts []struct {
		AccountID int64            `json:"account_id"`
		Status    string           `json:"status"`
		Currency  string           `json:"currency"`
		Expense   *liveboard.Money `json:"expense_today"`
		Campaigns []campaignReview `json:"campaigns"`
	} `json:"accounts"`
}

// TestCampaignOptimization reads studio 1's campaigns through the API and
// checks each against the simulator's ground truth, money exact.
func TestCampaignOptimization(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		res := h.get(t, campaignsPath+"/optimization?studio_id="+
			itoa(h.studio1.ID), viewer1)
		got := dataOf[optimization](t, res, http.StatusOK)
		if got.StudioID != h.studio1.ID || got.AutoPause.Enabled ||
			len(got.Accounts) != 3 {
			t.Fatalf("review: %+v", got)
		}
		st, err := h.store.Studio(context.Background(), h.studio1.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range got.Accounts {
			uid := h.accounts[i].ShopeeUserID
			ads, _ := h.sim.Ads(uid)
			if a.Status != "ok" || a.Currency != "IDR" ||
				a.Expense == nil || *a.Expense != ads.ExpenseToday {
				t.Errorf("account %d: %+v, expense truth %v", a.AccountID,
					a, ads.ExpenseToday)
			}
			truth := h.sim.Campaigns(uid)
			if len(a.Campaigns) != len(truth) {
				t.Fatalf("account %d: %d campaigns, want %d", a.AccountID,
					len(a.Campaigns), len(truth))
			}
			for j, c := range a.Campaigns {
				tr := truth[j]
				comm := liveboard.Commission(tr.BroadGMV,
					st.CommissionBasisPoints)
				roi, ok := liveboard.ROI(tr.BroadGMV, tr.Cost, comm)
				if c.CampaignID != itoa(tr.CampaignID) ||
					string(*c.Spend) != tr.Cost.String() ||
					string(*c.Revenue) != tr.BroadGMV.String() ||
					string(*c.Commission) != comm.String() ||
					ok != (c.ROI != nil) || ok && *c.ROI != roi ||
					c.Suggestion == "" || c.Reason == "" {
					t.Errorf("campaign %+v, truth %+v", c, tr)
				}
			}
		}
	})
}

type autoPause struct {
	StudioID  int64           `json:"studio_id"`
	Enabled   bool            `json:"enabled"`
	Floor     float64         `json:"roi_floor_percent"`
	MinSpend  liveboard.Money `json:"min_spend"`
	Currency  string          `json:"currency"`
	UpdatedAt *string         `json:"updated_at"`
}

func TestAutoPauseSettings(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		path := campaignsPath + "/auto-pause"
		studio := h.studio1.ID

		def := dataOf[autoPause](t, h.get(t, path+"?studio_id="+
			itoa(studio), viewer1), http.StatusOK)
		if def.Enabled || def.Floor != 0 || def.Currency != "IDR" ||
			def.MinSpend != liveboard.MoneyFromMajor(50_000) ||
			def.UpdatedAt != nil {
			t.Errorf("defaults: %+v", def)
		}

		t.Run("ErrInvalid", func(t *testing.T) {
			for _, body := range []map[string]any{
				{"enabled": true},
				{"studio_id": studio, "min_spend": -1},
				{"studio_id": studio, "roi_floor_percent": -5000},
				{"studio_id": studio, "roi_floor_percent": "high"},
				{"studio_id": studio, "enable": true},
			} {
				res := h.put(t, path, admin1, body)
				wantError(t, res, http.StatusBadRequest, liveboard.EInvalid)
			}
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			res := h.put(t, path, operator1, map[string]any{
				"studio_id": studio, "enabled": true})
			wantError(t, res, http.StatusForbidden, liveboard.EForbidden)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			res := h.put(t, path, member2, map[string]any{
				"studio_id": studio, "enabled": true})
			wantError(t, res, http.StatusNotFound, liveboard.ENotFound)
		})

		saved := dataOf[autoPause](t, h.put(t, path, admin1, map[string]any{
			"studio_id": studio, "enabled": true, "roi_floor_percent": 5.5,
			"min_spend": "75000.5"}), http.StatusOK)
		got := dataOf[autoPause](t, h.get(t, path+"?studio_id="+
			itoa(studio), viewer1), http.StatusOK)
		if !got.Enabled || got.Floor != 5.5 ||
			got.MinSpend != 7_500_050_000 || got.UpdatedAt == nil ||
			*got.UpdatedAt != *saved.UpdatedAt {
			t.Errorf("saved %+v, read %+v", saved, got)
		}
		// Left out keeps its value.
		got = dataOf[autoPause](t, h.put(t, path, admin1, map[string]any{
			"studio_id": studio, "enabled": false}), http.StatusOK)
		if got.Enabled || got.Floor != 5.5 {
			t.Errorf("after turning off: %+v", got)
		}

		target := "studio " + h.studio1.Name
		for _, detail := range []string{
			"auto-pause on, ROI floor 5.5%, minimum spend Rp 75.001",
			"auto-pause off, ROI floor 5.5%",
		} {
			if !h.audited(t, "campaign.auto_pause", target, detail) {
				t.Errorf("no audit entry %q", detail)
			}
		}
	})
}

func TestCampaignActionsRoute(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		a := h.accounts[0]
		act := &liveboard.CampaignAction{StudioID: h.studio1.ID,
			AccountID: a.ID, CampaignID: 4_000_000_123, Kind: "pause",
			Date: "2026-03-10", Title: "Live Ads", ROIPercent: -42.25,
			Spend: 7_500_012_345, Revenue: 5_000_000_000,
			DecidedAt: t0}
		ctx := context.Background()
		if _, err := h.store.ClaimCampaignAction(ctx, act); err != nil {
			t.Fatal(err)
		}
		if err := h.store.FinishCampaignAction(ctx, act.ID,
			liveboard.ActionDone, "", t0); err != nil {
			t.Fatal(err)
		}

		res := h.get(t, campaignsPath+"/actions?studio_id="+
			itoa(h.studio1.ID), viewer1)
		type action struct {
			CampaignID string      `json:"campaign_id"`
			Spend      json.Number `json:"spend"`
			ROI        float64     `json:"roi_percent"`
			Outcome    string      `json:"outcome"`
			DecidedAt  string      `json:"decided_at"`
		}
		got := dataOf[struct {
			Actions []action `json:"actions"`
		}](t, res, http.StatusOK)
		want := action{CampaignID: "4000000123", Spend: "75000.12345",
			ROI: -42.25, Outcome: "done",
			DecidedAt: "2026-03-10T19:00:00+07:00"}
		if len(got.Actions) != 1 || got.Actions[0] != want {
			t.Errorf("actions = %+v, want %+v", got.Actions, want)
		}

		res = h.get(t, campaignsPath+"/actions?studio_id="+
			itoa(h.studio1.ID)+"&limit=0", viewer1)
		wantError(t, res, http.StatusBadRequest, liveboard.EInvalid)
	})
}
