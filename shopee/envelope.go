package shopee

import "encoding/json"

// family is one of the three envelope shapes Shopee wraps answers in.
type family int

const (
	// supplyFamily is {code, msg, data}: the creator and seller centres'
	// supply API and the ads (PAS) API. code is always present.
	supplyFamily family = iota
	// buyerFamily is {error, error_msg, data}: the shopping site and its
	// login endpoints. error may be absent on success.
	buyerFamily
	// liveFamily is {err_code, err_msg, data}: the live-room API.
	// err_code is always present.
	liveFamily
	// pasFamily is {code, msg, data} as the ads (PAS) API writes it: code
	// is always present, and a non-zero one refuses the request itself;
	// an expired login shows as HTTP 403 instead.
	pasFamily
	// anyFamily reads whichever status field an answer carries (err_code,
	// code or error), none being required: for endpoints whose envelope
	// no public source shows.
	anyFamily
)

// statusField names the family's status field.
func (f family) statusField() string {
	switch f {
	case buyerFamily:
		return "error"
	case liveFamily:
		return "err_code"
	}
	return "code"
}

// statusRequired reports whether an answer without the status field is
// malformed.
func (f family) statusRequired() bool {
	return f != buyerFamily && f != anyFamily
}

// kind returns the kind of failure a non-zero status code means. The
// anti-bot code means the same everywhere; otherwise a supply-API failure
// is taken for an expired login, as every known client does, and the other
// families' failures for a rejected request.
func (f family) kind(code int64) error {
	switch {
	case code == challengeCode:
		return ErrChallenge
	case f == supplyFamily:
		return ErrLoginRequired
	}
	return ErrRejected
}

// envelope holds the fields of every family; each family reads its own.
type envelope struct {
	Code     wireInt         `json:"code"`
	Msg      wireText        `json:"msg"`
	Message  wireText        `json:"message"`
	Error    wireInt         `json:"error"`
	ErrorMsg wireText        `json:"error_msg"`
	ErrCode  wireInt         `json:"err_code"`
	ErrMsg   wireText        `json:"err_msg"`
	Data     json.RawMessage `json:"data"`
}

// status returns the status code and text as family f reads them; code is
// nil when the status field is absent.
func (e *envelope) status(f family) (code *int64, msg string) {
	switch f {
	case buyerFamily:
		return e.Error.p, string(e.ErrorMsg)
	case liveFamily:
		return e.ErrCode.p, string(e.ErrMsg)
	case anyFamily:
		return e.firstStatus()
	}

	msg = string(e.Msg)
	if msg == "" {
		msg = string(e.Message)
	}
	return e.Code.p, msg
}

// anyStatus returns the first non-zero status code of any family, with its
// text, for error answers whose family is not known in advance.
func (e *envelope) anyStatus() (code int64, msg string) {
	for _, f := range []family{buyerFamily, supplyFamily, liveFamily} {
		c, m := e.status(f)
		if c != nil && *c != 0 {
			return *c, m
		}
		if msg == "" {
			msg = m
		}
	}
	return 0, msg
}

// firstStatus returns the first status field present, trying the live
// room's, the supply API's and the buyer API's in turn.
func (e *envelope) firstStatus() (code *int64, msg string) {
	for _, f := range []family{liveFamily, supplyFamily, buyerFamily} {
		if c, m := e.status(f); c != nil {
			return c, m
		}
	}
	return nil, ""
}
