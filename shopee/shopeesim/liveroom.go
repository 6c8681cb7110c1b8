package shopeesim

import (
	"net/http"
	"slices"
	"strconv"
)

// errCodeInvalidParam is the live room API's answer to a malformed
// request. Shopee's value is not publicly known; this is the simulator's.
const errCodeInvalidParam = 10001

// liveEnvelope wraps every live room API answer.
type liveEnvelope struct {
	ErrCode int    `json:"err_code"`
	ErrMsg  string `json:"err_msg"`
	Data    any    `json:"data"`
}

type ongoingData struct {
	OngoingLive *ongoingLive `json:"ongoing_live"`
}

type ongoingLive struct {
	SessionID int64  `json:"session_id"`
	Title     string `json:"title"`
}

// ongoing answers whether the shop of uid is live now. It needs no login;
// an unknown uid is simply not live.
func (s *Server) ongoing(c *call) reply {
	uid, err := strconv.ParseInt(c.r.URL.Query().Get("uid"), 10, 64)
	if err != nil || uid <= 0 {
		return jsonReply(http.StatusOK, liveEnvelope{
			ErrCode: errCodeInvalidParam,
			ErrMsg:  "uid must be a positive whole number",
		})
	}

	var data ongoingData
	if a, ok := s.world.byUser[uid]; ok {
		data.OngoingLive = newestLive(a, c)
	}
	return jsonReply(http.StatusOK, liveEnvelope{Data: data})
}

// newestLive returns the account's most recently started session that is
// on air, or nil.
func newestLive(a *account, c *call) *ongoingLive {
	for _, ss := range slices.Backward(a.sessions) {
		if ss.liveAt(c.now) {
			return &ongoingLive{SessionID: ss.id, Title: ss.title}
		}
	}
	return nil
}
