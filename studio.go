package liveboard

import "time"

// Studio is a live-commerce studio or agency: the unit that owns Shopee
// accounts, people's access and all data synced for them.
type Studio struct {
	ID   int64
	Name string

	// Region is the studio's home market. Daily analytics are cut at
	// midnight in its time zone and summed in its currency.
	Region Region

	// CommissionBasisPoints is the share of GMV the studio pays out as
	// commission (hosts, affiliates), in 1/100 of a percent: 500 is 5%.
	// Daily analytics report it as total_commission.
	CommissionBasisPoints int64

	CreatedAt time.Time
}

// Account is a Shopee seller or creator account connected to a studio.
// Its Shopee login (a cookie jar) is kept apart, encrypted, and never
// leaves the server.
type Account struct {
	ID       int64
	StudioID int64
	Region   Region

	// ShopeeUserID is the creator centre's userId; it is also the uid the
	// live-room API takes.
	ShopeeUserID int64
	UserName     string

	Health AccountHealth

	CreatedAt time.Time
	UpdatedAt time.Time

	// RemovedAt is set once the account was removed from its studio: its
	// login is forgotten and it is no longer synced, but the sessions
	// synced for it stay in the studio's history.
	RemovedAt *time.Time
}

// AccountHealth records how the account's Shopee calls have been going.
type AccountHealth struct {
	// NeedsRelogin is set when Shopee asks for a login or shows its
	// anti-bot wall; the account's polling stops until a new login.
	NeedsRelogin bool

	LastSuccessAt       *time.Time
	LastErrorAt         *time.Time
	LastError           string
	ConsecutiveFailures int
}
