package shopeesim

import (
	"net/http"
	"strconv"
	"time"
)

// truthView is a SessionTruth as the /_sim/ views write it, with
// durations in milliseconds.
type truthView struct {
	SessionTruth
	DurationMS int64       `json:"duration_ms"`
	Metrics    metricsView `json:"metrics"`
}

type metricsView struct {
	Metrics
	AvgViewTimeMS int64 `json:"avg_view_time_ms"`
}

func viewOf(tr SessionTruth) truthView {
	return truthView{
		SessionTruth: tr,
		DurationMS:   tr.Duration.Milliseconds(),
		Metrics: metricsView{
			Metrics:       tr.Metrics,
			AvgViewTimeMS: tr.Metrics.AvgViewTime.Milliseconds(),
		},
	}
}

func simError(status int, msg string) reply {
	return jsonReply(status, plainError{Error: msg})
}

// simAccounts lists the accounts with their cookies.
func (s *Server) simAccounts(*call) reply {
	return jsonReply(http.StatusOK, s.Accounts())
}

// simSessions lists an account's started sessions, newest first, with
// their truth now.
func (s *Server) simSessions(c *call) reply {
	id, err := strconv.ParseInt(c.r.URL.Query().Get("user_id"), 10, 64)
	if err != nil {
		return simError(http.StatusBadRequest, "user_id must be a number")
	}

	s.mu.RLock()
	_, known := s.world.byUser[id]
	s.mu.RUnlock()
	if !known {
		return simError(http.StatusNotFound, "no such account")
	}

	views := []truthView{}
	for _, tr := range s.Sessions(id) {
		views = append(views, viewOf(tr))
	}
	return jsonReply(http.StatusOK, views)
}

// simTruth gives one session's truth at a time (RFC 3339, now when
// absent).
func (s *Server) simTruth(c *call) reply {
	q := c.r.URL.Query()
	id, err := strconv.ParseInt(q.Get("session_id"), 10, 64)
	if err != nil {
		return simError(http.StatusBadRequest, "session_id must be a number")
	}
	at := c.now
	if v := q.Get("at"); v != "" {
		if at, err = time.Parse(time.RFC3339, v); err != nil {
			return simError(http.StatusBadRequest, "at must be RFC 3339")
		}
	}

	tr, ok := s.Truth(id, at)
	if !ok {
		return simError(http.StatusNotFound,
			"no such session, or not started at that time")
	}
	return jsonReply(http.StatusOK, viewOf(tr))
}
