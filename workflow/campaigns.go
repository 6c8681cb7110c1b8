package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// CampaignShopee is what campaign optimisation needs of the Shopee
// client.
type CampaignShopee interface {
	PromotionsToday(ctx context.Context, a shopee.Auth,
		now time.Time) ([]shopee.Campaign, error)
	AdsData(ctx context.Context, a shopee.Auth,
		infoTypes ...string) (*shopee.AdsData, error)
	EditCampaign(ctx context.Context, a shopee.Auth,
		e shopee.CampaignEdit) error
}

// DefaultOptimizeAccounts is how many accounts of a studio an Optimizer
// reads at once unless told otherwise.
const DefaultOptimizeAccounts = 4

// Optimizer reviews a studio's live-stream ads campaigns (the
// specification's campaign optimisation): for each account that does
// not need a new login it reads today's campaigns and the ads account's
// spend and balance, computes each campaign's ROI with the studio's
// commission and suggests what to do (see liveboard.ReviewCampaign).
// Optimize also stores each account's spend today, which daily analytics
// count as ad spend, and pauses, when the studio turned auto-pause on, the
// campaigns whose suggestion is pause, once per campaign and day.
type Optimizer struct {
	Store  liveboard.Store
	Shopee CampaignShopee

	// Now is the clock; time.Now by default.
	Now func() time.Time
	// Accounts is how many accounts are read at once.
	Accounts int
	Logger   *slog.Logger
}

// StudioReview is what a review found in a studio's accounts.
type StudioReview struct {
	Studio   liveboard.Studio
	Settings liveboard.AutoPauseSettings
	At       time.Time
	Accounts []AccountReview
}

// AccountReview is one account's ads today.
type AccountReview struct {
	Account liveboard.Account
	// Date is the account's local day the figures are for.
	Date string
	// NeedsRelogin is set for an account that was not read because it
	// needs a new login.
	NeedsRelogin bool
	// Err is why the account could not be read in full; nil when it
	// was. Its campaigns are never paused then.
	Err error

	// ExpenseToday, Credit and LiveBalance are the ads account's spend
	// today and balances; nil when not reported.
	ExpenseToday *liveboard.Money
	Credit       *liveboard.Money
	LiveBalance  *liveboard.Money
	// ExpenseReadAt is when Shopee answered with ExpenseToday.
	ExpenseReadAt time.Time
	Campaigns     []liveboard.CampaignReview
}

// OptimizeReport sums up an Optimize run.
type OptimizeReport struct {
	Accounts  int // accounts read in full
	Skipped   int // accounts not read: they need a new login
	Failed    int // accounts that could not be read
	Campaigns int // campaigns reviewed
	Paused    int // campaigns paused by this run
	// PauseFailed counts pauses Shopee refused or did not answer; they
	// are recorded as failed and tried again by the next run.
	PauseFailed int
}

func (o *Optimizer) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func (o *Optimizer) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

// Review reads every account of the studio and reviews its campaigns.
// An account that cannot be read has its Err set; Review itself fails
// only when the studio or its settings cannot be read (ENotFound for an
// unknown studio).
func (o *Optimizer) Review(ctx context.Context,
	studioID int64) (*StudioReview, error) {
	st, err := o.Store.Studio(ctx, studioID)
	if err != nil {
		return nil, fmt.Errorf("review campaigns of studio %d: %w",
			studioID, err)
	}
	set, err := o.Store.AutoPauseSettings(ctx, studioID)
	if err != nil {
		return nil, fmt.Errorf("review campaigns of studio %d: %w",
			studioID, err)
	}
	accounts, err := o.Store.Accounts(ctx, studioID)
	if err != nil {
		return nil, fmt.Errorf("review campaigns of studio %d: %w",
			studioID, err)
	}

	rv := &StudioReview{Studio: *st, Settings: *set, At: o.now(),
		Accounts: make([]AccountReview, len(accounts))}
	index := map[int64]int{}
	for i, a := range accounts {
		index[a.ID] = i
	}
	limit := orDefault(o.Accounts, DefaultOptimizeAccounts)
	_, _ = overAccounts(accounts, limit, func(*struct{}, struct{}) {},
		func(a liveboard.Account) (struct{}, error) {
			rv.Accounts[index[a.ID]] = o.reviewAccount(ctx, rv, a)
			return struct{}{}, nil
		})
	return rv, nil
}

func (o *Optimizer) reviewAccount(ctx context.Context, rv *StudioReview,
	a liveboard.Account) AccountReview {
	ar := AccountReview{Account: a,
		Date: liveboard.DateIn(rv.At, a.Region.Location())}
	if a.Health.NeedsRelogin {
		ar.NeedsRelogin = true
		return ar
	}
	cookies, err := o.Store.AccountCookies(ctx, a.ID)
	if err != nil {
		ar.Err = fmt.Errorf("account %d: %w", a.ID, err)
		return ar
	}
	auth := shopee.Auth{AccountID: a.ID, Region: a.Region, Cookies: cookies}

	list, err := o.Shopee.PromotionsToday(ctx, auth, rv.At)
	if err != nil {
		ar.Err = o.failed(ctx, &a, err)
		return ar
	}
	// One get_ads_data call answers both today's expense and the
	// balances: ExpenseToday is the same call with ads_expense alone.
	ads, err := o.Shopee.AdsData(ctx, auth, "ads_expense", "ads_credit")
	if err != nil {
		ar.Err = o.failed(ctx, &a, err)
	} else {
		ar.ExpenseToday, ar.Credit = ads.ExpenseToday, ads.Credit
		ar.LiveBalance, ar.ExpenseReadAt = ads.LiveBalance, o.now()
	}

	for _, c := range list {
		f := liveboard.CampaignFigures{CampaignID: c.CampaignID,
			Title: c.Title, State: c.State, DailyBudget: c.DailyBudget,
			Spend: c.Report.Cost, Revenue: c.Report.BroadGMV}
		ar.Campaigns = append(ar.Campaigns, liveboard.ReviewCampaign(f,
			rv.Studio.CommissionBasisPoints, rv.Settings, a.Region))
	}
	if ar.Err == nil && a.Health.ConsecutiveFailures > 0 {
		if err := o.Store.RecordAccountSuccess(ctx, a.ID,
			o.now()); err != nil {
			ar.Err = fmt.Errorf("account %d: %w", a.ID, err)
		}
	}
	return ar
}

// failed records a failed read in the account's health, marking it as
// needing a new login when Shopee refused the login.
func (o *Optimizer) failed(ctx context.Context, a *liveboard.Account,
	err error) error {
	if ctx.Err() == nil {
		rerr := o.Store.RecordAccountFailure(ctx, a.ID, o.now(),
			liveboard.ErrorMessage(err), needsRelogin(err))
		err = errors.Join(err, rerr)
	}
	return fmt.Errorf("account %d: %w", a.ID, err)
}

// Optimize reviews the studio's campaigns and, when its auto-pause is
// on, pauses each campaign whose suggestion is pause. A pause is made
// at most once per campaign and local day, however often Optimize runs:
// the action is claimed in the store before Shopee is called and marked
// done or failed after, and a campaign whose pause is done today is
// left alone even if someone resumed it. A claim left pending by a
// crash, or a failed pause, is tried again by the next run; pausing is
// idempotent at Shopee, so a pause that did go through is harmless to
// repeat. Accounts that could not be read in full are never paused. The
// joined errors of the accounts that failed are returned with the
// report. Before pausing anything it stores the ads spend each account
// reported today, as the account's ad spend of its local day, and
// refreshes the studio's daily analytics of those days.
func (o *Optimizer) Optimize(ctx context.Context, studioID int64) (
	*StudioReview, OptimizeReport, error) {
	var r OptimizeReport
	rv, err := o.Review(ctx, studioID)
	if err != nil {
		return nil, r, err
	}

	var errs []error
	if err := o.keepSpend(ctx, rv); err != nil {
		errs = append(errs, err)
	}
	for _, ar := range rv.Accounts {
		r.Campaigns += len(ar.Campaigns)
		switch {
		case ar.NeedsRelogin:
			r.Skipped++
			continue
		case ar.Err != nil:
			r.Failed++
			errs = append(errs, ar.Err)
			continue
		}
		r.Accounts++
		if !rv.Settings.Enabled {
			continue
		}
		if err := o.pauseAll(ctx, rv, ar, &r); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return rv, r, fmt.Errorf("optimize campaigns of studio %d: %w",
			studioID, errors.Join(errs...))
	}
	return rv, r, nil
}

// keepSpend stores the ads spend today that Shopee reported for each
// account of the review, as the account's spend on its local day, and
// then recomputes the studio's daily analytics of those days so that
// their ad spend and ROI are current at once. An account whose spend
// was not reported stores nothing, and so does one whose read crossed
// its local midnight, as the day the figure is for is then unknown.
func (o *Optimizer) keepSpend(ctx context.Context, rv *StudioReview) error {
	var (
		dates []string
		errs  []error
	)
	for _, ar := range rv.Accounts {
		loc := ar.Account.Region.Location()
		if ar.ExpenseToday == nil ||
			liveboard.DateIn(ar.ExpenseReadAt, loc) != ar.Date {
			continue
		}
		_, err := o.Store.RecordAdSpend(ctx, liveboard.AdSpend{
			AccountID: ar.Account.ID, Date: ar.Date,
			Spend: *ar.ExpenseToday, UpdatedAt: ar.ExpenseReadAt})
		if err != nil {
			errs = append(errs, fmt.Errorf("account %d: keep ad spend: %w",
				ar.Account.ID, err))
			continue
		}
		dates = append(dates, ar.Date)
	}
	if err := refreshDays(ctx, o.Store, &rv.Studio, dates); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// pauseAll pauses the account's campaigns reviewed as to pause.
func (o *Optimizer) pauseAll(ctx context.Context, rv *StudioReview,
	ar AccountReview, r *OptimizeReport) error {
	var auth *shopee.Auth
	for _, c := range ar.Campaigns {
		if c.Suggestion != liveboard.SuggestPause || c.ROI == nil {
			continue
		}
		act := &liveboard.CampaignAction{StudioID: rv.Studio.ID,
			AccountID: ar.Account.ID, CampaignID: c.CampaignID,
			Title: c.Title, Kind: string(shopee.CampaignPause),
			Date: ar.Date, ROIPercent: *c.ROI,
			FloorPercent: rv.Settings.ROIFloorPercent, Spend: *c.Spend,
			Revenue: *c.Revenue, DecidedAt: rv.At}
		ok, err := o.Store.ClaimCampaignAction(ctx, act)
		if err != nil {
			return fmt.Errorf("account %d: %w", ar.Account.ID, err)
		}
		if !ok {
			continue
		}

		if auth == nil {
			cookies, err := o.Store.AccountCookies(ctx, ar.Account.ID)
			if err != nil {
				return fmt.Errorf("account %d: %w", ar.Account.ID, err)
			}
			auth = &shopee.Auth{AccountID: ar.Account.ID,
				Region: ar.Account.Region, Cookies: cookies}
		}
		if err := o.pause(ctx, *auth, act, r); err != nil {
			return fmt.Errorf("account %d: %w", ar.Account.ID, err)
		}
	}
	return nil
}

// pause asks Shopee to pause the claimed campaign and records how it
// went. Only a failure to record is returned.
func (o *Optimizer) pause(ctx context.Context, auth shopee.Auth,
	act *liveboard.CampaignAction, r *OptimizeReport) error {
	err := o.Shopee.EditCampaign(ctx, auth, shopee.CampaignEdit{
		CampaignID: act.CampaignID, Action: shopee.CampaignPause})
	attrs := []any{"studio_id", act.StudioID, "account_id", act.AccountID,
		"campaign_id", act.CampaignID, "roi_percent", act.ROIPercent,
		"floor_percent", act.FloorPercent, "spend", act.Spend.String()}
	outcome, msg := liveboard.ActionDone, ""
	if err != nil {
		outcome, msg = liveboard.ActionFailed, liveboard.ErrorMessage(err)
		r.PauseFailed++
		o.logger().Warn("campaign pause failed",
			append(attrs, "error", err)...)
	} else {
		r.Paused++
		o.logger().Info("campaign paused: ROI below the floor", attrs...)
	}
	// The outcome is recorded even when the caller gave up, so that a
	// pause Shopee made is not left pending.
	return o.Store.FinishCampaignAction(context.WithoutCancel(ctx), act.ID,
		outcome, msg, o.now())
}
