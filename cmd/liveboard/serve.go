package main

import (
	"fmt"
	"time"
)

// serveCmd runs the service.
type serveCmd struct {
	Addr         string        `name:"addr" env:"LIVEBOARD_ADDR" default:"127.0.0.1:8080" help:"Address to serve the API on."`
	APIKey       string        `name:"api-key" env:"LIVEBOARD_API_KEY" help:"Make sure an owner-level API key with this value exists (for automation)."`
	SyncInterval time.Duration `name:"sync-interval" env:"LIVEBOARD_SYNC_INTERVAL" default:"24h" help:"How often the daily sync runs; it also runs at start."`
	SyncLookback time.Duration `name:"sync-lookback" env:"LIVEBOARD_SYNC_LOOKBACK" default:"720h" help:"How far back sessions are synced."`
	accessFlags  `embed:""`
	liveFlags    `embed:""`
}

func (c *serveCmd) Run(env *environment) error {
	logger := env.logger()
	if err := validateAPIKey(c.APIKey); err != nil {
		return err
	}
	if err := c.liveFlags.validate(); err != nil {
		return err
	}
	if err := c.accessFlags.validate(); err != nil {
		return err
	}
	if err := validateSyncInterval(c.SyncInterval); err != nil {
		return err
	}
	if c.SyncLookback < 24*time.Hour {
		return fmt.Errorf("--sync-lookback must be at least 24h, got %v",
			c.SyncLookback)
	}
	if err := env.upstream.check(); err != nil {
		return err
	}
	smm, err := env.smmPanel()
	if err != nil {
		return err
	}
	logConfig(logger, env.globals, []any{"addr", c.Addr,
		"api_key", hidden(c.APIKey), "sync_interval", c.SyncInterval,
		"sync_lookback", c.SyncLookback}, c.accessFlags.logAttrs(),
		c.liveFlags.logAttrs(),
		env.upstream.logAttrs(env.shopeeConfig(env.ShopeeBaseURL)))
	logCORS(logger, c.CORSOrigins)

	st, err := env.openStore(logger, env.databaseURL())
	if err != nil {
		return err
	}
	defer st.Close()

	if c.APIKey != "" {
		if err := ensureAPIKey(env.ctx, st, c.APIKey); err != nil {
			return err
		}
	}

	svc, err := newService(logger, st, serviceOptions{
		shopeeBaseURL: env.ShopeeBaseURL, syncInterval: c.SyncInterval,
		syncLookback: c.SyncLookback, access: c.accessFlags,
		shopee: env.shopeeConfig(env.ShopeeBaseURL), smm: smm,
		live: c.liveFlags})
	if err != nil {
		return err
	}

	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}
	logger.Info("serving", "url", "http://"+ln.Addr().String(),
		"engine", st.Engine())
	return svc.run(env.ctx, ln)
}
