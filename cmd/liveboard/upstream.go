package main

import (
	"errors"
	"time"

	"liveboard/shopee"
	"liveboard/smmpanel"
)

// upstream are the settings of the outside services Liveboard calls:
// Shopee's resilience knobs and the optional SMM panel. Zero values take
// the Shopee client's defaults.
type upstream struct {
	ShopeeRate     float64       `name:"shopee-rate" env:"LIVEBOARD_SHOPEE_RATE" help:"Most requests per second to Shopee per account (default 2, none in demo; negative for no limit)."`
	ShopeeBurst    int           `name:"shopee-burst" env:"LIVEBOARD_SHOPEE_BURST" help:"Requests an account may send at once after a quiet spell (default 5)."`
	ShopeeHostRate float64       `name:"shopee-host-rate" env:"LIVEBOARD_SHOPEE_HOST_RATE" help:"Most requests per second to each Shopee host, all accounts together, after bursts of 2500 (default 100, none in demo; negative for no limit)."`
	ShopeeRetries  int           `name:"shopee-retries" env:"LIVEBOARD_SHOPEE_RETRIES" help:"Tries per Shopee call, the first included (default 4; 1 turns retries off)."`
	ShopeeTimeout  time.Duration `name:"shopee-timeout" env:"LIVEBOARD_SHOPEE_TIMEOUT" help:"Deadline of one Shopee call, its retries and waits included (default 1m)."`
	ShopeeCacheTTL time.Duration `name:"shopee-cache-ttl" env:"LIVEBOARD_SHOPEE_CACHE_TTL" help:"How long answers of Shopee reads that are not live figures are reused (default 5m; negative turns the cache off)."`
	SMMURL         string        `name:"smm-url" env:"LIVEBOARD_SMM_URL" help:"API address of an SMM panel (its v2 API) to read services, balance and order status from; off when unset."`
	SMMKey         string        `name:"smm-key" env:"LIVEBOARD_SMM_KEY" help:"API key of the SMM panel."`
}

// noLimit is the rate that turns a rate limit off. The demo uses it
// unless told otherwise: its simulator is local.
const noLimit = -1

// shopeeConfig returns the Shopee client's settings for base URL base.
func (u upstream) shopeeConfig(base string) shopee.Config {
	return shopee.Config{
		BaseURL:      base,
		AccountRate:  u.ShopeeRate,
		AccountBurst: u.ShopeeBurst,
		HostRate:     u.ShopeeHostRate,
		MaxAttempts:  u.ShopeeRetries,
		CallTimeout:  u.ShopeeTimeout,
		CacheTTL:     u.ShopeeCacheTTL,
	}
}

// check reports settings no client can work with.
func (u upstream) check() error {
	if u.ShopeeTimeout < 0 {
		return errors.New("LIVEBOARD_SHOPEE_TIMEOUT must not be negative")
	}
	if (u.SMMURL == "") != (u.SMMKey == "") {
		return errors.New("set both LIVEBOARD_SMM_URL and " +
			"LIVEBOARD_SMM_KEY, or neither")
	}
	return nil
}

// smmPanel returns the SMM panel's client, or nil when none is
// configured.
func (u upstream) smmPanel() (*smmpanel.Client, error) {
	if u.SMMURL == "" {
		return nil, nil
	}
	return smmpanel.New(smmpanel.Config{URL: u.SMMURL, Key: u.SMMKey})
}

// logAttrs are the settings as the configuration log line shows them:
// the Shopee client's as cfg, the one in use, has them with its
// defaults (a rate of -1 is no limit), and the panel's key hidden.
func (u upstream) logAttrs(cfg shopee.Config) []any {
	cfg = cfg.Effective()
	return []any{
		"shopee_rate", cfg.AccountRate, "shopee_burst", cfg.AccountBurst,
		"shopee_host_rate", cfg.HostRate,
		"shopee_retries", cfg.MaxAttempts,
		"shopee_timeout", cfg.CallTimeout,
		"shopee_cache_ttl", cfg.CacheTTL,
		"smm_url", u.SMMURL, "smm_key", hidden(u.SMMKey),
	}
}
