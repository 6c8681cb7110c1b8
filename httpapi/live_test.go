package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"liveboard"
	"liveboard/shopee"
	"liveboard/sqlstore/sqlstoretest"
	"liveboard/workflow"
)

const productsPath = "/api/live-streaming/items/session-products"

var quietLogger = slog.New(slog.DiscardHandler)

type productOut struct {
	ItemID  int64        `json:"item_id"`
	Title   string       `json:"title"`
	Clicks  *int64       `json:"clicks"`
	Orders  *int64       `json:"orders"`
	Revenue *json.Number `json:"revenue"`
}

func TestSessionProducts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	a := h.accounts[0]
	live := h.liveSession(t, a)

	res := h.post(t, productsPath, viewer1, map[string]any{
		"account_id": a.ID, "session_id": live.SessionID, "page_size": 100})
	page := dataOf[struct {
		Total    int          `json:"total"`
		Currency string       `json:"currency"`
		Products []productOut `json:"products"`
	}](t, res, http.StatusOK)

	truth, _ := h.sim.Products(live.SessionID, h.clock.Now())
	if page.Total != len(truth) || len(page.Products) != len(truth) ||
		page.Currency != "IDR" {
		t.Fatalf("total %d, %d products, %s; want %d in IDR", page.Total,
			len(page.Products), page.Currency, len(truth))
	}
	byID := map[int64]productOut{}
	for _, p := range page.Products {
		byID[p.ItemID] = p
	}
	for _, tr := range truth {
		p := byID[tr.ItemID]
		if p.Title != tr.Title || *p.Clicks != tr.Clicks ||
			*p.Orders != tr.Orders || p.Revenue.String() != tr.Revenue.String() {
			t.Errorf("product %d: %+v, truth %+v", tr.ItemID, p, tr)
		}
	}

	t.Run("ErrNoSession", func(t *testing.T) {
		res := h.post(t, productsPath, viewer1,
			map[string]any{"account_id": a.ID})
		wantError(t, res, http.StatusBadRequest, liveboard.EInvalid)
	})
	t.Run("ErrOtherStudiosAccount", func(t *testing.T) {
		res := h.post(t, productsPath, member2, map[string]any{
			"account_id": a.ID, "session_id": live.SessionID})
		wantError(t, res, http.StatusNotFound, liveboard.ENotFound)
	})
	t.Run("ErrNotThisLoginsSession", func(t *testing.T) {
		other := h.liveSession(t, h.accounts[1])
		res := h.post(t, productsPath, viewer1, map[string]any{
			"account_id": a.ID, "session_id": other.SessionID})
		wantError(t, res, http.StatusNotFound, liveboard.ENotFound)
	})
}

func TestStoredProducts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	h.syncer.Products = h.syncer.Shopee.(*shopee.Client)
	a := h.accounts[0]
	live := h.liveSession(t, a)
	res := h.post(t, syncPath, operator1, map[string]any{
		"shopee_account_id": a.ID, "session_id": live.SessionID})
	id := dataOf[struct {
		ID json.Number `json:"id"`
	}](t, res, http.StatusOK).ID

	res = h.get(t, "/api/live-streaming/sessions/"+id.String()+"/products",
		viewer1)
	got := dataOf[struct {
		Products []productOut `json:"products"`
	}](t, res, http.StatusOK).Products
	truth, _ := h.sim.Products(live.SessionID, h.clock.Now())
	if len(got) != len(truth) {
		t.Fatalf("%d products stored, want %d", len(got), len(truth))
	}
	for i := 1; i < len(got); i++ {
		prev, _ := liveboard.ParseMoney(got[i-1].Revenue.String())
		cur, _ := liveboard.ParseMoney(got[i].Revenue.String())
		if cur > prev {
			t.Errorf("products not best sellers first: %v after %v",
				cur, prev)
		}
	}

	res = h.get(t, "/api/live-streaming/sessions/"+id.String()+"/products",
		member2)
	wantError(t, res, http.StatusNotFound, liveboard.ENotFound)
}

// sseEvent is one event of the live stream.
type sseEvent struct {
	id    int64
	event string
	data  string
}

// liveEvent is the part of an event's data the tests read.
type liveEvent struct {
	Seq         int64        `json:"seq"`
	StudioID    int64        `json:"studio_id"`
	SessionID   string       `json:"session_id"`
	TopProducts []productOut `json:"top_products"`
	Snapshot    struct {
		TakenAt string `json:"taken_at"`
	} `json:"snapshot"`
}

// stream is an open live stream.
type stream struct {
	events chan sseEvent
	cancel func()
}

// openStream connects to the live stream as who, with a Last-Event-ID
// unless lastID is empty.
func (h *harness) openStream(t *testing.T, as who, query,
	lastID string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		h.url+"/api/live-streaming/live/stream"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.keys[as])
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK ||
		resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream answered %d %s", resp.StatusCode,
			resp.Header.Get("Content-Type"))
	}

	s := &stream{events: make(chan sseEvent, 1000), cancel: cancel}
	go readEvents(resp, s.events)
	t.Cleanup(s.close)
	return s
}

func (s *stream) close() { s.cancel() }

// readEvents parses server-sent events until the stream ends.
func readEvents(resp *http.Response, out chan<- sseEvent) {
	defer resp.Body.Close()
	defer close(out)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		field, value, _ := strings.Cut(line, ": ")
		switch {
		case line == "":
			if ev.event != "" {
				out <- ev
			}
			ev = sseEvent{}
		case field == "id":
			ev.id, _ = strconv.ParseInt(value, 10, 64)
		case field == "event":
			ev.event = value
		case field == "data":
			ev.data = value
		}
	}
}

// next returns the stream's next n events.
func (s *stream) next(t *testing.T, n int) []sseEvent {
	t.Helper()
	var got []sseEvent
	timeout := time.After(20 * time.Second)
	for len(got) < n {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("stream ended after %d of %d events", len(got), n)
			}
			got = append(got, ev)
		case <-timeout:
			t.Fatalf("got %d of %d events within 20 s", len(got), n)
		}
	}
	return got
}

// storedSeqs returns the seqs of the studio's snapshots stored after.
func (h *harness) storedSeqs(t *testing.T, studioID, after int64) []int64 {
	t.Helper()
	evs, err := h.store.SnapshotEvents(context.Background(),
		[]int64{studioID}, after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, ev := range evs {
		out = append(out, ev.Seq)
	}
	return out
}

// checkEvents checks that events are exactly the snapshots with seqs
// want, in order, and that each matches the document's LiveEvent.
func checkEvents(t *testing.T, events []sseEvent, want []int64,
	studioID int64) []liveEvent {
	t.Helper()
	schema := loadDoc(t).doc.Components.Schemas["LiveEvent"].Value
	var got []int64
	var out []liveEvent
	for _, ev := range events {
		var v any
		if err := json.Unmarshal([]byte(ev.data), &v); err != nil {
			t.Fatalf("event %d: %v", ev.id, err)
		}
		if err := schema.VisitJSON(v); err != nil {
			t.Errorf("event %d does not match LiveEvent: %v", ev.id, err)
		}
		var le liveEvent
		_ = json.Unmarshal([]byte(ev.data), &le)
		if ev.event != "snapshot" || le.Seq != ev.id ||
			le.StudioID != studioID {
			t.Errorf("event %d: %s, data %s", ev.id, ev.event, ev.data)
		}
		got = append(got, ev.id)
		out = append(out, le)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event ids (-stored +streamed):\n%s", diff)
	}
	return out
}

// TestLiveStream checks that the stream sends every snapshot stored for
// the caller's studio in the order stored, the backlog after a
// Last-Event-ID first, and resumes after a reconnect without a gap.
func TestLiveStream(t *testing.T) {
	t.Parallel()
	sqlstoretest.Run(t, func(t *testing.T, e sqlstoretest.Engine) {
		h := newHarness(t, e, setup{})
		studio := h.studio1.ID
		m := &workflow.Monitor{Store: h.store,
			Shopee: h.syncer.Shopee.(*shopee.Client), Now: h.clock.Now,
			Logger: quietLogger, Stored: h.api.NotifyStored}
		ticks := func(n int) {
			for range n {
				h.clock.Advance(30 * time.Second)
				if _, err := m.Tick(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		}

		backlog := h.storedSeqs(t, studio, 0)
		from0 := h.openStream(t, owner1, "?studio_id=1", "0")
		fresh := h.openStream(t, owner1, "?studio_id=1", "")
		checkEvents(t, from0.next(t, len(backlog)), backlog, studio)

		ticks(2)
		added := h.storedSeqs(t, studio, backlog[len(backlog)-1])
		if len(added) != 2*len(h.studio1Accounts()) {
			t.Fatalf("two ticks stored %d snapshots, want one per live "+
				"session and tick", len(added))
		}
		got := checkEvents(t, from0.next(t, len(added)), added, studio)
		checkEvents(t, fresh.next(t, len(added)), added, studio)
		if len(got[0].TopProducts) != liveboard.TopProductCount {
			t.Errorf("event has %d top products, want %d",
				len(got[0].TopProducts), liveboard.TopProductCount)
		}

		t.Run("ResumesAfterLastEventID", func(t *testing.T) {
			last := added[len(added)-1]
			from0.close()
			ticks(3)
			missed := h.storedSeqs(t, studio, last)
			again := h.openStream(t, owner1, "?studio_id=1",
				strconv.FormatInt(last, 10))
			checkEvents(t, again.next(t, len(missed)), missed, studio)
		})

		t.Run("IDFromAnotherDatabaseStartsNow", func(t *testing.T) {
			last := h.storedSeqs(t, studio, 0)
			s := h.openStream(t, owner1, "?studio_id=1", "1000000000")
			ticks(1)
			next := h.storedSeqs(t, studio, last[len(last)-1])
			checkEvents(t, s.next(t, len(next)), next, studio)
		})

		t.Run("OtherStudioSeesOnlyItsOwn", func(t *testing.T) {
			theirs := h.storedSeqs(t, h.studio2.ID, 0)
			s := h.openStream(t, member2, "", "0")
			checkEvents(t, s.next(t, len(theirs)), theirs, h.studio2.ID)
		})
	})
}

func TestLiveStreamRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	const path = "/api/live-streaming/live/stream"
	wantError(t, h.get(t, path+"?last_event_id=abc", owner1),
		http.StatusBadRequest, liveboard.EInvalid)
	wantError(t, h.get(t, path+"?studio_id=1", member2),
		http.StatusNotFound, liveboard.ENotFound)
	wantError(t, h.get(t, path, anonymous), http.StatusUnauthorized,
		liveboard.EUnauthorized)
}

func TestLiveStreamEndsOnClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t, sqlstoretest.Engines(t)[0], setup{})
	s := h.openStream(t, owner1, "", "")
	h.api.Close()
	select {
	case _, ok := <-s.events:
		if ok {
			t.Error("an event arrived instead of the end")
		}
	case <-time.After(10 * time.Second):
		t.Error("the stream stayed open after Close")
	}
}
