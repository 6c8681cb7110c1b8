package liveboard

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// ROI returns the return on ad spend as Liveboard defines it everywhere:
// (revenue − spend − commission) / spend × 100, a percentage rounded to
// six decimal places. It reports false when nothing was spent, as ROI is
// then undefined.
func ROI(revenue, spend, commission Money) (float64, bool) {
	if spend <= 0 {
		return 0, false
	}
	profit := revenue - spend - commission
	return round6(float64(profit) / float64(spend) * 100), true
}

// Commission returns what a studio pays out of revenue at its rate in
// basis points, exactly, rounded half away from zero.
func Commission(revenue Money, basisPoints int64) Money {
	c, _ := revenue.MulDiv(basisPoints, 10_000)
	return c
}

// AutoPauseSettings say whether and when campaign optimisation pauses a
// studio's live-stream ads campaigns by itself.
type AutoPauseSettings struct {
	StudioID int64
	// Enabled turns pausing on; campaigns are only judged while it is off.
	Enabled bool
	// ROIFloorPercent is the lowest ROI a campaign may run at.
	ROIFloorPercent float64
	// MinSpend is what a campaign must have spent today before its ROI
	// is judged, so that a few early clicks do not pause it.
	MinSpend Money
	// UpdatedAt is when the settings were last saved; nil for the
	// defaults.
	UpdatedAt *time.Time
}

// Describe writes the settings for people and the audit log, money in
// region's currency.
func (s AutoPauseSettings) Describe(region Region) string {
	state := "off"
	if s.Enabled {
		state = "on"
	}
	return fmt.Sprintf("auto-pause %s, ROI floor %g%%, minimum spend %s",
		state, s.ROIFloorPercent, region.FormatMoney(s.MinSpend))
}

// defaultMinSpend is each region's default MinSpend in major units, about
// the same small amount everywhere: Rp 50.000 in Indonesia.
var defaultMinSpend = map[Region]int64{
	RegionID: 50_000, RegionVN: 75_000, RegionMY: 15, RegionTH: 100,
	RegionPH: 150, RegionSG: 5, RegionTW: 100, RegionBR: 15,
}

// DefaultAutoPause returns the settings of a studio that never saved its
// own: pausing off, a floor of 0% (the ads at least pay for themselves)
// and the region's default minimum spend.
func DefaultAutoPause(studioID int64, region Region) AutoPauseSettings {
	min, ok := defaultMinSpend[region]
	if !ok {
		min = defaultMinSpend[RegionID]
	}
	return AutoPauseSettings{StudioID: studioID,
		MinSpend: MoneyFromMajor(min)}
}

// Validate returns an EInvalid error when the settings cannot be used.
func (s AutoPauseSettings) Validate() error {
	f := s.ROIFloorPercent
	switch {
	case math.IsNaN(f) || f < -1000 || f > 100_000:
		return Errorf(EInvalid, "roi_floor_percent must be between "+
			"-1000 and 100000")
	case s.MinSpend < 0:
		return Errorf(EInvalid, "min_spend must not be negative")
	}
	return nil
}

// CampaignFigures are what Shopee reports of a live-stream ads campaign
// today. Nil amounts were not reported: they are unknown, not zero.
type CampaignFigures struct {
	CampaignID  int64
	Title       string
	State       string // Shopee's word: "ongoing", "paused", …
	DailyBudget *Money
	// Spend is the campaign's cost today; Revenue the GMV Shopee
	// attributes to its ads (broad GMV).
	Spend   *Money
	Revenue *Money
}

// Ongoing reports whether the campaign is spending, in Shopee's words.
func (c CampaignFigures) Ongoing() bool { return c.State == "ongoing" }

// SuggestionKind is what a campaign review suggests, for programs.
type SuggestionKind string

// The suggestions. See ReviewCampaign for when each is made.
const (
	SuggestNone        SuggestionKind = "none"
	SuggestPause       SuggestionKind = "pause"
	SuggestRaiseBudget SuggestionKind = "raise_budget"
	SuggestWatch       SuggestionKind = "watch"
)

// The margins of the suggestion rules, in percentage points of ROI, and
// the share of the budget that counts as nearly spent.
const (
	RaiseBudgetMargin = 100.0
	WatchMargin       = 25.0
	NearlySpentBP     = 9_000
)

// CampaignReview is a campaign's figures with what Liveboard makes of
// them.
type CampaignReview struct {
	CampaignFigures
	// Commission is the studio's commission on Revenue; nil when Revenue
	// is unknown.
	Commission *Money
	// ROI is a percentage; nil when spend or revenue is unknown or
	// nothing was spent.
	ROI *float64

	Suggestion SuggestionKind
	// Reason explains the suggestion with the figures behind it.
	Reason string
}

// ReviewCampaign computes the campaign's ROI with the studio's
// commission rate and suggests one thing, by the first rule that holds:
//
//  1. spend or revenue unknown, or nothing spent: none (nothing to judge);
//  2. the campaign is not ongoing: none;
//  3. less than MinSpend spent: none (too early to judge);
//  4. ROI below the floor: pause;
//  5. ROI at least RaiseBudgetMargin points above the floor and
//     NearlySpentBP of a known daily budget spent: raise_budget;
//  6. ROI less than WatchMargin points above the floor: watch (lower the
//     budget or keep an eye on it before it falls below);
//  7. otherwise none.
//
// Amounts in reasons are written the region's way.
func ReviewCampaign(c CampaignFigures, commissionBP int64,
	set AutoPauseSettings, region Region) CampaignReview {
	r := CampaignReview{CampaignFigures: c, Suggestion: SuggestNone}
	if c.Revenue != nil {
		r.Commission = Ptr(Commission(*c.Revenue, commissionBP))
	}
	if c.Spend == nil || c.Revenue == nil {
		r.Reason = "Shopee did not report the campaign's spend and " +
			"revenue: nothing to judge"
		return r
	}
	roi, ok := ROI(*c.Revenue, *c.Spend, *r.Commission)
	if !ok {
		r.Reason = "nothing spent today yet"
		return r
	}
	r.ROI = &roi

	money := region.FormatMoney
	floor := set.ROIFloorPercent
	spent := money(*c.Spend)
	switch {
	case !c.Ongoing():
		r.Reason = fmt.Sprintf("the campaign is %s; ROI %s%% on %s spent",
			c.State, pct(roi), spent)
	case *c.Spend < set.MinSpend:
		r.Reason = fmt.Sprintf("%s spent, less than the %s needed to "+
			"judge it; ROI so far %s%%", spent, money(set.MinSpend),
			pct(roi))
	case roi < floor:
		r.Suggestion = SuggestPause
		r.Reason = fmt.Sprintf("ROI %s%% is below the floor of %s%% "+
			"after %s spent for %s revenue", pct(roi), pct(floor), spent,
			money(*c.Revenue))
	case roi >= floor+RaiseBudgetMargin && nearlySpent(c):
		r.Suggestion = SuggestRaiseBudget
		r.Reason = fmt.Sprintf("ROI %s%% is %s points above the floor "+
			"and %s of the %s daily budget is spent", pct(roi),
			pct(roi-floor), spent, money(*c.DailyBudget))
	case roi < floor+WatchMargin:
		r.Suggestion = SuggestWatch
		r.Reason = fmt.Sprintf("ROI %s%% is less than %s points above "+
			"the floor of %s%%: lower the budget or watch it", pct(roi),
			pct(WatchMargin), pct(floor))
	default:
		r.Reason = fmt.Sprintf("ROI %s%% is above the floor of %s%%",
			pct(roi), pct(floor))
	}
	return r
}

// nearlySpent reports whether the campaign spent NearlySpentBP of a
// known, positive daily budget.
func nearlySpent(c CampaignFigures) bool {
	if c.DailyBudget == nil || *c.DailyBudget <= 0 {
		return false
	}
	limit, _ := c.DailyBudget.MulDiv(NearlySpentBP, 10_000)
	return *c.Spend >= limit
}

// pct writes a percentage with at most two decimals: "12.5", "-3".
func pct(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

// ActionOutcome is where an automatic campaign action stands.
type ActionOutcome string

// The outcomes. A pending action was decided but its call to Shopee has
// not been seen to end; done and failed are what Shopee answered.
const (
	ActionPending ActionOutcome = "pending"
	ActionDone    ActionOutcome = "done"
	ActionFailed  ActionOutcome = "failed"
)

// CampaignAction is a change Liveboard made to a campaign on its own,
// with the figures that justified it. Only pauses exist so far. There is
// at most one action of a kind per campaign and day (in the account's
// time zone).
type CampaignAction struct {
	ID        int64
	StudioID  int64
	AccountID int64

	CampaignID int64
	Title      string
	// Kind is the change, in the ads API's words: "pause".
	Kind string
	// Date is the account's local day the action belongs to.
	Date string

	ROIPercent   float64
	FloorPercent float64
	Spend        Money
	Revenue      Money

	Outcome ActionOutcome
	// Error says why the action failed, for ActionFailed.
	Error string

	// DecidedAt is when the figures were read and the action decided;
	// UpdatedAt when its outcome last changed.
	DecidedAt time.Time
	UpdatedAt time.Time
}
