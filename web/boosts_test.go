package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"liveboard"
	"liveboard/shopee/shopeesim"
	"liveboard/sqlstore/sqlstoretest"
)

// liveSession puts a session of the first account on air and has the
// monitor store it; it returns Shopee's id of it.
func (h *harness) liveSession(t *testing.T, title string) string {
	t.Helper()
	id := h.sim.AddSession(h.sim.Accounts()[0].UserID,
		shopeesim.SessionSpec{Title: title,
			Start: h.clock.Now().Add(-time.Hour), Duration: 4 * time.Hour})
	h.tick(t, time.Minute)
	return strconv.FormatInt(id, 10)
}

// boostValues is a valid start form for the session; changes override
// its fields.
func (h *harness) boostValues(session string,
	changes map[string]string) url.Values {
	v := url.Values{"account_id": {itoa(h.accounts[0].ID)},
		"session_id": {session}, "total_coins": {"1000"},
		"coins_per_claim": {"10"}, "claim_times": {"10"},
		"interval_seconds": {"60"}}
	for k, val := range changes {
		v.Set(k, val)
	}
	return v
}

// planBlock returns the page's item about a plan.
func planBlock(t *testing.T, body string, id int64) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<li class="plan [a-z_]+" data-plan="` +
		itoa(id) + `">.*?</li>`)
	s := re.FindString(body)
	if s == "" {
		t.Fatalf("plan %d is not listed:\n%.3000s", id, body)
	}
	return s
}

// TestBoostStart starts a boost through the form as an operator and
// checks the plan stored and queued, then the page's figures against
// the store's after some rounds, and the stop.
func TestBoostStart(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	session := h.liveSession(t, "Boosted live")
	operator := h.browser(t)
	operator.signIn(operatorEmail)

	page := operator.get("/boosts")
	wantStatus(t, page, http.StatusOK)
	checkNoInlineCode(t, "boosts page", page.body)
	if !strings.Contains(page.body, `<option value="`+session+`"`) {
		t.Fatalf("the form does not offer the live session:\n%.3000s",
			page.body)
	}
	res := operator.form(page, "/boosts", h.boostValues(session,
		map[string]string{"min_viewers": "5"}))
	wantStatus(t, res, http.StatusSeeOther)
	plans, err := h.store.BoostPlans(ctx, h.studio1.ID, 10)
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans %v, %v", plans, err)
	}
	p := plans[0]
	if p.Status != liveboard.BoostRunning || p.ShopeeSessionID != session ||
		p.TotalCoins != 1000 || p.Interval != time.Minute ||
		p.MinViewers == nil || *p.MinViewers != 5 ||
		p.CreatedBy != h.users[operatorEmail] {
		t.Errorf("stored plan %+v", p)
	}
	if q := h.queue.queued(); len(q) != 1 || q[0] != p.ID {
		t.Errorf("queued %v, want plan %d", q, p.ID)
	}

	// Two rounds: one gave 100 coins of which 37 were claimed, one was
	// skipped.
	at := h.clock.Now()
	for _, r := range []liveboard.BoostRound{
		{PlanID: p.ID, Number: 1, Status: liveboard.RoundPending,
			At: at, Coins: 100},
		{PlanID: p.ID, Number: 2, Status: liveboard.RoundSkipped,
			At: at.Add(time.Minute), Error: "3 viewers, fewer than 5"},
	} {
		if ok, err := h.store.ClaimBoostRound(ctx, &r); err != nil || !ok {
			t.Fatalf("claim round %d: %v, %v", r.Number, ok, err)
		}
	}
	if err := h.store.FinishBoostRound(ctx, p.ID, 1, liveboard.RoundDone,
		"", at); err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetRoundClaims(ctx, p.ID, 1, new(int64(37)),
		new(int64(4))); err != nil {
		t.Fatal(err)
	}
	stored, err := h.store.BoostPlan(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}

	viewer := h.browser(t)
	viewer.signIn(viewerEmail)
	list := viewer.get(res.location())
	wantStatus(t, list, http.StatusOK)
	if !strings.Contains(list.body, "The coin boost is started") {
		t.Error("no notice that the boost started")
	}
	block := planBlock(t, list.body, p.ID)
	for _, want := range []string{
		`class="spent">` + itoa(liveboard.BoostSpent(stored.Rounds)) +
			` of 1.000<`,
		`class="claimed">` + itoa(liveboard.BoostClaimed(stored.Rounds)) +
			`<`,
		`class="rounds">2<`, ">running<", "from 5 viewers",
		// 12:01 UTC is 19:01 in Jakarta.
		`<td class="when">2026-03-10 19:01 WIB</td><td>done</td>`, "3 viewers, fewer than 5",
	} {
		if !strings.Contains(block, want) {
			t.Errorf("the plan lacks %q:\n%s", want, block)
		}
	}
	if want := `class="spent">100 of 1.000<`; !strings.Contains(block,
		want) {
		t.Errorf("the store's rounds spent %d, not 100",
			liveboard.BoostSpent(stored.Rounds))
	}
	if strings.Contains(list.body, "Stop this boost") ||
		strings.Contains(list.body, "Start the boost") {
		t.Error("a viewer is offered to start or stop a boost")
	}

	stop := "/boosts/" + itoa(p.ID) + "/stop"
	wantStatus(t, viewer.form(list, stop, nil), http.StatusForbidden)
	outsider := h.browser(t)
	outsider.signIn(otherEmail)
	wantStatus(t, outsider.form(outsider.get("/boosts"), stop, nil),
		http.StatusNotFound)
	wantStatus(t, operator.post(stop, url.Values{"csrf_token": {"forged"}}),
		http.StatusForbidden)
	wantStatus(t, operator.form(operator.get("/boosts"), stop, nil),
		http.StatusSeeOther)
	if got, _ := h.store.BoostPlan(ctx, p.ID); got.Status !=
		liveboard.BoostStopped {
		t.Errorf("after stop the plan is %s", got.Status)
	}
	again := operator.form(operator.get("/boosts"), stop, nil)
	wantStatus(t, again, http.StatusBadRequest)
	if !strings.Contains(again.body, "is not running") {
		t.Errorf("stopping twice does not say why:\n%.1500s", again.body)
	}
}

// TestBoostStartRefused checks roles, the CSRF token and scoping of the
// start form, and that the plan's problems show on the page with the
// form as sent.
func TestBoostStartRefused(t *testing.T) {
	h := newHarness(t, sqlstoretest.Engines(t)[0], options{})
	session := h.liveSession(t, "Refused live")
	viewer, operator, outsider := h.browser(t), h.browser(t), h.browser(t)
	viewer.signIn(viewerEmail)
	operator.signIn(operatorEmail)
	outsider.signIn(otherEmail)

	wantStatus(t, viewer.form(viewer.get("/boosts"), "/boosts",
		h.boostValues(session, nil)), http.StatusForbidden)
	wantStatus(t, operator.post("/boosts", func() url.Values {
		v := h.boostValues(session, nil)
		v.Set("csrf_token", "forged")
		return v
	}()), http.StatusForbidden)
	wantStatus(t, outsider.form(outsider.get("/boosts"), "/boosts",
		h.boostValues(session, nil)), http.StatusNotFound)
	nobody := h.nobody(t)
	wantStatus(t, nobody.form(nobody.get("/boosts"), "/boosts",
		h.boostValues(session, nil)), http.StatusNotFound)

	tests := []struct {
		name    string
		changes map[string]string
		status  int
		reason  string
	}{
		{"not a number", map[string]string{"total_coins": "lots"},
			http.StatusBadRequest, "total_coins must be a whole number"},
		{"round over budget", map[string]string{"total_coins": "50"},
			http.StatusBadRequest, "must not exceed total_coins (50)"},
		{"short interval", map[string]string{"interval_seconds": "10"},
			http.StatusBadRequest, "interval_seconds must be at least 60"},
		{"no viewers", map[string]string{"min_viewers": "0"},
			http.StatusBadRequest, "min_viewers must be a positive integer"},
		{"another account's session",
			map[string]string{"account_id": itoa(h.accounts[1].ID)},
			http.StatusNotFound, "not found"},
		{"no session", map[string]string{"session_id": ""},
			http.StatusBadRequest, "choose a live session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := operator.form(operator.get("/boosts"), "/boosts",
				h.boostValues(session, tt.changes))
			wantStatus(t, res, tt.status)
			if !strings.Contains(res.body, `<p class="problem" role="alert">`) ||
				!strings.Contains(res.body, tt.reason) ||
				!strings.Contains(res.body, `id="start-boost"`) {
				t.Errorf("the page does not show %q with the form:\n%.3000s",
					tt.reason, res.body)
			}
			for _, v := range tt.changes {
				if v != "" && !strings.Contains(res.body,
					`value="`+v+`"`) && !strings.Contains(res.body,
					`value="`+v+`" selected`) {
					t.Errorf("the form lost the value %q", v)
				}
			}
		})
	}
	if plans, _ := h.store.BoostPlans(ctx, h.studio1.ID, 10); len(plans) != 0 {
		t.Errorf("%d plans stored", len(plans))
	}
}
