package shopee

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"time"

	"liveboard"
)

// adsPath is where the seller centre serves its ads (PAS) API. Amounts
// there are integers in 1/100000 of a currency unit and times are unix
// seconds.
const adsPath = "/api/pas/v1"

// adsCall describes a POST to the ads API. Its query repeats the SPC_CDS
// cookie, as the seller centre's own pages do, when the login has one.
func adsCall(endpoint, path string, a Auth, u use) call {
	q := url.Values{}
	if cds := cookieValue(a.Cookies, "SPC_CDS"); cds != "" {
		q.Set("SPC_CDS", cds)
		q.Set("SPC_CDS_VER", "2")
	}
	return call{
		endpoint: endpoint,
		service:  ServiceSeller,
		path:     adsPath + path,
		query:    q,
		referer:  pageURL(a.Region, ServiceSeller, "/"),
		family:   pasFamily,
		use:      u,
	}
}

// Campaign is a live-stream ads campaign with its figures for a period.
type Campaign struct {
	CampaignID int64
	Title      string
	// State is Shopee's word for it: "ongoing", "paused", or another.
	State       string
	DailyBudget *liveboard.Money
	Report      CampaignReport
}

// CampaignReport is what a campaign did in a period. Nil fields were not
// reported.
type CampaignReport struct {
	Cost         *liveboard.Money
	BroadGMV     *liveboard.Money
	DirectGMV    *liveboard.Money
	Impressions  *int64
	Views        *int64
	Clicks       *int64
	BroadOrders  *int64
	DirectOrders *int64
}

type homepageQuery struct {
	StartTime  int64            `json:"start_time"`
	EndTime    int64            `json:"end_time"`
	FilterList []homepageFilter `json:"filter_list"`
	Offset     int              `json:"offset"`
	Limit      int              `json:"limit"`
}

type homepageFilter struct {
	CampaignType      string `json:"campaign_type"`
	State             string `json:"state"`
	SearchTerm        string `json:"search_term"`
	IsValidRebateOnly bool   `json:"is_valid_rebate_only"`
}

type wireCampaignPage struct {
	Total     wireInt             `json:"total"`
	EntryList []wireCampaignEntry `json:"entry_list"`
}

type wireCampaignEntry struct {
	Title    string `json:"title"`
	State    string `json:"state"`
	Campaign struct {
		CampaignID  wireInt    `json:"campaign_id"`
		DailyBudget wireMicros `json:"daily_budget"`
	} `json:"campaign"`
	Report struct {
		Cost        wireMicros `json:"cost"`
		BroadGMV    wireMicros `json:"broad_gmv"`
		DirectGMV   wireMicros `json:"direct_gmv"`
		Impression  wireInt    `json:"impression"`
		View        wireInt    `json:"view"`
		Click       wireInt    `json:"click"`
		BroadOrder  wireInt    `json:"broad_order"`
		DirectOrder wireInt    `json:"direct_order"`
	} `json:"report"`
}

func (w *wireCampaignEntry) campaign() Campaign {
	r := w.Report
	return Campaign{
		CampaignID:  w.Campaign.CampaignID.value(),
		Title:       w.Title,
		State:       w.State,
		DailyBudget: w.Campaign.DailyBudget.p,
		Report: CampaignReport{
			Cost: r.Cost.p, BroadGMV: r.BroadGMV.p, DirectGMV: r.DirectGMV.p,
			Impressions: r.Impression.p, Views: r.View.p, Clicks: r.Click.p,
			BroadOrders: r.BroadOrder.p, DirectOrders: r.DirectOrder.p,
		},
	}
}

// campaignPageSize and maxCampaignPages bound the walk of LiveCampaigns.
const (
	campaignPageSize = 50
	maxCampaignPages = 20
)

// LiveCampaigns returns the account's live-stream ads campaigns, in any
// state, with their figures between from and to (to the second). It is
// the ads dashboard's own query (homepage/query), walked page by page.
func (c *Client) LiveCampaigns(ctx context.Context, a Auth,
	from, to time.Time) ([]Campaign, error) {
	const endpoint = "homepageQuery"
	if !from.Before(to) {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: the period must end after it starts", endpoint)
	}

	q := homepageQuery{StartTime: from.Unix(), EndTime: to.Unix(),
		FilterList: []homepageFilter{{CampaignType: "live_stream_homepage",
			State: "all"}},
		Limit: campaignPageSize}
	var out []Campaign
	for page := range maxCampaignPages {
		q.Offset = page * campaignPageSize
		var w wireCampaignPage
		cl := adsCall(endpoint, "/homepage/query/", a, cachedRead)
		if err := c.post(ctx, a, cl, q, &w); err != nil {
			return nil, err
		}

		for i := range w.EntryList {
			out = append(out, w.EntryList[i].campaign())
		}
		total := int(w.Total.value())
		if len(w.EntryList) < campaignPageSize ||
			total > 0 && len(out) >= total {
			break
		}
	}
	return out, nil
}

// PromotionsToday returns the account's live-stream ads campaigns with
// today's figures: the day that holds now in the account's region.
func (c *Client) PromotionsToday(ctx context.Context, a Auth,
	now time.Time) ([]Campaign, error) {
	from, to := dayAround(now, a.Region)
	return c.LiveCampaigns(ctx, a, from, to)
}

// dayAround returns the first and last second of the day that holds t in
// the region's zone. The whole day, rather than up to now, keeps the
// query the same all day, so its answer can be cached.
func dayAround(t time.Time, region liveboard.Region) (time.Time, time.Time) {
	loc := region.Location()
	if loc == nil {
		loc = time.UTC
	}
	local := t.In(loc)
	start := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0,
		loc)
	return start, start.AddDate(0, 0, 1).Add(-time.Second)
}

// CampaignAction is a change EditCampaign makes, in the ads API's words.
type CampaignAction string

// The actions the ads dashboard takes on a live-stream campaign.
const (
	CampaignPause        CampaignAction = "pause"
	CampaignResume       CampaignAction = "resume"
	CampaignStop         CampaignAction = "stop"
	CampaignChangeBudget CampaignAction = "change_budget"
)

// CampaignActions lists every CampaignAction.
var CampaignActions = []CampaignAction{CampaignPause, CampaignResume,
	CampaignStop, CampaignChangeBudget}

// CampaignEdit is one change to a campaign.
type CampaignEdit struct {
	CampaignID int64
	Action     CampaignAction
	// DailyBudget is the new daily budget, for CampaignChangeBudget only.
	DailyBudget liveboard.Money
}

type wireEdit struct {
	CampaignID   int64       `json:"campaign_id"`
	Type         string      `json:"type"`
	ChangeBudget *wireBudget `json:"change_budget,omitempty"`
	Header       struct{}    `json:"header"`
}

type wireBudget struct {
	DailyBudget  int64  `json:"daily_budget"`
	Page         string `json:"page"`
	BudgetLogKey string `json:"budget_log_key"`
}

// EditCampaign pauses, resumes, stops or re-budgets a live-stream ads
// campaign (live_stream/edit). Shopee refusing the change, such as for an
// unknown campaign, fails with ErrRejected. Repeating an edit changes
// nothing more, so failures of the kinds that may pass are retried.
func (c *Client) EditCampaign(ctx context.Context, a Auth,
	e CampaignEdit) error {
	const endpoint = "liveStreamEdit"
	if err := e.check(endpoint); err != nil {
		return err
	}

	body := wireEdit{CampaignID: e.CampaignID, Type: string(e.Action)}
	if e.Action == CampaignChangeBudget {
		body.ChangeBudget = &wireBudget{DailyBudget: int64(e.DailyBudget),
			Page: "page_homepage"}
	}
	cl := adsCall(endpoint, "/live_stream/edit/", a, write)
	return c.post(ctx, a, cl, body, nil)
}

func (e CampaignEdit) check(endpoint string) error {
	switch {
	case e.CampaignID < 1:
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: campaign id must be positive", endpoint)
	case !slices.Contains(CampaignActions, e.Action):
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: unknown action %q (want pause, resume, stop or "+
				"change_budget)", endpoint, string(e.Action))
	case e.Action == CampaignChangeBudget && e.DailyBudget <= 0:
		return liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: a new daily budget must be positive", endpoint)
	}
	return nil
}

// AdsInfoTypes are the info types get_ads_data is known to take.
var AdsInfoTypes = []string{"ads_expense", "ads_credit", "campaign_day",
	"has_ads", "incentive", "ads_toggle", "ads_account"}

// AdsData is the ads account's state, as get_ads_data reports it. Nil
// amounts were not reported.
type AdsData struct {
	// Credit is the ads balance (ads_credit.total).
	Credit *liveboard.Money
	// LiveBalance is what live-stream ads may spend of it
	// (ads_credit.app_detail.live_available_balance).
	LiveBalance *liveboard.Money
	// ExpenseToday is today's ads spend (ads_expense.ads_expense_today).
	ExpenseToday *liveboard.Money
	// Other holds every other info type answered, as Shopee sent it:
	// their shapes are not publicly known.
	Other map[string]json.RawMessage
}

type wireAdsExpense struct {
	Today wireMicros `json:"ads_expense_today"`
}

type wireAdsCredit struct {
	Total     wireMicros `json:"total"`
	AppDetail struct {
		LiveAvailableBalance wireMicros `json:"live_available_balance"`
	} `json:"app_detail"`
}

// AdsData returns the ads account's state for the info types asked for
// (AdsInfoTypes; ads_expense and ads_credit when none are given).
func (c *Client) AdsData(ctx context.Context, a Auth,
	infoTypes ...string) (*AdsData, error) {
	const endpoint = "getAdsData"
	if len(infoTypes) == 0 {
		infoTypes = []string{"ads_expense", "ads_credit"}
	}
	for _, t := range infoTypes {
		if !slices.Contains(AdsInfoTypes, t) {
			return nil, liveboard.Errorf(liveboard.EInvalid,
				"shopee %s: unknown info type %q", endpoint, t)
		}
	}

	var raw map[string]json.RawMessage
	cl := adsCall(endpoint, "/meta/get_ads_data/", a, cachedRead)
	cl.ifEmpty = ErrBadAnswer
	body := map[string][]string{"info_type_list": infoTypes}
	if err := c.post(ctx, a, cl, body, &raw); err != nil {
		return nil, err
	}
	return newAdsData(raw), nil
}

// newAdsData reads the info types it knows; a known one of another
// shape is left unknown.
func newAdsData(raw map[string]json.RawMessage) *AdsData {
	d := &AdsData{}
	var exp wireAdsExpense
	if json.Unmarshal(raw["ads_expense"], &exp) == nil {
		d.ExpenseToday = exp.Today.p
	}
	var credit wireAdsCredit
	if json.Unmarshal(raw["ads_credit"], &credit) == nil {
		d.Credit = credit.Total.p
		d.LiveBalance = credit.AppDetail.LiveAvailableBalance.p
	}
	for k, v := range raw {
		if k == "ads_expense" || k == "ads_credit" {
			continue
		}
		if d.Other == nil {
			d.Other = map[string]json.RawMessage{}
		}
		d.Other[k] = v
	}
	return d
}

// ExpenseToday returns the account's ads spend today, as get_ads_data's
// ads_expense reports it; nil when Shopee did not say.
func (c *Client) ExpenseToday(ctx context.Context,
	a Auth) (*liveboard.Money, error) {
	d, err := c.AdsData(ctx, a, "ads_expense")
	if err != nil {
		return nil, err
	}
	return d.ExpenseToday, nil
}
