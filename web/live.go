package web

import (
	"net/http"
	"time"

	"liveboard"
	"liveboard/livestream"
)

// wallCard is one account on the live wall with its session now: the
// ongoing one, else its latest.
type wallCard struct {
	Account liveboard.Account
	// Session is nil when the account never streamed.
	Session *liveboard.Session
	// State is "live", "ended" (ended within endedFor) or "offline".
	State   string
	Metrics []wallMetric
}

// wallMetric is one number of a card. Value is what trend arrows
// compare; Text what the page shows.
type wallMetric struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value *int64 `json:"value"`
	Text  string `json:"text"`
}

// endedFor is how long a session that ended still shows as ended; after
// that its account shows as offline.
const endedFor = 12 * time.Hour

// wallMetrics are the numbers of a session on the wall.
func wallMetrics(m liveboard.Metrics, region liveboard.Region) []wallMetric {
	var gmv *int64
	if m.PlacedGMV != nil {
		gmv = liveboard.Ptr(int64(*m.PlacedGMV))
	}
	return []wallMetric{
		{"viewers_now", "Viewers now", m.ViewersNow, count(m.ViewersNow, region)},
		{"peak_viewers", "Peak", m.PeakViewers, count(m.PeakViewers, region)},
		{"orders", "Orders", m.PlacedOrders, count(m.PlacedOrders, region)},
		{"gmv", "GMV", gmv, moneyOf(m.PlacedGMV, region)},
		{"comments", "Comments", m.Comments, count(m.Comments, region)},
		{"likes", "Likes", m.Likes, count(m.Likes, region)},
	}
}

// livePage answers GET /live: every account of the studio with its live
// session now. The page's script keeps the numbers current from
// /live/events.
func (s *Server) livePage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	page := view{Title: "Live", Visit: v}
	if v.studio == nil {
		s.render(w, http.StatusOK, "live", page)
		return nil
	}
	cards, err := s.wallCards(r, v.studio.ID)
	if err != nil {
		return err
	}
	page.Data = cards
	s.render(w, http.StatusOK, "live", page)
	return nil
}

func (s *Server) wallCards(r *http.Request, studioID int64) ([]wallCard,
	error) {
	ctx := r.Context()
	accounts, err := s.cfg.Store.Accounts(ctx, studioID)
	if err != nil {
		return nil, err
	}
	live, _, err := s.cfg.Store.Sessions(ctx, liveboard.SessionFilter{
		StudioIDs: []int64{studioID}, Status: liveboard.SessionOngoing})
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()

	cards := make([]wallCard, 0, len(accounts))
	for _, a := range accounts {
		c := wallCard{Account: a, State: "offline"}
		for i := range live {
			if live[i].AccountID == a.ID {
				c.Session, c.State = &live[i], "live"
				break
			}
		}
		if c.Session == nil {
			last, _, err := s.cfg.Store.Sessions(ctx,
				liveboard.SessionFilter{AccountID: a.ID, Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(last) == 1 {
				c.Session = &last[0]
				if e := last[0].EndedAt; e != nil && now.Sub(*e) < endedFor {
					c.State = "ended"
				}
			}
		}
		if c.Session != nil && c.State != "offline" {
			c.Metrics = wallMetrics(c.Session.Metrics, a.Region)
		}
		cards = append(cards, c)
	}
	return cards, nil
}

// NotifyStored wakes the live wall's streams: snapshots were just
// stored. Streams also look every StreamPoll, for snapshots stored by
// other instances.
func (s *Server) NotifyStored() { s.live.Notify() }

// Close ends every live wall stream, so an HTTP server can shut down
// without waiting for the browsers. Other pages are served as before.
func (s *Server) Close() { s.live.Close() }

// liveEvent is a snapshot as the live wall's script reads it: numbers
// already written for the page, next to the values trends compare.
type liveEvent struct {
	Seq       int64        `json:"seq"`
	AccountID int64        `json:"account_id"`
	SessionID int64        `json:"session_id"`
	Title     string       `json:"title"`
	URL       string       `json:"url"`
	Status    string       `json:"status"`
	TakenAt   string       `json:"taken_at"`
	Metrics   []wallMetric `json:"metrics"`
}

func newLiveEvent(ev liveboard.SnapshotEvent) any {
	return liveEvent{Seq: ev.Seq, AccountID: ev.AccountID,
		SessionID: ev.SessionID, Title: ev.Title,
		URL:     "/sessions/" + itoa(ev.SessionID),
		Status:  string(ev.Status),
		TakenAt: localTime(ev.TakenAt, ev.Region),
		Metrics: wallMetrics(ev.Metrics, ev.Region)}
}

// liveEvents answers GET /live/events: server-sent events, one per
// snapshot stored for the studio shown, as the API's live stream sends
// them but written for the wall. It resumes after Last-Event-ID.
func (s *Server) liveEvents(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	if v.studio == nil {
		return liveboard.Errorf(liveboard.ENotFound, "no studio to watch")
	}
	after, err := livestream.Start(r, s.cfg.Store)
	if err != nil {
		return err
	}
	s.live.Serve(w, r, livestream.Stream{Store: s.cfg.Store,
		Studios: []int64{v.studio.ID}, After: after,
		Poll: s.cfg.StreamPoll, Encode: newLiveEvent,
		Logger: s.cfg.Logger})
	return nil
}
