package shopeesim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// Supply API codes. Shopee's non-zero values are not publicly known; these
// are the simulator's.
const (
	codeOK           = 0
	codeNotLogin     = 90001
	codeInvalidParam = 10002
)

// Session statuses as the supply API numbers them.
const (
	statusLive  = 1
	statusEnded = 2
)

// supplyEnvelope wraps every supply API answer.
type supplyEnvelope struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data"`
}

// empty is the data of an answer about a session the login cannot see.
type empty struct{}

type userInfoData struct {
	UserID   int64  `json:"userId"`
	UserName string `json:"userName"`
	Avatar   string `json:"avatar"`
}

type sessionListData struct {
	Total int               `json:"total"`
	List  []sessionListItem `json:"list"`
}

type sessionListItem struct {
	SessionID        int64           `json:"sessionId"`
	Title            string          `json:"title"`
	CoverImage       string          `json:"coverImage"`
	Status           int             `json:"status"`
	StartTime        int64           `json:"startTime"`
	Duration         int64           `json:"duration"`
	Views            int64           `json:"views"`
	Viewers          int64           `json:"viewers"`
	PeakViewers      int64           `json:"peakViewers"`
	AvgViewsDuration float64         `json:"avgViewsDuration"`
	Comments         int64           `json:"comments"`
	Likes            int64           `json:"likes"`
	FollowersGrowth  int64           `json:"followersGrowth"`
	ATC              int64           `json:"atc"`
	ProductClicks    int64           `json:"productClicks"`
	ConversionRate   float64         `json:"conversionRate"`
	PlacedOrders     int64           `json:"placedOrders"`
	PlacedSales      liveboard.Money `json:"placedSales"`
	ConfirmedOrders  int64           `json:"confirmedOrders"`
	ConfirmedSales   liveboard.Money `json:"confirmedSales"`
}

type sessionInfoData struct {
	SessionTitle        string `json:"sessionTitle"`
	Title               string `json:"title"`
	SessionStatus       int    `json:"sessionStatus"`
	LSStartTime         int64  `json:"lsStartTime"`
	SessionStreamingURL string `json:"sessionStreamingUrl"`
}

// overviewData keeps Shopee's own spelling of its field names.
type overviewData struct {
	Status             int             `json:"status"`
	CCU                int64           `json:"ccu"`
	Viewers            int64           `json:"viewers"`
	PCU                int64           `json:"pcu"`
	Views              int64           `json:"views"`
	Buyers             int64           `json:"buyers"`
	ConfirmedBuyers    int64           `json:"confirmedBuyers"`
	AvgViewTime        int64           `json:"avgViewTime"`
	ATC                int64           `json:"atc"`
	PlacedItemsSold    int64           `json:"placedItemsSold"`
	PlacedOrder        int64           `json:"placedOrder"`
	PlacedGMV          liveboard.Money `json:"placedGmv"`
	ConfirmedItemsSold int64           `json:"confirmedItemsSold"`
	ConfirmedOrder     int64           `json:"confirmedOrder"`
	ConfirmedGMV       liveboard.Money `json:"confirmedGmv"`
	CTR                float64         `json:"ctr"`
	CO                 float64         `json:"co"`
	ConfirmedCO        float64         `json:"confirmedCo"`
	EngagedCCU         int64           `json:"engagedCcu"`
	CommentsLastMinute int64           `json:"commentsWhithinLastOneMinute"`
	ATCLastMinute      int64           `json:"atcWhithinLastOneMinute"`
	GPM                liveboard.Money `json:"gpm"`
	ConfirmedGPM       liveboard.Money `json:"confirmedGpm"`
	ABS                liveboard.Money `json:"abs"`
	ConfirmedABS       liveboard.Money `json:"confirmedAbs"`
	CommentsRate       float64         `json:"commentsRate"`
	AvgEngagedCCU      int64           `json:"avgEngagedCcu"`
	EngagedViewers     int64           `json:"engagedViewers"`
	EngagementData     engagementData  `json:"engagementData"`
}

type engagementData struct {
	Likes              int64 `json:"likes"`
	Comments           int64 `json:"comments"`
	Viewers            int64 `json:"viewers"`
	Shares             int64 `json:"shares"`
	Views              int64 `json:"views"`
	NewFollowers       int64 `json:"newFollowers"`
	AvgViewingDuration int64 `json:"avgViewingDuration"`
}

// supplyOK is a successful supply API answer carrying data.
func supplyOK(data any) reply {
	return jsonReply(http.StatusOK, supplyEnvelope{Code: codeOK, Data: data})
}

// supplyInvalid is the supply API's answer to a malformed request.
func supplyInvalid(msg string) reply {
	return jsonReply(http.StatusOK, supplyEnvelope{
		Code: codeInvalidParam, Msg: msg, Data: nil,
	})
}

// userInfo answers who the login belongs to.
func (s *Server) userInfo(c *call) reply {
	return supplyOK(userInfoData{
		UserID:   c.acct.UserID,
		UserName: c.acct.UserName,
		Avatar: fmt.Sprintf("https://cf.shopee.sim.invalid/avatar/%s.jpg",
			c.acct.UserName),
	})
}

// listQuery is a validated sessionList query.
type listQuery struct {
	page, pageSize int
	name           string
	ascending      bool
}

// parseListQuery reads a sessionList query; a non-empty string says what
// is wrong with it. Absent page and pageSize mean 1 and 10.
func parseListQuery(r *http.Request) (listQuery, string) {
	q := r.URL.Query()
	lq := listQuery{
		name:      strings.ToLower(q.Get("name")),
		ascending: q.Get("sort") == "asc",
	}
	var ok bool
	if lq.page, ok = intParam(q.Get("page"), 1); !ok || lq.page < 1 {
		return lq, "page must be a whole number of at least 1"
	}
	lq.pageSize, ok = intParam(q.Get("pageSize"), 10)
	if !ok || lq.pageSize < 1 || lq.pageSize > 100 {
		return lq, "pageSize must be a whole number from 1 to 100"
	}
	return lq, ""
}

// intParam parses a query value, giving def for an absent one.
func intParam(v string, def int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// sessionList answers a page of the caller's sessions that have started,
// newest first (oldest first with sort=asc), optionally only those whose
// title contains name, in any case. orderBy is accepted and ignored.
func (s *Server) sessionList(c *call) reply {
	lq, problem := parseListQuery(c.r)
	if problem != "" {
		return supplyInvalid(problem)
	}

	var matched []*session
	for _, ss := range slices.Backward(c.acct.sessions) {
		if ss.started(c.now) &&
			strings.Contains(strings.ToLower(ss.title), lq.name) {
			matched = append(matched, ss)
		}
	}
	if lq.ascending {
		slices.Reverse(matched)
	}

	data := sessionListData{Total: len(matched), List: []sessionListItem{}}
	// A page far past the end is empty; compare before multiplying, so
	// that a huge page number cannot overflow.
	from := len(matched)
	if lq.page-1 < len(matched)/lq.pageSize+1 {
		from = min((lq.page-1)*lq.pageSize, len(matched))
	}
	to := min(from+lq.pageSize, len(matched))
	for _, ss := range matched[from:to] {
		data.List = append(data.List, s.listItem(c, ss))
	}
	return supplyOK(data)
}

// listItem is the session as the list shows it. With the status quirk,
// Indonesian accounts' live sessions show status 2, as ended ones do.
func (s *Server) listItem(c *call, ss *session) sessionListItem {
	tr, _ := ss.truthAt(c.now)
	m := tr.Metrics
	status := statusEnded
	if tr.Live && !(s.quirk && c.acct.Region == liveboard.RegionID) {
		status = statusLive
	}
	return sessionListItem{
		SessionID:        ss.id,
		Title:            ss.title,
		CoverImage:       ss.cover,
		Status:           status,
		StartTime:        ss.start.UnixMilli(),
		Duration:         tr.Duration.Milliseconds(),
		Views:            m.Views,
		Viewers:          m.Viewers,
		PeakViewers:      m.PCU,
		AvgViewsDuration: float64(m.AvgViewTime.Milliseconds()),
		Comments:         m.Comments,
		Likes:            m.Likes,
		FollowersGrowth:  m.NewFollowers,
		ATC:              m.ATC,
		ProductClicks:    m.ProductClicks,
		ConversionRate:   m.CO,
		PlacedOrders:     m.PlacedOrders,
		PlacedSales:      m.PlacedGMV,
		ConfirmedOrders:  m.ConfirmedOrders,
		ConfirmedSales:   m.ConfirmedGMV,
	}
}

// ownSession returns the session the sessionId parameter names when it
// belongs to the caller and has started. A malformed id gives a problem
// to report; an id the caller cannot see gives neither.
func (s *Server) ownSession(c *call) (*session, string) {
	id, err := strconv.ParseInt(c.r.URL.Query().Get("sessionId"), 10, 64)
	if err != nil || id <= 0 {
		return nil, "sessionId must be a positive whole number"
	}
	ss, ok := s.world.bySession[id]
	if !ok || ss.userID != c.acct.UserID || !ss.started(c.now) {
		return nil, ""
	}
	return ss, ""
}

// sessionInfo answers a session's title, status, start and stream URL.
func (s *Server) sessionInfo(c *call) reply {
	ss, problem := s.ownSession(c)
	switch {
	case problem != "":
		return supplyInvalid(problem)
	case ss == nil:
		return supplyOK(empty{})
	}

	status := statusEnded
	if ss.liveAt(c.now) {
		status = statusLive
	}
	return supplyOK(sessionInfoData{
		SessionTitle:        ss.title,
		Title:               ss.title,
		SessionStatus:       status,
		LSStartTime:         ss.start.UnixMilli(),
		SessionStreamingURL: streamURL(ss.id, c.now),
	})
}

// streamURL returns a signed pull URL of the session's stream, valid for
// four hours from now, as Shopee hands them out.
func streamURL(id int64, now time.Time) string {
	expires := now.Add(4 * time.Hour).Unix()
	sign := splitmix(uint64(id) ^ uint64(expires))
	return fmt.Sprintf("https://play.shopee.sim.invalid/live/%d.flv"+
		"?expire_ts=%d&sign=%016x", id, expires, sign)
}

// overview answers a session's live figures; frozen, with ccu 0, after
// its end.
func (s *Server) overview(c *call) reply {
	ss, problem := s.ownSession(c)
	switch {
	case problem != "":
		return supplyInvalid(problem)
	case ss == nil:
		return supplyOK(empty{})
	}

	status := statusEnded
	if ss.liveAt(c.now) {
		status = statusLive
	}
	return supplyOK(overviewOf(status, ss.metricsAt(c.now)))
}

// overviewOf puts the figures into the overview's fields. The unit of
// engagementData.avgViewingDuration is not publicly known; it carries
// avgViewTime's milliseconds, as the fixture does.
func overviewOf(status int, m Metrics) overviewData {
	avg := m.AvgViewTime.Milliseconds()
	return overviewData{
		Status:             status,
		CCU:                m.CCU,
		Viewers:            m.Viewers,
		PCU:                m.PCU,
		Views:              m.Views,
		Buyers:             m.Buyers,
		ConfirmedBuyers:    m.ConfirmedBuyers,
		AvgViewTime:        avg,
		ATC:                m.ATC,
		PlacedItemsSold:    m.PlacedItemsSold,
		PlacedOrder:        m.PlacedOrders,
		PlacedGMV:          m.PlacedGMV,
		ConfirmedItemsSold: m.ConfirmedItemsSold,
		ConfirmedOrder:     m.ConfirmedOrders,
		ConfirmedGMV:       m.ConfirmedGMV,
		CTR:                m.CTR,
		CO:                 m.CO,
		ConfirmedCO:        m.ConfirmedCO,
		EngagedCCU:         m.EngagedCCU,
		CommentsLastMinute: m.CommentsLastMinute,
		ATCLastMinute:      m.ATCLastMinute,
		GPM:                m.GPM,
		ConfirmedGPM:       m.ConfirmedGPM,
		ABS:                m.ABS,
		ConfirmedABS:       m.ConfirmedABS,
		CommentsRate:       m.CommentsRate,
		AvgEngagedCCU:      m.AvgEngagedCCU,
		EngagedViewers:     m.EngagedViewers,
		EngagementData: engagementData{
			Likes:              m.Likes,
			Comments:           m.Comments,
			Viewers:            m.Viewers,
			Shares:             m.Shares,
			Views:              m.Views,
			NewFollowers:       m.NewFollowers,
			AvgViewingDuration: avg,
		},
	}
}
