package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"liveboard"
	"liveboard/livestream"
	"liveboard/shopee"
)

// ProductReader reads a live session's product list from Shopee.
type ProductReader interface {
	SessionProducts(ctx context.Context, a shopee.Auth, sessionID int64,
		page, pageSize int) (*shopee.ProductPage, error)
}

type sessionProductsRequest struct {
	shopeeCredentials
	SessionID flexID `json:"session_id"`
	Page      int    `json:"page"`
	PageSize  int    `json:"page_size"`
}

// sessionProducts answers POST /items/session-products: one page of a
// live session's product list, straight from Shopee.
func (s *Server) sessionProducts(w http.ResponseWriter, r *http.Request) error {
	var req sessionProductsRequest
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if req.Page == 0 {
		req.Page = 1
	}
	if req.PageSize == 0 {
		req.PageSize = 20
	}
	if req.Page < 1 || req.PageSize < 1 || req.PageSize > 100 {
		return liveboard.Errorf(liveboard.EInvalid,
			"page must be 1 or more and page_size between 1 and 100")
	}
	id, err := req.SessionID.shopeeID()
	if err != nil {
		return err
	}

	ctx := r.Context()
	auth, _, err := s.resolveAuth(ctx, req.shopeeCredentials,
		liveboard.RoleViewer)
	if err != nil {
		return err
	}
	if s.cfg.Products == nil {
		return liveboard.Errorf(liveboard.EInvalid,
			"product lists are not available on this server")
	}
	page, err := s.cfg.Products.SessionProducts(ctx, auth, id, req.Page,
		req.PageSize)
	if err != nil {
		return err
	}

	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": strconv.FormatInt(id, 10), "total": page.Total,
		"page": req.Page, "page_size": req.PageSize, "region": auth.Region,
		"currency": auth.Region.Currency(),
		"products": newProductsJSON(page.Items)})
	return nil
}

// storedProducts answers GET /sessions/{id}/products: the latest figures
// of a stored session's products, best sellers first.
func (s *Server) storedProducts(w http.ResponseWriter, r *http.Request) error {
	se, a, err := s.storedSession(r)
	if err != nil {
		return err
	}
	ps, err := s.cfg.Store.SessionProducts(r.Context(), se.ID)
	if err != nil {
		return err
	}
	s.writeData(w, http.StatusOK, map[string]any{
		"session_id": se.ShopeeSessionID, "currency": a.Region.Currency(),
		"products": newProductsJSON(ps)})
	return nil
}

// NotifyStored wakes the live streams: snapshots were just stored. Streams
// also look for new snapshots every StreamPoll, so snapshots stored by
// other instances reach them too.
func (s *Server) NotifyStored() { s.live.Notify() }

// Close ends every live stream, so an HTTP server can shut down without
// waiting for their clients. The server answers other requests as before.
func (s *Server) Close() { s.live.Close() }

// liveStream answers GET /live/stream: server-sent events, one per stored
// snapshot of the studios the caller sees, in the order they were
// stored. The event id is the snapshot's seq; a client that reconnects
// with Last-Event-ID gets every snapshot stored after it. Without one the
// stream starts with the next snapshot stored.
func (s *Server) liveStream(w http.ResponseWriter, r *http.Request) error {
	studios, err := s.visibleStudios(r)
	if err != nil {
		return err
	}
	after, err := livestream.Start(r, s.cfg.Store)
	if err != nil {
		return err
	}
	s.live.Serve(w, r, livestream.Stream{Store: s.cfg.Store,
		Studios: studios, After: after, Poll: s.cfg.StreamPoll,
		Logger: s.cfg.Logger,
		Encode: func(ev liveboard.SnapshotEvent) any {
			return newLiveEventJSON(ev)
		}})
	return nil
}
