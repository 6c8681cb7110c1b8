// Package livestream sends stored snapshots to browsers and other clients
// as server-sent events. The JSON API and the dashboard both serve their
// live streams through it, so they read the same snapshots the same way
// and differ only in how an event is written.
package livestream

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"liveboard"
)

// Hub wakes the streams of one server when snapshots are stored and ends
// them all at shutdown. The zero value is ready to use.
type Hub struct {
	mu      sync.Mutex
	wake    chan struct{}
	closing chan struct{}
	closed  bool
}

// wait returns a channel closed at the next Notify.
func (h *Hub) wait() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.wake == nil {
		h.wake = make(chan struct{})
	}
	return h.wake
}

// done returns a channel closed by Close.
func (h *Hub) done() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closingLocked()
}

func (h *Hub) closingLocked() chan struct{} {
	if h.closing == nil {
		h.closing = make(chan struct{})
	}
	return h.closing
}

// Notify wakes every waiting stream: snapshots were just stored.
func (h *Hub) Notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.wake != nil {
		close(h.wake)
		h.wake = nil
	}
}

// Close ends every stream, now and to come, so that an HTTP server can
// shut down without waiting for their clients.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.closingLocked())
	}
}

// Stream is one client's stream of the snapshots of some studios.
type Stream struct {
	Store liveboard.Store
	// Studios are the studios whose snapshots the client may see.
	Studios []int64
	// After is the seq the stream starts after (see Start).
	After int64
	// Poll is how often the stream looks for snapshots that no Notify
	// announced, such as those stored by another instance.
	Poll time.Duration
	// Encode turns a snapshot into the event's data, as JSON.
	Encode func(liveboard.SnapshotEvent) any
	Logger *slog.Logger
}

// Batch is how many snapshots one read of a stream sends at most.
const Batch = 200

// heartbeat is how often an idle stream sends a comment, so proxies keep
// it open.
const heartbeat = 15 * time.Second

// Start returns the seq after which a stream starts: the request's
// Last-Event-ID header or last_event_id parameter, or else the latest seq
// stored, so that a new stream sends only what is stored from now on.
// An id beyond the latest seq was given by another database (one made
// anew, as the demo's is at each start); such a stream starts from now,
// as a new one does, rather than waiting silently for that id to come.
func Start(r *http.Request, store liveboard.Store) (int64, error) {
	text := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if text == "" {
		text = strings.TrimSpace(r.URL.Query().Get("last_event_id"))
	}
	last, err := store.LastSnapshotSeq(r.Context())
	if err != nil || text == "" {
		return last, err
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 {
		return 0, liveboard.Errorf(liveboard.EInvalid,
			"Last-Event-ID must be an event id from this stream (a "+
				"whole number), got %q", text)
	}
	return min(n, last), nil
}

// Serve writes st as server-sent events until the client leaves or the
// hub closes: one "snapshot" event per snapshot stored after st.After,
// in seq order, its id the seq. Errors once the stream has begun are
// logged, and end it.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, st Stream) {
	ctx := r.Context()
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	fmt.Fprint(w, "retry: 3000\n\n")
	if err := rc.Flush(); err != nil {
		return
	}

	poll := time.NewTicker(st.Poll)
	defer poll.Stop()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	closing := h.done()
	for {
		wake := h.wait()
		n, err := st.send(w, r)
		if err != nil {
			st.Logger.Warn("live stream ended", "error", err)
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if n == Batch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-closing:
			return
		case <-wake:
		case <-poll.C:
		case <-beat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
	}
}

// send writes the snapshots stored after st.After and moves it on; it
// returns how many it wrote.
func (st *Stream) send(w http.ResponseWriter, r *http.Request) (int, error) {
	events, err := st.Store.SnapshotEvents(r.Context(), st.Studios,
		st.After, Batch)
	if err != nil {
		return 0, err
	}
	for _, ev := range events {
		data, err := json.Marshal(st.Encode(ev))
		if err != nil {
			return 0, err
		}
		_, err = fmt.Fprintf(w, "id: %d\nevent: snapshot\ndata: %s\n\n",
			ev.Seq, data)
		if err != nil {
			return 0, err
		}
		st.After = ev.Seq
	}
	return len(events), nil
}
