package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"liveboard"
)

// sessionsPageSize is how many sessions one page of the list shows.
const sessionsPageSize = 25

// sessionRow is a session of the list with its account.
type sessionRow struct {
	Session liveboard.Session
	Account liveboard.Account
}

// sessionsData is the sessions page's own data.
type sessionsData struct {
	Rows     []sessionRow
	Accounts []liveboard.Account
	Sorts    []liveboard.SessionSort
	// Query is the filter as asked, for the form and the page links.
	Query      sessionQuery
	Total      int
	Page       int
	Pages      int
	PrevURL    string
	NextURL    string
	FirstShown int
	LastShown  int
}

// sessionQuery is the list's filter as the address bar holds it.
type sessionQuery struct {
	AccountID int64
	Status    string
	From, To  string
	Sort      string
}

func (q sessionQuery) url(page int) string {
	v := url.Values{}
	if q.AccountID != 0 {
		v.Set("account", itoa(q.AccountID))
	}
	for name, value := range map[string]string{"status": q.Status,
		"from": q.From, "to": q.To, "sort": q.Sort} {
		if value != "" {
			v.Set(name, value)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/sessions"
	}
	return "/sessions?" + v.Encode()
}

// sessionFilter reads the list's filter from the query: account, status
// (ongoing or ended), from and to (days in the studio's zone, both
// included), sort and page.
func sessionFilter(q url.Values, st *liveboard.Studio) (liveboard.SessionFilter,
	sessionQuery, int, error) {
	f := liveboard.SessionFilter{StudioIDs: []int64{st.ID},
		Limit: sessionsPageSize}
	var sq sessionQuery
	var err error
	if text := q.Get("account"); text != "" {
		sq.AccountID, err = strconv.ParseInt(text, 10, 64)
		if err != nil || sq.AccountID <= 0 {
			return f, sq, 0, liveboard.Errorf(liveboard.EInvalid,
				"account must be an account's id")
		}
		f.AccountID = sq.AccountID
	}
	if sq.Status = q.Get("status"); sq.Status != "" {
		if f.Status, err = liveboard.ParseSessionStatus(sq.Status); err != nil {
			return f, sq, 0, err
		}
	}
	loc := st.Region.Location()
	if sq.From = strings.TrimSpace(q.Get("from")); sq.From != "" {
		if f.StartedFrom, _, err = liveboard.DayBounds(sq.From,
			loc); err != nil {
			return f, sq, 0, err
		}
	}
	if sq.To = strings.TrimSpace(q.Get("to")); sq.To != "" {
		if _, f.StartedBefore, err = liveboard.DayBounds(sq.To,
			loc); err != nil {
			return f, sq, 0, err
		}
	}
	if sq.Sort = q.Get("sort"); sq.Sort != "" {
		if f.Sort, err = liveboard.ParseSessionSort(sq.Sort); err != nil {
			return f, sq, 0, err
		}
	}
	page := 1
	if text := q.Get("page"); text != "" {
		page, err = strconv.Atoi(text)
		if err != nil || page < 1 || page > 100_000 {
			return f, sq, 0, liveboard.Errorf(liveboard.EInvalid,
				"page must be a page number")
		}
	}
	f.Offset = (page - 1) * sessionsPageSize
	return f, sq, page, nil
}

// sessionsPage answers GET /sessions: the studio's sessions, filtered,
// sorted and paged.
func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	page := view{Title: "Sessions", Visit: v}
	if v.studio == nil {
		s.render(w, http.StatusOK, "sessions", page)
		return nil
	}
	ctx := r.Context()
	f, sq, n, err := sessionFilter(r.URL.Query(), v.studio)
	if err != nil {
		return err
	}
	list, total, err := s.cfg.Store.Sessions(ctx, f)
	if err != nil {
		return err
	}
	accounts, err := s.cfg.Store.Accounts(ctx, v.studio.ID)
	if err != nil {
		return err
	}

	data := sessionsData{Accounts: accounts, Sorts: liveboard.SessionSorts,
		Query: sq, Total: total, Page: n,
		Pages:      max(1, (total+sessionsPageSize-1)/sessionsPageSize),
		FirstShown: f.Offset + 1, LastShown: f.Offset + len(list)}
	if n > 1 {
		data.PrevURL = sq.url(n - 1)
	}
	if data.LastShown < total {
		data.NextURL = sq.url(n + 1)
	}
	for _, se := range list {
		a, err := s.accountOf(r, accounts, se.AccountID)
		if err != nil {
			return err
		}
		data.Rows = append(data.Rows, sessionRow{Session: se, Account: *a})
	}
	page.Data = data
	s.render(w, http.StatusOK, "sessions", page)
	return nil
}

// accountOf finds an account in list, or in the store when it was
// removed from the studio since.
func (s *Server) accountOf(r *http.Request, list []liveboard.Account,
	id int64) (*liveboard.Account, error) {
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return s.cfg.Store.Account(r.Context(), id)
}

// sessionData is the session page's own data.
type sessionData struct {
	Session  *liveboard.Session
	Account  *liveboard.Account
	Charts   []chart
	Samples  []sample
	Products []liveboard.Product
	Alerts   []liveboard.Alert
}

// sample is one row of the table that gives the charts' numbers.
type sample struct {
	At      time.Time
	Metrics liveboard.Metrics
}

// maxSamples caps the rows of that table.
const maxSamples = 12

// sessionPage answers GET /sessions/{id}: a session with charts of its
// numbers over time, its products and its alerts. A session of a studio
// the person is not in is not found.
func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request,
	v *visit) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	notFound := liveboard.Errorf(liveboard.ENotFound, "no such session")
	if err != nil || id <= 0 {
		return notFound
	}
	se, err := s.cfg.Store.Session(ctx, id)
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return notFound
	}
	if err != nil {
		return err
	}
	if err := v.principal.Require(se.StudioID,
		liveboard.RoleViewer); err != nil {
		return notFound
	}
	a, err := s.cfg.Store.Account(ctx, se.AccountID)
	if err != nil {
		return err
	}

	snaps, err := s.cfg.Store.Snapshots(ctx, se.ID, time.Time{})
	if err != nil {
		return err
	}
	data := sessionData{Session: se, Account: a}
	if data.Charts, err = sessionCharts(snaps, a.Region); err != nil {
		return err
	}
	for i := range maxSamples {
		if len(snaps) == 0 {
			break
		}
		j := i * (len(snaps) - 1) / (maxSamples - 1)
		if i > 0 && j == (i-1)*(len(snaps)-1)/(maxSamples-1) {
			continue
		}
		data.Samples = append(data.Samples,
			sample{At: snaps[j].TakenAt, Metrics: snaps[j].Metrics})
	}
	if data.Products, err = s.cfg.Store.SessionProducts(ctx,
		se.ID); err != nil {
		return err
	}
	if data.Alerts, err = s.sessionAlerts(r, se); err != nil {
		return err
	}
	s.render(w, http.StatusOK, "session", view{Title: se.Title, Visit: v,
		Data: data})
	return nil
}

// sessionAlerts returns the alerts fired about a session, newest first.
func (s *Server) sessionAlerts(r *http.Request,
	se *liveboard.Session) ([]liveboard.Alert, error) {
	list, _, err := s.cfg.Store.Alerts(r.Context(), liveboard.AlertFilter{
		StudioIDs: []int64{se.StudioID}, AccountID: se.AccountID,
		Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []liveboard.Alert
	for _, al := range list {
		if al.SessionID == se.ID {
			out = append(out, al)
		}
	}
	return out, nil
}

// seriesOf is one chart of a session: a metric over time.
type seriesOf struct {
	id, title, unit string
	value           func(liveboard.Metrics) (float64, bool)
}

func intMetric(pick func(liveboard.Metrics) *int64) func(
	liveboard.Metrics) (float64, bool) {
	return func(m liveboard.Metrics) (float64, bool) {
		p := pick(m)
		if p == nil {
			return 0, false
		}
		return float64(*p), true
	}
}

var sessionSeries = []seriesOf{
	{"viewers", "Viewers now", "viewers",
		intMetric(func(m liveboard.Metrics) *int64 { return m.ViewersNow })},
	{"orders", "Orders", "orders",
		intMetric(func(m liveboard.Metrics) *int64 { return m.PlacedOrders })},
	{"gmv", "GMV", "",
		func(m liveboard.Metrics) (float64, bool) {
			if m.PlacedGMV == nil {
				return 0, false
			}
			return float64(m.PlacedGMV.Major()), true
		}},
	{"comments", "Comments", "comments",
		intMetric(func(m liveboard.Metrics) *int64 { return m.Comments })},
	{"likes", "Likes", "likes",
		intMetric(func(m liveboard.Metrics) *int64 { return m.Likes })},
}

// sessionCharts draws each metric of the session over time, times in the
// account's zone.
func sessionCharts(snaps []liveboard.Snapshot,
	region liveboard.Region) ([]chart, error) {
	loc := region.Location()
	var out []chart
	for _, series := range sessionSeries {
		var labels []string
		var values []float64
		for _, snap := range snaps {
			v, ok := series.value(snap.Metrics)
			if !ok {
				continue
			}
			labels = append(labels, snap.TakenAt.In(loc).Format("15:04"))
			values = append(values, v)
		}
		summary := "no numbers yet"
		if n := len(values); n > 0 {
			first, last := values[0], values[n-1]
			peak := first
			for _, v := range values {
				peak = max(peak, v)
			}
			summary = "from " + labels[0] + " to " + labels[n-1] + ", " +
				series.say(first, region) + " at first, " +
				series.say(last, region) + " at the end, highest " +
				series.say(peak, region)
		}
		c, err := lineChart("chart-"+series.id, series.title, summary,
			labels, values, series.axisText(region))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// say writes a chart value in words: money in the region's currency,
// counts with their unit.
func (s seriesOf) say(v float64, region liveboard.Region) string {
	if s.unit == "" {
		return region.FormatMoney(liveboard.MoneyFromMajor(int64(v)))
	}
	return region.FormatCount(int64(v)) + " " + s.unit
}

// axisText writes the values of the chart's y-axis: short amounts of
// the region's currency, or whole counts.
func (s seriesOf) axisText(region liveboard.Region) func(float64) string {
	if s.unit == "" {
		return func(v float64) string {
			return region.FormatMoneyShort(liveboard.MoneyFromMajor(
				int64(math.Round(v))))
		}
	}
	return func(v float64) string {
		return region.FormatCount(int64(math.Round(v)))
	}
}
