package liveboard

import (
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
