package httpapi

import (
	"context"
	"net/http"
	"strings"
)

// APIPrefix is where the JSON API lives.
const APIPrefix = "/api/live-streaming"

// install registers every route. This is the one list of what the API
// answers; the OpenAPI document is tested against it.
func (s *Server) install() {
	s.public("GET /healthz", s.healthz)
	s.public("GET /readyz", s.readyz)
	s.public("GET /api/openapi.json", s.openAPI)
	if s.cfg.Metrics != nil {
		s.route(Route{Method: "GET", Path: "/metrics", Public: true},
			s.cfg.Metrics)
	}

	s.api("POST /creator/session-list", s.creatorSessionList)
	s.api("POST /sessions/sync", s.syncSessions)
	s.api("GET /sessions", s.listSessions)
	s.api("GET /sessions/{id}", s.getSession)
	s.api("GET /sessions/{id}/snapshots", s.sessionSnapshots)
	s.api("GET /analytics/summary", s.analyticsSummary)
	s.api("GET /reports/{period}", s.getReport)
	s.api("GET /share-link/{session_id}", s.shareLink)
	s.api("GET /studios", s.listStudios)
	s.api("GET /accounts", s.listAccounts)
	s.api("POST /accounts", s.connectAccount)
	s.api("GET /accounts/{id}", s.getAccount)
	s.api("DELETE /accounts/{id}", s.removeAccount)
	s.api("POST /auth/qrcode", s.startQR)
	s.api("GET /auth/qrcode/status", s.qrStatus)
	s.api("POST /auth/qrcode/login", s.finishQR)
	s.api("POST /api-keys", s.createKey)
	s.api("GET /api-keys", s.listKeys)
	s.api("DELETE /api-keys/{id}", s.revokeKey)
	s.api("GET /audit", s.auditLog)

	s.api("POST /creator/user-info", s.userInfo)
	s.api("POST /creator/session-info", s.sessionInfo)
	s.api("POST /creator/overview", s.overview)
	s.api("POST /live/ongoing", s.liveOngoing)
	s.api("POST /promotions/streamer-selector", s.streamerSelector)
	s.api("POST /promotions/today", s.promotionsToday)
	s.api("POST /promotions/edit", s.editPromotion)
	s.api("POST /items/promotion", s.promotedItems)
	s.api("POST /items/promotion/{promo_id}", s.promotedItem)
	s.api("POST /campaign/expense-today", s.expenseToday)
	s.api("POST /campaign/ads-data", s.adsData)
	s.api("POST /coins/start", s.startCoins)
	s.api("POST /coins/giveout", s.coinGiveout)
	s.api("POST /coins/reward-info", s.coinRewardInfo)
	s.api("POST /coins/boost", s.startBoost)
	s.api("GET /coins/boost", s.listBoosts)
	s.api("GET /coins/boost/{id}", s.getBoost)
	s.api("POST /coins/boost/{id}/stop", s.stopBoost)
	s.api("GET /links/product", s.productLink)
	s.api("GET /links/shop", s.shopLink)
	s.api("GET /external/smm/services", s.smmServices)
	s.api("GET /external/smm/balance", s.smmBalance)
	s.api("GET /external/smm/status", s.smmStatus)

	s.api("POST /items/session-products", s.sessionProducts)
	s.api("GET /sessions/{id}/products", s.storedProducts)
	s.api("GET /live/stream", s.liveStream)
	s.api("GET /alerts", s.listAlerts)
	s.api("POST /alerts/{id}/acknowledge", s.acknowledgeAlert)
	s.api("GET /alerts/rules", s.getAlertRules)
	s.api("PUT /alerts/rules", s.putAlertRules)
	s.api("GET /alerts/channels", s.listChannels)
	s.api("POST /alerts/channels", s.createChannel)
	s.api("DELETE /alerts/channels/{id}", s.deleteChannel)
	s.api("POST /alerts/channels/{id}/test", s.testChannel)

	s.api("GET /campaigns/optimization", s.campaignOptimization)
	s.api("GET /campaigns/auto-pause", s.getAutoPause)
	s.api("PUT /campaigns/auto-pause", s.putAutoPause)
	s.api("GET /campaigns/actions", s.campaignActions)
}

// handlerFunc is a handler that returns its error for the caller to write.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) public(pattern string, h handlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.route(Route{Method: method, Path: path, Public: true},
		s.errorHandler(h))
}

func (s *Server) api(pattern string, h handlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.route(Route{Method: method, Path: APIPrefix + path},
		s.errorHandler(s.requireKey(h)))
}

func (s *Server) route(rt Route, h http.Handler) {
	s.routes = append(s.routes, rt)
	s.mux.Handle(rt.Method+" "+rt.Path, h)
}

func (s *Server) errorHandler(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// requireKey authenticates the request before h runs.
func (s *Server) requireKey(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.authenticate(r)
		if err != nil {
			return err
		}
		if err := s.limits.allow(w, p.KeyID, s.cfg.Now()); err != nil {
			return err
		}
		ctx := context.WithValue(r.Context(), principalKey{}, p)
		return h(w, r.WithContext(ctx))
	}
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	s.writeData(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers 200 when the database answers and its migrations are
// applied, 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			s.cfg.Logger.Warn("not ready", "error", err)
			writeJSON(w, http.StatusServiceUnavailable, errorEnvelope{
				Status: "error", Code: "NOT_READY",
				Message:   "not ready: " + err.Error(),
				Timestamp: s.timestamp()})
			return nil
		}
	}
	s.writeData(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(s.doc)
	return err
}
