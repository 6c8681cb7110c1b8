package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"liveboard"
	"liveboard/smmpanel"
)

// SMMPanel is the SMM panel the API reads, when one is configured.
type SMMPanel interface {
	Services(ctx context.Context) ([]smmpanel.Service, error)
	Balance(ctx context.Context) (*smmpanel.Balance, error)
	Status(ctx context.Context, orderIDs []int64) ([]smmpanel.OrderStatus,
		error)
}

// smmPanel returns the configured panel, for instance administrators
// only: the panel account is the instance's, not a studio's.
func (s *Server) smmPanel(ctx context.Context) (SMMPanel, error) {
	p := principalFrom(ctx)
	if p == nil || !p.AllStudios.Includes(liveboard.RoleAdmin) {
		return nil, liveboard.Errorf(liveboard.EForbidden,
			"the SMM panel is for instance administrators")
	}
	if s.cfg.SMM == nil {
		return nil, liveboard.Errorf(liveboard.ENotFound,
			"no SMM panel is configured on this server")
	}
	return s.cfg.SMM, nil
}

type smmServiceJSON struct {
	ServiceID int64           `json:"service_id"`
	Name      string          `json:"name"`
	Type      string          `json:"type"`
	Category  string          `json:"category"`
	Rate      liveboard.Money `json:"rate"`
	Min       int64           `json:"min"`
	Max       int64           `json:"max"`
}

// smmServices answers GET /external/smm/services.
func (s *Server) smmServices(w http.ResponseWriter, r *http.Request) error {
	panel, err := s.smmPanel(r.Context())
	if err != nil {
		return err
	}
	list, err := panel.Services(r.Context())
	if err != nil {
		return err
	}
	out := make([]smmServiceJSON, len(list))
	for i, sv := range list {
		out[i] = smmServiceJSON{ServiceID: sv.ID, Name: sv.Name,
			Type: sv.Type, Category: sv.Category, Rate: sv.Rate,
			Min: sv.Min, Max: sv.Max}
	}
	s.writeData(w, http.StatusOK, map[string]any{"services": out})
	return nil
}

// smmBalance answers GET /external/smm/balance.
func (s *Server) smmBalance(w http.ResponseWriter, r *http.Request) error {
	panel, err := s.smmPanel(r.Context())
	if err != nil {
		return err
	}
	b, err := panel.Balance(r.Context())
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, map[string]any{"balance": b.Amount,
		"currency": b.Currency})
	return nil
}

type smmOrderJSON struct {
	OrderID    int64            `json:"order_id"`
	Status     string           `json:"status"`
	Charge     *liveboard.Money `json:"charge"`
	StartCount *int64           `json:"start_count"`
	Remains    *int64           `json:"remains"`
	Currency   string           `json:"currency"`
	Error      string           `json:"error"`
}

// smmStatus answers GET /external/smm/status?orders=1,2: the status of
// orders placed on the panel.
func (s *Server) smmStatus(w http.ResponseWriter, r *http.Request) error {
	panel, err := s.smmPanel(r.Context())
	if err != nil {
		return err
	}
	ids, err := orderIDs(r.URL.Query().Get("orders"))
	if err != nil {
		return err
	}

	list, err := panel.Status(r.Context(), ids)
	if err != nil {
		return err
	}
	out := make([]smmOrderJSON, len(list))
	for i, o := range list {
		out[i] = smmOrderJSON{OrderID: o.OrderID, Status: o.Status,
			Charge: o.Charge, StartCount: o.StartCount, Remains: o.Remains,
			Currency: o.Currency, Error: o.Error}
	}
	s.writeData(w, http.StatusOK, map[string]any{"orders": out})
	return nil
}

// orderIDs reads a comma-separated list of 1 to 100 order ids.
func orderIDs(text string) ([]int64, error) {
	var ids []int64
	for part := range strings.SplitSeq(text, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || id < 1 {
			return nil, liveboard.Errorf(liveboard.EInvalid,
				"orders must be order ids separated by commas")
		}
		ids = append(ids, id)
	}
	if len(ids) > 100 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"ask about 100 orders at most")
	}
	return ids, nil
}
