// Package shopeesim is a deterministic fake of the Shopee web APIs that
// Liveboard calls: the creator centre's supply API (user info, session
// list, session info, live overview, product list) under both its
// creator and its seller-centre path prefixes; the live room API's "is
// this shop live" probe, coin giveaways and promoted items; the seller
// centre's ads API (campaign list, campaign edit, ads data) with
// campaigns that spend as the clock runs; the streaming promotion's
// streamer selector; and the shopping site's QR login (gen_qrcode,
// qrcode_status, qrcode_login), whose codes tests scan, confirm and
// cancel with ScanQR, ConfirmQR and CancelQR, or which move on by
// themselves with Options.QRAuto.
//
// The simulator answers with the same paths, field names, JSON types,
// units and envelopes as Shopee, as far as public evidence shows them. Its
// world (accounts, their cookies, past, live and scheduled sessions, and
// every session's metrics at every moment) follows from a seed and a
// clock the caller controls, so the same seed and the same clock time give
// the same answers. Tests read the world's ground truth through Server's
// methods and can add sessions, expire logins and inject faults (rate
// limits, gateway errors, timeouts, the anti-bot wall, broken bodies).
//
// A Server is an http.Handler; with WallClock it also serves as a local
// development stand-in for Shopee.
package shopeesim
