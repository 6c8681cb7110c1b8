package shopee

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"liveboard"
)

// SessionPage is one page of the creator centre's session list.
type SessionPage struct {
	// Total is how many sessions the list holds over all pages; 0 when
	// Shopee did not say.
	Total int
	Items []SessionItem
}

// SessionItem is one session as the session list shows it.
type SessionItem struct {
	SessionID  int64
	Title      string
	CoverImage string
	// Status is Shopee's raw status: 1 on air, 2 ended, 0 when absent. In
	// Indonesia ended and on-air sessions may both show 2; use Live.
	Status    int
	StartTime time.Time
	// Duration is how long the session has run; it grows while on air.
	Duration time.Duration
	// Metrics leave ViewersNow unknown: the list does not report it.
	Metrics liveboard.Metrics
}

// LiveTolerance is how far from now the end of a status-2 session (its
// StartTime plus Duration) may lie for Live to still count it on air.
const LiveTolerance = 5 * time.Minute

// Live reports whether the session is on air at now.
//
// Status 1 is on air. Status 2 normally means ended, but the Indonesian
// session list reports 2 for sessions still on air while their Duration
// keeps growing; so a status-2 session counts as live when its StartTime
// plus Duration lies within LiveTolerance of now. A session that ended
// less than LiveTolerance ago therefore still looks live; when an earlier
// observation of the session exists, StillLive tells the two apart.
func (it SessionItem) Live(now time.Time) bool {
	switch it.Status {
	case 1:
		return true
	case 2:
		if it.StartTime.IsZero() {
			return false
		}
		gap := now.Sub(it.StartTime.Add(it.Duration))
		return gap.Abs() <= LiveTolerance
	}
	return false
}

// StillLive reports whether cur, a later observation of the same session
// as prev, shows its Duration grown: the strongest sign that the session
// is still on air. Observations of different sessions are never live.
func StillLive(prev, cur SessionItem) bool {
	return prev.SessionID == cur.SessionID && cur.Duration > prev.Duration
}

type wireSessionPage struct {
	Total wireInt           `json:"total"`
	List  []wireSessionItem `json:"list"`
}

type wireSessionItem struct {
	SessionID       wireInt      `json:"sessionId"`
	Title           string       `json:"title"`
	CoverImage      string       `json:"coverImage"`
	Status          wireInt      `json:"status"`
	StartTime       wireTime     `json:"startTime"`
	Duration        wireDuration `json:"duration"`
	Views           wireInt      `json:"views"`
	Viewers         wireInt      `json:"viewers"`
	PeakViewers     wireInt      `json:"peakViewers"`
	Comments        wireInt      `json:"comments"`
	Likes           wireInt      `json:"likes"`
	FollowersGrowth wireInt      `json:"followersGrowth"`
	ATC             wireInt      `json:"atc"`
	ProductClicks   wireInt      `json:"productClicks"`
	ConversionRate  wireFloat    `json:"conversionRate"`
	PlacedOrders    wireInt      `json:"placedOrders"`
	PlacedSales     wireMoney    `json:"placedSales"`
	ConfirmedOrders wireInt      `json:"confirmedOrders"`
	ConfirmedSales  wireMoney    `json:"confirmedSales"`
	// avgViewsDuration is left out: its unit is unknown.
}

func (w *wireSessionItem) item() SessionItem {
	return SessionItem{
		SessionID:  w.SessionID.value(),
		Title:      w.Title,
		CoverImage: w.CoverImage,
		Status:     int(w.Status.value()),
		StartTime:  w.StartTime.value(),
		Duration:   w.Duration.value(),
		Metrics: liveboard.Metrics{
			Views:           w.Views.p,
			Viewers:         w.Viewers.p,
			PeakViewers:     w.PeakViewers.p,
			Comments:        w.Comments.p,
			Likes:           w.Likes.p,
			NewFollowers:    w.FollowersGrowth.p,
			AddToCart:       w.ATC.p,
			ProductClicks:   w.ProductClicks.p,
			ConversionRate:  w.ConversionRate.p,
			PlacedOrders:    w.PlacedOrders.p,
			PlacedGMV:       w.PlacedSales.p,
			ConfirmedOrders: w.ConfirmedOrders.p,
			ConfirmedGMV:    w.ConfirmedSales.p,
		},
	}
}

// SessionList returns one page (counted from 1) of the account's recent
// sessions, newest first, on air and ended alike.
func (c *Client) SessionList(ctx context.Context, a Auth,
	page, pageSize int) (*SessionPage, error) {
	const endpoint = "sessionList"
	if page < 1 || pageSize < 1 {
		return nil, liveboard.Errorf(liveboard.EInvalid,
			"shopee %s: page and page size must be at least 1", endpoint)
	}

	query := url.Values{
		"page":     {strconv.Itoa(page)},
		"pageSize": {strconv.Itoa(pageSize)},
		"name":     {""},
		"orderBy":  {""},
		"sort":     {"desc"},
	}
	cl := creatorCall(endpoint, "/realtime/sessionList", query,
		listPage(a.Region))

	var w wireSessionPage
	if err := c.get(ctx, a, cl, &w); err != nil {
		return nil, err
	}

	p := &SessionPage{Total: int(w.Total.value()),
		Items: make([]SessionItem, 0, len(w.List))}
	for i := range w.List {
		p.Items = append(p.Items, w.List[i].item())
	}
	return p, nil
}

// maxSessionPages bounds how many pages Sessions reads.
const maxSessionPages = 1000

// Sessions walks the session list from its first page, pageSize items at
// a time, and returns the sessions in list order (newest first). It stops
// after a short or empty page, once Total sessions are in hand, or at the
// first item for which stop returns true; that item and all after it are
// left out, so a caller stops at the first session older than its window.
// stop may be nil.
//
// Against a server that never ends the list, Sessions reads at most
// Total/pageSize+1 pages (1000 when Total is unknown), skips sessions it
// has already seen, and stops at a full page that brought nothing new. Any
// failed page fails the whole walk.
func (c *Client) Sessions(ctx context.Context, a Auth, pageSize int,
	stop func(SessionItem) bool) ([]SessionItem, error) {
	w := sessionWalk{stop: stop, seen: make(map[int64]bool)}
	maxPages := maxSessionPages

	for page := 1; page <= maxPages; page++ {
		p, err := c.SessionList(ctx, a, page, pageSize)
		if err != nil {
			return nil, err
		}
		if p.Total > 0 {
			maxPages = min(maxSessionPages, p.Total/pageSize+1)
		}

		added, stopped := w.add(p.Items)
		switch {
		case stopped, len(p.Items) < pageSize, added == 0:
			return w.items, nil
		case p.Total > 0 && len(w.items) >= p.Total:
			return w.items, nil
		}
	}
	return w.items, nil
}

// sessionWalk gathers the items of successive pages.
type sessionWalk struct {
	stop  func(SessionItem) bool
	seen  map[int64]bool
	items []SessionItem
}

// add appends the page's items not seen before. It reports how many it
// added and whether stop ended the walk.
func (w *sessionWalk) add(page []SessionItem) (added int, stopped bool) {
	for _, it := range page {
		if w.seen[it.SessionID] {
			continue
		}
		if w.stop != nil && w.stop(it) {
			return added, true
		}
		w.seen[it.SessionID] = true
		w.items = append(w.items, it)
		added++
	}
	return added, false
}
