package workflow_test

import (
	"slices"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

// optimizer returns an optimizer on the harness's store, simulator and
// clock, through a client that caches nothing, so that each read sees
// the simulator's state at once.
func (h *harness) optimizer() (*workflow.Optimizer, *shopee.Client) {
	h.t.Helper()
	cfg := fastClient()
	cfg.BaseURL = h.url
	cfg.CacheTTL = -1
	client, err := shopee.New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	return &workflow.Optimizer{Store: h.store, Shopee: client,
		Now: h.clock.Now, Logger: quiet}, client
}

// judged is a campaign of the simulator with its ROI as Liveboard
// computes it from the ground truth.
type judged struct {
	account  liveboard.Account
	campaign shopeesim.CampaignTruth
	roi      float64
}

// ongoingROIs returns the simulator's ongoing campaigns that spent at
// least minSpend, lowest ROI first.
func (h *harness) ongoingROIs(minSpend liveboard.Money) []judged {
	var out []judged
	for i, sa := range h.sims {
		for _, c := range h.sim.Campaigns(sa.UserID) {
			if c.State != "ongoing" || c.Cost < minSpend {
				continue
			}
			comm := liveboard.Commission(c.BroadGMV,
				h.studio.CommissionBasisPoints)
			roi, _ := liveboard.ROI(c.BroadGMV, c.Cost, comm)
			out = append(out, judged{h.accounts[i], c, roi})
		}
	}
	slices.SortFunc(out, func(a, b judged) int {
		switch {
		case a.roi < b.roi:
			return -1
		case a.roi > b.roi:
			return 1
		}
		return 0
	})
	return out
}

// campaignState returns a campaign's state in the simulator now.
func (h *harness) campaignState(userID, id int64) string {
	for _, c := range h.sim.Campaigns(userID) {
		if c.CampaignID == id {
			return c.State
		}
	}
	return ""
}

// floorAbove sets the studio's auto-pause settings so that only the
// worst campaign is below the floor, and returns it.
func (h *harness) floorAbove(enabled bool) judged {
	h.t.Helper()
	set, err := h.store.AutoPauseSettings(ctx, h.studio.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	js := h.ongoingROIs(set.MinSpend)
	if len(js) < 2 {
		h.t.Fatalf("want two ongoing campaigns to compare, have %d",
			len(js))
	}
	set.Enabled = enabled
	set.ROIFloorPercent = (js[0].roi + js[1].roi) / 2
	if err := h.store.SaveAutoPauseSettings(ctx, set); err != nil {
		h.t.Fatal(err)
	}
	return js[0]
}

func TestReviewCampaigns(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3, Accounts: 4})
		o, _ := h.optimizer()

		rv, err := o.Review(ctx, h.studio.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rv.Accounts) != len(h.accounts) {
			t.Fatalf("%d accounts reviewed, want %d", len(rv.Accounts),
				len(h.accounts))
		}
		for i, ar := range rv.Accounts {
			if ar.Err != nil {
				t.Fatalf("account %d: %v", ar.Account.ID, ar.Err)
			}
			uid := h.sims[i].UserID
			truth := h.sim.Campaigns(uid)
			ads, _ := h.sim.Ads(uid)
			if ar.ExpenseToday == nil || *ar.ExpenseToday != ads.ExpenseToday {
				t.Errorf("account %d: expense %v, want %v", ar.Account.ID,
					ar.ExpenseToday, ads.ExpenseToday)
			}
			if len(ar.Campaigns) != len(truth) {
				t.Fatalf("account %d: %d campaigns, want %d",
					ar.Account.ID, len(ar.Campaigns), len(truth))
			}
			for j, c := range ar.Campaigns {
				tr := truth[j]
				comm := liveboard.Commission(tr.BroadGMV, 500)
				want, ok := liveboard.ROI(tr.BroadGMV, tr.Cost, comm)
				if c.CampaignID != tr.CampaignID || *c.Spend != tr.Cost ||
					*c.Revenue != tr.BroadGMV || *c.Commission != comm ||
					ok != (c.ROI != nil) || ok && *c.ROI != want {
					t.Errorf("campaign %d: %+v, truth %+v", tr.CampaignID,
						c, tr)
				}
				if c.Suggestion == "" || c.Reason == "" {
					t.Errorf("campaign %d: no suggestion", tr.CampaignID)
				}
			}
		}
	})
}

func TestAutoPause(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, shopeesim.Options{Seed: 3, Accounts: 4})
		o, client := h.optimizer()
		worst := h.floorAbove(false)
		uid := worst.account.ShopeeUserID

		t.Run("not when disabled", func(t *testing.T) {
			rv, r, err := o.Optimize(ctx, h.studio.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Paused != 0 || h.sim.Calls()[shopeesim.
				EndpointLiveStreamEdit] != 0 {
				t.Errorf("paused with auto-pause off: %+v", r)
			}
			if got := suggestion(rv, worst.campaign.CampaignID); got !=
				liveboard.SuggestPause {
				t.Errorf("worst campaign's suggestion = %s, want pause",
					got)
			}
			if h.campaignState(uid, worst.campaign.CampaignID) !=
				"ongoing" {
				t.Error("the worst campaign is no longer ongoing")
			}
		})

		t.Run("not on missing figures", func(t *testing.T) {
			h.floorAbove(true)
			h.sim.SetFaults(shopeesim.EndpointHomepageQuery,
				shopeesim.Faults{Rate: 1,
					Kinds: []shopeesim.FaultKind{shopeesim.NullMetrics}})
			defer h.sim.ClearFaults()
			_, r, err := o.Optimize(ctx, h.studio.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Paused != 0 || r.Campaigns == 0 {
				t.Errorf("report %+v: want campaigns, none paused", r)
			}
		})

		t.Run("not on failed reads", func(t *testing.T) {
			h.sim.SetFaults(shopeesim.EndpointGetAdsData,
				shopeesim.Faults{Rate: 1,
					Kinds: []shopeesim.FaultKind{shopeesim.Error500}})
			defer h.sim.ClearFaults()
			_, r, err := o.Optimize(ctx, h.studio.ID)
			if err == nil || r.Failed != len(h.accounts) || r.Paused != 0 {
				t.Errorf("report %+v, error %v: want every account "+
					"failed, none paused", r, err)
			}
			if n := h.sim.Calls()[shopeesim.EndpointLiveStreamEdit]; n != 0 {
				t.Errorf("%d edits sent", n)
			}
		})

		t.Run("pauses the worst campaign once", func(t *testing.T) {
			h.clock.Advance(time.Minute)
			before := h.sim.Campaigns(uid)
			_, r, err := o.Optimize(ctx, h.studio.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Paused != 1 || r.PauseFailed != 0 {
				t.Fatalf("report %+v: want one pause", r)
			}
			if got := h.campaignState(uid,
				worst.campaign.CampaignID); got != "paused" {
				t.Errorf("simulator shows the campaign %s, want paused", got)
			}
			acts, err := h.store.CampaignActions(ctx, h.studio.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(acts) != 1 {
				t.Fatalf("%d actions recorded, want 1: %+v", len(acts), acts)
			}
			a := acts[0]
			tr := truthOf(before, worst.campaign.CampaignID)
			comm := liveboard.Commission(tr.BroadGMV, 500)
			roi, _ := liveboard.ROI(tr.BroadGMV, tr.Cost, comm)
			if a.CampaignID != tr.CampaignID || a.Kind != "pause" ||
				a.Outcome != liveboard.ActionDone || a.Spend != tr.Cost ||
				a.Revenue != tr.BroadGMV || a.ROIPercent != roi ||
				a.AccountID != worst.account.ID ||
				!a.DecidedAt.Equal(h.clock.Now()) ||
				a.Date != liveboard.DateIn(h.clock.Now(),
					liveboard.RegionID.Location()) {
				t.Errorf("action %+v, truth %+v (ROI %v)", a, tr, roi)
			}

			// Someone resumes it: later runs the same day leave it be.
			if err := client.EditCampaign(ctx, authOf(h, worst.account),
				shopee.CampaignEdit{CampaignID: tr.CampaignID,
					Action: shopee.CampaignResume}); err != nil {
				t.Fatal(err)
			}
			edits := h.sim.Calls()[shopeesim.EndpointLiveStreamEdit]
			h.clock.Advance(15 * time.Minute)
			if _, r, err := o.Optimize(ctx, h.studio.ID); err != nil ||
				r.Paused != 0 {
				t.Errorf("second run: %+v, %v; want no pause", r, err)
			}
			if got := h.sim.Calls()[shopeesim.EndpointLiveStreamEdit]; got !=
				edits {
				t.Errorf("the second run sent %d edits", got-edits)
			}
			if got := h.campaignState(uid, tr.CampaignID); got != "ongoing" {
				t.Errorf("resumed campaign is %s", got)
			}
		})
	})
}

func suggestion(rv *workflow.StudioReview, id int64) liveboard.SuggestionKind {
	for _, ar := range rv.Accounts {
		for _, c := range ar.Campaigns {
			if c.CampaignID == id {
				return c.Suggestion
			}
		}
	}
	return ""
}

func truthOf(list []shopeesim.CampaignTruth,
	id int64) shopeesim.CampaignTruth {
	for _, c := range list {
		if c.CampaignID == id {
			return c
		}
	}
	return shopeesim.CampaignTruth{}
}

func authOf(h *harness, a liveboard.Account) shopee.Auth {
	cookies, err := h.store.AccountCookies(ctx, a.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return shopee.Auth{AccountID: a.ID, Region: a.Region, Cookies: cookies}
}
