package liveboard

import (
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// ChannelKind is a way of sending alerts out.
type ChannelKind string

// The channel kinds.
const (
	// ChannelTelegram posts to a Telegram chat through a bot.
	ChannelTelegram ChannelKind = "telegram"
	// ChannelWebhook POSTs each alert as JSON to a URL.
	ChannelWebhook ChannelKind = "webhook"
)

// ParseChannelKind returns the kind named by s.
func ParseChannelKind(s string) (ChannelKind, error) {
	switch k := ChannelKind(s); k {
	case ChannelTelegram, ChannelWebhook:
		return k, nil
	}
	return "", Errorf(EInvalid, "unknown channel kind %q "+
		"(want telegram or webhook)", s)
}

// Channel is where a studio's alerts are sent. Its settings that are
// secrets (bot token, webhook URL and signing key) are kept apart, sealed,
// as a ChannelConfig, and never leave the server; Target describes the
// destination without them.
type Channel struct {
	ID       int64
	StudioID int64
	Kind     ChannelKind
	Name     string
	Enabled  bool
	// Target names the destination safely: the Telegram chat, or the
	// webhook's scheme and host.
	Target    string
	CreatedAt time.Time
}

// ChannelConfig is how to reach a channel. For Telegram, BotToken and
// ChatID; for a webhook, URL and an optional Secret that signs each body.
type ChannelConfig struct {
	BotToken string
	ChatID   string
	URL      string
	Secret   string
}

// Check returns an EInvalid error when cfg cannot reach a channel of
// kind. Its messages never quote the secrets.
func (cfg ChannelConfig) Check(kind ChannelKind) error {
	switch kind {
	case ChannelTelegram:
		if strings.TrimSpace(cfg.BotToken) == "" ||
			strings.ContainsAny(cfg.BotToken, "/?# \t\r\n") {
			return Errorf(EInvalid, "a Telegram channel needs bot_token, "+
				"the token BotFather gave (no spaces or slashes)")
		}
		if strings.TrimSpace(cfg.ChatID) == "" {
			return Errorf(EInvalid, "a Telegram channel needs chat_id")
		}
	case ChannelWebhook:
		u, err := url.Parse(cfg.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
			u.Host == "" {
			return Errorf(EInvalid, "a webhook channel needs url, "+
				"an absolute http or https URL")
		}
	default:
		_, err := ParseChannelKind(string(kind))
		return err
	}
	return nil
}

// CheckPublic returns an EInvalid error when cfg is a webhook whose host
// is plainly not on the public internet: localhost, or a literal IP
// address that PublicAddr refuses. Host names are not resolved here; a
// sender must still check the address it connects to.
func (cfg ChannelConfig) CheckPublic(kind ChannelKind) error {
	if kind != ChannelWebhook {
		return nil
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil // Check reports a malformed URL
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	private := host == "localhost" || strings.HasSuffix(host, ".localhost")
	if ip, err := netip.ParseAddr(host); err == nil && !PublicAddr(ip) {
		private = true
	}
	// Numbers that are not a plain dotted IP (2130706433, 0x7f000001,
	// 0177.0.0.1, 127.1) are read as addresses by some tools: no public
	// webhook is named so.
	if _, err := netip.ParseAddr(host); err != nil && numericHost(host) {
		private = true
	}
	if private {
		return Errorf(EInvalid, "a webhook url must point at a public "+
			"address; localhost and private, loopback or link-local "+
			"addresses are not allowed")
	}
	return nil
}

// numericHost reports whether every label of host is a number, in
// decimal, octal or 0x hex: the forms some tools read as an address.
func numericHost(host string) bool {
	for label := range strings.SplitSeq(host, ".") {
		digits, hex := label, strings.HasPrefix(label, "0x")
		if hex {
			digits = label[2:]
		}
		if digits == "" {
			return false
		}
		for _, c := range digits {
			isDigit := c >= '0' && c <= '9'
			if !isDigit && !(hex && c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// nonPublic are the ranges PublicAddr refuses beyond what netip names:
// "this network", carrier-grade NAT, IETF protocol assignments,
// benchmarking, the reserved class E with broadcast, and IPv6 site-local.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("fec0::/10"),
}

// nat64 is the well-known NAT64 prefix: its addresses carry an IPv4
// address in their last four bytes.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// PublicAddr reports whether ip is an address on the public internet, one
// a webhook may be sent to. Loopback, private (RFC 1918, fc00::/7),
// link-local (which holds cloud metadata services), unspecified,
// multicast and carrier-grade NAT addresses are not; an IPv4 address
// written as IPv6 is judged as IPv4.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:]))
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() ||
		ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsLinkLocalMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Target describes cfg's destination without its secrets: "chat
// <chat id>" for Telegram, "<scheme>://<host>" for a webhook.
func (cfg ChannelConfig) Target(kind ChannelKind) string {
	if kind == ChannelTelegram {
		return "chat " + cfg.ChatID
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// DeliveryStatus is where sending one alert to one channel stands.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySent    DeliveryStatus = "sent"
	// DeliveryFailed is final: every retry failed, or the channel refused
	// the alert for good.
	DeliveryFailed DeliveryStatus = "failed"
)

// Delivery is the sending of one alert to one channel.
type Delivery struct {
	AlertID     int64
	ChannelID   int64
	ChannelKind ChannelKind
	ChannelName string

	Status    DeliveryStatus
	Attempts  int
	LastError string
	SentAt    *time.Time
	UpdatedAt time.Time
}
