package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// seedSessions stores n ended sessions of the studio's first account,
// an hour apart from 2026-03-08 17:00 UTC (midnight in Jakarta), the
// i-th with a GMV of i+1 million rupiah and 100-i orders.
func (h *harness) seedSessions(t *testing.T, n int) []liveboard.Session {
	t.Helper()
	base := time.Date(2026, 3, 8, 17, 0, 0, 0, time.UTC)
	var out []liveboard.Session
	for i := range n {
		start := base.Add(time.Duration(i) * time.Hour)
		se := liveboard.Session{StudioID: h.studio1.ID,
			AccountID:       h.accounts[0].ID,
			ShopeeSessionID: fmt.Sprint(900000 + i),
			Title:           fmt.Sprintf("Seeded %02d", i),
			Status:          liveboard.SessionEnded, StartedAt: start,
			EndedAt:  liveboard.Ptr(start.Add(50 * time.Minute)),
			SyncedAt: start.Add(time.Hour), Metrics: liveboard.Metrics{
				PlacedGMV: liveboard.Ptr(liveboard.MoneyFromMajor(
					int64(i+1) * 1_000_000)),
				PlacedOrders: liveboard.Ptr(int64(100 - i)),
				PeakViewers:  liveboard.Ptr(int64(500 + i))}}
		if err := h.store.SaveSession(ctx, &se, nil); err != nil {
			t.Fatal(err)
		}
		out = append(out, se)
	}
	return out
}

var sessionTitles = regexp.MustCompile(`Seeded \d\d`)

// TestSessionsList checks the list's filters, sorting and pages, and
// that it writes money in rupiah and times in Jakarta's zone.
func TestSessionsList(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	h.seedSessions(t, 30)
	b := h.browser(t)
	b.signIn(viewerEmail)

	first := b.get("/sessions")
	wantStatus(t, first, http.StatusOK)
	if !strings.Contains(first.body, "1–25 of 30 sessions") {
		t.Errorf("first page does not say 1–25 of 30")
	}
	titles := sessionTitles.FindAllString(first.body, -1)
	if len(titles) != 25 || titles[0] != "Seeded 29" {
		t.Errorf("first page lists %d sessions from %v", len(titles),
			titles[:min(1, len(titles))])
	}
	// Session 0 started at 17:00 UTC, midnight in Jakarta (WIB), with 1
	// million rupiah of GMV.
	last := b.get("/sessions?page=2")
	if !strings.Contains(last.body, "26–30 of 30 sessions") ||
		!strings.Contains(last.body, "2026-03-09 00:00 WIB") ||
		!strings.Contains(last.body, "Rp 1.000.000") {
		t.Errorf("second page lacks its count, a Jakarta time or a "+
			"rupiah amount:\n%.2000s", last.body)
	}

	tests := []struct {
		query string
		first string
		count int
	}{
		{"sort=gmv", "Seeded 29", 25},
		{"sort=oldest", "Seeded 00", 25},
		{"sort=orders&page=2", "Seeded 25", 5},
		{"from=2026-03-09&to=2026-03-09", "Seeded 23", 24},
		{"from=2026-03-10", "Seeded 29", 6},
		{"status=ongoing", "", 0},
		{"account=" + itoa(h.accounts[1].ID), "", 0},
	}
	for _, tt := range tests {
		p := b.get("/sessions?" + tt.query)
		wantStatus(t, p, http.StatusOK)
		got := sessionTitles.FindAllString(p.body, -1)
		if len(got) != tt.count || (len(got) > 0 && got[0] != tt.first) {
			t.Errorf("%s: %d sessions from %v, want %d from %s", tt.query,
				len(got), got[:min(1, len(got))], tt.count, tt.first)
		}
	}
	wantStatus(t, b.get("/sessions?sort=cheapest"), http.StatusBadRequest)
	wantStatus(t, b.get("/sessions?from=yesterday"), http.StatusBadRequest)
}

// TestSessionPage checks a session's page: its charts are SVG with
// labels, and people outside its studio do not find it.
func TestSessionPage(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	h.sim.AddSession(h.sim.Accounts()[0].UserID, shopeesim.SessionSpec{
		Title: "Charted live", Start: h.clock.Now().Add(-time.Hour)})
	h.tick(t, time.Minute)
	h.tick(t, time.Minute)
	id := h.sessionID(t, "Charted live")

	b := h.browser(t)
	b.signIn(viewerEmail)
	p := b.get("/sessions/" + itoa(id))
	wantStatus(t, p, http.StatusOK)
	for _, chart := range []string{"viewers", "orders", "gmv",
		"comments", "likes"} {
		re := regexp.MustCompile(`id="chart-` + chart + `">\s*<svg [^>]*` +
			`role="img" aria-label="[^"]+: from [^"]+"[^>]*><title>`)
		if !re.MatchString(p.body) {
			t.Errorf("no labelled SVG chart of %s", chart)
		}
	}
	if !strings.Contains(p.body, `id="samples"`) {
		t.Error("no table of the numbers behind the charts")
	}

	outsider := h.browser(t)
	outsider.signIn(otherEmail)
	wantStatus(t, outsider.get("/sessions/"+itoa(id)), http.StatusNotFound)
	wantStatus(t, b.get("/sessions/999999"), http.StatusNotFound)
}

func (h *harness) sessionID(t *testing.T, title string) int64 {
	t.Helper()
	list, _, err := h.store.Sessions(ctx, liveboard.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, se := range list {
		if se.Title == title {
			return se.ID
		}
	}
	t.Fatalf("no stored session called %s", title)
	return 0
}

// TestAnalyticsComparison checks the page's totals and their change
// against the store's rows summed the way the API sums them.
func TestAnalyticsComparison(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, options{})
		// Today is 2026-03-10 in Jakarta: this week is 03-04 to 03-10,
		// the one before 02-25 to 03-03.
		rows := map[string][2]int64{"2026-03-10": {3_000_000, 6},
			"2026-03-05": {2_000_000, 4}, "2026-03-03": {2_500_000, 5},
			"2026-02-24": {9_000_000, 9}}
		for date, r := range rows {
			d := liveboard.DailyAnalytics{StudioID: h.studio1.ID,
				Date: date, TotalSessions: 1, TotalViewers: 100,
				TotalOrders: r[1], TotalRevenue: liveboard.MoneyFromMajor(r[0])}
			if err := h.store.SaveDailyAnalytics(ctx, &d); err != nil {
				t.Fatal(err)
			}
		}
		now, err := h.store.DailyAnalytics(ctx, h.studio1.ID,
			"2026-03-04", "2026-03-10")
		if err != nil {
			t.Fatal(err)
		}
		before, err := h.store.DailyAnalytics(ctx, h.studio1.ID,
			"2026-02-25", "2026-03-03")
		if err != nil {
			t.Fatal(err)
		}
		sumNow := liveboard.SumAnalytics(h.studio1.ID, now)
		sumBefore := liveboard.SumAnalytics(h.studio1.ID, before)

		b := h.browser(t)
		b.signIn(viewerEmail)
		p := b.get("/analytics?days=7")
		wantStatus(t, p, http.StatusOK)
		r := liveboard.RegionID
		want := map[string][3]string{
			"gmv": {r.FormatMoney(sumNow.TotalRevenue),
				r.FormatMoney(sumBefore.TotalRevenue), "+100.0%"},
			"orders":   {"10", "5", "+100.0%"},
			"sessions": {"2", "1", "+100.0%"},
			"aov": {r.FormatMoney(sumNow.AverageOrderValue),
				r.FormatMoney(sumBefore.AverageOrderValue), "±0%"},
			"conversion": {"5.00%", "5.00%", "±0%"},
		}
		if want["gmv"][0] != "Rp 5.000.000" {
			t.Fatalf("the store sums this week's GMV to %s", want["gmv"][0])
		}
		for key, w := range want {
			re := regexp.MustCompile(`data-total="` + key + `">.*?` +
				`class="now">([^<]*)</span> <span class="change [a-z]+">` +
				`(?:[▲▼] )?([^<]*)</span>.*?class="before">([^<]*)<`)
			m := re.FindStringSubmatch(p.body)
			if m == nil {
				t.Errorf("no total %s on the page", key)
				continue
			}
			got := [3]string{html.UnescapeString(m[1]),
				html.UnescapeString(m[3]),
				html.UnescapeString(strings.TrimSpace(m[2]))}
			if got != w {
				t.Errorf("%s: now, before, change = %q, want %q", key,
					got, w)
			}
		}
		if !strings.Contains(html.UnescapeString(p.body),
			"days in WIB (UTC+7)") {
			t.Error("the page does not name the zone of its days")
		}
		if !strings.Contains(p.body, `id="chart-daily-gmv">`) ||
			!strings.Contains(p.body, `aria-label="GMV by day: the best `+
				`day was 2026-03-10 with Rp 3.000.000"`) {
			t.Error("no labelled chart of GMV by day")
		}

		// A period the menu lacks is added to it, chosen.
		odd := b.get("/analytics?days=5")
		wantStatus(t, odd, http.StatusOK)
		if !strings.Contains(odd.body,
			`<option value="5" selected>last 5 days</option>`) {
			t.Error("the menu does not show the 5 days shown")
		}
	})
}

// fakeTester answers channel tests.
type fakeTester struct{ tested []int64 }

func (f *fakeTester) SendTest(_ context.Context, id int64) (string, error) {
	f.tested = append(f.tested, id)
	return "chat not found", nil
}

// TestAlertPosts checks who may acknowledge alerts and change rules and
// channels, and that each post needs the session's CSRF token.
func TestAlertPosts(t *testing.T) {
	tester := &fakeTester{}
	h := newHarness(t, sqlstoretest.Engines(t)[0],
		options{channels: tester})
	al := &liveboard.Alert{StudioID: h.studio1.ID,
		AccountID: h.accounts[0].ID, Rule: liveboard.RuleRelogin,
		Subject: liveboard.AccountSubject(h.accounts[0].ID),
		Title:   "Login lost on " + h.accounts[0].UserName,
		Message: "Log in again.",
		FiredAt: h.clock.Now()}
	if _, err := h.store.FireAlert(ctx, al, time.Hour); err != nil {
		t.Fatal(err)
	}
	ack := "/alerts/" + itoa(al.ID) + "/acknowledge"

	viewer, operator, admin, other := h.browser(t), h.browser(t),
		h.browser(t), h.browser(t)
	viewer.signIn(viewerEmail)
	operator.signIn(operatorEmail)
	admin.signIn(adminEmail)
	other.signIn(otherEmail)
	inbox := operator.get("/alerts")
	if !strings.Contains(inbox.body, "Login lost") ||
		!strings.Contains(inbox.body, "2026-03-10 19:00 WIB") {
		t.Fatalf("the inbox lacks the alert at Jakarta time:\n%.1500s",
			inbox.body)
	}
	// The inbox is a table whose rows name the account only where the
	// alert's own words do.
	row := regexp.MustCompile(`(?s)<tr data-alert="` + itoa(al.ID) +
		`".*?</tr>`).FindString(inbox.body)
	name := h.accounts[0].UserName
	if row == "" || regexp.MustCompile(`<li[ >]`).MatchString(inbox.body) {
		t.Errorf("the inbox is not a table of alerts:\n%.1500s", inbox.body)
	}
	if n := strings.Count(row, name); n != 1 {
		t.Errorf("the alert's row names %s %d times, want once (in its "+
			"title):\n%s", name, n, row)
	}

	wantStatus(t, viewer.form(viewer.get("/alerts"), ack, nil),
		http.StatusForbidden)
	wantStatus(t, other.form(other.get("/alerts"), ack, nil),
		http.StatusNotFound)
	wantStatus(t, operator.post(ack, url.Values{"csrf_token": {"forged"}}),
		http.StatusForbidden)
	wantStatus(t, operator.form(inbox, ack, nil), http.StatusSeeOther)
	got, err := h.store.Alert(ctx, al.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AcknowledgedBy != h.users[operatorEmail] {
		t.Errorf("acknowledged by %d, want the operator", got.AcknowledgedBy)
	}

	rules := url.Values{"viewer_drop": {"on"}, "viewer_drop_percent": {"40"},
		"viewer_drop_window": {"10"}, "viewer_drop_min": {"50"},
		"no_orders_window": {"20"}, "no_orders_min": {"30"},
		"early_end_percent": {"50"}, "early_end_min": {"15"},
		"relogin": {"on"}, "cooldown": {"45"}}
	settings := operator.get("/alerts/settings")
	wantStatus(t, operator.form(settings, "/alerts/rules", rules),
		http.StatusForbidden)
	wantStatus(t, admin.post("/alerts/rules", rules), http.StatusForbidden)
	wantStatus(t, admin.form(admin.get("/alerts/settings"), "/alerts/rules",
		rules), http.StatusSeeOther)
	saved, err := h.store.AlertRules(ctx, h.studio1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.ViewerDrop.Percent != 40 || saved.NoOrders.Enabled ||
		saved.Cooldown != 45*time.Minute {
		t.Errorf("saved rules: %+v", saved)
	}

	hook := url.Values{"kind": {"webhook"}, "name": {"Ops hook"},
		"url": {"https://hooks.example.test/lb"}, "secret": {"s3cret-value"}}
	wantStatus(t, operator.form(settings, "/alerts/channels", hook),
		http.StatusForbidden)
	wantStatus(t, admin.form(admin.get("/alerts/settings"),
		"/alerts/channels", hook), http.StatusSeeOther)
	chans, err := h.store.Channels(ctx, h.studio1.ID)
	if err != nil || len(chans) != 1 {
		t.Fatalf("channels = %v, %v", chans, err)
	}
	page := admin.get("/alerts/settings")
	if strings.Contains(page.body, "s3cret-value") {
		t.Error("the settings page shows the webhook's secret")
	}
	test := "/alerts/channels/" + itoa(chans[0].ID) + "/test"
	wantStatus(t, operator.form(settings, test, nil), http.StatusForbidden)
	wantStatus(t, other.form(other.get("/alerts/settings"), test, nil),
		http.StatusNotFound)
	tested := admin.form(page, test, nil)
	wantStatus(t, tested, http.StatusOK)
	if !strings.Contains(tested.body, "chat not found") ||
		len(tester.tested) != 1 {
		t.Errorf("the test's problem is not shown (tests sent: %v)",
			tester.tested)
	}
	wantStatus(t, admin.form(page, "/alerts/channels/"+itoa(chans[0].ID)+
		"/remove", nil), http.StatusSeeOther)
	if chans, _ := h.store.Channels(ctx, h.studio1.ID); len(chans) != 0 {
		t.Errorf("the channel is still there")
	}
}

// TestPrivateWebhookRefused checks that the dashboard does not add a
// webhook to a private address, and shows the settings again with why
// and the form as typed, less its secret.
func TestPrivateWebhookRefused(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	admin := h.browser(t)
	admin.signIn(adminEmail)
	for _, u := range []string{"http://127.0.0.1:8080/metrics",
		"http://localhost:9911/", "http://169.254.169.254/"} {
		hook := url.Values{"kind": {"webhook"}, "name": {"Inside hook"},
			"url": {u}, "secret": {"typed-s3cret"}}
		res := admin.form(admin.get("/alerts/settings"), "/alerts/channels",
			hook)
		wantStatus(t, res, http.StatusBadRequest)
		form := formOf(t, res.body, "add-webhook")
		for _, want := range []string{"public address",
			`name="name" value="Inside hook"`} {
			if !strings.Contains(html.UnescapeString(form),
				html.UnescapeString(want)) {
				t.Errorf("%s: the webhook form lacks %s:\n%s", u, want,
					form)
			}
		}
		if strings.Contains(res.body, "typed-s3cret") ||
			strings.Contains(html.UnescapeString(form), u) {
			t.Errorf("%s: the page shows the secret or URL typed", u)
		}
		if !strings.Contains(res.body, `id="rules"`) {
			t.Errorf("%s: the refusal is not the settings page", u)
		}
	}

	chat := url.Values{"kind": {"telegram"}, "name": {"Night shift"},
		"bot_token": {"12345:bad/token"}, "chat_id": {"-100777"}}
	res := admin.form(admin.get("/alerts/settings"), "/alerts/channels",
		chat)
	wantStatus(t, res, http.StatusBadRequest)
	form := formOf(t, res.body, "add-telegram")
	for _, want := range []string{"The chat was not added", `value="Night shift"`,
		`value="-100777"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the Telegram form lacks %s:\n%s", want, form)
		}
	}
	if strings.Contains(res.body, "bad/token") {
		t.Error("the page shows the bot token typed")
	}
	if chans, _ := h.store.Channels(ctx, h.studio1.ID); len(chans) != 0 {
		t.Errorf("%d channels stored", len(chans))
	}
}

// formOf returns the form with the id from a page.
func formOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form id="` + id + `".*?</form>`).
		FindString(body)
	if m == "" {
		t.Fatalf("no form %s in the page:\n%.1500s", id, body)
	}
	return m
}

// TestAlertSettingsForms checks that the quiet time between alerts is a
// setting of every rule, not of one, and that each kind of channel has a
// form of its own with only its fields.
func TestAlertSettingsForms(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	admin := h.browser(t)
	admin.signIn(adminEmail)
	p := admin.get("/alerts/settings")
	wantStatus(t, p, http.StatusOK)
	general := regexp.MustCompile(`(?s)<fieldset id="rules-general".*?` +
		`</fieldset>`).FindString(p.body)
	if !strings.Contains(general, `name="cooldown"`) {
		t.Errorf("the quiet time is not in a fieldset of its own:\n%s",
			general)
	}
	fields := regexp.MustCompile(`<input name="([a-z_]+)"`)
	for id, want := range map[string]string{
		"add-telegram": "name bot_token chat_id",
		"add-webhook":  "name url secret",
	} {
		var got []string
		for _, m := range fields.FindAllStringSubmatch(formOf(t, p.body,
			id), -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, " ") != want {
			t.Errorf("form %s has the fields %q, want %s", id, got, want)
		}
	}
}

// TestCountsGrouped checks that the sessions list, a session's page and
// the analytics page group counts as Indonesia groups its money.
func TestCountsGrouped(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	se := h.seedSessions(t, 1)[0]
	se.Metrics.PeakViewers = liveboard.Ptr(int64(58_675))
	se.Metrics.Likes = liveboard.Ptr(int64(2_042_807))
	if err := h.store.SaveSession(ctx, &se, nil); err != nil {
		t.Fatal(err)
	}
	d := liveboard.DailyAnalytics{StudioID: h.studio1.ID,
		Date: "2026-03-10", TotalSessions: 1, TotalViewers: 123_456,
		TotalOrders: 7_890, TotalRevenue: liveboard.MoneyFromMajor(1)}
	if err := h.store.SaveDailyAnalytics(ctx, &d); err != nil {
		t.Fatal(err)
	}
	b := h.browser(t)
	b.signIn(viewerEmail)
	for path, wants := range map[string][]string{
		"/sessions":                {">58.675<"},
		"/sessions/" + itoa(se.ID): {">58.675<", ">2.042.807<"},
		"/analytics?days=7":        {">123.456<", ">7.890<"},
	} {
		p := b.get(path)
		wantStatus(t, p, http.StatusOK)
		for _, want := range wants {
			if !strings.Contains(p.body, want) {
				t.Errorf("%s does not show %s", path, want)
			}
		}
		if strings.Contains(p.body, "58675") ||
			strings.Contains(p.body, "2042807") {
			t.Errorf("%s shows a count without separators", path)
		}
	}
}
