// Package jobqueue runs Liveboard's background and scheduled work as River
// jobs in the same database as the data: one instance on SQLite; on
// PostgreSQL several instances share the jobs, and only the elected leader
// schedules periodic ones, so no work is done twice.
package jobqueue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"liveboard/sqlstore"
	"liveboard/workflow"
)

// Config tunes the queue.
type Config struct {
	// SyncInterval is how often the daily sync runs; 24 h by default. It
	// also runs once when the queue starts.
	SyncInterval time.Duration

	// Workers is how many jobs run at once on this instance; 8 by default.
	Workers int

	// ID names this instance among several; River picks one when empty.
	ID string

	Logger *slog.Logger

	// Observer, when set, is told how each job went.
	Observer Observer

	// Monitor, when set, looks at every account's live sessions each
	// MonitorInterval (30 s by default), MonitorWorkers accounts at once
	// on this instance (100 by default).
	Monitor         *workflow.Monitor
	MonitorInterval time.Duration
	MonitorWorkers  int

	// Deliverer, when set, sends fired alerts to their channels, trying
	// each up to DeliveryAttempts times (15 by default), waiting
	// DeliveryBackoff(attempt) after a failed attempt (from 10 s,
	// doubling, up to an hour, by default).
	Deliverer        *workflow.Deliverer
	DeliveryAttempts int
	DeliveryBackoff  func(attempt int) time.Duration

	// PollInterval is how often the monitor and alert queues look for new
	// jobs when nothing told them; 100 ms by default.
	PollInterval time.Duration

	// testOnly starts River's services at once rather than staggered;
	// manualTicks leaves monitoring ticks to EnqueueMonitorTick and
	// campaign rounds to EnqueueCampaignsTick.
	testOnly    bool
	manualTicks bool

	// Prober, with a ProbeInterval, checks every account's Shopee login
	// that often, so that expired logins show before a sync fails.
	Prober        *workflow.Prober
	ProbeInterval time.Duration

	// Optimizer, when set, optimises every studio's ads campaigns each
	// CampaignInterval (15 min by default).
	Optimizer        *workflow.Optimizer
	CampaignInterval time.Duration

	// Booster, when set, runs coin boost plans' rounds, each a job due
	// at its time by the booster's clock. BoostPoll, when set, is the
	// longest a waiting round goes without looking at that clock again.
	Booster   *workflow.Booster
	BoostPoll time.Duration
}

// Observer records job outcomes, for metrics.
type Observer interface {
	ObserveJob(kind string, d time.Duration, err error)
}

// client is what the queue uses of a River client, whatever its driver's
// transaction type.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs,
		opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context,
		params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// Queue schedules and runs jobs.
type Queue struct {
	client client
	syncer *workflow.Syncer
	store  *sqlstore.Store
	cfg    Config
}

// New returns a queue whose jobs store through st and sync with syncer.
// It does not start working until Start.
func New(st *sqlstore.Store, syncer *workflow.Syncer, cfg Config) (*Queue, error) {
	if cfg.SyncInterval <= 0 {
		cfg.SyncInterval = 24 * time.Hour
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg = liveDefaults(cfg)

	q := &Queue{syncer: syncer, store: st, cfg: cfg}

	workers := river.NewWorkers()
	river.AddWorker(workers, &dailySyncWorker{q: q})
	river.AddWorker(workers, &accountSyncWorker{q: q})
	river.AddWorker(workers, &probeAccountsWorker{q: q})
	river.AddWorker(workers, &accountProbeWorker{q: q})

	rc := &river.Config{
		ID:         cfg.ID,
		Logger:     quiet(cfg.Logger.With("component", "river")),
		JobTimeout: 30 * time.Minute,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: cfg.Workers},
		},
		Workers:      workers,
		PeriodicJobs: append(q.periodicJobs(), q.probeJob()...),
		MaxAttempts:  5,
		TestOnly:     cfg.testOnly,
	}
	q.addLiveWork(rc, workers)
	q.addCampaignWork(rc, workers)
	q.addBoostWork(rc, workers)

	var err error
	switch st.Engine() {
	case sqlstore.Postgres:
		q.client, err = river.NewClient(riverpgxv5.New(st.Pool()), rc)
	default:
		q.client, err = river.NewClient(riversqlite.New(st.DB()), rc)
	}
	if err != nil {
		return nil, fmt.Errorf("jobqueue: %w", err)
	}
	return q, nil
}

func (q *Queue) periodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(
			river.PeriodicInterval(q.cfg.SyncInterval),
			func() (river.JobArgs, *river.InsertOpts) {
				return DailySyncArgs{}, nil
			},
			&river.PeriodicJobOpts{ID: "daily_sync", RunOnStart: true},
		),
	}
}

// Start begins working jobs and scheduling periodic ones.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobqueue: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish, up to ctx's deadline.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		return fmt.Errorf("jobqueue: stop: %w", err)
	}
	return nil
}

// EnqueueSync queues a sync of every account now, as the schedule would.
func (q *Queue) EnqueueSync(ctx context.Context) error {
	_, err := q.client.Insert(ctx, DailySyncArgs{}, nil)
	if err != nil {
		return fmt.Errorf("jobqueue: enqueue sync: %w", err)
	}
	return nil
}

// EnqueueAccountSync queues a sync of one account. It does nothing when
// one is already waiting or running.
func (q *Queue) EnqueueAccountSync(ctx context.Context, accountID int64) error {
	_, err := q.client.Insert(ctx, AccountSyncArgs{AccountID: accountID},
		accountSyncOpts())
	if err != nil {
		return fmt.Errorf("jobqueue: enqueue account sync: %w", err)
	}
	return nil
}

// Subscribe returns a channel of job events of the given kinds (all when
// none) and a function that ends the subscription. Tests use it to wait.
func (q *Queue) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	if len(kinds) == 0 {
		kinds = []river.EventKind{river.EventKindJobCompleted,
			river.EventKindJobFailed, river.EventKindJobCancelled}
	}
	return q.client.Subscribe(kinds...)
}

func (q *Queue) observe(kind string, start time.Time, err error) {
	if q.cfg.Observer != nil {
		q.cfg.Observer.ObserveJob(kind, time.Since(start), err)
	}
}

// Migrate applies River's own migrations to the store's database.
func Migrate(ctx context.Context, st *sqlstore.Store, logger *slog.Logger) error {
	return withMigrator(st, func(m migrator) error {
		res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return fmt.Errorf("jobqueue: migrate: %w", err)
		}
		for _, v := range res.Versions {
			logger.Info("job queue migration applied",
				"version", v.Version)
		}
		return nil
	})
}

// Ping reports whether River's migrations are all applied.
func Ping(ctx context.Context, st *sqlstore.Store) error {
	return withMigrator(st, func(m migrator) error {
		res, err := m.Validate(ctx, nil)
		if err != nil {
			return fmt.Errorf("jobqueue: check migrations: %w", err)
		}
		if !res.OK {
			return fmt.Errorf("jobqueue: migrations pending: %v; "+
				"run liveboard migrate", res.Messages)
		}
		return nil
	})
}

type migrator interface {
	Migrate(ctx context.Context, dir rivermigrate.Direction,
		opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error)
	Validate(ctx context.Context,
		opts *rivermigrate.ValidateOpts) (*rivermigrate.ValidateResult, error)
}

func withMigrator(st *sqlstore.Store, fn func(migrator) error) error {
	var (
		m   migrator
		err error
	)
	switch st.Engine() {
	case sqlstore.Postgres:
		m, err = newMigrator(riverpgxv5.New(st.Pool()))
	default:
		m, err = newMigrator(riversqlite.New(st.DB()))
	}
	if err != nil {
		return fmt.Errorf("jobqueue: migrator: %w", err)
	}
	return fn(m)
}

func newMigrator[TTx any](d riverdriver.Driver[TTx]) (migrator, error) {
	return rivermigrate.New(d, &rivermigrate.Config{
		Logger: slog.New(slog.DiscardHandler)})
}

// quiet keeps River's routine chatter (job counts every few seconds) out
// of the log: only its warnings and errors pass.
func quiet(l *slog.Logger) *slog.Logger {
	return slog.New(minLevel{Handler: l.Handler(), min: slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: h.Handler.WithGroup(name), min: h.min}
}

// noRetry cancels a job whose failure retrying cannot fix: an account
// that needs a new login or was removed.
func noRetry(err error) error {
	if errors.Is(err, workflow.ErrNeedsRelogin) ||
		errors.Is(err, workflow.ErrAccountRemoved) {
		return river.JobCancel(err)
	}
	return err
}
