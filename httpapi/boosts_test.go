package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"liveboard"
	"liveboard/sqlstore/sqlstoretest"
)

const boostPath = "/api/live-streaming/coins/boost"

// boostBody is a valid boost of a live session of studio 1's first
// account; changes override its fields.
func boostBody(t *testing.T, h *harness,
	changes map[string]any) map[string]any {
	a := h.accounts[0]
	body := map[string]any{"account_id": a.ID,
		"session_id":  strconv.FormatInt(h.liveSession(t, a).SessionID, 10),
		"total_coins": 1000, "coins_per_claim": 10, "claim_times": 10,
		"interval_seconds": 60}
	for k, v := range changes {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

// storedPlan stores a running plan on studio 1's first account's live
// session, as the API would, and returns its id.
func (h *harness) storedPlan(t *testing.T) string {
	t.Helper()
	a := h.accounts[0]
	sid := strconv.FormatInt(h.liveSession(t, a).SessionID, 10)
	se, err := h.store.SessionByShopeeID(context.Background(), a.ID, sid)
	if err != nil {
		t.Fatal(err)
	}
	h.stopPlans(t)
	p := &liveboard.BoostPlan{StudioID: a.StudioID, AccountID: a.ID,
		SessionID: se.ID, ShopeeSessionID: sid, TotalCoins: 100,
		CoinsPerClaim: 1, ClaimTimes: 10, Interval: time.Minute}
	if err := h.store.CreateBoostPlan(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return itoa(p.ID)
}

// stopPlans ends studio 1's running plans, as a session runs one at a
// time.
func (h *harness) stopPlans(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	plans, err := h.store.BoostPlans(ctx, h.studio1.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if p.Status != liveboard.BoostRunning {
			continue
		}
		if _, err := h.store.EndBoostPlan(ctx, p.ID,
			liveboard.BoostStopped, "test", h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// boostRules are the rules of the coin boost routes.
func boostRules(t *testing.T, h *harness) map[string]rule {
	viewer, operator := liveboard.RoleViewer, liveboard.RoleOperator
	return map[string]rule{
		"POST " + boostPath: {func(t *testing.T, h *harness,
			_ who) request {
			h.stopPlans(t)
			return request{"POST", boostPath, boostBody(t, h, nil)}
		}, from(operator, http.StatusCreated)},
		"GET " + boostPath: {fixed("GET",
			boostPath+"?studio_id="+itoa(h.studio1.ID), nil),
			from(viewer, 200)},
		"GET " + boostPath + "/{id}": {func(t *testing.T, h *harness,
			_ who) request {
			return request{"GET", boostPath + "/" + h.storedPlan(t), nil}
		}, from(viewer, 200)},
		"POST " + boostPath + "/{id}/stop": {func(t *testing.T, h *harness,
			_ who) request {
			return request{"POST",
				boostPath + "/" + h.storedPlan(t) + "/stop", nil}
		}, from(operator, 200)},
	}
}

type boostPlanAnswer struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	SessionID string `json:"session_id"`
	Rounds    []struct {
		Round  int    `json:"round"`
		Status string `json:"status"`
	} `json:"rounds"`
}

// TestBoostAPI starts a plan, reads it, lists it and stops it, with the
// audit log recording start and stop; the first round is queued.
func TestBoostAPI(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		res := h.post(t, boostPath, operator1, boostBody(t, h, map[string]any{
			"min_viewers": 5}))
		p := dataOf[boostPlanAnswer](t, res, http.StatusCreated)
		if p.Status != "running" {
			t.Fatalf("plan %+v, want running", p)
		}
		h.queue.mu.Lock()
		queued := h.queue.boosts
		h.queue.mu.Unlock()
		if len(queued) != 1 || queued[0] != p.ID {
			t.Errorf("queued %v, want plan %d", queued, p.ID)
		}

		got := dataOf[boostPlanAnswer](t, h.get(t,
			boostPath+"/"+itoa(p.ID), viewer1), 200)
		if got.ID != p.ID || got.SessionID != p.SessionID ||
			got.Rounds == nil {
			t.Errorf("read %+v, want plan %d with its rounds", got, p.ID)
		}
		list := dataOf[struct {
			Plans []boostPlanAnswer `json:"plans"`
		}](t, h.get(t, boostPath+"?studio_id="+itoa(h.studio1.ID),
			viewer1), 200)
		if len(list.Plans) != 1 || list.Plans[0].ID != p.ID {
			t.Errorf("list %+v, want plan %d", list.Plans, p.ID)
		}

		// One plan at a time on a session: Shopee runs one giveaway.
		wantBoostError(t, h.post(t, boostPath, operator1,
			boostBody(t, h, nil)), http.StatusConflict, "already has")

		stop := boostPath + "/" + itoa(p.ID) + "/stop"
		stopped := dataOf[boostPlanAnswer](t, h.post(t, stop, operator1,
			nil), 200)
		if stopped.Status != "stopped" {
			t.Errorf("stopped plan is %s", stopped.Status)
		}
		wantBoostError(t, h.post(t, stop, operator1, nil), 400, "not running")

		log, err := h.store.AuditLog(context.Background(),
			liveboard.AuditFilter{StudioID: h.studio1.ID})
		if err != nil {
			t.Fatal(err)
		}
		var coin []string
		for _, e := range log {
			if e.Action == liveboard.AuditCoinAction {
				coin = append(coin, e.Detail)
			}
		}
		if len(coin) != 2 || !strings.Contains(coin[0], "stopped") ||
			!strings.Contains(coin[1], "started") {
			t.Errorf("coin audit entries %q, want start and stop", coin)
		}
	})
}

// TestBoostValidation answers 400 for every plan that cannot run, and
// 404 for sessions that are not the account's.
func TestBoostValidation(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		other := h.accounts[1]
		ended := strconv.FormatInt(h.endedSession(t, h.accounts[0]).SessionID,
			10)
		for _, tc := range []struct {
			name    string
			changes map[string]any
			status  int
			want    string
		}{
			{"NoAccount", map[string]any{"account_id": nil}, 400,
				"account_id"},
			{"ZeroTotal", map[string]any{"total_coins": 0}, 400,
				"total_coins"},
			{"NegativePerClaim", map[string]any{"coins_per_claim": -1}, 400,
				"coins_per_claim"},
			{"FractionalPerClaim", map[string]any{"coins_per_claim": 1.5},
				400, "coins_per_claim"},
			{"NoClaims", map[string]any{"claim_times": 0}, 400,
				"claim_times"},
			{"RoundOverBudget", map[string]any{"total_coins": 99}, 400,
				"exceed total_coins"},
			{"ShortInterval", map[string]any{"interval_seconds": 59}, 400,
				"interval_seconds"},
			{"ZeroMinViewers", map[string]any{"min_viewers": 0}, 400,
				"min_viewers"},
			{"BadSession", map[string]any{"session_id": "abc"}, 400,
				"Shopee id"},
			{"EndedSession", map[string]any{"session_id": ended}, 400,
				"not live"},
			{"OtherAccountsSession", map[string]any{"session_id": strconv.
				FormatInt(h.liveSession(t, other).SessionID, 10)}, 404,
				"not found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := h.post(t, boostPath, operator1,
					boostBody(t, h, tc.changes))
				wantBoostError(t, res, tc.status, tc.want)
			})
		}

		// Refused callers reach neither Shopee nor the store.
		wantBoostError(t, h.post(t, boostPath, viewer1, boostBody(t, h, nil)),
			403, "operator")
		wantBoostError(t, h.post(t, boostPath, member2, boostBody(t, h, nil)),
			404, "not found")
		id := h.storedPlan(t)
		wantBoostError(t, h.get(t, boostPath+"/"+id, member2), 404, "not found")
		wantBoostError(t, h.post(t, boostPath+"/"+id+"/stop", viewer1, nil),
			403, "operator")
		for _, bad := range []string{"abc", "1x", "99999999999999999999"} {
			wantBoostError(t, h.get(t, boostPath+"/"+bad, owner1), 400,
				"positive number")
			wantBoostError(t, h.post(t, boostPath+"/"+bad+"/stop",
				operator1, nil), 400, "positive number")
		}
		plans, err := h.store.BoostPlans(context.Background(),
			h.studio1.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != 1 {
			t.Errorf("%d plans stored, want only the one made here",
				len(plans))
		}
	})
}

// wantBoostError checks an error answer's status, the code that goes
// with it, and that its message mentions want.
func wantBoostError(t *testing.T, res response, status int, want string) {
	t.Helper()
	code := map[int]string{400: liveboard.EInvalid,
		403: liveboard.EForbidden, 404: liveboard.ENotFound,
		409: liveboard.EConflict}[status]
	e := wantError(t, res, status, code)
	if !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not mention %q", e.Message, want)
	}
}
