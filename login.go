package liveboard

import (
	"fmt"
	"io"
	"log/slog"
	"time"
)

// WebSession is a person signed in to the dashboard from a browser. The
// browser holds a random token; only its hash is stored.
type WebSession struct {
	ID     int64
	UserID int64

	// StudioID is the studio the dashboard shows, chosen with the studio
	// switcher; 0 until one is chosen.
	StudioID int64

	// CSRFToken must come back with every form the session posts.
	CSRFToken string

	CreatedAt time.Time
	ExpiresAt time.Time
}

// QRStatus is where a Shopee QR login is: Shopee's own statuses, plus
// QRLoggedIn once Liveboard finished the login.
type QRStatus string

// The QR login statuses. NEW: shown, waiting for a phone; SCANNED: the
// phone scanned it and must confirm; CONFIRMED: ready to finish;
// EXPIRED and CANCELED end the attempt.
const (
	QRNew       QRStatus = "NEW"
	QRScanned   QRStatus = "SCANNED"
	QRConfirmed QRStatus = "CONFIRMED"
	QRExpired   QRStatus = "EXPIRED"
	QRCanceled  QRStatus = "CANCELED"
	QRLoggedIn  QRStatus = "LOGGED_IN"
)

// Done reports whether the status ends the QR login: nothing more will
// happen to it.
func (s QRStatus) Done() bool {
	return s == QRExpired || s == QRCanceled || s == QRLoggedIn
}

// QRLogin is a Shopee QR login in progress, started by a person for a
// studio. Its secrets (the browser cookies gathered so far and, once
// confirmed, Shopee's one-time login token) are stored apart, sealed.
type QRLogin struct {
	// QRCodeID is Shopee's id of the QR code.
	QRCodeID string
	StudioID int64
	// UserID is who started it; only they may poll and finish it.
	UserID int64
	Region Region
	// AccountID is the account being logged in again; 0 to connect a new
	// one.
	AccountID int64
	Status    QRStatus

	CreatedAt time.Time
	UpdatedAt time.Time
}

// QRSecrets are the secret parts of a QR login. They print themselves
// redacted in every fmt verb and in log/slog.
type QRSecrets struct {
	// Cookies is the browser's cookie jar so far, as a Cookie header.
	Cookies string
	// Token is Shopee's one-time login token, set once CONFIRMED.
	Token string
}

// Format writes the secrets redacted, whatever the verb.
func (QRSecrets) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "liveboard.QRSecrets{[redacted]}")
}

// LogValue logs the secrets redacted.
func (QRSecrets) LogValue() slog.Value { return slog.StringValue("[redacted]") }
