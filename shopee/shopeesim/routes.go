package shopeesim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Path prefixes of the supply API: creator.shopee.<tld> serves it under
// the first, the seller-centre hosts under the second.
var supplyPrefixes = []string{
	"/supply/api/lm/sellercenter/",
	"/api/supply/lm/sellercenter/",
}

// family is an API family: it decides the envelope of answers that are
// not the endpoint's own.
type family int

const (
	familySim family = iota
	familySupply
	familyLive
	// familyPAS is the ads API: {code, msg, data}.
	familyPAS
	// familyV4 is the shopping site's /api/v4: {error, error_msg, data}.
	familyV4
)

// route is one path the simulator answers.
type route struct {
	endpoint string // "" for the /_sim/ views
	family   family
	auth     bool // whether the answer needs a login
	serve    func(*call) reply
}

// call is one request being answered.
type call struct {
	r    *http.Request
	now  time.Time
	acct *account // nil when no current login came with it
}

// reply is an answer about to be written.
type reply struct {
	status int
	header http.Header
	// body is marshalled as JSON, unless raw is set.
	body        any
	raw         []byte
	contentType string
}

// plainError is the body of the simulator's own errors.
type plainError struct {
	Error string `json:"error"`
}

func (s *Server) routeTable() map[string]route {
	rt := map[string]route{}
	for _, p := range supplyPrefixes {
		rt[p+"userInfo"] = route{EndpointUserInfo, familySupply, true,
			s.userInfo}
		rt[p+"realtime/sessionList"] = route{EndpointSessionList,
			familySupply, true, s.sessionList}
		rt[p+"realtime/dashboard/sessionInfo"] = route{EndpointSessionInfo,
			familySupply, true, s.sessionInfo}
		rt[p+"realtime/dashboard/overview"] = route{EndpointOverview,
			familySupply, true, s.overview}
		rt[p+"realtime/dashboard/productList"] = route{EndpointProducts,
			familySupply, true, s.productList}
	}
	rt["/api/v1/shop_page/live/ongoing"] = route{EndpointOngoing,
		familyLive, false, s.ongoing}

	rt["/_sim/accounts"] = route{"", familySim, false, s.simAccounts}
	rt["/_sim/sessions"] = route{"", familySim, false, s.simSessions}
	rt["/_sim/truth"] = route{"", familySim, false, s.simTruth}
	return rt
}

// expired returns the family's answer to a request without a valid
// login: the supply API answers HTTP 200 with code 90001; the live room
// and buyer-side APIs show their login wall; the ads API answers HTTP
// 403.
func (f family) expired() reply {
	switch f {
	case familyLive, familyV4:
		return antiBotReply()
	case familyPAS:
		return pasExpired()
	}
	return jsonReply(http.StatusOK, supplyEnvelope{
		Code: codeNotLogin, Msg: "not login", Data: nil,
	})
}

func jsonReply(status int, body any) reply {
	return reply{status: status, body: body}
}

// encode returns the reply's body bytes and content type.
func (rep reply) encode() ([]byte, string, error) {
	if rep.raw != nil {
		return rep.raw, rep.contentType, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep.body); err != nil {
		return nil, "", err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), "application/json",
		nil
}

func (rep reply) write(w http.ResponseWriter) {
	body, ctype, err := rep.encode()
	if err != nil {
		http.Error(w, "simulator: cannot encode answer",
			http.StatusInternalServerError)
		return
	}
	for k, vs := range rep.header {
		w.Header()[k] = vs
	}
	if ctype != "" {
		w.Header().Set("Content-Type", ctype)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	jsonReply(status, body).write(w)
}
