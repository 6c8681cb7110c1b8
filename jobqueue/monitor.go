package jobqueue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"liveboard"
	"liveboard/workflow"
)

// The queues of the live work, apart from the default queue's syncs so a
// long sync never holds up a tick or an alert.
const (
	monitorQueue = "monitor"
	alertsQueue  = "alerts"
)

// Defaults of the live work's settings.
const (
	DefaultMonitorInterval  = 30 * time.Second
	DefaultMonitorWorkers   = 100
	DefaultDeliveryAttempts = 15
	DefaultPollInterval     = 100 * time.Millisecond
)

// MonitorTickArgs starts one tick of monitoring: it queues one
// MonitorAccountArgs job per account for the tick, so that several
// instances share the accounts. At names the tick.
type MonitorTickArgs struct {
	At time.Time `json:"at"`
}

// Kind names the job in the queue.
func (MonitorTickArgs) Kind() string { return "monitor_tick" }

// InsertOpts runs a tick once, in the monitor queue.
func (MonitorTickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: monitorQueue, MaxAttempts: 1,
		UniqueOpts: onceEver()}
}

// MonitorAccountArgs looks at one account's live sessions for one tick.
// It is unique by account and tick, whatever its state, so no instance
// ever looks at an account twice in a tick.
type MonitorAccountArgs struct {
	AccountID int64     `json:"account_id"`
	At        time.Time `json:"at"`
}

// Kind names the job in the queue.
func (MonitorAccountArgs) Kind() string { return "monitor_account" }

// InsertOpts runs a look once, in the monitor queue: a failed look is
// not retried, the next tick looks again.
func (MonitorAccountArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: monitorQueue, MaxAttempts: 1,
		UniqueOpts: onceEver()}
}

// onceEver makes a job unique by its arguments in every state, for as
// long as River keeps finished jobs.
func onceEver() river.UniqueOpts {
	return river.UniqueOpts{ByArgs: true, ByState: rivertype.JobStates()}
}

// AlertDeliveryArgs sends one alert to one channel, retried with backoff
// until it is sent, refused for good, or out of attempts.
type AlertDeliveryArgs struct {
	AlertID   int64 `json:"alert_id"`
	ChannelID int64 `json:"channel_id"`
}

// Kind names the job in the queue.
func (AlertDeliveryArgs) Kind() string { return "alert_delivery" }

// monitorNow is the monitor's clock.
func (q *Queue) monitorNow() time.Time {
	if m := q.cfg.Monitor; m != nil && m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

// stale reports whether a tick is too old to be worth working: the next
// one has begun.
func (q *Queue) stale(at time.Time) bool {
	return q.monitorNow().Sub(at) > q.cfg.MonitorInterval
}

// EnqueueMonitorTick queues the tick at, as the schedule does every
// MonitorInterval. A tick already queued is not queued again.
func (q *Queue) EnqueueMonitorTick(ctx context.Context, at time.Time) error {
	if q.cfg.Monitor == nil {
		return errors.New("jobqueue: monitoring is off")
	}
	_, err := q.client.Insert(ctx, MonitorTickArgs{At: at.UTC()}, nil)
	if err != nil {
		return fmt.Errorf("jobqueue: enqueue monitor tick: %w", err)
	}
	return nil
}

// EnqueueDeliveries queues the pending deliveries of the alerts.
func (q *Queue) EnqueueDeliveries(ctx context.Context,
	alerts []liveboard.Alert) error {
	var ds []liveboard.Delivery
	for _, a := range alerts {
		ds = append(ds, a.Deliveries...)
	}
	return q.enqueueDeliveries(ctx, ds)
}

func (q *Queue) enqueueDeliveries(ctx context.Context,
	ds []liveboard.Delivery) error {
	if q.cfg.Deliverer == nil {
		return nil
	}
	var params []river.InsertManyParams
	for _, d := range ds {
		if d.Status != liveboard.DeliveryPending {
			continue
		}
		params = append(params, river.InsertManyParams{
			Args: AlertDeliveryArgs{AlertID: d.AlertID,
				ChannelID: d.ChannelID},
			InsertOpts: q.deliveryOpts(),
		})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := q.client.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("jobqueue: enqueue alert deliveries: %w", err)
	}
	return nil
}

// deliveryOpts keeps one job per delivery waiting or running.
func (q *Queue) deliveryOpts() *river.InsertOpts {
	return &river.InsertOpts{
		Queue:       alertsQueue,
		MaxAttempts: q.cfg.DeliveryAttempts,
		UniqueOpts: river.UniqueOpts{
			ByArgs: true,
			ByState: []rivertype.JobState{
				rivertype.JobStateAvailable, rivertype.JobStatePending,
				rivertype.JobStateRunning, rivertype.JobStateScheduled,
				rivertype.JobStateRetryable,
			},
		},
	}
}

type monitorTickWorker struct {
	river.WorkerDefaults[MonitorTickArgs]
	q *Queue
}

// Work queues the tick's looks, one per account, and queues again any
// delivery left pending without a job (an instance stopped between
// firing an alert and queueing it).
func (w *monitorTickWorker) Work(ctx context.Context,
	job *river.Job[MonitorTickArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()
	if w.q.stale(job.Args.At) {
		return nil
	}

	accounts, err := w.q.store.Accounts(ctx, 0)
	if err != nil {
		return fmt.Errorf("monitor tick: %w", err)
	}
	params := make([]river.InsertManyParams, 0, len(accounts))
	for _, a := range accounts {
		params = append(params, river.InsertManyParams{
			Args: MonitorAccountArgs{AccountID: a.ID, At: job.Args.At}})
	}
	if len(params) > 0 {
		if _, err := w.q.client.InsertMany(ctx, params); err != nil {
			return fmt.Errorf("monitor tick: queue accounts: %w", err)
		}
	}
	return w.q.sweepDeliveries(ctx)
}

// sweepAge is how long a delivery may stay pending before a tick queues
// it again, in case its job was never queued.
const sweepAge = 2 * time.Minute

func (q *Queue) sweepDeliveries(ctx context.Context) error {
	if q.cfg.Deliverer == nil {
		return nil
	}
	ds, err := q.store.PendingDeliveries(ctx, q.monitorNow().Add(-sweepAge),
		500)
	if err != nil {
		return fmt.Errorf("monitor tick: %w", err)
	}
	return q.enqueueDeliveries(ctx, ds)
}

type monitorAccountWorker struct {
	river.WorkerDefaults[MonitorAccountArgs]
	q *Queue
}

// Timeout gives a look at most one tick.
func (w *monitorAccountWorker) Timeout(*river.Job[MonitorAccountArgs]) time.Duration {
	return w.q.cfg.MonitorInterval
}

// Work looks at the account unless its tick is over, and queues the
// deliveries of the alerts the look fired. A failed look is logged, not
// retried: the next tick looks again.
func (w *monitorAccountWorker) Work(ctx context.Context,
	job *river.Job[MonitorAccountArgs]) error {
	start := time.Now()
	if w.q.stale(job.Args.At) {
		w.q.cfg.Logger.Debug("stale monitor look skipped",
			"account_id", job.Args.AccountID, "tick", job.Args.At)
		return nil
	}

	r, err := w.q.cfg.Monitor.WatchAccount(ctx, job.Args.AccountID)
	if qerr := w.q.EnqueueDeliveries(ctx, r.Alerts); qerr != nil {
		err = errors.Join(err, qerr)
	}
	w.q.observe(job.Kind, start, err)
	if err != nil {
		w.q.cfg.Logger.Warn("monitor look failed",
			"account_id", job.Args.AccountID, "error", err)
	}
	return nil
}

type alertDeliveryWorker struct {
	river.WorkerDefaults[AlertDeliveryArgs]
	q *Queue
}

// NextRetry waits longer after each failed attempt.
func (w *alertDeliveryWorker) NextRetry(job *river.Job[AlertDeliveryArgs]) time.Time {
	return time.Now().Add(w.q.cfg.DeliveryBackoff(job.Attempt))
}

// Work sends the alert. A refusal for good cancels the job; any other
// failure is retried until the last attempt, which marks the delivery
// failed.
func (w *alertDeliveryWorker) Work(ctx context.Context,
	job *river.Job[AlertDeliveryArgs]) (err error) {
	start := time.Now()
	defer func() { w.q.observe(job.Kind, start, err) }()

	last := job.Attempt >= job.MaxAttempts
	err = w.q.cfg.Deliverer.Deliver(ctx, job.Args.AlertID,
		job.Args.ChannelID, last)
	if errors.Is(err, workflow.ErrPermanent) {
		w.q.cfg.Logger.Warn("alert delivery failed for good",
			"alert_id", job.Args.AlertID, "channel_id", job.Args.ChannelID,
			"error", err)
		return river.JobCancel(err)
	}
	return err
}

// deliveryBackoff waits 10 s after the first failed attempt, doubling
// each time up to an hour: 15 attempts span about six hours.
func deliveryBackoff(attempt int) time.Duration {
	d := 10 * time.Second
	for range max(attempt-1, 0) {
		d *= 2
		if d >= time.Hour {
			return time.Hour
		}
	}
	return d
}

// liveDefaults fills the live work's settings left zero.
func liveDefaults(cfg Config) Config {
	if cfg.MonitorInterval <= 0 {
		cfg.MonitorInterval = DefaultMonitorInterval
	}
	if cfg.MonitorWorkers <= 0 {
		cfg.MonitorWorkers = DefaultMonitorWorkers
	}
	if cfg.DeliveryAttempts <= 0 {
		cfg.DeliveryAttempts = DefaultDeliveryAttempts
	}
	if cfg.DeliveryBackoff == nil {
		cfg.DeliveryBackoff = deliveryBackoff
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	return cfg
}

// addLiveWork registers the monitor's and the alerts' queues, workers and
// schedule, for those of them that are configured.
func (q *Queue) addLiveWork(rc *river.Config, workers *river.Workers) {
	queue := func(n int) river.QueueConfig {
		return river.QueueConfig{MaxWorkers: n,
			FetchPollInterval: q.cfg.PollInterval,
			FetchCooldown:     min(q.cfg.PollInterval, 100*time.Millisecond)}
	}
	if q.cfg.Monitor != nil {
		river.AddWorker(workers, &monitorTickWorker{q: q})
		river.AddWorker(workers, &monitorAccountWorker{q: q})
		rc.Queues[monitorQueue] = queue(q.cfg.MonitorWorkers)
	}
	if q.cfg.Monitor != nil && !q.cfg.manualTicks {
		rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(
			river.PeriodicInterval(q.cfg.MonitorInterval),
			func() (river.JobArgs, *river.InsertOpts) {
				at := q.monitorNow().Truncate(q.cfg.MonitorInterval)
				return MonitorTickArgs{At: at}, nil
			},
			&river.PeriodicJobOpts{ID: "monitor_tick", RunOnStart: true},
		))
	}
	if q.cfg.Deliverer != nil {
		river.AddWorker(workers, &alertDeliveryWorker{q: q})
		rc.Queues[alertsQueue] = queue(4)
	}
}
