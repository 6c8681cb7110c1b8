package workflow

import (
	"context"
	"errors"
	"time"

	"liveboard"
	"liveboard/shopee"
)

// QRStart says what a QR login is for.
type QRStart struct {
	// StudioID and Region say where a new account goes; Region is the
	// studio's by default. Both are ignored with AccountID.
	StudioID int64
	Region   liveboard.Region
	// AccountID is the account to log in again; 0 connects a new one.
	AccountID int64
}

// StartedQR is a QR login waiting for a phone to scan its code.
type StartedQR struct {
	QRCodeID  string
	StudioID  int64
	Region    liveboard.Region
	AccountID int64
	// Link is what the code encodes; draw it for the phone to scan.
	Link string
	// ExpiresAt is when Liveboard gives up on it, at the latest.
	ExpiresAt time.Time
}

// StartQR asks Shopee for a login QR code and keeps the login in
// progress for the actor, who alone may poll and finish it. It needs the
// role ConnectCookies needs for the same request.
func (m *Accounts) StartQR(ctx context.Context, who Actor,
	req QRStart) (*StartedQR, error) {
	dest, err := m.destination(ctx, who, req.StudioID, req.Region,
		req.AccountID)
	if err != nil {
		return nil, err
	}

	code, auth, err := m.Shopee.GenQRCode(ctx, shopee.Auth{
		AccountID: req.AccountID, Region: dest.region})
	if err != nil {
		return nil, err
	}

	q := &liveboard.QRLogin{QRCodeID: code.ID, StudioID: dest.studioID,
		UserID: who.Principal.UserID, Region: dest.region,
		AccountID: req.AccountID, Status: liveboard.QRNew}
	sec := liveboard.QRSecrets{Cookies: auth.Cookies}
	if err := m.Store.CreateQRLogin(ctx, q, sec); err != nil {
		return nil, err
	}
	m.forgetOldQRLogins(ctx)

	return &StartedQR{QRCodeID: code.ID, StudioID: q.StudioID,
		Region: q.Region, AccountID: q.AccountID, Link: code.Link,
		ExpiresAt: q.CreatedAt.Add(MaxQRAge)}, nil
}

func (m *Accounts) forgetOldQRLogins(ctx context.Context) {
	_, err := m.Store.DeleteQRLoginsBefore(ctx, m.now().Add(-24*time.Hour))
	if err != nil {
		m.logger().Warn("delete old QR logins", "error", err)
	}
}

// QRState is where a QR login stands.
type QRState struct {
	QRCodeID  string
	StudioID  int64
	AccountID int64
	Region    liveboard.Region
	Status    liveboard.QRStatus
}

// QRStatus asks Shopee where the actor's QR login stands and remembers
// the answer. An ended login answers its last status without asking.
func (m *Accounts) QRStatus(ctx context.Context, who Actor,
	qrcodeID string) (*QRState, error) {
	q, sec, err := m.qrLogin(ctx, who, qrcodeID)
	if err != nil {
		return nil, err
	}
	if err := m.refresh(ctx, q, &sec); err != nil {
		return nil, err
	}
	return stateOf(q), nil
}

func stateOf(q *liveboard.QRLogin) *QRState {
	return &QRState{QRCodeID: q.QRCodeID, StudioID: q.StudioID,
		AccountID: q.AccountID, Region: q.Region, Status: q.Status}
}

// qrLogin loads the actor's QR login, checking they still hold the role
// it needs. Another person's login is ENotFound.
func (m *Accounts) qrLogin(ctx context.Context, who Actor,
	qrcodeID string) (*liveboard.QRLogin, liveboard.QRSecrets, error) {
	missing := liveboard.Errorf(liveboard.ENotFound,
		"QR login %q not found", qrcodeID)
	q, sec, err := m.Store.QRLogin(ctx, qrcodeID)
	switch {
	case liveboard.ErrorCode(err) == liveboard.ENotFound:
		return nil, sec, missing
	case err != nil:
		return nil, sec, err
	case who.Principal == nil || q.UserID != who.Principal.UserID:
		return nil, liveboard.QRSecrets{}, missing
	}

	if q.AccountID != 0 {
		_, err = m.Account(ctx, who, q.AccountID, RoleRelogin)
	} else {
		err = who.Principal.Require(q.StudioID, RoleConnect)
	}
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		return nil, liveboard.QRSecrets{}, missing
	}
	return q, sec, err
}

// refresh brings q up to date with Shopee, unless it has ended, and
// stores what changed.
func (m *Accounts) refresh(ctx context.Context, q *liveboard.QRLogin,
	sec *liveboard.QRSecrets) error {
	if q.Status.Done() {
		return nil
	}
	if m.now().Sub(q.CreatedAt) >= MaxQRAge {
		return m.end(ctx, q, liveboard.QRExpired)
	}

	st, auth, err := m.Shopee.QRCodeStatus(ctx, shopee.Auth{
		AccountID: q.AccountID, Region: q.Region, Cookies: sec.Cookies},
		q.QRCodeID)
	if err != nil {
		return err
	}

	status := liveboard.QRStatus(st.Status)
	switch status {
	case liveboard.QRNew, liveboard.QRScanned, liveboard.QRConfirmed:
	case liveboard.QRExpired, liveboard.QRCanceled:
		return m.end(ctx, q, status)
	default:
		return &shopee.Error{Endpoint: "qrcode_status",
			Kind:    shopee.ErrBadAnswer,
			Message: "unknown status " + st.Status}
	}

	next := liveboard.QRSecrets{Cookies: auth.Cookies, Token: st.Token}
	if status == q.Status && next == *sec {
		return nil
	}
	q.Status, *sec = status, next
	return m.Store.UpdateQRLogin(ctx, q, *sec)
}

// end closes q with status and forgets its secrets.
func (m *Accounts) end(ctx context.Context, q *liveboard.QRLogin,
	status liveboard.QRStatus) error {
	q.Status = status
	return m.Store.UpdateQRLogin(ctx, q, liveboard.QRSecrets{})
}

// QRFinish names the QR login to finish and what the caller expects of
// it; StudioID and AccountID, when not 0, must be those it was started
// with.
type QRFinish struct {
	QRCodeID  string
	StudioID  int64
	AccountID int64
}

// FinishQR finishes the actor's confirmed QR login: it trades Shopee's
// token for the login cookies, reads the identity behind them and stores
// the account as ConnectCookies does. A login not yet confirmed, or
// ended, is EConflict, saying where it stands. It reports whether the
// account is new.
func (m *Accounts) FinishQR(ctx context.Context, who Actor,
	req QRFinish) (*liveboard.Account, bool, error) {
	q, sec, err := m.qrLogin(ctx, who, req.QRCodeID)
	if err != nil {
		return nil, false, err
	}
	if err := checkFinish(q, req); err != nil {
		return nil, false, err
	}
	if q.Status != liveboard.QRConfirmed || sec.Token == "" {
		if err := m.refresh(ctx, q, &sec); err != nil {
			return nil, false, err
		}
	}
	if err := readyToFinish(q); err != nil {
		return nil, false, err
	}

	dest, err := m.destination(ctx, who, q.StudioID, q.Region, q.AccountID)
	if err != nil {
		return nil, false, err
	}
	auth, err := m.Shopee.QRCodeLogin(ctx, shopee.Auth{
		AccountID: q.AccountID, Region: q.Region, Cookies: sec.Cookies},
		sec.Token)
	if err != nil {
		return nil, false, m.loginFailed(ctx, q, err)
	}

	// The token is spent either way: the login ends here.
	a, created, err := m.connect(ctx, who, dest, auth, "QR login")
	final := liveboard.QRLoggedIn
	if err != nil {
		final = liveboard.QRExpired
	}
	if endErr := m.end(ctx, q, final); endErr != nil {
		err = errors.Join(err, endErr)
	}
	if err != nil {
		return nil, false, err
	}
	return a, created, nil
}

func checkFinish(q *liveboard.QRLogin, req QRFinish) error {
	if req.StudioID != 0 && req.StudioID != q.StudioID {
		return liveboard.Errorf(liveboard.ENotFound,
			"QR login %q not found in studio %d", q.QRCodeID, req.StudioID)
	}
	if req.AccountID != q.AccountID {
		if q.AccountID == 0 {
			return liveboard.Errorf(liveboard.EInvalid,
				"this QR login connects a new account; leave account_id out")
		}
		return liveboard.Errorf(liveboard.EInvalid,
			"this QR login is for account %d", q.AccountID)
	}
	return nil
}

func readyToFinish(q *liveboard.QRLogin) error {
	switch q.Status {
	case liveboard.QRConfirmed:
		return nil
	case liveboard.QRLoggedIn:
		return liveboard.Errorf(liveboard.EConflict,
			"this QR login is already finished")
	case liveboard.QRExpired, liveboard.QRCanceled:
		return liveboard.Errorf(liveboard.EConflict,
			"this QR login is %s; start a new one", q.Status)
	}
	return liveboard.Errorf(liveboard.EConflict,
		"this QR login is %s: confirm it on the phone first", q.Status)
}

// loginFailed ends the QR login when Shopee refused its token, which
// cannot be used again, and returns err.
func (m *Accounts) loginFailed(ctx context.Context, q *liveboard.QRLogin,
	err error) error {
	if errors.Is(err, shopee.ErrRejected) {
		if endErr := m.end(ctx, q, liveboard.QRExpired); endErr != nil {
			return errors.Join(err, endErr)
		}
	}
	return err
}
