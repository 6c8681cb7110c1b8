package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"liveboard"
	"liveboard/httpapi"
	"liveboard/jobqueue"
	"liveboard/metrics"
	"liveboard/shopee"
	"liveboard/smmpanel"
	"liveboard/sqlstore"
	"liveboard/web"
	"liveboard/workflow"
)

// migrateAll applies the schema and job queue migrations.
func migrateAll(ctx context.Context, st *sqlstore.Store,
	logger *slog.Logger) error {
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	return jobqueue.Migrate(ctx, st, logger)
}

// service is the running product: store, Shopee client, sync and jobs,
// API. serve and demo build one.
type service struct {
	logger  *slog.Logger
	store   *sqlstore.Store
	metrics *metrics.Metrics
	client  *shopee.Client
	syncer  *workflow.Syncer
	queue   *jobqueue.Queue
	api     *httpapi.Server
	web     *web.Server
}

// serviceOptions tune newService.
type serviceOptions struct {
	shopeeBaseURL string
	syncInterval  time.Duration
	syncLookback  time.Duration
	live          liveFlags
	access        accessFlags
	// shopee holds the client's resilience settings; its BaseURL and
	// Observer are set from the fields above and the metrics.
	shopee shopee.Config
	// smm is the SMM panel, nil when none is configured.
	smm *smmpanel.Client
}

func newService(logger *slog.Logger, st *sqlstore.Store,
	opts serviceOptions) (*service, error) {
	m := metrics.New()
	cfg := opts.shopee
	cfg.BaseURL, cfg.Observer = opts.shopeeBaseURL, m
	cfg.HTTPClient = shopeeHTTPClient()
	client, err := shopee.New(cfg)
	if err != nil {
		return nil, err
	}

	syncer := &workflow.Syncer{Store: st, Shopee: client,
		Lookback: opts.syncLookback, Logger: logger, Observer: m,
		Products: client}
	prober := &workflow.Prober{Store: st, Shopee: client, Logger: logger}
	live := newLiveWork(logger, st, client, syncer, opts.live)
	booster := &workflow.Booster{Store: st, Shopee: client, Logger: logger}
	queue, err := jobqueue.New(st, syncer, live.queueConfig(jobqueue.Config{
		SyncInterval: opts.syncInterval, Logger: logger, Observer: m,
		Prober: prober, ProbeInterval: opts.access.ProbeInterval,
		Booster: booster}, opts.live))
	if err != nil {
		return nil, err
	}
	accounts := &workflow.Accounts{Store: st, Shopee: client, Queue: queue,
		Logger: logger}
	ip := clientIP(opts.access.TrustProxy)

	apiCfg := httpapi.Config{
		Store: st, Shopee: client, Syncer: syncer, Queue: queue,
		Ready: func(ctx context.Context) error {
			if err := st.Ping(ctx); err != nil {
				return err
			}
			return jobqueue.Ping(ctx, st)
		},
		Metrics: m.Handler(), Observer: m, Logger: logger,
		Products: client, Channels: live.deliverer,
		Accounts: accounts, Optimizer: live.optimizer,
		Booster: booster, Boosts: queue,
		RateLimit: opts.access.RateLimit, RateBurst: opts.access.RateBurst,
		CORSOrigins: opts.access.CORSOrigins, ClientIP: ip,
		AllowPrivateWebhooks: opts.live.WebhookAllowPrivate,
	}
	if opts.smm != nil {
		apiCfg.SMM = opts.smm
	}
	api, err := httpapi.New(apiCfg)
	if err != nil {
		return nil, err
	}
	dashboard, err := web.New(web.Config{Store: st, Accounts: accounts,
		SessionTTL:      opts.access.SessionTTL,
		InsecureCookies: opts.access.InsecureCookies,
		ClientIP:        ip, Logger: logger, Channels: live.deliverer,
		Optimizer: live.optimizer,
		Booster:   booster, Boosts: queue,
		AllowPrivateWebhooks: opts.live.WebhookAllowPrivate})
	if err != nil {
		return nil, err
	}
	live.connect(api, dashboard)

	return &service{logger: logger, store: st, metrics: m, client: client,
		syncer: syncer, queue: queue, api: api, web: dashboard}, nil
}

// run serves HTTP on ln and works jobs until ctx is done, then shuts both
// down gracefully.
func (s *service) run(ctx context.Context, ln net.Listener) error {
	if err := s.queue.Start(ctx); err != nil {
		return err
	}

	srv := &http.Server{
		Handler:           mount(s.api, s.web),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(s.api.Close)
	srv.RegisterOnShutdown(s.web.Close)
	err := serveUntil(ctx, s.logger, srv, ln, 10*time.Second)

	stopCtx, cancel := context.WithTimeout(context.Background(),
		15*time.Second)
	defer cancel()
	if qerr := s.queue.Stop(stopCtx); qerr != nil {
		err = errors.Join(err, qerr)
	}
	return err
}

// serveUntil serves srv on ln until ctx is done or serving fails, then
// shuts it down: requests in flight get up to grace to finish, and the
// connections still open after that are closed. Clients keep spare
// connections that never carry a request, and http.Server.Shutdown waits
// for those too, so closing them after the grace period is routine.
func serveUntil(ctx context.Context, logger *slog.Logger, srv *http.Server,
	ln net.Listener, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}

	logger.Info("shutting down", "addr", ln.Addr().String())
	stopCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	serr := srv.Shutdown(stopCtx)
	if errors.Is(serr, context.DeadlineExceeded) {
		logger.Warn("closing connections still open after the grace "+
			"period", "addr", ln.Addr().String(), "grace", grace)
		serr = srv.Close()
	}
	if serr != nil {
		err = errors.Join(err, fmt.Errorf("stop server: %w", serr))
	}
	return err
}

// automationEmail names the user that owns the keys set through
// LIVEBOARD_API_KEY.
const automationEmail = "automation@liveboard.invalid"

// ensureAPIKey makes sure key works as an owner-level key on every
// studio, creating the automation user and the key when missing.
func ensureAPIKey(ctx context.Context, st liveboard.Store, key string) error {
	hash := httpapi.HashAPIKey(key)
	_, err := st.APIKeyByHash(ctx, hash)
	if err == nil {
		return nil
	}
	if liveboard.ErrorCode(err) != liveboard.ENotFound {
		return err
	}

	u, err := st.UserByEmail(ctx, automationEmail)
	if liveboard.ErrorCode(err) == liveboard.ENotFound {
		u = &liveboard.User{Email: automationEmail, Name: "Automation",
			Admin: true}
		err = st.CreateUser(ctx, u, "")
	}
	if err != nil {
		return fmt.Errorf("automation user: %w", err)
	}

	k := &liveboard.APIKey{UserID: u.ID, Role: liveboard.RoleOwner,
		Name: "LIVEBOARD_API_KEY", Prefix: keyPrefix(key)}
	if err := st.CreateAPIKey(ctx, k, hash); err != nil {
		return fmt.Errorf("API key: %w", err)
	}
	return nil
}

// keyPrefix returns the few first characters of a key, enough to tell
// keys apart in a list, never enough to use one.
func keyPrefix(key string) string {
	if len(key) > 8 {
		return key[:8]
	}
	return ""
}

// listen opens addr, with a clear message when the port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (set --addr or "+
			"LIVEBOARD_ADDR to use another): %w", addr, err)
	}
	return ln, nil
}
