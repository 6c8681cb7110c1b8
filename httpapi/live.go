package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"liveboard"
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

// wakeup tells every waiting stream that something new was stored.
type wakeup struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel closed at the next notify.
func (w *wakeup) wait() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == nil {
		w.ch = make(chan struct{})
	}
	return w.ch
}

func (w *wakeup) notify() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch != nil {
		close(w.ch)
		w.ch = nil
	}
}

// NotifyStored wakes the live streams: snapshots were just stored. Streams
// also look for new snapshots every StreamPoll, so snapshots stored by
// other instances reach them too.
func (s *Server) NotifyStored() { s.wake.notify() }

// Close ends every live stream, so an HTTP server can shut down without
// waiting for their clients. The server answers other requests as before.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.closing) }) }

// streamBatch is how many snapshots one read of the stream sends at most.
const streamBatch = 200

// heartbeat is how often an idle stream sends a comment, so proxies keep
// it open.
const heartbeat = 15 * time.Second

// liveStream answers GET /live/stream: server-sent events, one per stored
// snapshot of the studios the caller sees, in the order they were
// stored. The event id is the snapshot's seq; a client that reconnects
// with Last-Event-ID gets every snapshot stored after it. Without one the
// stream starts with the next snapshot stored.
func (s *Server) liveStream(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	studios, err := s.visibleStudios(r)
	if err != nil {
		return err
	}
	after, err := s.streamStart(r)
	if err != nil {
		return err
	}

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	fmt.Fprint(w, "retry: 3000\n\n")
	if err := rc.Flush(); err != nil {
		return nil
	}

	poll := time.NewTicker(s.cfg.StreamPoll)
	defer poll.Stop()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		wake := s.wake.wait()
		n, err := s.sendEvents(w, r, studios, &after)
		if err != nil {
			s.cfg.Logger.Warn("live stream ended", "error", err)
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		if n == streamBatch {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.closing:
			return nil
		case <-wake:
		case <-poll.C:
		case <-beat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
	}
}

// streamStart returns the seq after which a stream starts: the request's
// Last-Event-ID header or last_event_id parameter, or the latest stored.
func (s *Server) streamStart(r *http.Request) (int64, error) {
	text := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if text == "" {
		text = strings.TrimSpace(r.URL.Query().Get("last_event_id"))
	}
	if text == "" {
		return s.cfg.Store.LastSnapshotSeq(r.Context())
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"Last-Event-ID must be an event id from this stream (a "+
				"whole number), got %q", text)
	}
	return n, nil
}

// sendEvents writes the snapshots stored after *after and moves it on; it
// returns how many it wrote.
func (s *Server) sendEvents(w http.ResponseWriter, r *http.Request,
	studios []int64, after *int64) (int, error) {
	events, err := s.cfg.Store.SnapshotEvents(r.Context(), studios, *after,
		streamBatch)
	if err != nil {
		return 0, err
	}
	for _, ev := range events {
		data, err := json.Marshal(newLiveEventJSON(ev))
		if err != nil {
			return 0, err
		}
		_, err = fmt.Fprintf(w, "id: %d\nevent: snapshot\ndata: %s\n\n",
			ev.Seq, data)
		if err != nil {
			return 0, err
		}
		*after = ev.Seq
	}
	return len(events), nil
}
