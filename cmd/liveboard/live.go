package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"liveboard/httpapi"
	"liveboard/jobqueue"
	"liveboard/notify"
	"liveboard/shopee"
	"liveboard/sqlstore"
	"liveboard/web"
	"liveboard/workflow"
)

// liveFlags are the settings of live monitoring and alerts, which serve
// and demo share.
type liveFlags struct {
	MonitorInterval time.Duration `name:"monitor-interval" env:"LIVEBOARD_MONITOR_INTERVAL" default:"30s" help:"How often live sessions are looked at (at least 5s); 0 turns monitoring off."`
	MonitorWorkers  int           `name:"monitor-workers" env:"LIVEBOARD_MONITOR_WORKERS" default:"100" help:"How many accounts this instance looks at at once."`
	TelegramAPIURL  string        `name:"telegram-api-url" env:"LIVEBOARD_TELEGRAM_API_URL" default:"https://api.telegram.org" help:"Base URL of the Telegram Bot API that alert channels post to."`
	// WebhookAllowPrivate turns off the guard that keeps webhooks on
	// public addresses.
	WebhookAllowPrivate bool `name:"webhook-allow-private" env:"LIVEBOARD_WEBHOOK_ALLOW_PRIVATE" help:"Let alert webhooks go to localhost and private, loopback or link-local addresses (self-hosted receivers); off by default."`
	// CampaignInterval schedules campaign optimisation.
	CampaignInterval time.Duration `name:"campaign-interval" env:"LIVEBOARD_CAMPAIGN_INTERVAL" default:"15m" help:"How often every studio's ads campaigns are reviewed, at start and then on this interval: each account's ads spend is kept for daily analytics and, where auto-pause is on, campaigns below the floor are paused (at least 1m); 0 turns it off, and with it ad spend in analytics."`
}

func (f liveFlags) validate() error {
	if f.MonitorInterval != 0 && f.MonitorInterval < 5*time.Second {
		return fmt.Errorf("--monitor-interval must be 0 (off) or at " +
			"least 5s")
	}
	if f.CampaignInterval != 0 && f.CampaignInterval < time.Minute {
		return fmt.Errorf("--campaign-interval must be 0 (off) or at " +
			"least 1m")
	}
	if f.MonitorWorkers < 1 {
		return fmt.Errorf("--monitor-workers must be at least 1")
	}
	return nil
}

// logAttrs describes the settings for the configuration log line.
func (f liveFlags) logAttrs() []any {
	return []any{"monitor_interval", f.MonitorInterval,
		"monitor_workers", f.MonitorWorkers,
		"telegram_api_url", f.TelegramAPIURL,
		"webhook_allow_private", f.WebhookAllowPrivate,
		"campaign_interval", f.CampaignInterval}
}

// shopeeHTTPClient is the client Shopee calls go through: many looks run
// at once against the same few hosts, so it keeps more connections open
// per host than Go's default two.
func shopeeHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Timeout: 20 * time.Second, Transport: t}
}

// liveWork is monitoring and alert delivery, wired to the service.
type liveWork struct {
	monitor   *workflow.Monitor
	deliverer *workflow.Deliverer
	// optimizer runs on schedule only when campaignJobs is set; the API
	// uses it either way.
	optimizer    *workflow.Optimizer
	campaignJobs bool
}

func newLiveWork(logger *slog.Logger, st *sqlstore.Store,
	client *shopee.Client, syncer *workflow.Syncer,
	f liveFlags) *liveWork {
	w := &liveWork{deliverer: &workflow.Deliverer{Store: st,
		Notifier: &notify.Sender{TelegramURL: f.TelegramAPIURL,
			AllowPrivate: f.WebhookAllowPrivate},
		IsPermanent: notify.IsPermanent, Logger: logger}}
	w.optimizer = &workflow.Optimizer{Store: st, Shopee: client,
		Logger: logger}
	w.campaignJobs = f.CampaignInterval > 0
	if f.MonitorInterval > 0 {
		w.monitor = &workflow.Monitor{Store: st, Shopee: client,
			Syncer: syncer, Logger: logger}
	}
	return w
}

// queueConfig adds the live work to a queue's configuration.
func (w *liveWork) queueConfig(cfg jobqueue.Config,
	f liveFlags) jobqueue.Config {
	cfg.Monitor = w.monitor
	cfg.MonitorInterval = f.MonitorInterval
	cfg.MonitorWorkers = f.MonitorWorkers
	cfg.Deliverer = w.deliverer
	if w.campaignJobs {
		cfg.Optimizer = w.optimizer
		cfg.CampaignInterval = f.CampaignInterval
	}
	return cfg
}

// connect lets the live streams of the API and of the dashboard hear of
// every snapshot the monitor stores.
func (w *liveWork) connect(api *httpapi.Server, dashboard *web.Server) {
	if w.monitor != nil {
		w.monitor.Stored = func() {
			api.NotifyStored()
			dashboard.NotifyStored()
		}
	}
}
