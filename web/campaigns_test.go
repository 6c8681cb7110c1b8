package web_test

import (
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"liveboard"
	"liveboard/password"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// campaignRow finds a campaign's row on the campaigns page and returns
// its spend, revenue, ROI and reason as the page shows them.
func campaignRow(t *testing.T, body string, id int64) [4]string {
	t.Helper()
	re := regexp.MustCompile(`(?s)data-campaign="` + itoa(id) + `">.*?` +
		`class="n spend">([^<]*)<.*?class="n revenue">([^<]*)<.*?` +
		`class="n roi">([^<]*)<.*?class="reason">([^<]*)<`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no row of campaign %d on the page", id)
	}
	var out [4]string
	for i := range out {
		out[i] = html.UnescapeString(m[i+1])
	}
	return out
}

// accountSection returns the page's section about an account.
func accountSection(t *testing.T, body string, id int64) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<section class="card ads" data-account="` +
		itoa(id) + `">.*?</section>`)
	s := re.FindString(body)
	if s == "" {
		t.Fatalf("no section of account %d on the page", id)
	}
	return s
}

// TestCampaignsPage checks that the page shows the review the API
// shows, money in rupiah as FormatMoney writes it, and accounts that
// could not be read as such rather than as zeros.
func TestCampaignsPage(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	if err := h.store.RecordAccountFailure(ctx, h.accounts[1].ID,
		h.clock.Now(), "login expired", true); err != nil {
		t.Fatal(err)
	}
	h.sim.SetAccountFault(h.sim.Accounts()[2].UserID, shopeesim.AntiBot)

	b := h.browser(t)
	b.signIn(viewerEmail)
	p := b.get("/campaigns")
	wantStatus(t, p, http.StatusOK)
	checkNoInlineCode(t, "campaigns page", p.body)
	// The fault makes Shopee ask for a new login from the next read on,
	// so the review to compare with is the one the page made.
	h.sim.ClearAccountFault(h.sim.Accounts()[2].UserID)
	if err := h.store.RecordAccountSuccess(ctx, h.accounts[2].ID,
		h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.store.RecordAccountFailure(ctx, h.accounts[1].ID,
		h.clock.Now(), "login expired", true); err != nil {
		t.Fatal(err)
	}

	rv, err := h.optimizer.Review(ctx, h.studio1.ID)
	if err != nil {
		t.Fatal(err)
	}
	ok := rv.Accounts[0]
	if ok.Err != nil || len(ok.Campaigns) == 0 {
		t.Fatalf("the first account has no campaigns to check (%v)", ok.Err)
	}
	r := ok.Account.Region
	for _, c := range ok.Campaigns {
		roi := "–"
		if c.ROI != nil {
			roi = strconv.FormatFloat(math.Round(*c.ROI*100)/100, 'f',
				-1, 64) + "%"
		}
		want := [4]string{r.FormatMoney(*c.Spend),
			r.FormatMoney(*c.Revenue), roi, c.Reason}
		if got := campaignRow(t, p.body, c.CampaignID); got != want {
			t.Errorf("campaign %d: spend, revenue, ROI, reason = %q, "+
				"want %q", c.CampaignID, got, want)
		}
	}
	expense := r.FormatMoney(*ok.ExpenseToday)
	if !strings.HasPrefix(expense, "Rp ") || !strings.Contains(
		accountSection(t, p.body, ok.Account.ID),
		`class="expense">`+expense+`<`) {
		t.Errorf("the first account's spend today is not %s", expense)
	}

	relogin := accountSection(t, p.body, h.accounts[1].ID)
	if !strings.Contains(relogin, "Needs a new login") ||
		strings.Contains(relogin, "Rp ") {
		t.Errorf("the account that needs a login:\n%s", relogin)
	}
	failed := accountSection(t, p.body, h.accounts[2].ID)
	if !strings.Contains(failed, "Could not be read") ||
		strings.Contains(failed, "Rp 0") {
		t.Errorf("the account that could not be read:\n%s", failed)
	}

	outsider := h.browser(t)
	outsider.signIn(otherEmail)
	other := outsider.get("/campaigns")
	wantStatus(t, other, http.StatusOK)
	if strings.Contains(other.body, h.accounts[0].UserName) {
		t.Error("another studio's owner sees studio 1's accounts")
	}
}

// TestAutoPausePosts checks who may change the auto-pause settings, the
// CSRF token, and that bad values are refused with a reason.
func TestAutoPausePosts(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	viewer, operator, admin := h.browser(t), h.browser(t), h.browser(t)
	viewer.signIn(viewerEmail)
	operator.signIn(operatorEmail)
	admin.signIn(adminEmail)
	save := "/campaigns/auto-pause"
	form := func() url.Values {
		return url.Values{"enabled": {"on"}, "roi_floor_percent": {"12.5"},
			"min_spend": {"75000"}}
	}

	page := viewer.get("/campaigns")
	if !strings.Contains(page.body, "Only admins change these settings") ||
		!strings.Contains(page.body, "Rp 50.000") {
		t.Errorf("a viewer does not see the default settings read-only:\n%s", page.body)
	}
	wantStatus(t, viewer.form(page, save, form()), http.StatusForbidden)
	wantStatus(t, operator.form(operator.get("/campaigns"), save, form()),
		http.StatusForbidden)
	wantStatus(t, admin.post(save, url.Values{"csrf_token": {"forged"},
		"roi_floor_percent": {"1"}, "min_spend": {"1"}}),
		http.StatusForbidden)
	nobody := h.nobody(t)
	wantStatus(t, nobody.form(nobody.get("/campaigns"), save, form()),
		http.StatusNotFound)

	for values, reason := range map[[2]string]string{
		{"-5000", "1"}:   "roi_floor_percent must be between",
		{"high", "1"}:    "ROI floor must be a number",
		{"5", "-1"}:      "min_spend must not be negative",
		{"5", "lots"}:    "minimum spend must be an amount",
		{"NaN", "50000"}: "roi_floor_percent must be between",
	} {
		res := admin.form(admin.get("/campaigns"), save, url.Values{
			"roi_floor_percent": {values[0]}, "min_spend": {values[1]}})
		wantStatus(t, res, http.StatusBadRequest)
		if !strings.Contains(res.body, reason) {
			t.Errorf("%v: the refusal does not say %q", values, reason)
		}
	}

	res := admin.form(admin.get("/campaigns"), save, form())
	wantStatus(t, res, http.StatusSeeOther)
	set, err := h.store.AutoPauseSettings(ctx, h.studio1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !set.Enabled || set.ROIFloorPercent != 12.5 ||
		set.MinSpend != liveboard.MoneyFromMajor(75_000) {
		t.Errorf("saved %+v", set)
	}
	after := viewer.get(res.location())
	if !strings.Contains(after.body, "The auto-pause settings are saved") ||
		!strings.Contains(after.body, "under 12.5% are paused once they "+
			"spent Rp 75.000") {
		t.Errorf("the page does not show the saved settings:\n%.3000s",
			after.body)
	}
}

// TestCampaignActionsLog checks the log of automatic actions: money in
// the account's currency, times in its zone.
func TestCampaignActionsLog(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	act := &liveboard.CampaignAction{StudioID: h.studio1.ID,
		AccountID: h.accounts[0].ID, CampaignID: 4_000_000_123,
		Kind: "pause", Date: "2026-03-10", Title: "Evening ads",
		ROIPercent: -42.25, FloorPercent: 10, Spend: 7_500_012_345,
		Revenue: liveboard.MoneyFromMajor(50_000), DecidedAt: t0}
	if _, err := h.store.ClaimCampaignAction(ctx, act); err != nil {
		t.Fatal(err)
	}
	if err := h.store.FinishCampaignAction(ctx, act.ID,
		liveboard.ActionFailed, "Shopee refused", t0); err != nil {
		t.Fatal(err)
	}

	b := h.browser(t)
	b.signIn(viewerEmail)
	p := b.get("/campaigns")
	wantStatus(t, p, http.StatusOK)
	re := regexp.MustCompile(`(?s)data-action="` + itoa(act.ID) +
		`">(.*?)</tr>`)
	m := re.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("the action is not in the log")
	}
	r := liveboard.RegionID
	for _, want := range []string{"2026-03-10 19:00", "Evening ads",
		"-42.25%", "10%", r.FormatMoney(act.Spend), "Rp 50.000", "failed",
		"Shopee refused", h.accounts[0].UserName} {
		if !strings.Contains(html.UnescapeString(m[1]), want) {
			t.Errorf("the action's row lacks %q:\n%s", want, m[1])
		}
	}
	if r.FormatMoney(act.Spend) != "Rp 75.000" {
		t.Errorf("spend written %s", r.FormatMoney(act.Spend))
	}
}

// nobody signs in someone who belongs to no studio.
func (h *harness) nobody(t *testing.T) *browser {
	t.Helper()
	hash, err := password.HashWith(thePassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	u := &liveboard.User{Email: "nobody@example.test", Name: "Nobody"}
	if err := h.store.CreateUser(ctx, u, hash); err != nil {
		t.Fatal(err)
	}
	b := h.browser(t)
	b.signIn(u.Email)
	return b
}
