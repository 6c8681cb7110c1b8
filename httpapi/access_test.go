package httpapi_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"testing"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

const (
	apiKeysPath  = "/api/live-streaming/api-keys"
	auditPath    = "/api/live-streaming/audit"
	qrPath       = "/api/live-streaming/auth/qrcode"
	qrStatusPath = "/api/live-streaming/auth/qrcode/status"
	qrLoginPath  = "/api/live-streaming/auth/qrcode/login"
)

// callers are who the access test calls every route as: first those
// outside studio 1, then its members from the least role up, so that the
// calls that change something come last.
var callers = []who{member2, narrowAdmin, narrowMember, viewer1,
	cappedOwner1, operator1, admin1, owner1}

// roleIn1 is each caller's role in studio 1; "" for outsiders.
var roleIn1 = map[who]liveboard.Role{
	viewer1: liveboard.RoleViewer, cappedOwner1: liveboard.RoleViewer,
	operator1: liveboard.RoleOperator, admin1: liveboard.RoleAdmin,
	owner1: liveboard.RoleOwner,
}

// rule is how a route treats each caller: the request to send as them,
// acting on studio 1, and the status they must get.
type rule struct {
	req  func(t *testing.T, h *harness, as who) request
	want func(as who) int
}

// from is the usual rule: outsiders get 404, members below role 403,
// the others ok.
func from(role liveboard.Role, ok int) func(who) int {
	return func(as who) int {
		have, member := roleIn1[as]
		switch {
		case !member:
			return http.StatusNotFound
		case !have.Includes(role):
			return http.StatusForbidden
		}
		return ok
	}
}

// onlyOwner1 is for things that belong to studio 1's owner alone: a QR
// login they started. Everyone else gets 404, whatever their role; the
// owner's own key capped at viewer gets 403.
func onlyOwner1(ok int) func(who) int {
	return func(as who) int {
		switch as {
		case owner1:
			return ok
		case cappedOwner1:
			return http.StatusForbidden
		}
		return http.StatusNotFound
	}
}

func fixed(method, path string, body any) func(*testing.T, *harness,
	who) request {
	return func(*testing.T, *harness, who) request {
		return request{method, path, body}
	}
}

// accessRules returns the rule of every keyed route, by its pattern as
// Routes lists it.
func accessRules(t *testing.T, h *harness) map[string]rule {
	a := h.accounts[0]
	s := h.allSessions(t, owner1)[0]
	studio := itoa(h.studio1.ID)
	api := "/api/live-streaming"
	viewer, operator := liveboard.RoleViewer, liveboard.RoleOperator
	admin := liveboard.RoleAdmin

	rules := map[string]rule{
		"POST " + listPath: {fixed("POST", listPath,
			map[string]any{"account_id": a.ID}), from(viewer, 200)},
		"POST " + syncPath: {fixed("POST", syncPath, map[string]any{
			"shopee_account_id": s.AccountID, "session_id": s.SessionID}),
			from(operator, 200)},
		"GET " + sessionsPath: {fixed("GET",
			sessionsPath+"?studio_id="+studio, nil), from(viewer, 200)},
		"GET " + sessionsPath + "/{id}": {fixed("GET",
			sessionsPath+"/"+itoa(s.ID), nil), from(viewer, 200)},
		"GET " + sessionsPath + "/{id}/snapshots": {fixed("GET",
			sessionsPath+"/"+itoa(s.ID)+"/snapshots", nil),
			from(viewer, 200)},
		"GET " + analyticsPath: {fixed("GET",
			analyticsPath+"?studio_id="+studio, nil), from(viewer, 200)},
		"GET " + api + "/reports/{period}": {fixed("GET",
			api+"/reports/weekly?studio_id="+studio, nil), from(viewer, 200)},
		"GET " + api + "/share-link/{session_id}": {fixed("GET",
			sharePath+s.SessionID+"?studio_id="+studio, nil),
			from(viewer, 200)},
		// Lists without a studio answer everyone; the test checks that
		// outsiders read nothing of studio 1 in them.
		"GET " + studiosPath: {fixed("GET", studiosPath, nil),
			func(who) int { return 200 }},
		"GET " + accountsPath: {fixed("GET",
			accountsPath+"?studio_id="+studio, nil), from(viewer, 200)},
		"POST " + accountsPath: {fixed("POST", accountsPath,
			map[string]any{"studio_id": h.studio1.ID,
				"cookies": h.cookie(t, a)}), from(admin, 200)},
		"GET " + accountsPath + "/{id}": {fixed("GET",
			accountsPath+"/"+itoa(a.ID), nil), from(viewer, 200)},
		"DELETE " + accountsPath + "/{id}": {removableAccount,
			from(admin, 200)},
		"POST " + qrPath: {fixed("POST", qrPath,
			map[string]any{"studio_id": h.studio1.ID}), from(admin, 201)},
		"GET " + qrStatusPath: {ownersQRStatus, onlyOwner1(200)},
		"POST " + qrLoginPath: {ownersConfirmedQR, onlyOwner1(200)},
		"POST " + apiKeysPath: {fixed("POST", apiKeysPath,
			map[string]any{"studio_id": h.studio1.ID, "role": "viewer",
				"name": "access test"}), from(viewer, 201)},
		"GET " + apiKeysPath: {fixed("GET",
			apiKeysPath+"?studio_id="+studio, nil), from(viewer, 200)},
		"DELETE " + apiKeysPath + "/{id}": {ownersKey, from(admin, 200)},
		"GET " + auditPath: {fixed("GET", auditPath+"?studio_id="+studio,
			nil), from(admin, 200)},
	}
	maps.Copy(rules, shopeeRules(t, h))
	maps.Copy(rules, liveRules(t, h))
	maps.Copy(rules, campaignRules(h))
	maps.Copy(rules, boostRules(t, h))
	return rules
}

// campaignRules are the rules of campaign optimisation's routes.
func campaignRules(h *harness) map[string]rule {
	studio := itoa(h.studio1.ID)
	campaigns := api + "/campaigns"
	return map[string]rule{
		"GET " + campaigns + "/optimization": {fixed("GET",
			campaigns+"/optimization?studio_id="+studio, nil),
			from(liveboard.RoleViewer, 200)},
		"GET " + campaigns + "/auto-pause": {fixed("GET",
			campaigns+"/auto-pause?studio_id="+studio, nil),
			from(liveboard.RoleViewer, 200)},
		"PUT " + campaigns + "/auto-pause": {fixed("PUT",
			campaigns+"/auto-pause", map[string]any{
				"studio_id": h.studio1.ID, "roi_floor_percent": 10}),
			from(liveboard.RoleAdmin, 200)},
		"GET " + campaigns + "/actions": {fixed("GET",
			campaigns+"/actions?studio_id="+studio, nil),
			from(liveboard.RoleViewer, 200)},
	}
}

// liveRules are the rules of the live stream, the session products and
// the alert inbox, rules and channels.
func liveRules(t *testing.T, h *harness) map[string]rule {
	a := h.accounts[0]
	live := h.liveSession(t, a)
	stored := h.allSessions(t, owner1)[0]
	studio := itoa(h.studio1.ID)
	viewer, operator := liveboard.RoleViewer, liveboard.RoleOperator
	admin := liveboard.RoleAdmin
	alerts, channels := api+"/alerts", api+"/alerts/channels"

	return map[string]rule{
		"POST " + api + "/items/session-products": {fixed("POST",
			api+"/items/session-products", map[string]any{
				"account_id": a.ID, "session_id": live.SessionID}),
			from(viewer, 200)},
		"GET " + sessionsPath + "/{id}/products": {fixed("GET",
			sessionsPath+"/"+itoa(stored.ID)+"/products", nil),
			from(viewer, 200)},
		"GET " + api + "/live/stream": {fixed("GET",
			api+"/live/stream?studio_id="+studio, nil), from(viewer, 200)},
		"GET " + alerts: {fixed("GET", alerts+"?studio_id="+studio, nil),
			from(viewer, 200)},
		"POST " + alerts + "/{id}/acknowledge": {openAlert,
			from(operator, 200)},
		"GET " + alerts + "/rules": {fixed("GET",
			alerts+"/rules?studio_id="+studio, nil), from(viewer, 200)},
		"PUT " + alerts + "/rules": {fixed("PUT", alerts+"/rules",
			map[string]any{"studio_id": h.studio1.ID,
				"cooldown_minutes": 20}), from(admin, 200)},
		"GET " + channels: {fixed("GET", channels+"?studio_id="+studio,
			nil), from(viewer, 200)},
		"POST " + channels: {fixed("POST", channels, map[string]any{
			"studio_id": h.studio1.ID, "kind": "webhook",
			"url": h.hookURL(t)}), from(admin, 201)},
		"DELETE " + channels + "/{id}": {func(t *testing.T, h *harness,
			_ who) request {
			return request{"DELETE", channels + "/" + h.channel(t), nil}
		}, from(admin, 200)},
		"POST " + channels + "/{id}/test": {func(t *testing.T, h *harness,
			_ who) request {
			return request{"POST", channels + "/" + h.channel(t) + "/test",
				nil}
		}, from(admin, 200)},
	}
}

// openAlert fires a fresh alert on studio 1's first account to
// acknowledge.
func openAlert(t *testing.T, h *harness, _ who) request {
	a := h.accounts[0]
	at := h.clock.Now()
	al := &liveboard.Alert{StudioID: a.StudioID, AccountID: a.ID,
		Rule: liveboard.RuleRelogin, Subject: liveboard.AccountSubject(a.ID),
		Title: "access test", FiredAt: at}
	if _, err := h.store.FireAlert(context.Background(), al, 0); err != nil {
		t.Fatal(err)
	}
	if err := h.store.ResolveAlert(context.Background(), a.StudioID,
		al.Rule, al.Subject, at); err != nil {
		t.Fatal(err)
	}
	return request{"POST", api + "/alerts/" + itoa(al.ID) + "/acknowledge",
		nil}
}

// hookURL returns the URL of a webhook endpoint that takes everything.
func (h *harness) hookURL(t *testing.T) string {
	return serveHook(t, &hook{status: http.StatusNoContent})
}

// channel stores a fresh webhook channel in studio 1 and returns its id.
func (h *harness) channel(t *testing.T) string {
	ch := &liveboard.Channel{StudioID: h.studio1.ID,
		Kind: liveboard.ChannelWebhook, Name: "access test", Enabled: true}
	cfg := liveboard.ChannelConfig{URL: h.hookURL(t) + "/hook"}
	if err := h.store.CreateChannel(context.Background(), ch,
		cfg); err != nil {
		t.Fatal(err)
	}
	return itoa(ch.ID)
}

// shopeeRules are the rules of the routes that call Shopee for a studio's
// account, and of the URL builders and the instance's SMM panel.
func shopeeRules(t *testing.T, h *harness) map[string]rule {
	a := h.accounts[0]
	live := h.liveSession(t, a)
	viewer, operator := liveboard.RoleViewer, liveboard.RoleOperator
	creds := map[string]any{"account_id": a.ID}
	session := map[string]any{"account_id": a.ID,
		"session_id": live.SessionID}
	read := func(path string, body map[string]any) rule {
		return rule{fixed("POST", api+path, body), from(viewer, 200)}
	}
	everyone := func(who) int { return http.StatusOK }
	promo := h.sim.PromotedItems(a.ShopeeUserID)[0].PromoID

	return map[string]rule{
		"POST " + api + "/creator/user-info":      read("/creator/user-info", creds),
		"POST " + api + "/creator/session-info":   read("/creator/session-info", session),
		"POST " + api + "/creator/overview":       read("/creator/overview", session),
		"POST " + api + "/live/ongoing":           read("/live/ongoing", creds),
		"POST " + api + "/promotions/today":       read("/promotions/today", creds),
		"POST " + api + "/items/promotion":        read("/items/promotion", creds),
		"POST " + api + "/campaign/expense-today": read("/campaign/expense-today", creds),
		"POST " + api + "/campaign/ads-data":      read("/campaign/ads-data", creds),
		"POST " + api + "/coins/reward-info":      read("/coins/reward-info", session),
		"POST " + api + "/promotions/streamer-selector": read(
			"/promotions/streamer-selector", creds),
		"POST " + api + "/items/promotion/{promo_id}": read(
			"/items/promotion/"+itoa(promo), creds),
		"POST " + api + "/promotions/edit": {campaignEdit, from(operator, 200)},
		"POST " + api + "/coins/start":     {coinStart, from(operator, 200)},
		"POST " + api + "/coins/giveout": {fixed("POST", api+"/coins/giveout",
			session), from(operator, 200)},
		// URL builders touch no studio's data: everyone may use them.
		"GET " + api + "/links/product": {fixed("GET",
			api+"/links/product?shop_id=11&item_id=22", nil), everyone},
		"GET " + api + "/links/shop": {fixed("GET",
			api+"/links/shop?shop_id=77", nil), everyone},
		// The SMM panel is the instance's: no studio role reaches it.
		"GET " + api + "/external/smm/services": {fixed("GET",
			api+"/external/smm/services", nil), forbidden},
		"GET " + api + "/external/smm/balance": {fixed("GET",
			api+"/external/smm/balance", nil), forbidden},
		"GET " + api + "/external/smm/status": {fixed("GET",
			api+"/external/smm/status?orders=1", nil), forbidden},
	}
}

func forbidden(who) int { return http.StatusForbidden }

// campaignEdit changes one campaign of studio 1, a different change for
// each caller allowed to, so that no change repeats the one before.
func campaignEdit(t *testing.T, h *harness, as who) request {
	a := h.accounts[0]
	body := map[string]any{"account_id": a.ID,
		"campaign_id": h.sim.Campaigns(a.ShopeeUserID)[0].CampaignID,
		"action":      "pause"}
	switch as {
	case admin1:
		body["action"] = "resume"
	case owner1:
		body["action"] = "change_budget"
		body["daily_budget"] = 250000
	}
	return request{"POST", api + "/promotions/edit", body}
}

// coinStart starts a giveaway on a live session of studio 1, on another
// account's session for each caller allowed to, as a session runs one
// giveaway at a time.
func coinStart(t *testing.T, h *harness, as who) request {
	i := map[who]int{admin1: 1, owner1: 2}[as]
	a := h.accounts[i]
	return request{"POST", api + "/coins/start", map[string]any{
		"account_id": a.ID, "session_id": h.liveSession(t, a).SessionID,
		"giveout": 300, "coins_per_claim": 1, "claim_times": 3,
		"interval_seconds": 60}}
}

// removableAccount stores a fresh account in studio 1 to remove.
func removableAccount(t *testing.T, h *harness, _ who) request {
	a := liveboard.Account{StudioID: h.studio1.ID,
		Region: liveboard.RegionID, ShopeeUserID: 500_000_000 +
			int64(len(h.accounts)), UserName: "spare"}
	h.accounts = append(h.accounts, a)
	if err := h.store.CreateAccount(context.Background(), &a,
		"SPC_EC=spare-login-for-removal"); err != nil {
		t.Fatal(err)
	}
	return request{"DELETE", accountsPath + "/" + itoa(a.ID), nil}
}

// ownersKey stores a fresh operator key of studio 1's owner to revoke.
func ownersKey(t *testing.T, h *harness, _ who) request {
	_, id := h.createKey(t, h.users["owner@example.test"],
		liveboard.RoleOperator, &h.studio1.ID)
	return request{"DELETE", apiKeysPath + "/" + itoa(id), nil}
}

// ownersQR starts a QR login as studio 1's owner and returns its id.
func ownersQR(t *testing.T, h *harness) string {
	t.Helper()
	res := h.post(t, qrPath, owner1, map[string]any{
		"studio_id": h.studio1.ID})
	return dataOf[qrStarted](t, res, http.StatusCreated).QRCodeID
}

func ownersQRStatus(t *testing.T, h *harness, _ who) request {
	id := ownersQR(t, h)
	return request{"GET", qrStatusPath + "?" +
		url.Values{"qrcode_id": {id}}.Encode(), nil}
}

// ownersConfirmedQR starts a QR login as studio 1's owner; for the owner
// the phone confirms it as an account the studio has, so that finishing
// gives that account a new login.
func ownersConfirmedQR(t *testing.T, h *harness, as who) request {
	id := ownersQR(t, h)
	if as == owner1 {
		if err := h.sim.ScanQR(id); err != nil {
			t.Fatal(err)
		}
		a := h.accounts[2]
		if _, err := h.sim.ConfirmQR(id, a.ShopeeUserID); err != nil {
			t.Fatal(err)
		}
	}
	return request{"POST", qrLoginPath, map[string]any{"qrcode_id": id}}
}

type qrStarted struct {
	QRCodeID string `json:"qrcode_id"`
	Status   string `json:"status"`
	Link     string `json:"link"`
	SVG      string `json:"svg"`
}

// TestEveryRouteChecksAccess calls every keyed route the server has as
// callers outside studio 1 and as each role in it, and checks who is
// refused: outsiders with 404, as if studio 1 did not exist, members
// whose role is too low with 403. A route without a rule fails the test,
// so a new route cannot escape it. Refused calls must not reach Shopee.
func TestEveryRouteChecksAccess(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		rules := accessRules(t, h)

		for _, rt := range h.api.Routes() {
			if rt.Public {
				continue
			}
			pattern := rt.Method + " " + rt.Path
			r, ok := rules[pattern]
			if !ok {
				t.Errorf("%s has no access rule: add one to accessRules",
					pattern)
				continue
			}
			t.Run(pattern, func(t *testing.T) {
				for _, as := range callers {
					h.checkAccess(t, r, as)
				}
			})
		}
	})
}

func (h *harness) checkAccess(t *testing.T, r rule, as who) {
	t.Helper()
	req := r.req(t, h, as)
	want := r.want(as)
	calls := h.sim.Calls()

	res := h.do(t, req, as)
	switch want {
	case http.StatusNotFound:
		wantError(t, res, want, liveboard.ENotFound)
	case http.StatusForbidden:
		wantError(t, res, want, liveboard.EForbidden)
	default:
		wantStatus(t, res, want)
	}
	if _, member := roleIn1[as]; !member {
		checkNoStudio1Data(t, h, res)
	}
	if want >= 400 {
		if got := h.sim.Calls(); !maps.Equal(calls, got) {
			t.Errorf("%s: a refused call reached Shopee: %v, then %v", as,
				calls, got)
		}
	}
}
